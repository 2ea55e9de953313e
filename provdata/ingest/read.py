"""Read an agency table (CSV, TSV, XLSX, XLS) into sheets of text cells, within the upload size limit."""

from __future__ import annotations

import csv
import io
import math
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

from provdata.basics import config
from provdata.basics.errors import ProvdataError

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


class TooLarge(UnreadableFile):
    """The file passes one of the reading limits (config.upload_max_*): the message names the limit, the file's
    value and the limit. The API answers 413."""


@dataclass(frozen=True)
class Limits:
    """What a file may hold: bytes, cells (all sheets), rows and columns (one sheet), characters of a line or cell,
    bytes once unzipped, sheets (None: any number); ``advice`` ends a message about rows, columns or cells."""

    bytes: int
    cells: int
    rows: int
    columns: int
    line_chars: int
    unzipped: int
    sheets: int | None = None
    advice: str = " (split the file by year or indicator and upload the parts)"


def upload_limits() -> Limits:
    """A steward's upload's limits (config.upload_max_*, read now: each can be changed by its variable)."""
    return Limits(config.upload_max_bytes(), config.upload_max_cells(), config.upload_max_rows(),
                  config.upload_max_columns(), config.upload_max_line_chars(), config.upload_max_unzipped_bytes())  # fmt: skip


def read_sheets(
    data: bytes, file_name: str, only: str | None = None, limits: Limits | None = None
) -> dict[str, list[list[str]]]:
    """Every sheet as a frame of text cells (no header row assumed). CSV/TSV give one sheet named by the file.

    The reading limits of config (size, cells, rows, columns, line length, decompressed size) are checked while
    reading, before the cells are built in memory (``limits``: other limits than an upload's). ``only``: read
    just that sheet of a workbook (when it has one of that name; else every sheet, so the caller can name them).
    """
    limits = limits or upload_limits()
    if not data:
        raise UnreadableFile(f"{file_name} is empty: the file has no bytes")
    limit = limits.bytes
    if len(data) > limit:
        raise TooLarge(
            f"{file_name} is {len(data) / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB: "
            "split it (by year or indicator) and upload the parts"
        )
    suffix = file_name.lower().rsplit(".", 1)[-1]
    if suffix in ("xlsx", "xlsm"):
        _check_zip(data, file_name, limits)
    if suffix in ("xlsx", "xlsm", "xls"):
        return _read_workbook(data, file_name, only, limits)
    if suffix not in ("csv", "tsv", "txt"):
        raise UnreadableFile(f"{file_name}: use CSV, TSV, XLSX or XLS (this file ends in .{suffix})")
    return {file_name: _read_text(decode(data), file_name, suffix, limits)}


def _check_shape(
    file_name: str, sheet: str, rows: int, columns: int, cells: int, limits: Limits, so_far: bool = False
) -> None:
    """``cells``: the file's cells so far, this sheet's included; ``so_far``: counted while still reading."""
    where = f"{file_name}, sheet {sheet!r}" if sheet != file_name else file_name
    where += " has at least" if so_far else " has"
    if rows > limits.rows:
        raise TooLarge(f"{where} {rows:,} rows; the limit is {limits.rows:,} rows" + limits.advice)
    if columns > limits.columns:
        raise TooLarge(
            f"{where} {columns:,} columns; the limit is {limits.columns:,} columns" + limits.advice
        )
    if cells > limits.cells:
        raise TooLarge(
            f"{where.rsplit(' has', 1)[0]} brings the file to {cells:,} cells; the limit is {limits.cells:,} cells"
            + limits.advice
        )


def _read_workbook(
    data: bytes, file_name: str, only: str | None, limits: Limits
) -> dict[str, list[list[str]]]:
    """Calamine reads each sheet; its shape is checked before any cell becomes a Python object."""
    from python_calamine import CalamineWorkbook

    sheets: dict[str, list[list[str]]] = {}
    cells = 0
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = [only] if only is not None and only in book.sheet_names else book.sheet_names
        for name in names:
            sheet = book.get_sheet_by_name(name)
            end = sheet.end
            rows, columns = (end[0] + 1, end[1] + 1) if end else (0, 0)
            cells += rows * columns
            _check_shape(file_name, name, rows, columns, cells, limits)
            raw = sheet.to_python(skip_empty_area=False) if rows else []
            out = []
            longest = limits.line_chars
            for i, row in enumerate(raw):
                out.append([_cell(v) for v in row])
                raw[i] = None  # free each row of calamine's values as soon as it is converted
                for j, text in enumerate(out[-1]):
                    if len(text) > longest:
                        raise TooLarge(
                            f"{file_name}, sheet {name!r}: cell {column_letter(j)}{i + 1} holds {len(text):,} characters; "
                            f"the limit is {longest:,} characters"
                        )
            sheets[name] = out
    except UnreadableFile:
        raise
    except Exception as exc:  # a damaged workbook (bad XML, shared strings, records): name it, keep the cause
        raise UnreadableFile(
            f"{file_name} is not a readable Excel workbook ({_short(exc)}): open it in Excel and save it again"
        ) from exc
    return sheets


def column_letter(index: int) -> str:
    """0 → 'A', 26 → 'AA'."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _short(exc: Exception) -> str:
    """The reader's own words, on one line and short (no traceback, no server path)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:200] + " …"


def _read_text(text: str, file_name: str, suffix: str, limits: Limits) -> list[list[str]]:
    """CSV/TSV read line by line, each line's length, each row's columns and the running cell count checked."""
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",\t;|").delimiter
    except csv.Error:
        delimiter = "\t" if suffix == "tsv" else ","
    max_line, max_rows, max_columns, max_cells = limits.line_chars, limits.rows, limits.columns, limits.cells

    def lines():
        for number, line in enumerate(io.StringIO(text), 1):
            if len(line) > max_line:
                raise TooLarge(
                    f"{file_name}: line {number:,} is {len(line):,} characters long; the limit is {max_line:,} "
                    "characters (is it a CSV file, with one row a line?)"
                )
            yield line

    where = {"line": 0}

    def checked():
        cells = n_rows = 0
        reader = csv.reader(lines(), delimiter=delimiter)
        for r in reader:
            where["line"] = reader.line_num
            n_rows += 1
            if len(r) > max_columns:
                raise TooLarge(
                    f"{file_name}: line {reader.line_num:,} has {len(r):,} columns; the limit is "
                    f"{max_columns:,} columns" + limits.advice
                )
            cells += len(r)
            if cells > max_cells:
                raise TooLarge(
                    f"{file_name} has more than {max_cells:,} cells (line {reader.line_num:,} passes the limit of "
                    f"{max_cells:,} cells)" + limits.advice
                )
            if n_rows > max_rows:
                raise TooLarge(
                    f"{file_name} has more than {max_rows:,} rows; the limit is {max_rows:,} rows"
                    + limits.advice
                )
            yield r

    try:
        # A first pass checks every limit without keeping a cell, so a file past a limit costs no more memory
        # than its text; only a file within the limits is read again into rows.
        for _ in checked():
            pass
        return [[c.strip() for c in r] for r in checked()]
    except csv.Error as exc:
        raise UnreadableFile(f"{file_name} is not a readable CSV (line {where['line']:,}: {exc})") from exc


_CHUNK = 1 << 20


def _check_zip(data: bytes, file_name: str, limits: Limits) -> None:
    """An XLSX is a zip. Each part is decompressed here, in bounded pieces, ignoring the sizes its headers claim:
    the real total is held to config.upload_max_unzipped_bytes(), a part whose real size differs from its
    header's is damaged (a falsified zip bomb), and the cells and rows of each worksheet are counted in the
    stream so that an oversized sheet is refused before the Excel reader builds it."""
    limit = limits.unzipped
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as exc:
        raise UnreadableFile(
            f"{file_name} is not a readable Excel workbook ({exc}): open it in Excel and save it again as .xlsx"
        ) from exc
    sheets = sum(i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml") for i in infos)
    if limits.sheets is not None and sheets > limits.sheets:
        raise TooLarge(
            f"{file_name} has {sheets:,} sheets; the limit is {limits.sheets:,} sheets" + limits.advice
        )
    total = 0
    cells = 0
    for info in infos:
        is_sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        size = rows = sheet_cells = last_row = last_col = run = 0
        tail = b""
        is_xml = info.filename.endswith(".xml")
        longest_bytes = 4 * limits.line_chars + 1024  # a cell's text, as UTF-8, plus its tag
        for piece in _inflate(data, info, file_name):
            size += len(piece)
            if is_xml:
                # XML text holds no literal '<': a run this long without one is one huge cell (or attribute),
                # refused before the Excel reader builds it in memory
                segments = piece.split(b"<")
                run += len(segments[0])
                if max(run, *(len(x) for x in segments[1:])) > longest_bytes:
                    raise TooLarge(
                        f"{file_name}: part {info.filename} holds a cell of more than "
                        f"{limits.line_chars:,} characters (the limit)"
                    )
                run = len(segments[-1]) if len(segments) > 1 else run
            if total + size > limit:
                raise TooLarge(
                    f"{file_name} expands to more than {limit / 1e6:,.0f} MB when unzipped (the limit; part "
                    f"{info.filename} alone passes {size / 1e6:,.0f} MB): it is not a normal workbook; save the "
                    "sheet as CSV and upload that"
                )
            if is_sheet:
                window = tail + piece
                rows += _count(window, tail, b"<row ") + _count(window, tail, b"<row>")
                sheet_cells += _count(window, tail, b"<c ") + _count(window, tail, b"<c>")
                # The reader allocates the sheet's whole grid up to its last cell reference: one cell at XFD1048576
                # is 17 billion cells (it aborts the process), so the extent is checked as well as the count.
                for letters, row in _CELL_REF.findall(window):
                    last_row, last_col = max(last_row, int(row)), max(last_col, _column_number(letters))
                tail = window[-24:]
                sheet = info.filename.rsplit("/", 1)[-1]
                extent = max(rows, last_row)
                _check_shape(
                    file_name,
                    sheet,
                    extent,
                    last_col,
                    cells + max(sheet_cells, extent * last_col),
                    limits,
                    True,
                )
        if size != info.file_size:
            raise UnreadableFile(
                f"{file_name} is damaged: its part {info.filename} says it holds {info.file_size:,} bytes but "
                f"holds {size:,}; open it in Excel and save it again"
            )
        total += size
        cells += max(sheet_cells, max(rows, last_row) * last_col)


_CELL_REF = re.compile(rb'<(?:\w+:)?c r="([A-Z]{1,3})(\d{1,7})"')


def _column_number(letters: bytes) -> int:
    """b"A" → 1, b"XFD" → 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _count(window: bytes, tail: bytes, pattern: bytes) -> int:
    """Occurrences of ``pattern`` in ``window`` that are not wholly inside the carried-over ``tail``."""
    return window.count(pattern) - tail.count(pattern)


def _inflate(data: bytes, info: zipfile.ZipInfo, file_name: str):
    """The real bytes of one zip part, in pieces of at most 1 MB, read from its local header onwards."""
    damaged = UnreadableFile(
        f"{file_name} is damaged: part {info.filename} cannot be read; open it in Excel and save it again"
    )
    head = data[info.header_offset : info.header_offset + 30]
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        raise damaged
    name_len, extra_len = struct.unpack("<HH", head[26:30])
    start = info.header_offset + 30 + name_len + extra_len
    if info.compress_type == zipfile.ZIP_STORED:
        stored = data[start : start + info.compress_size]
        for i in range(0, len(stored), _CHUNK):
            yield stored[i : i + _CHUNK]
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise UnreadableFile(
            f"{file_name} uses a compression Excel does not write (method {info.compress_type} in part "
            f"{info.filename}); open it in Excel and save it again"
        )
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    position = start
    pending = b""
    try:
        while not inflater.eof:
            if not pending:
                if position >= len(data):
                    raise damaged  # the stream stops before its end marker
                pending = data[position : position + _CHUNK]
                position += len(pending)
            piece = inflater.decompress(pending, _CHUNK)
            pending = inflater.unconsumed_tail
            if piece:
                yield piece
    except zlib.error as exc:
        raise damaged from exc


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


#: cells that say "no figure" (compared in lower case): blank, dashes, not available in its usual spellings
#: (NESDC writes N/A for Bueng Kan before its first survey year), Excel's ellipses
NO_FIGURE = frozenset({"", "-", "–", "—", "n.a.", "n.a", "na", "n/a", "..", "…"})


def parse_number(text: str) -> float | None:
    """'1,073,142' · '๑,๐๗๓,๑๔๒' · ' 12 345.6 ' → a number; '' · '-' · 'n.a.' · 'N/A' → None; other text raises.

    Only finite figures: 'inf', 'NaN', 'Infinity' and overflowing ones ('1e400') raise, as Python's float()
    would otherwise take them and the warehouse would publish a figure no one measured.
    """
    cleaned = str(text).translate(THAI_DIGITS).replace(",", "").replace("\u00a0", "").replace(" ", "").strip()
    if cleaned.lower() in NO_FIGURE:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a finite number (infinity, NaN or beyond ±1.8e308)")
    return value


def year_of(header: str) -> int | None:
    """A column header or sheet name that is a year: '2563', 'พ.ศ. 2563', 'ปี ๒๕๖๓', '2020' → Gregorian."""
    match = re.search(r"(?<!\d)(\d{4})(?!\d)", str(header).translate(THAI_DIGITS))
    if not match:
        return None
    year = int(match.group(1))
    if 2400 <= year <= 2700:
        return year - BE_OFFSET
    return year if 1900 <= year <= 2100 else None
