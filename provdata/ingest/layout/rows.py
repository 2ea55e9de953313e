"""Rows that belong to a province row: sub-rows (a label repeated under many provinces, ``ในเขตชลประทาน``) and
split rows (a column of a few repeated words, ``เพศ``: ชาย / หญิง, that splits every province), mapped per
label with ``--map "COLUMN@LABEL=ID"``.
"""

from __future__ import annotations

from provdata.ingest.layout.model import Table
from provdata.ingest.names import ProvinceNames, normalise
from provdata.ingest.read import parse_number


def _find_group_column(table: Table, name_col: int, names: ProvinceNames) -> None:
    """A text column of a few words, each repeated, that splits every province into several rows (เพศ: ชาย,
    หญิง): each province appears once per word. Its rows are mapped per word: --map "D@ชาย=ID"."""
    body = [r for _, r in table.body() if names.match(r[name_col]).kind == "province"]
    if len(body) < 6:
        return
    for col in table.columns:
        if col.index == name_col or col.role not in (None, "skip") or col.year is not None:
            continue
        values = [r[col.index] for r in body]
        words = set(values)
        if not 2 <= len(words) <= 6 or "" in words or any(_is_number(v) for v in words):
            continue
        pairs = {(names.match(r[name_col]).code, r[col.index]) for r in body}
        if len(pairs) == len(body) and len({p[0] for p in pairs}) < len(body):
            table.group_col = col.index
            col.role = "skip"
            col.note = f'groups of rows ({", ".join(sorted(words))}): map them with --map "COLUMN@{sorted(words)[0]}=ID"'
            return


def _is_number(text: str) -> bool:
    try:
        return parse_number(text) is not None
    except ValueError:
        return False


def _find_subrows(table: Table, name_col: int, names: ProvinceNames) -> None:
    """Labels that follow province rows again and again (ในเขตชลประทาน) belong to the province above."""
    seen: dict[str, int] = {}
    after_name = False  # only labels below a province or total row are candidates
    for _, r in table.body():
        raw = r[name_col]
        if not raw:
            continue
        if names.match(raw).kind != "unknown":
            after_name = True
        elif after_name:
            key = normalise(raw)
            seen[key] = seen.get(key, 0) + 1
    table.subrows = {k for k, n in seen.items() if n >= 3}
    _find_group_column(table, name_col, names)
    if table.subrows:
        shown = ", ".join(sorted(table.subrows))
        table.notes.append(
            f"sheet {table.sheet!r}: rows {shown} belong to the province above them; "
            'map their columns with --map "COLUMN@LABEL=INDICATOR_ID"'
        )
