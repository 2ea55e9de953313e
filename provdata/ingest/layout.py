"""Recognise the layout of an agency table and turn it into tidy rows.

A sheet of text cells (see :mod:`provdata.ingest.read`) is read as: title rows (ignored), one or two header
rows (labels, then units or years on the second line), and a body of one row per province. Each column gets a
*role*, guessed from its header and cells and overridable by the steward (the app's mapping step, or
``--map "COLUMN=ROLE"`` on the command line):

``province``      names in any common spelling, or DOPA codes
``year``          a year column (Buddhist or Gregorian era; the header's พ.ศ./ค.ศ. decides where it says)
``indicator``     a column of indicator ids (a long table)
``value``         the figures, when the indicator comes from an ``indicator`` column or ``--indicator``
``<indicator id>`` a column of figures of that indicator (the year from a year column, the sheet or --year)
``skip``          not used (row numbers, codes of another numbering scheme, notes)

Columns whose header is a year (one column per year) hold figures of ``--indicator`` for that year. A sheet
whose name is a year gives that year to its rows (one sheet per year). Rows are named by their file row
(1-based) and columns by their spreadsheet letter and header, as the preview shows them.

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
* ``SHEET!COLUMN`` limits a map to one sheet (the crime groups of a police workbook, one per sheet).
* Bueng Kan (38) was created in 2011: a 0 or blank before then is skipped with that reason, never published.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from provdata.ingest.names import CREATED, ProvinceNames, is_aggregate, normalise
from provdata.ingest.read import BE_OFFSET, THAI_DIGITS, UnreadableFile, column_letter, parse_number, year_of

ROLES = ("province", "year", "indicator", "value", "skip")
_YEAR_WORDS = re.compile(
    r"^(ปี|year|พ\.?\s?ศ\.?|ค\.?\s?ศ\.?|b\.?\s?e\.?|c\.?\s?e\.?|a\.?\s?d\.?|ปี\s*พ\.?ศ\.?)\s*$", re.I
)
_BE_WORDS = re.compile(r"พ\.?\s?ศ|b\.?\s?e\b|buddhist", re.I)
_CE_WORDS = re.compile(r"ค\.?\s?ศ|\bc\.?\s?e\b|\ba\.?\s?d\b|gregorian", re.I)
_CODE_WORDS = re.compile(r"รหัส|ลำดับ|^ที่$|code|^no\.?$|^#$|^id$|seq", re.I)
_INDICATOR_WORDS = re.compile(r"^(indicator(_id)?|ตัวชี้วัด|รหัสตัวชี้วัด)$", re.I)
_VALUE_WORDS = re.compile(r"^(value|ค่า|มูลค่า|จำนวน|ข้อมูล)$", re.I)
_PROVINCE_WORDS = re.compile(r"^(province(_code)?|จังหวัด|ชื่อจังหวัด|changwat)$", re.I)
#: Header words over a column of regions and provinces (never a region row themselves).
_AREA_HEADER = re.compile(r"^(ภาค|ภาค\s*/\s*จังหวัด|region|region\s*/\s*province)$", re.I)
#: A cell that a spreadsheet would run as a formula (formula injection): never a figure or a name.
FORMULA = re.compile(r"^\s*[=+@]|^\s*-\s*[A-Za-z(]")


@dataclass
class Column:
    index: int
    letter: str
    label: str  # the header as the preview shows it (both header lines joined)
    unit: str = ""
    year: int | None = None  # the header is a year: figures of that year
    role: str | None = None  # a ROLE or an indicator id; None: not decided
    era: str | None = None  # for a year column: "BE", "CE" or None (decide per value)
    note: str = ""
    measure: str = ""  # the header without its year, for a year column under or over a measure

    @property
    def name(self) -> str:
        return f"{self.letter} “{self.label}”" if self.label else self.letter


@dataclass
class Table:
    sheet: str
    header_rows: list[int]  # 0-based rows of the sheet
    first_row: int  # 0-based first body row
    columns: list[Column]
    cells: list[list[str]]  # the whole sheet, text cells
    sheet_year: int | None = None
    notes: list[str] = field(default_factory=list)
    transposed: bool = False  # provinces were columns: columns are the sheet's rows
    subrows: set[str] = field(default_factory=set)  # normalised labels of rows that belong to the row above
    group_col: int | None = None  # a column whose few values split each province's rows (e.g. sex)
    group_roles: dict[tuple[str, int], str] = field(default_factory=dict)  # (group, column) → indicator

    def columns_for(self, ref: str) -> list[Column]:
        """Columns by header, letter, or measure (every year column of that measure)."""
        ref = " ".join(ref.split())
        for c in self.columns:
            if (
                c.label == ref
                or (c.label and c.label.casefold() == ref.casefold())
                or c.letter == ref.upper()
            ):
                return [self.column(ref)]
        found = [c for c in self.columns if c.measure and c.measure.casefold() == ref.casefold()]
        return found or [self.column(ref)]

    def column(self, ref: str) -> Column:
        """A column by its header as the preview shows it, or by its spreadsheet letter."""
        ref = " ".join(ref.split())
        for c in self.columns:
            if c.label == ref or (c.label and c.label.casefold() == ref.casefold()):
                return c
        for c in self.columns:
            if c.letter == ref.upper():
                return c
        shown = ", ".join(c.name for c in self.columns)
        raise MappingError(f"column {ref!r} is not in sheet {self.sheet!r}; its columns are: {shown}")

    def body(self) -> Iterable[tuple[int, list[str]]]:
        for i in range(self.first_row, len(self.cells)):
            yield i + 1, self.cells[i]


class MappingError(UnreadableFile):
    """What the file cannot say and the steward must: the message names the column and the option to use."""


@dataclass(frozen=True)
class Options:
    """What the steward says about the file (the app's mapping step; the CLI's options)."""

    sheet: str | None = None
    year: int | None = None
    indicator: str | None = None
    maps: tuple[tuple[str, str], ...] = ()  # (column header or letter, role or indicator id)
    where: tuple[tuple[str, str], ...] = ()  # keep only rows whose column equals the value
    names: tuple[tuple[str, str], ...] = ()  # (spelling, DOPA code) a steward confirmed
    agency: str | None = None  # whose confirmed spellings (state folder) apply; None: only ``names``
    skip_unmapped: bool = False  # columns the steward said nothing about are skipped and listed, not asked


@dataclass
class Tidy:
    rows: list[dict] = field(
        default_factory=list
    )  # province_code, year, indicator_id, value, sheet, row, column
    rejected: list[dict] = field(default_factory=list)  # sheet, row, column, value, reason
    skipped: list[dict] = field(default_factory=list)  # sheet, row, name, reason (totals, filtered)
    notes: list[str] = field(default_factory=list)
    proposed: dict[str, str] = field(default_factory=dict)  # spelling → code, waiting for confirmation
    confirmed: dict[str, str] = field(default_factory=dict)  # spelling → code, matched by a confirmation
    zero_before_created: set[tuple[str, str]] = field(
        default_factory=set
    )  # (indicator, province) 0 before it existed

    def frame(self) -> pd.DataFrame:
        cols = ["province_code", "year", "indicator_id", "value", "sheet", "row", "column"]
        return pd.DataFrame(self.rows, columns=cols)


# ------------------------------------------------------------------------------------------- reading


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


_THAI_DATE = re.compile(
    r"\d{1,2}\s*(ม\.?ค|ก\.?พ|มี\.?ค|เม\.?ย|พ\.?ค|มิ\.?ย|ก\.?ค|ส\.?ค|ก\.?ย|ต\.?ค|พ\.?ย|ธ\.?ค)\.?\s*\d{2,4}"
)
_TITLE_YEAR = re.compile(
    r"(?:ปี[ก-๙]{0,12}|year|พ\.\s?ศ\.|ค\.\s?ศ\.)\s*(?:พ\.\s?ศ\.|ค\.\s?ศ\.)?\s*(\d{4})(?:\s*/\s*(\d{2,4}))?(\s*[-–]\s*\d{2,4})?",
    re.I,
)


#: A crop year written short, as OAE names its workbooks ("จังหวัด 54-55.xls", "53-54(จังหวัด).xls") or sheets:
#: two consecutive years, the first of four digits or two ("2553/54", "2553-54", "53-54").
#: Not a piece of a longer chain of numbers (a time stamp "2013_05_06_12_23" holds "05_06").
_CROP_YEAR = re.compile(r"(?<!\d)(?<!\d[-–/_:.])(\d{4}|\d{2})\s*[-–/_]\s*(\d{2})(?!\d)(?![-–/_:]\d)")


def crop_year_of(name: str) -> tuple[int | None, str]:
    """The crop year a file or sheet name states ("จังหวัด 54-55.xls" → 2011), its planting (first) year in the
    Gregorian calendar, and the text it came from; None when the name states none or more than one.

    Two digits are a Buddhist year of the 2500s (OAE's convention: 54-55 = 2554/55). Only two *consecutive*
    years are a crop year, so a span ("45-58", "2536-2557") or a number pair that is not a year never is.
    """
    found = set()
    for m in _CROP_YEAR.finditer(str(name).translate(THAI_DIGITS)):
        first, second = m.group(1), int(m.group(2))
        be = int(first) if len(first) == 4 else 2500 + int(first)
        if not 2400 <= be <= dt.date.today().year + BE_OFFSET + 1 or second != (be + 1) % 100:
            continue  # a Gregorian "2010-11" may be a month: only Buddhist-era crop years
        found.add((be - BE_OFFSET, m.group(0)))
    if len({y for y, _ in found}) != 1:
        return None, ""
    year, text = sorted(found)[0]
    return year, text


def _title_year(rows: list[list[str]]) -> tuple[int | None, str]:
    """The one year the title rows name ("ปี พ.ศ. 2545", "ปี 2553", crop year "ปีเพาะปลูก 2553/54" → its first,
    planting year), Gregorian; None when they name none, a range, or several years."""
    years, texts = set(), []
    for row in rows:
        for cell in row:
            text = _THAI_DATE.sub("", cell.translate(THAI_DIGITS))
            for m in _TITLE_YEAR.finditer(text):
                if m.group(3):  # a range 2545-2554: not one year
                    return None, ""
                year = int(m.group(1))
                years.add(year - 543 if year >= 2400 else year)
                texts.append(m.group(0).strip())
    if len(years) != 1:
        return None, ""
    year = years.pop()
    crop = next((t for t in texts if "/" in t), None)
    if crop:
        return year, f"{crop}: a crop year is its planting year, {year}"
    return year, texts[0]


def _is_year_header(text: str) -> bool:
    return bool(text) and year_of(text) is not None and _looks_like_year_header(" ".join(text.split()))


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


def _looks_like_year_header(label: str) -> bool:
    """'2563', 'พ.ศ. 2563', 'ปี 2020', '2020 (p)' are year headers; 'ผลผลิต 2563 (ตัน)' is not."""
    text = label.translate(THAI_DIGITS)
    rest = re.sub(r"(?<!\d)\d{4}(?!\d)", "", text, count=1)
    rest = re.sub(
        r"พ\.?\s?ศ\.?|ค\.?\s?ศ\.?|ปี|year|b\.?e\.?|c\.?e\.?|\(p\)|p|r|e|[\s()*.:/\-]", "", rest, flags=re.I
    )
    return rest == ""


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


def _is_year_cell(value: str) -> bool:
    text = value.translate(THAI_DIGITS).strip()
    return text.isdigit() and len(text) == 4 and (1900 <= int(text) <= 2100 or 2400 <= int(text) <= 2700)


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


# ------------------------------------------------------------------------------------------- mapping


def split_ref(ref: str) -> tuple[str | None, str, str | None]:
    """``SHEET!COLUMN@GROUP`` → (sheet or None, column, group or None)."""
    sheet, column, group = None, ref.strip(), None
    if "!" in column:
        sheet, column = (p.strip() for p in column.split("!", 1))
    if "@" in column:
        column, group = (p.strip() for p in column.rsplit("@", 1))
    return sheet, column, group


def apply_options(table: Table, options: Options, indicator_ids: set[str], strict: bool = True) -> list[str]:
    """Apply the steward's ``--map`` and check that the table can now say province, year and indicator.

    ``strict=False`` (a workbook of several sheets): a map that names no column of this sheet is returned,
    not raised, so the caller can say which maps named no column in any sheet.
    """
    unmatched: list[str] = []
    for ref, role in options.maps:
        sheet, column, group = split_ref(ref)
        if sheet is not None and sheet != table.sheet:
            continue
        role = role.strip()
        if role not in ROLES and role not in indicator_ids:
            raise MappingError(
                f"--map {ref}={role}: {role!r} is neither a role ({', '.join(ROLES)}) nor an indicator id; "
                "see the catalog for indicator ids"
            )
        try:
            cols = table.columns_for(column)
        except MappingError:
            if strict:
                raise
            unmatched.append(ref)
            continue
        if group is not None:
            if role in ROLES and role != "skip":
                raise MappingError(f"--map {ref}={role}: rows of one group take an indicator id or skip")
            for col in cols:
                table.group_roles[(normalise(group), col.index)] = role
            continue
        for col in cols:
            if role == "province":
                for other in table.columns:
                    if other.role == "province":
                        other.role = "skip"
            col.role = role
            if role == "year":
                col.era = (
                    "BE" if _BE_WORDS.search(col.label) else "CE" if _CE_WORDS.search(col.label) else None
                )
    if options.indicator is not None and options.indicator not in indicator_ids:
        raise MappingError(f"--indicator {options.indicator!r} is not an indicator id; see the catalog")
    for ref, _ in options.where:
        table.column(ref)
    for col in table.columns:
        if col.role is None and col.year is None and col.label in indicator_ids:
            col.role = col.label
    return unmatched


def plan(table: Table, options: Options) -> tuple[list[tuple[Column, str | None, int | None]], list[str]]:
    """The figure columns as (column, indicator or None: the row's indicator column, year or None: the
    row's year), and what the steward still has to say before the table gives tidy rows (empty: ready)."""
    asks: list[str] = []
    skip = options.skip_unmapped
    if not any(c.role == "province" for c in table.columns):
        asks.append('which column names the provinces: --map "COLUMN=province"')
    indicator_col = any(c.role == "indicator" for c in table.columns)
    has_year = any(c.role == "year" for c in table.columns) or table.sheet_year or options.year
    in_groups = {i for _, i in table.group_roles}
    year_cols = [
        c
        for c in table.columns
        if c.year is not None and c.role in (None, "value") and c.index not in in_groups
    ]
    value_cols = [c for c in table.columns if c.role == "value" and c.year is None]
    unmapped = [
        c for c in table.columns
        if c.role is None and c.year is None and c.index not in in_groups and _has_numbers(table, c)
    ]  # fmt: skip
    targets: list[tuple[Column, str | None, int | None]] = []
    measures = sorted({c.measure for c in year_cols})
    if year_cols and len(measures) > 1:
        for measure in measures:
            cols = [c for c in year_cols if c.measure == measure]
            if skip:
                table.notes.append(f"sheet {table.sheet!r}: columns of {measure!r} are not mapped: skipped")
            else:
                asks.append(
                    f'which indicator the columns of {measure!r} hold ({len(cols)}): --map "{measure}=ID"'
                )
    elif year_cols:
        if options.indicator is None and skip:
            table.notes.append(
                f"sheet {table.sheet!r}: the year columns are not mapped (--indicator): skipped"
            )
        elif options.indicator is None:
            asks.append(f"which indicator the year columns hold (e.g. {year_cols[0].name}): --indicator ID")
        else:
            targets += [(c, options.indicator, c.year) for c in year_cols]
    for c in value_cols:
        if not indicator_col and options.indicator is None:
            asks.append(f"which indicator column {c.name} holds: --indicator ID")
        targets.append((c, None if indicator_col else options.indicator, None))
    targets += [(c, c.role, c.year) for c in table.columns if c.role is not None and c.role not in ROLES]
    for c in unmapped:
        if options.indicator is not None and len(unmapped) == 1 and not year_cols and not value_cols:
            targets.append((c, options.indicator, None))
        elif skip:
            table.notes.append(f"sheet {table.sheet!r}: column {c.name} is not mapped: skipped")
        else:
            asks.append(
                f'which indicator column {c.name} holds: --map "{c.label or c.letter}=INDICATOR_ID" (or =skip)'
            )
    grouped = [(table.columns[i], ind, table.columns[i].year) for (_, i), ind in table.group_roles.items()]
    if not targets and not asks and not grouped and not skip:
        asks.append(f"sheet {table.sheet!r} has no column of figures")
    if any(year is None for _, _, year in targets + grouped) and not has_year:
        asks.append(
            f'which year sheet {table.sheet!r} holds: --year YYYY, or a year column: --map "COLUMN=year"'
        )
    return targets, asks


def _has_numbers(table: Table, col: Column) -> bool:
    for _, r in table.body():
        if r[col.index]:
            try:
                if parse_number(r[col.index]) is not None:
                    return True
            except ValueError:
                continue
    return False


# ------------------------------------------------------------------------------------------ tidying


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
            out.rows.append(
                {
                    "province_code": m.code,
                    "year": value_year,
                    "indicator_id": indicator or row_indicator,
                    "value": _clean(value),
                    "sheet": table.sheet,
                    "row": row_no,
                    "column": col.name,
                }
            )
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
