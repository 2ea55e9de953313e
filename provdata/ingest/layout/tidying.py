"""Tidy rows of a mapped table (province code, year, indicator id, value, and the sheet, row and column they
came from): :func:`tidy` lists every row it does not take with the reason (totals, unknown or unconfirmed
names, formulas, text where a figure belongs; Bueng Kan (38) was created in 2011: a 0 or blank before then is
skipped with that reason, never published), and :func:`drop_zeros_after_creation` drops a run of zeros that
starts before a province was created.
"""

from __future__ import annotations

import re

from provdata.ingest.layout.mapping import plan
from provdata.ingest.layout.model import Column, MappingError, Options, Table, Tidy
from provdata.ingest.names import CREATED, ProvinceNames, normalise
from provdata.ingest.read import THAI_DIGITS, parse_number

#: A cell that a spreadsheet would run as a formula (formula injection): never a figure or a name.
FORMULA = re.compile(r"^\s*[=+@]|^\s*-\s*[A-Za-z(]")


def _clean(value: float) -> float:
    """Drop binary float noise beyond 15 significant digits (0.30000000000000004 → 0.3), as Excel shows it."""
    return float(f"{value:.15g}")


def tidy(table: Table, options: Options, names: ProvinceNames, out: Tidy | None = None) -> Tidy:
    """Tidy rows of one mapped table; rows it does not take are listed with the reason."""
    out = out or Tidy()
    targets, asks = plan(table, options)
    if asks:
        raise MappingError(f"sheet {table.sheet!r}: say " + "; ".join(asks))
    province = next(c for c in table.columns if c.role == "province")
    year_col = next((c for c in table.columns if c.role == "year"), None)
    indicator_col = next((c for c in table.columns if c.role == "indicator"), None)
    month_col = next((c for c in table.columns if c.role == "month"), None)
    fixed_year = table.sheet_year or options.year
    wheres = [(table.column(ref), value.strip()) for ref, value in options.where]
    for c in table.columns:
        if c.note:
            out.notes.append(f"sheet {table.sheet!r}: column {c.name} holds {c.note}")
    for note in table.notes:
        if note not in out.notes:
            out.notes.append(note)
    by_group: dict[str, list[tuple[Column, str | None, int | None]]] = {}
    for (group, index), indicator in table.group_roles.items():
        col = table.columns[index]
        by_group.setdefault(group, [])
        if indicator != "skip":
            by_group[group].append((col, indicator, col.year))
    match_cache: dict[str, object] = {}
    parent = None  # the last province (or total) row: sub-rows belong to it
    for row_no, r in table.body():
        raw_name = r[province.index]
        if not raw_name and not any(r):
            continue
        if any(r[c.index] != v for c, v in wheres):
            out.skipped.append({"sheet": table.sheet, "row": row_no, "name": raw_name,
                                "reason": "left out by --where"})  # fmt: skip
            continue
        if not raw_name:
            out.skipped.append(
                {"sheet": table.sheet, "row": row_no, "name": "", "reason": "no province name"}
            )
            continue
        row_targets = targets
        key = normalise(raw_name)
        if key in table.subrows:
            if parent is None or parent[1].kind != "province":
                what = (
                    "a region or total row"
                    if parent and parent[1].kind == "aggregate"
                    else "a name not matched"
                )
                out.skipped.append({"sheet": table.sheet, "row": row_no, "name": raw_name,
                                    "reason": f"sub-row of {what}"})  # fmt: skip
                continue
            if key not in by_group:
                out.skipped.append({"sheet": table.sheet, "row": row_no, "name": f"{parent[0]} / {raw_name}",
                                    "reason": f'sub-row not mapped (--map "COLUMN@{raw_name.strip()}=ID")'})  # fmt: skip
                continue
            m, row_targets = parent[1], by_group[key]
        else:
            m = match_cache.get(raw_name)
            if m is None:
                m = match_cache[raw_name] = names.match(raw_name)
            parent = (raw_name, m)
            if table.group_col is not None and normalise(r[table.group_col]) in by_group:
                row_targets = by_group[normalise(r[table.group_col])]
        if m.kind == "aggregate":
            out.skipped.append({"sheet": table.sheet, "row": row_no, "name": raw_name,
                                "reason": m.reason or "region or total row"})  # fmt: skip
            continue
        if m.kind == "proposed":
            out.proposed[raw_name] = m.code
            out.rejected.append({"sheet": table.sheet, "row": row_no, "column": province.name, "value": raw_name,
                                 "reason": f"province name not confirmed: {raw_name!r} looks like {m.suggestions[0]}; "
                                           f'confirm it (--name "{raw_name}={m.code}") and it is kept for next time'})  # fmt: skip
            continue
        if m.kind == "unknown" and not _has_figures(r, row_targets):
            out.skipped.append({"sheet": table.sheet, "row": row_no, "name": raw_name[:80],
                                "reason": "not a province and no figures: a note or a heading"})  # fmt: skip
            continue
        if m.kind == "unknown":
            hint = f"; closest: {', '.join(m.suggestions)}" if m.suggestions else "; check the spelling"
            if FORMULA.match(raw_name):
                hint = "; it is a spreadsheet formula, not a name"
            out.rejected.append({"sheet": table.sheet, "row": row_no, "column": province.name, "value": raw_name,
                                 "reason": f"unknown province{hint}"})  # fmt: skip
            continue
        if names.is_confirmed(raw_name):
            out.confirmed[raw_name] = m.code
        row_year = fixed_year
        if year_col is not None:
            row_year = _row_year(r[year_col.index], year_col, table.sheet, row_no, out)
            if row_year is None:
                continue
        row_indicator = r[indicator_col.index].strip() if indicator_col is not None else None
        month = None
        if month_col is not None:
            month = _row_month(r[month_col.index], month_col, table.sheet, row_no, out)
            if month is None:
                continue
        for col, indicator, year in row_targets:
            text = r[col.index]
            if FORMULA.match(text):
                out.rejected.append({"sheet": table.sheet, "row": row_no, "column": col.name, "value": text,
                                     "reason": "a spreadsheet formula, not a number: paste values only"})  # fmt: skip
                continue
            try:
                value = parse_number(text)
            except ValueError as exc:
                out.rejected.append({"sheet": table.sheet, "row": row_no, "column": col.name, "value": text,
                                     "reason": f"{exc}: write digits only (separators and Thai digits are fine)"})  # fmt: skip
                continue
            value_year = year if year is not None else row_year
            created = CREATED.get(m.code)
            if created is not None and value_year is not None and value_year < created and not value:
                out.skipped.append({"sheet": table.sheet, "row": row_no, "name": raw_name,
                                    "reason": f"{'blank' if value is None else '0'} in {col.name} for {value_year}: "
                                              f"province {m.code} was created in {created}; not a figure"})  # fmt: skip
                if value == 0:
                    out.zero_before_created.add((indicator or row_indicator, m.code))
                continue
            if value is None:
                continue
            row = {
                "province_code": m.code,
                "year": value_year,
                "indicator_id": indicator or row_indicator,
                "value": _clean(value),
                "sheet": table.sheet,
                "row": row_no,
                "column": col.name,
            }
            out.rows.append(row if month is None else {**row, "month": month})
    return out


def _has_figures(r: list[str], targets) -> bool:
    for col, _, _ in targets:
        try:
            if parse_number(r[col.index]) is not None:
                return True
        except ValueError:
            return True  # text where a figure belongs: the row is data, and says what is wrong
    return False


def drop_zeros_after_creation(out: Tidy) -> None:
    """A run of zeros that starts before a province existed and goes on after (OAE: Bueng Kan 0 until 2012,
    figures from 2013) is the agency not counting it separately yet: skipped, never published as 0."""
    for indicator, code in sorted(out.zero_before_created):
        mine = sorted((r["year"], i) for i, r in enumerate(out.rows)
                      if r["indicator_id"] == indicator and r["province_code"] == code)  # fmt: skip
        drop = []
        for _, i in mine:
            if out.rows[i]["value"] != 0:
                break
            drop.append(i)
        for i in drop:
            r = out.rows[i]
            out.skipped.append({"sheet": r["sheet"], "row": r["row"], "name": code,
                                "reason": f"0 in {r['column']} for {r['year']}: zeros continue from before province "
                                          f"{code} existed (created {CREATED[code]}); not yet counted separately, "
                                          "not a figure"})  # fmt: skip
        out.rows = [r for i, r in enumerate(out.rows) if i not in set(drop)]


def _row_month(text: str, col: Column, sheet: str, row_no: int, out: Tidy) -> int | None:
    raw = text.translate(THAI_DIGITS).strip()
    if not raw.isdigit() or not 1 <= int(raw) <= 12:
        out.rejected.append({"sheet": sheet, "row": row_no, "column": col.name, "value": text,
                             "reason": "the month is not a whole number from 1 to 12"})  # fmt: skip
        return None
    return int(raw)


def _row_year(text: str, col: Column, sheet: str, row_no: int, out: Tidy) -> int | None:
    raw = text.translate(THAI_DIGITS).strip()
    if not raw.isdigit():
        out.rejected.append({"sheet": sheet, "row": row_no, "column": col.name, "value": text,
                             "reason": "the year is not a whole number"})  # fmt: skip
        return None
    year = int(raw)
    if col.era == "BE" or (col.era is None and year >= 2400):
        return year - 543
    return year
