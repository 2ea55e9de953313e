"""Where the provinces are: the province column (names in any common spelling, else two-digit DOPA codes, else
its header) and the first body row below the headers, or a row that names provinces across the columns
(provinces as columns), which is then read transposed.
"""

from __future__ import annotations

import re

from provdata.ingest.layout.years import _is_year_cell
from provdata.ingest.names import ProvinceNames, is_aggregate, normalise

_PROVINCE_WORDS = re.compile(r"^(province(_code)?|จังหวัด|ชื่อจังหวัด|changwat)$", re.I)
#: Header words over a column of regions and provinces (never a region row themselves).
_AREA_HEADER = re.compile(r"^(ภาค|ภาค\s*/\s*จังหวัด|region|region\s*/\s*province)$", re.I)


def _nonempty(row: list[str]) -> int:
    return sum(1 for c in row if c)


def _province_columns(cells: list[list[str]], names: ProvinceNames, limit: int = 300) -> dict[int, int]:
    """Per column, how many of the first ``limit`` rows name a province (by name, not by code)."""
    scores: dict[int, int] = {}
    for row in cells[:limit]:
        for j, cell in enumerate(row):
            # The lookup alone (no close-match suggestions): the same test as match(cell).kind == "province".
            if cell and not cell.isdigit() and normalise(cell) in names.lookup:
                scores[j] = scores.get(j, 0) + 1
    return scores


def _code_column(cells: list[list[str]], names: ProvinceNames, limit: int = 300) -> int | None:
    """A column of DOPA province codes (two digits), when the table has no names."""
    codes = set(names.lookup.values())
    best, best_n = None, 0
    width = max((len(r) for r in cells[:limit]), default=0)
    for j in range(width):
        values = [r[j] for r in cells[:limit] if j < len(r) and r[j]]
        n = sum(v in codes for v in values)
        if n > best_n and n >= 0.8 * sum(v.isdigit() for v in values):
            best, best_n = j, n
    return best


def _find_province_column(cells: list[list[str]], names: ProvinceNames) -> tuple[int | None, int]:
    """The province column and the first body row: by names, else by DOPA codes, else by its header."""
    scores = _province_columns(cells, names)
    name_col = max(scores, key=scores.get) if scores else _code_column(cells, names)
    if name_col is not None:
        first = next(
            i for i, r in enumerate(cells)
            if r[name_col] and names.match(r[name_col]).kind in ("province", "aggregate")
            and not _PROVINCE_WORDS.match(r[name_col]) and not _AREA_HEADER.match(r[name_col])
            and not _is_year_header_row(r, name_col)
        )  # fmt: skip
        return name_col, first
    for i, r in enumerate(cells[:30]):
        for j, cell in enumerate(r):
            if _PROVINCE_WORDS.match(cell) and any(_nonempty(rest) for rest in cells[i + 1 :]):
                return j, i + 1
    return None, 0


def _is_year_header_row(row: list[str], name_col: int) -> bool:
    """A header row of years ('Region and province', 2541, 2543 …): its label is not a region row."""
    others = [c for j, c in enumerate(row) if j != name_col and c]
    return len(others) >= 2 and all(_is_year_cell(c) for c in others)


def _first_name_row(cells: list[list[str]], names: ProvinceNames) -> int:
    for i, r in enumerate(cells[:60]):
        if any(c and not c.isdigit() and (normalise(c) in names.lookup or is_aggregate(c)) for c in r):
            return i
    return 0


def _province_header_row(cells: list[list[str]], names: ProvinceNames) -> int | None:
    """The row that names provinces across the columns (provinces as columns), when no column names them."""
    best, best_n = None, 0
    for i, r in enumerate(cells[:40]):
        n = sum(1 for c in r if c and not c.isdigit() and normalise(c) in names.lookup)
        if n > best_n:
            best, best_n = i, n
    column_best = max(_province_columns(cells, names).values(), default=0)
    return best if best_n >= 5 and best_n > column_best else None


def _transpose(cells: list[list[str]], header_at: int) -> list[list[str]]:
    """Rows become columns; rows above the province row (title, unit) are dropped from the columns."""
    rows = [r if i >= header_at else [""] * len(r) for i, r in enumerate(cells)]
    return [list(col) for col in zip(*rows, strict=True)]
