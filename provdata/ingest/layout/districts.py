"""District (amphoe) figures of a table that has tambon rows: :func:`tidy_districts` sums, per district, the
figures of the rows whose tambon column holds a tambon code (DOPA's eight digits ``PPDDTT00`` or TIS 1099's six
``PPDDTT``; the first four digits are the district, the first two the province).

It reads the same mapped table as :func:`provdata.ingest.layout.tidy` (the same figure columns and year), but
takes the tambon rows instead of the rows ``--where`` picks: a registration office is not a district (DOPA lists a
district's municipal offices apart from its district office), a tambon always lies in one district. Each sum is
one tidy row whose ``province_code`` holds the *district* code; its ``row`` is the district's first tambon row.
Every tambon row must hold a figure in every mapped column: a sum over some of a district's tambons is never made.
"""

from __future__ import annotations

from provdata.ingest.layout.mapping import plan
from provdata.ingest.layout.model import MappingError, Options, Table, Tidy
from provdata.ingest.layout.tidying import FORMULA, _clean, _row_year
from provdata.ingest.names import ProvinceNames
from provdata.ingest.read import THAI_DIGITS, parse_number

#: Digits of a tambon code: DOPA's registration statistics (8, ending 00) and TIS 1099 (6).
TAMBON_DIGITS = (8, 6)


def tambon_code(text: str) -> str | None:
    """'10010100' · '100101' → the code; '0', '' and '-' (the province, office and kingdom rows) → None."""
    raw = str(text).translate(THAI_DIGITS).strip()
    if raw in ("", "0", "-"):
        return None
    if not raw.isdigit() or len(raw) not in TAMBON_DIGITS:
        raise ValueError(f"{text!r} is not a tambon code (8 digits as DOPA writes it, or 6)")
    return raw


def tidy_districts(table: Table, options: Options, names: ProvinceNames, tambon_ref: str) -> Tidy:
    """One row per district × year × mapped column: the sum of the district's tambon rows, in ``province_code``
    the district code. A tambon code outside its row's province, text in a figure cell or a blank cell of a tambon
    row is rejected (naming row and column), and the district's sum of that column is not made."""
    out = Tidy()
    targets, asks = plan(table, options)
    if asks:
        raise MappingError(f"sheet {table.sheet!r}: say " + "; ".join(asks))
    if table.group_roles:
        raise MappingError("district figures from tambon rows take one row per tambon, not groups of rows")
    tambon = table.column(tambon_ref)
    province = next(c for c in table.columns if c.role == "province")
    year_col = next((c for c in table.columns if c.role == "year"), None)
    if any(c.role == "indicator" for c in table.columns):
        raise MappingError("district figures from tambon rows need a column per indicator (--map COLUMN=ID)")
    fixed_year = table.sheet_year or options.year
    sums: dict[tuple[str, int, str], list] = {}  # (district, year, indicator) → [value, first row, column, n]
    broken: set[tuple[str, int, str]] = set()
    cache: dict[str, object] = {}
    for row_no, r in table.body():
        try:
            code = tambon_code(r[tambon.index])
        except ValueError as exc:
            out.rejected.append({"sheet": table.sheet, "row": row_no, "column": tambon.name,
                                 "value": r[tambon.index], "reason": str(exc)})  # fmt: skip
            continue
        if code is None:
            continue  # a province, registration-office or kingdom row: not a tambon
        m = cache.get(r[province.index])
        if m is None:
            m = cache[r[province.index]] = names.match(r[province.index])
        if m.kind != "province" or m.code != code[:2]:
            out.rejected.append({"sheet": table.sheet, "row": row_no, "column": tambon.name, "value": code,
                                 "reason": f"tambon {code} is not in the row's province {r[province.index]!r}"
                                           f" ({m.code or 'not a province'})"})  # fmt: skip
            continue
        year = fixed_year
        if year_col is not None:
            year = _row_year(r[year_col.index], year_col, table.sheet, row_no, out)
            if year is None:
                continue
        for col, indicator, col_year in targets:
            key = (code[:4], col_year if col_year is not None else year, indicator)
            text = r[col.index]
            try:
                if FORMULA.match(text):
                    raise ValueError("a spreadsheet formula, not a number: paste values only")
                value = parse_number(text)
                if value is None:
                    raise ValueError("blank in a tambon row: a district's sum needs every tambon's figure")
            except ValueError as exc:
                out.rejected.append({"sheet": table.sheet, "row": row_no, "column": col.name, "value": text,
                                     "reason": str(exc)})  # fmt: skip
                broken.add(key)
                continue
            if key in sums:
                sums[key][0] += value
                sums[key][3] += 1
            else:
                sums[key] = [value, row_no, col.name, 1]
    for (district, year, indicator), (value, row_no, column, _) in sums.items():
        if (district, year, indicator) not in broken:
            out.rows.append({"province_code": district, "year": year, "indicator_id": indicator,
                             "value": _clean(value), "sheet": table.sheet, "row": row_no, "column": column})  # fmt: skip
    n = sum(s[3] for s in sums.values())
    out.notes.append(f"sheet {table.sheet!r}: {len({k[0] for k in sums})} districts, each the sum of its tambon rows "
                     f"(column {tambon.name}; {n:,} tambon cells)")  # fmt: skip
    return out
