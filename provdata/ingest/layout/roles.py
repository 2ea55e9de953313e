"""The guessed role of each column of a recognised table: the province column, a year column (and its era), a
long table's indicator and value columns, and columns skipped with a note (codes of another numbering scheme,
DOPA codes beside the names, row numbers); figure columns are left for the steward to map.
"""

from __future__ import annotations

import itertools
import re

from provdata.ingest.layout.model import Column, Table
from provdata.ingest.layout.years import _BE_WORDS, _CE_WORDS, _YEAR_WORDS, _is_year_cell
from provdata.ingest.names import ProvinceNames

_CODE_WORDS = re.compile(r"รหัส|ลำดับ|^ที่$|code|^no\.?$|^#$|^id$|seq", re.I)
_INDICATOR_WORDS = re.compile(r"^(indicator(_id)?|ตัวชี้วัด|รหัสตัวชี้วัด)$", re.I)
_VALUE_WORDS = re.compile(r"^(value|ค่า|มูลค่า|จำนวน|ข้อมูล)$", re.I)


def _guess_roles(table: Table, name_col: int, names: ProvinceNames) -> None:
    body = [r for _, r in table.body()]
    for col in table.columns:
        values = [r[col.index] for r in body if r[col.index]]
        if col.index == name_col:
            col.role = "province"
        elif col.year is not None:
            col.role = None  # figures of --indicator for that year
        elif not values:
            col.role = "skip"
        elif _YEAR_WORDS.match(col.label) or (values and all(_is_year_cell(v) for v in values[:50])):
            col.role = "year"
            col.era = "BE" if _BE_WORDS.search(col.label) else "CE" if _CE_WORDS.search(col.label) else None
        elif _INDICATOR_WORDS.match(col.label):
            col.role = "indicator"
        elif _VALUE_WORDS.match(col.label):
            col.role = "value"
        elif (
            _CODE_WORDS.search(col.label)
            or _is_sequence(values)
            or _agrees_with_names(table, col, name_col, names)
        ):
            col.role = "skip"
            col.note = _code_note(table, col, name_col, names)
        else:
            col.role = None


def _is_sequence(values: list[str]) -> bool:
    """Row numbers 1, 2, 3 … (another numbering, never DOPA codes)."""
    if len(values) < 3 or not all(v.isdigit() for v in values):
        return False
    numbers = [int(v) for v in values]
    return all(b - a == 1 for a, b in itertools.pairwise(numbers))


def _agrees_with_names(table: Table, col: Column, name_col: int, names: ProvinceNames) -> bool:
    """A column of the DOPA codes of the named provinces (a code column beside the names)."""
    pairs = [(r[col.index], names.match(r[name_col])) for _, r in table.body() if r[col.index]]
    pairs = [(v, m) for v, m in pairs if m.kind == "province"]
    return len(pairs) >= 2 and sum(v == m.code for v, m in pairs) >= 0.8 * len(pairs)


def _code_note(table: Table, col: Column, name_col: int, names: ProvinceNames) -> str:
    """Say whether a code column agrees with DOPA codes of the named provinces; it is never used for them."""
    for row_no, r in table.body():
        m = names.match(r[name_col])
        if m.kind == "province" and r[col.index] and r[col.index] != m.code:
            return (
                f"codes of another numbering scheme (row {row_no}: {r[col.index]!r} for {r[name_col]} = DOPA "
                f"{m.code}); not used as province codes"
            )
    return "codes; provinces are taken from the names"
