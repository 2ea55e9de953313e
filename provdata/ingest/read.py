"""Read an agency table (CSV, TSV, XLSX, XLS) into sheets of text cells, and turn a years-as-columns table
into tidy rows, reporting every row it does not take and why."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import pandas as pd

from provdata.ingest.names import ProvinceNames

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
BE_OFFSET = 543


class UnreadableFile(ValueError):
    """The file cannot be read as a table; the message says why and what to do."""


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else TIS-620 / cp874 — the encodings Thai agencies use."""
    for encoding in ("utf-8-sig", "cp874"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("the text is neither UTF-8 nor TIS-620/cp874: save it as UTF-8 CSV and upload again")


def read_sheets(data: bytes, file_name: str) -> dict[str, pd.DataFrame]:
    """Every sheet as a frame of text cells (no header row assumed). CSV/TSV give one sheet named by the file."""
    if not data:
        raise UnreadableFile(f"{file_name} is empty")
    suffix = file_name.lower().rsplit(".", 1)[-1]
    if suffix in ("xlsx", "xlsm", "xls"):
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        except Exception as exc:  # a damaged workbook: name it, keep the cause
            raise UnreadableFile(f"{file_name} is not a readable Excel workbook ({exc})") from exc
        return {
            name: pd.DataFrame(book.get_sheet_by_name(name).to_python(skip_empty_area=False)).map(_cell)
            for name in book.sheet_names
        }
    if suffix not in ("csv", "tsv", "txt"):
        raise UnreadableFile(f"{file_name}: use CSV, TSV, XLSX or XLS")
    text = decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = "\t" if suffix == "tsv" else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    width = max((len(r) for r in rows), default=0)
    return {file_name: pd.DataFrame([r + [""] * (width - len(r)) for r in rows]).map(_cell)}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_number(text: str) -> float | None:
    """'1,073,142' · '๑,๐๗๓,๑๔๒' · ' 12 345.6 ' → a number; '' · '-' · 'n.a.' → None; other text raises."""
    cleaned = str(text).translate(THAI_DIGITS).replace(",", "").replace("\u00a0", "").replace(" ", "").strip()
    if cleaned in ("", "-", "–", "—", "n.a.", "na", "NA", "..", "…"):
        return None
    try:
        return float(cleaned)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None


def year_of(header: str) -> int | None:
    """A column header or sheet name that is a year: '2563', 'พ.ศ. 2563', 'ปี ๒๕๖๓', '2020' → Gregorian."""
    match = re.search(r"(?<!\d)(\d{4})(?!\d)", str(header).translate(THAI_DIGITS))
    if not match:
        return None
    year = int(match.group(1))
    if 2400 <= year <= 2700:
        return year - BE_OFFSET
    return year if 1900 <= year <= 2100 else None


@dataclass
class Tidy:
    rows: list[dict] = field(default_factory=list)  # province_code, year, indicator_id, value
    rejected: list[dict] = field(default_factory=list)  # row, column, value, reason
    skipped: list[dict] = field(default_factory=list)  # row, name, reason (totals, regions)


def tidy_wide(
    sheet: pd.DataFrame, indicator_id: str, names: ProvinceNames, header_row: int | None = None
) -> Tidy:
    """A table with province names in one column and one column per year (BE or CE, any order).

    The header row is the first row with at least two year cells; the name column is the one whose cells
    match the most province names. Row numbers in messages are the file's (1-based).
    """
    out = Tidy()
    if header_row is None:
        header_row = next(
            (i for i, r in sheet.iterrows() if sum(year_of(c) is not None for c in r) >= 2), None
        )
    if header_row is None:
        raise UnreadableFile(
            "no header row with year columns found: say which indicator and years the table holds"
        )
    years = {col: year_of(v) for col, v in sheet.iloc[header_row].items() if year_of(v) is not None}
    body = sheet.iloc[header_row + 1 :]
    name_col = max(
        (c for c in sheet.columns if c not in years),
        key=lambda c: sum(names.match(v).kind == "province" for v in body[c]),
    )
    seen: dict[tuple[str, int], float] = {}
    for i, row in body.iterrows():
        raw_name = row[name_col]
        if not raw_name:
            continue
        m = names.match(raw_name)
        if m.kind == "aggregate":
            out.skipped.append({"row": i + 1, "name": raw_name, "reason": "region or total row"})
            continue
        if m.kind == "unknown":
            hint = f"; closest: {', '.join(m.suggestions)}" if m.suggestions else ""
            out.rejected.append({"row": i + 1, "column": name_col, "value": raw_name,
                                 "reason": f"unknown province{hint}"})  # fmt: skip
            continue
        for col, year in years.items():
            try:
                value = parse_number(row[col])
            except ValueError as exc:
                out.rejected.append(
                    {
                        "row": i + 1,
                        "column": sheet.iloc[header_row][col],
                        "value": row[col],
                        "reason": str(exc),
                    }
                )
                continue
            if value is None:
                continue
            key = (m.code, year)
            if key in seen:
                if seen[key] != value:
                    out.rejected.append({"row": i + 1, "column": sheet.iloc[header_row][col], "value": row[col],
                                         "reason": f"conflicts with an earlier row for {m.code} {year}"})  # fmt: skip
                else:
                    out.skipped.append(
                        {"row": i + 1, "name": raw_name, "reason": f"exact duplicate of {m.code} {year}"}
                    )
                continue
            seen[key] = value
            out.rows.append(
                {"province_code": m.code, "year": year, "indicator_id": indicator_id, "value": value}
            )
    return out
