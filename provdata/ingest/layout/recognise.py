"""Recognise a sheet as a :class:`~provdata.ingest.layout.model.Table`: :func:`read_table` finds the province
column, the one to three header rows above the first province row, each column's label, unit, year and
measure, and the sheet's year, then guesses the column roles (:mod:`.roles`) and the rows that belong to a
province (:mod:`.rows`). :mod:`.mapping` then maps the table and :mod:`.tidying` turns it into tidy rows.

The layouts agency files have (each recognised from structure, not from a title):

* **Years over measures** — a header row of years (``พ.ศ. 2545`` merged over two columns) above a row of
  measures (``รับแจ้ง`` / ``จับกุม``), or a measure merged over a row of years. Each column has a ``year`` and a
  ``measure``; ``--map "รับแจ้ง=ID"`` maps every column of that measure.
* **Year of the table in its title** — ``ปี พ.ศ. 2545``, ``ปี 2553`` above the header. A crop year ``2553/54``
  (``ปีเพาะปลูก``) is the *planting* year, its first year: 2553/54 → 2010 (OAE's convention). A two-digit sheet
  name (``45``) is a year only when the title says so (2545).
* **Crop year in the sheet or file name** — a table whose title and columns name no year takes the crop year its
  sheet name, else its file name states (``จังหวัด 54-55.xls`` → 2554/55 → 2011; only two consecutive Buddhist
  years, never a span ``45-58`` or a time stamp), with a note; ``--year`` overrides it.
* **Sub-rows** — a province row followed by rows that belong to it (``ในเขตชลประทาน`` / ``นอกเขตชลประทาน``):
  a label that repeats under many provinces. ``--map "B@ในเขตชลประทาน=ID"`` maps column B of those rows;
  an unqualified map is the province's own row. Sub-rows nobody mapped are skipped and listed.
* **Split rows** — a column of a few repeated words (``เพศ``: ชาย / หญิง) that splits every province in two:
  ``--map "D@ชาย=ID"``.
* **Provinces as columns** — names across a row, items down the first column: the sheet is read transposed;
  its columns are then the sheet's rows, named ``R5`` (file row 5) and by their label.
"""

from __future__ import annotations

import re

import pandas as pd

from provdata.ingest.layout.model import Column, Table
from provdata.ingest.layout.provinces import (
    _find_province_column,
    _first_name_row,
    _nonempty,
    _province_header_row,
    _transpose,
)
from provdata.ingest.layout.roles import _guess_roles
from provdata.ingest.layout.rows import _find_subrows
from provdata.ingest.layout.years import _YEAR_WORDS, _is_year_header, _looks_like_year_header, _title_year
from provdata.ingest.names import ProvinceNames
from provdata.ingest.read import UnreadableFile, column_letter, year_of


def read_table(cells: pd.DataFrame | list[list[str]], sheet: str, names: ProvinceNames) -> Table:
    """Find the province column, the header rows above the first province row, and guess column roles."""
    if isinstance(cells, pd.DataFrame):
        cells = [[str(c) for c in r] for r in cells.to_numpy(dtype=object).tolist()]
    if not any(_nonempty(r) for r in cells):
        raise UnreadableFile(f"sheet {sheet!r} has no cells: it is empty")
    width = max(len(r) for r in cells)
    cells = [r if len(r) == width else r + [""] * (width - len(r)) for r in cells]
    header_at = _province_header_row(cells, names)
    transposed = header_at is not None
    title_year, title_text = _title_year(cells[: header_at if transposed else _first_name_row(cells, names)])
    if transposed:
        cells = _transpose(cells, header_at)
        width = len(cells[0])

    name_col, first = _find_province_column(cells, names)
    if name_col is None and sum(1 for r in cells if _nonempty(r)) <= 1:
        raise UnreadableFile(
            f"sheet {sheet!r} has a header but no rows of figures: fill in one row per province"
        )
    if name_col is None:
        raise UnreadableFile(
            f"sheet {sheet!r}: no column names provinces (Thai or English names, or 2-digit DOPA codes); "
            "add a province column, or use the template"
        )
    header_rows: list[int] = []
    i = first - 1
    while i >= 0 and len(header_rows) < 3 and _nonempty(cells[i]) >= 2:
        header_rows.insert(0, i)
        i -= 1
    if header_rows and len(header_rows) == 2 and _nonempty(cells[header_rows[0]]) < 2:
        header_rows = header_rows[1:]
    if len(header_rows) == 3 and any(year_of(c) for r in header_rows for c in cells[r]):
        header_rows = header_rows[1:]  # years are read from two lines; a three-line header is read as words

    columns = []
    upper_fill = ""
    for j in range(width):
        lines = [cells[r][j] for r in header_rows]
        measure = ""
        if len(lines) == 3:
            words = [" ".join(line.split()) for line in lines if line.strip()]
            units = [w for w in words if w.startswith("(")]
            label = " ".join(w for w in words if not w.startswith("("))
            year, unit = None, " ".join(units)
        elif len(lines) == 2:
            top, second = lines
            # A label merged across columns shows only in its first cell: carry it right over year cells,
            # and a year merged across measures (พ.ศ. 2545 over รับแจ้ง | จับกุม) right over the measures.
            if top:
                upper_fill = top
            elif second and year_of(second) is not None:
                top = upper_fill
            elif second and _is_year_header(upper_fill):
                top = upper_fill
            year = year_of(second) if year_of(second) is not None else year_of(top)
            if year_of(second) is not None:
                label = f"{top} {second}".strip() if top and year_of(top) is None else second
                measure = top if top and year_of(top) is None else ""
                unit = ""
            elif _is_year_header(top) and second:
                label, unit, measure = f"{top} {second}", "", second
            elif top and second and not second.startswith("("):
                label, unit = f"{top} {second}", ""  # a label broken over two lines
            else:
                label, unit = top or second, second if top else ""
        else:
            label = lines[0] if lines else ""
            year, unit = year_of(label), ""
        label = " ".join(label.split())
        col = Column(index=j, letter=column_letter(j), label=label, unit=unit.strip("() "), year=year,
                     measure=" ".join(measure.split()))  # fmt: skip
        if (
            year is not None
            and (_YEAR_WORDS.match(label) or not _looks_like_year_header(label))
            and not measure
        ):
            col.year = None
        if transposed:
            col.letter = f"R{j + 1}"
        columns.append(col)
    table = Table(sheet=sheet, header_rows=header_rows, first_row=first, columns=columns, cells=cells,
                  transposed=transposed)  # fmt: skip
    if transposed:
        table.notes.append(
            f"sheet {sheet!r}: provinces are across row {header_at + 1}; each column here is a row of the sheet "
            "(R5 = file row 5)"
        )
    has_year_columns = any(c.year for c in columns)
    sheet_year = year_of(sheet)
    if sheet_year is None and title_year is not None and re.fullmatch(r"\d{2}", sheet.strip()):
        if str(title_year + 543)[-2:] != sheet.strip():
            table.notes.append(
                f"sheet {sheet!r}: the title says {title_text!r}; the year is taken from the title"
            )
    if not has_year_columns:
        table.sheet_year = sheet_year or title_year
        if sheet_year is None and title_year is not None:
            table.notes.append(f"sheet {sheet!r}: year {title_year} from the title ({title_text})")
    _guess_roles(table, name_col, names)
    _find_subrows(table, name_col, names)
    return table
