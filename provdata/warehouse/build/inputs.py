"""What the build reads and how it checks a row: :class:`Inputs` (where the files are), :class:`Problems`
(bad rows, each naming file, line, column and value), CSV rows, years, values and file digests.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from provdata.basics import config
from provdata.basics.errors import BuildError


@dataclass(frozen=True)
class Inputs:
    """Where the build reads from. Tests point these at small committed fixtures."""

    seed_dir: Path = field(default_factory=lambda: config.input_dir("seed"))
    reference_dir: Path = field(default_factory=lambda: config.input_dir("reference"))
    geo_dir: Path = field(default_factory=lambda: config.input_dir("geo"))
    strategy_dir: Path = field(default_factory=lambda: config.input_dir("strategy"))
    #: The agencies' raw files (byte copies, one folder per source) and the recipes that replay them.
    inbox_dir: Path = field(default_factory=lambda: config.input_dir("inbox"))
    recipes_dir: Path = field(default_factory=lambda: config.input_dir("recipes"))
    #: Where publication folders of an earlier version are imported from (publications now live in the store).
    uploads_dir: Path = field(default_factory=config.uploads_dir)
    #: Indicators that admins added: None = the state store's; a CSV path for a trial build.
    added_indicators: Path | None = None
    #: Lay the state store's chain edits and plan progress over ``strategy_dir`` (False for a trial build).
    strategy_layer: bool = True

    def files(self) -> list[Path]:
        """Every file the build reads, in a fixed order (for the inputs digest)."""
        names = [
            (self.seed_dir, "provinces.csv"),
            (self.seed_dir, "sources.csv"),
            (self.seed_dir, "indicators.csv"),
            (self.seed_dir, "observations.csv"),
            (self.seed_dir, "district_observations.csv"),
            (self.reference_dir, "agencies.csv"),
            (self.reference_dir, "source_agency.csv"),
            (self.reference_dir, "themes.csv"),
            (self.reference_dir, "indicator_labels.csv"),
            (self.reference_dir, "profile_indicators.csv"),
            (self.reference_dir, "indicator_kinds.csv"),
            (self.reference_dir, "series_breaks.csv"),
            (self.reference_dir, "release_calendar.csv"),
            (self.geo_dir, "provinces.csv"),
            (self.geo_dir, "districts.geojson"),
            (self.strategy_dir, "issues.csv"),
            (self.strategy_dir, "csfs.csv"),
            (self.strategy_dir, "links.csv"),
            (self.strategy_dir, "plan_status.csv"),
        ]
        recipes = sorted(self.recipes_dir.glob("*.toml")) if self.recipes_dir.is_dir() else []
        raw = sorted(p for p in self.inbox_dir.rglob("*") if p.is_file()) if recipes else []
        return (
            [d / n for d, n in names if (d / n).exists()]
            + recipes
            + raw
            + [p for p in [self.added_indicators] if p is not None and p.exists()]
        )


@dataclass
class Problems:
    """Bad rows found while reading, each as one line naming file, line, column and value."""

    items: list[str] = field(default_factory=list)

    def add(self, path: Path, line: int | None, column: str | None, message: str) -> None:
        where = _display_path(path)
        if line is not None:
            where += f" line {line}"
        if column:
            where += f", column {column}"
        self.items.append(f"{where}: {message}")

    def raise_if_any(self) -> None:
        if self.items:
            raise BuildError(self.items)


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(config.ROOT))
    except ValueError:
        return str(path)


def read_csv_rows(path: Path, required: list[str], problems: Problems) -> Iterator[tuple[int, dict]]:
    """Yield (line number, row) of a UTF-8 CSV; report a missing file or missing columns."""
    if not path.exists():
        problems.add(path, None, None, "file is missing")
        return
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            problems.add(path, 1, ", ".join(missing), "required column(s) missing from the header")
            return
        for row in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k is not None}


def _parse_year(raw: str, path: Path, line: int, problems: Problems) -> int | None:
    max_year = dt.date.today().year + 1
    try:
        year = int(raw)
    except ValueError:
        problems.add(path, line, "year", f"{raw!r} is not a whole year (write it Gregorian, e.g. 2020)")
        return None
    if not config.MIN_YEAR <= year <= max_year:
        hint = " (a Buddhist-era year? subtract 543)" if year > max_year else ""
        problems.add(path, line, "year", f"{raw!r} is outside {config.MIN_YEAR}–{max_year}{hint}")
        return None
    return year


def _parse_value(raw: str, path: Path, line: int, problems: Problems) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        problems.add(path, line, "value", f"{raw!r} is not a number (use digits and '.', no commas)")
        return None
    if not math.isfinite(value):
        problems.add(path, line, "value", f"{raw!r} is not a finite number")
        return None
    return value


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
