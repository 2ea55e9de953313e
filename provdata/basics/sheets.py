"""Cells, CSV and workbooks that a spreadsheet shows as written: a text cell is never evaluated as a formula
(OWASP "CSV Injection"), numbers stay numbers, Thai stays readable (UTF-8 with a BOM)."""

from __future__ import annotations

import io

import pandas as pd

#: What a spreadsheet evaluates when a text cell starts with it (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """A cell a spreadsheet shows as written: text starting with ``= + - @``, tab or CR gets a leading ``'``.

    Numbers, dates, booleans and missing values are returned unchanged (numbers stay numbers).
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def unsafe_cell(value):
    """The text :func:`safe_cell` was given (for files the project reads back, e.g. the chart workbook)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with :func:`safe_cell` applied to every text cell and column name."""
    out = frame.copy()
    for col in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_datetime64_any_dtype(out[col])):
            out[col] = out[col].map(safe_cell).astype(object)
    out.columns = [safe_cell(str(c)) for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A plain CSV table: one header row, UTF-8 with a BOM (spreadsheets then read Thai right), safe cells."""
    return safe_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def write_sheet(sheet, frame: pd.DataFrame) -> None:
    """``frame`` into an openpyxl worksheet: header row then rows; text always as text, never a formula."""
    sheet.append([str(safe_cell(str(c))) for c in frame.columns])
    for row in frame.itertuples(index=False):
        cells = []
        for value in row:
            if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
                cells.append(None)
            elif isinstance(value, (bool, int, float)) or hasattr(value, "dtype"):
                cells.append(value.item() if hasattr(value, "item") else value)
            else:
                cells.append(safe_cell(str(value)))
        sheet.append(cells)
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would take "=…" for a formula
    for col in sheet.columns:
        width = max(len(str(c.value or "")) for c in col[:200])
        sheet.column_dimensions[col[0].column_letter].width = min(60, max(10, width + 2))


def workbook_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An .xlsx of one sheet per frame (in order), written by :func:`write_sheet`."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, frame in sheets.items():
        write_sheet(book.create_sheet(name), frame)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
