"""The model of a recognised sheet: a :class:`Table` and its columns (:class:`Column`), the steward's
:class:`Options`, the :class:`Tidy` rows a mapped table gives, and :class:`MappingError` (what the steward
still has to say).

A sheet of text cells (see :mod:`provdata.ingest.read`) is read as: title rows (ignored), one or two header
rows (labels, then units or years on the second line), and a body of one row per province. Each column gets a
*role* (:data:`ROLES`), guessed from its header and cells and overridable by the steward (the app's mapping
step, or ``--map "COLUMN=ROLE"`` on the command line):

``province``      names in any common spelling, or DOPA codes
``year``          a year column (Buddhist or Gregorian era; the header's พ.ศ./ค.ศ. decides where it says)
``indicator``     a column of indicator ids (a long table)
``value``         the figures, when the indicator comes from an ``indicator`` column or ``--indicator``
``<indicator id>`` a column of figures of that indicator (the year from a year column, the sheet or --year)
``skip``          not used (row numbers, codes of another numbering scheme, notes)
``month``         the calendar month (1-12) of a file of monthly rows; only with ``sum_months`` (a year's figure is
                  the sum of its 12 months, see :mod:`provdata.ingest.months`), never guessed

Columns whose header is a year (one column per year) hold figures of ``--indicator`` for that year. A sheet
whose name is a year gives that year to its rows (one sheet per year). Rows are named by their file row
(1-based) and columns by their spreadsheet letter and header, as the preview shows them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from provdata.ingest.read import UnreadableFile

ROLES = ("province", "year", "indicator", "value", "skip", "month")


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
    sum_months: bool = False  # monthly rows (a "month" column): a year's figure is the sum of its 12 months
    override_names: bool = False  # an admin's explicit override: ``names`` the matcher did not propose pass


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
