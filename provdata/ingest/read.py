"""Read an agency table (CSV, TSV, XLSX, XLS) into sheets of text cells, within the upload size limit."""

from __future__ import annotations

import csv
import io
import re
import zipfile

from provdata import config
from provdata.errors import ProvdataError

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
BE_OFFSET = 543


class UnreadableFile(ProvdataError):
    """The file cannot be read as a table; the message says why and what to do."""

    key = "unreadable_file"


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else TIS-620 / cp874 — the encodings Thai agencies use."""
    for encoding in ("utf-8-sig", "cp874"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("the text is neither UTF-8 nor TIS-620/cp874: save it as UTF-8 CSV and upload again")


def read_sheets(data: bytes, file_name: str, only: str | None = None) -> dict[str, list[list[str]]]:
    """Every sheet as a frame of text cells (no header row assumed). CSV/TSV give one sheet named by the file.

    ``only``: read just that sheet of a workbook (when it has one of that name; else every sheet, so the caller
    can name them)."""
    if not data:
        raise UnreadableFile(f"{file_name} is empty: the file has no bytes")
    limit = config.upload_max_bytes()
    if len(data) > limit:
        raise UnreadableFile(
            f"{file_name} is {len(data) / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB: "
            "split it (by year or indicator) and upload the parts"
        )
    suffix = file_name.lower().rsplit(".", 1)[-1]
    if suffix in ("xlsx", "xlsm"):
        _check_zip(data, file_name, limit)
    if suffix in ("xlsx", "xlsm", "xls"):
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        except Exception as exc:  # a damaged workbook: name it, keep the cause
            raise UnreadableFile(f"{file_name} is not a readable Excel workbook ({exc})") from exc
        return {
            name: [
                [_cell(v) for v in row]
                for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            ]
            for name in book.sheet_names
            if only is None or only not in book.sheet_names or name == only
        }
    if suffix not in ("csv", "tsv", "txt"):
        raise UnreadableFile(f"{file_name}: use CSV, TSV, XLSX or XLS (this file ends in .{suffix})")
    text = decode(data)
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",\t;|").delimiter
    except csv.Error:
        delimiter = "\t" if suffix == "tsv" else ","
    try:
        rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as exc:
        raise UnreadableFile(f"{file_name} is not a readable CSV ({exc})") from exc
    return {file_name: rows}


def _check_zip(data: bytes, file_name: str, limit: int) -> None:
    """An XLSX is a zip: refuse one that is not, or that expands far beyond the upload limit (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            expanded = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UnreadableFile(
            f"{file_name} is not a readable Excel workbook ({exc}): open it in Excel and save it again as .xlsx"
        ) from exc
    if expanded > 10 * limit:
        raise UnreadableFile(
            f"{file_name} expands to {expanded / 1e6:,.0f} MB when unzipped (limit {10 * limit / 1e6:,.0f} MB): "
            "it is not a normal workbook; save the sheet as CSV and upload that"
        )


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
