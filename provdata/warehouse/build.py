"""Build the warehouse (data/warehouse.duckdb) from the files under data/ and geo/.

The files are the system of record; the warehouse is derived from them. Every row is checked
first; a bad row stops the build with its file, line, column and value, and the old warehouse stays
in place. A good build is written to a temporary file beside the target and swapped in with
``os.replace`` (atomic on one file system), under a file lock so that only one writer runs at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import math
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from provdata.basics import config
from provdata.basics.errors import BuildError
from provdata.ingest import ProvinceNames
from provdata.store.locks import file_lock
from provdata.store.publications import (
    Publication,
    fsync_dir,
    publish_lock,
    remove_stale_temp_files,
    snapshot,
)
from provdata.strategy.chain import read_chains
from provdata.warehouse.layers import ADDED_COLUMNS, layered
from provdata.warehouse.recipes import REPORT_COLUMNS, read_recipes, recipe_tables, run_recipes

SQL_DIR = Path(__file__).with_name("sql")
KINDS = ("count", "amount", "rate", "ratio", "index", "stock", "area")


def schema_sql() -> str:
    """schema.sql first, then every other ``provdata/warehouse/sql/schema_*.sql`` (one per area) in name order."""
    files = [SQL_DIR / "schema.sql", *sorted(SQL_DIR.glob("schema_*.sql"))]
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


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


# --------------------------------------------------------------------------------------- reading


def read_areas(inputs: Inputs, problems: Problems) -> pd.DataFrame:
    """77 provinces (geo/provinces.csv + pilot flag from the seed) and the districts (geojson)."""
    pilot_flags: dict[str, bool] = {}
    seed_provinces = inputs.seed_dir / "provinces.csv"
    for line, row in read_csv_rows(seed_provinces, ["province_code", "pilot"], problems):
        if row["pilot"] not in ("True", "False"):
            problems.add(seed_provinces, line, "pilot", f"{row['pilot']!r} must be True or False")
        pilot_flags[row["province_code"]] = row["pilot"] == "True"

    rows: list[dict] = []
    geo_provinces = inputs.geo_dir / "provinces.csv"
    cols = ["province_code", "name_th", "name_en", "region", "region_th", "area_km2", "alt_names"]
    for line, row in read_csv_rows(geo_provinces, cols, problems):
        code = row["province_code"]
        if not (len(code) == 2 and code.isdigit()):
            problems.add(geo_provinces, line, "province_code", f"{code!r} is not a 2-digit code")
            continue
        if code not in pilot_flags:
            problems.add(geo_provinces, line, "province_code", f"{code!r} is not in {seed_provinces.name}")
        rows.append(
            {
                "code": code,
                "level": "province",
                "parent": None,
                "name_th": row["name_th"],
                "name_en": row["name_en"],
                "region": row["region"],
                "region_th": row["region_th"],
                "cohort": "pilot" if pilot_flags.get(code) else "all",
                "area_km2": float(row["area_km2"]) if row["area_km2"] else None,
                "alt_names": row["alt_names"],
            }
        )
    province_codes = {r["code"] for r in rows}

    districts_path = inputs.geo_dir / "districts.geojson"
    if not districts_path.exists():
        problems.add(districts_path, None, None, "file is missing")
    else:
        features = json.loads(districts_path.read_text(encoding="utf-8"))["features"]
        for i, feat in enumerate(features, start=1):
            p = feat.get("properties") or {}
            code, parent = str(p.get("district_code", "")), str(p.get("province_code", ""))
            if parent not in province_codes or not code.startswith(parent) or len(code) != 4:
                problems.add(
                    districts_path,
                    None,
                    f"feature {i} district_code",
                    f"{code!r} (province {parent!r}) is not a 4-digit code of a known province",
                )
                continue
            rows.append(
                {
                    "code": code,
                    "level": "district",
                    "parent": parent,
                    "name_th": p.get("name_th", ""),
                    "name_en": p.get("name_en", ""),
                    "region": None,
                    "region_th": None,
                    "cohort": "pilot" if pilot_flags.get(parent) else "all",
                    "area_km2": None,
                    "alt_names": None,
                }
            )
    frame = pd.DataFrame(rows)
    dupes = frame[frame.duplicated("code")]["code"].tolist() if len(frame) else []
    for code in dupes:
        problems.add(geo_provinces, None, "code", f"area code {code!r} appears twice")
    return frame


def read_agencies_and_sources(inputs: Inputs, problems: Problems) -> tuple[pd.DataFrame, pd.DataFrame]:
    path = inputs.reference_dir / "agencies.csv"
    cols = ["agency_id", "name_th", "name_en", "short_th", "short_en", "ministry_th", "ministry_en"]
    agencies = [dict(row, id=row.pop("agency_id")) for _, row in read_csv_rows(path, cols, problems)]
    agency_ids = {a["id"] for a in agencies}

    mapping_path = inputs.reference_dir / "source_agency.csv"
    mapping = {}
    for line, row in read_csv_rows(
        mapping_path, ["source_id", "agency_id", "title_en", "title_th"], problems
    ):
        if row["agency_id"] not in agency_ids:
            problems.add(mapping_path, line, "agency_id", f"{row['agency_id']!r} is not in agencies.csv")
        mapping[row["source_id"]] = row

    seed_path = inputs.seed_dir / "sources.csv"
    cols = ["source_id", "agency", "upstream_repository", "upstream_path", "upstream_license", "notes"]
    sources = []
    for line, row in read_csv_rows(seed_path, cols, problems):
        m = mapping.get(row["source_id"])
        if m is None:
            problems.add(
                seed_path,
                line,
                "source_id",
                f"{row['source_id']!r} has no owning agency: add it to data/reference/source_agency.csv",
            )
            continue
        sources.append(
            {
                "id": row["source_id"],
                "agency_id": m["agency_id"],
                "title_en": m["title_en"],
                "title_th": m["title_th"],
                "upstream": f"{row['upstream_repository']}: {row['upstream_path']}",
                "license": row["upstream_license"],
                "notes": row["notes"],
            }
        )
    return pd.DataFrame(agencies), pd.DataFrame(sources)


def read_themes(inputs: Inputs, problems: Problems) -> pd.DataFrame:
    path = inputs.reference_dir / "themes.csv"
    rows = [
        {"id": r["theme"], "name_th": r["name_th"], "name_en": r["name_en"], "sort": int(r["sort"])}
        for _, r in read_csv_rows(path, ["theme", "name_th", "name_en", "sort"], problems)
    ]
    return pd.DataFrame(rows)


def read_indicators(
    inputs: Inputs, sources: pd.DataFrame, themes: pd.DataFrame, problems: Problems
) -> pd.DataFrame:
    labels_path = inputs.reference_dir / "indicator_labels.csv"
    labels = {
        r["indicator_id"]: r
        for _, r in read_csv_rows(
            labels_path, ["indicator_id", "name_th", "unit_th", "definition_th"], problems
        )
    }
    profile_path = inputs.reference_dir / "profile_indicators.csv"
    profile = {
        r["indicator_id"]: int(r["sort"])
        for _, r in read_csv_rows(profile_path, ["indicator_id", "sort"], problems)
    }
    kinds_path = inputs.reference_dir / "indicator_kinds.csv"
    kinds = {
        r["indicator_id"]: (line, r)
        for line, r in read_csv_rows(
            kinds_path,
            ["indicator_id", "kind", "per_capita_factor", "per_capita_unit_en", "per_capita_unit_th"],
            problems,
        )
    }
    source_agency = dict(zip(sources.get("id", []), sources.get("agency_id", []), strict=True))
    theme_ids = set(themes.get("id", []))

    path = inputs.seed_dir / "indicators.csv"
    cols = [
        "indicator_id",
        "name_en",
        "name_th",
        "unit",
        "theme",
        "aggregation",
        "higher_is_better",
        "definition",
        "source_id",
    ]
    rows = []
    for line, r in read_csv_rows(path, cols, problems):
        iid = r["indicator_id"]
        label = labels.get(iid)
        if label is None or not label["name_th"] or not label["unit_th"]:
            problems.add(labels_path, None, "indicator_id", f"{iid!r} has no Thai name and unit: add a row")
            continue
        if r["theme"] not in theme_ids:
            problems.add(path, line, "theme", f"{r['theme']!r} is not in data/reference/themes.csv")
        if r["higher_is_better"] not in ("true", "false", ""):
            problems.add(
                path, line, "higher_is_better", f"{r['higher_is_better']!r} must be true, false or empty"
            )
        source_ids = r["source_id"].split(";")
        agencies = {source_agency.get(s) for s in source_ids}
        if None in agencies:
            problems.add(path, line, "source_id", f"{r['source_id']!r} names a source not in sources.csv")
            continue
        if len(agencies) != 1:
            problems.add(path, line, "source_id", f"{r['source_id']!r} mixes agencies {sorted(agencies)}")
            continue
        kind_line, kind = kinds.get(iid, (None, None))
        if kind is None:
            problems.add(kinds_path, None, "indicator_id", f"{iid!r} has no kind: add a row")
            continue
        if kind["kind"] not in KINDS:
            problems.add(kinds_path, kind_line, "kind", f"{kind['kind']!r} must be one of {', '.join(KINDS)}")
        factor = None
        if kind["per_capita_factor"]:
            try:
                factor = float(kind["per_capita_factor"])
            except ValueError:
                problems.add(
                    kinds_path,
                    kind_line,
                    "per_capita_factor",
                    f"{kind['per_capita_factor']!r} is not a number",
                )
        rows.append(
            {
                "id": iid,
                "kind": kind["kind"],
                "per_capita_factor": factor,
                "per_capita_unit_en": kind["per_capita_unit_en"] or None,
                "per_capita_unit_th": kind["per_capita_unit_th"] or None,
                "name_th": label["name_th"],
                "name_en": r["name_en"],
                "source_label_th": r["name_th"] or None,
                "unit_th": label["unit_th"],
                "unit_en": r["unit"],
                "theme": r["theme"],
                "definition_th": label["definition_th"],
                "definition_en": r["definition"],
                "aggregation": r["aggregation"],
                "higher_is_better": {"true": True, "false": False}.get(r["higher_is_better"]),
                "frequency": "annual",
                "source_ids": r["source_id"],
                "agency_id": agencies.pop(),
                "official": True,
                "profile_sort": profile.get(iid),
            }
        )
    known = {r["id"] for r in rows}
    for iid in set(profile) - known:
        problems.add(profile_path, None, "indicator_id", f"{iid!r} is not an indicator")
    return pd.DataFrame(rows)


def read_added_indicators(
    path: Path | None, seed_ids: set[str], themes: set[str], agencies: set[str], problems: Problems
) -> pd.DataFrame:
    """Indicators admins added (``python -m provdata indicator add`` or the exchange page); their figures come
    from uploads, each upload its own source."""
    rows = []
    if path is None or not path.exists():
        return pd.DataFrame(rows)
    for line, r in read_csv_rows(path, ADDED_COLUMNS, problems):
        iid = r["indicator_id"]
        if iid in seed_ids:
            problems.add(path, line, "indicator_id", f"{iid!r} is already a shipped indicator")
        if r["theme"] not in themes:
            problems.add(path, line, "theme", f"{r['theme']!r} is not a theme ({', '.join(sorted(themes))})")
        if r["kind"] not in KINDS:
            problems.add(path, line, "kind", f"{r['kind']!r} must be one of {', '.join(KINDS)}")
        if r["agency_id"] not in agencies:
            problems.add(
                path,
                line,
                "agency_id",
                f"{r['agency_id']!r} is not an agency ({', '.join(sorted(agencies))})",
            )
        if r["higher_is_better"] not in ("true", "false", ""):
            problems.add(
                path, line, "higher_is_better", f"{r['higher_is_better']!r} must be true, false or empty"
            )
        for col in ("name_en", "name_th", "unit_en", "unit_th"):
            if not r[col]:
                problems.add(
                    path, line, col, "is empty: every indicator needs a Thai and English name and unit"
                )
        rows.append(
            {
                "id": iid, "kind": r["kind"], "per_capita_factor": None, "per_capita_unit_en": None,
                "per_capita_unit_th": None, "name_th": r["name_th"], "name_en": r["name_en"], "source_label_th": None,
                "unit_th": r["unit_th"], "unit_en": r["unit_en"], "theme": r["theme"],
                "definition_th": r["definition_th"] or r["name_th"], "definition_en": r["definition_en"] or r["name_en"],
                "aggregation": "as published", "higher_is_better": {"true": True, "false": False}.get(r["higher_is_better"]),
                "frequency": "annual", "source_ids": "", "agency_id": r["agency_id"], "official": False,
                "profile_sort": None,
            }
        )  # fmt: skip
    return pd.DataFrame(rows)


def read_series_breaks(inputs: Inputs, indicator_ids: set[str], problems: Problems) -> pd.DataFrame:
    path = inputs.reference_dir / "series_breaks.csv"
    cols = ["indicator_id", "last_year_before", "first_year_after", "note_en", "note_th"]
    rows = []
    for line, r in read_csv_rows(path, cols, problems):
        if r["indicator_id"] not in indicator_ids:
            continue  # a break of an indicator this build does not carry (e.g. a test subset)
        before = _parse_year(r["last_year_before"], path, line, problems)
        after = _parse_year(r["first_year_after"], path, line, problems)
        if before is not None and after is not None:
            rows.append({**r, "last_year_before": before, "first_year_after": after})
    return pd.DataFrame(rows, columns=cols)


def read_observations(
    path: Path,
    code_column: str,
    area_codes: set[str],
    indicator_ids: set[str],
    source_ids: set[str],
    problems: Problems,
) -> tuple[pd.DataFrame, int]:
    """Check every row; return the good rows and the number of rows read."""
    cols = [code_column, "year", "indicator_id", "value", "source_id"]
    seen: dict[tuple[str, str, int], int] = {}
    out: dict[str, list] = {"indicator_id": [], "area_code": [], "year": [], "value": [], "source_id": []}
    n = 0
    for line, r in read_csv_rows(path, cols, problems):
        n += 1
        code = r[code_column]
        if code not in area_codes:
            problems.add(path, line, code_column, f"{code!r} is not a known area code")
            continue
        if r["indicator_id"] not in indicator_ids:
            problems.add(path, line, "indicator_id", f"{r['indicator_id']!r} is not in indicators.csv")
            continue
        if r["source_id"] not in source_ids:
            problems.add(path, line, "source_id", f"{r['source_id']!r} is not in sources.csv")
            continue
        year = _parse_year(r["year"], path, line, problems)
        value = _parse_value(r["value"], path, line, problems)
        if year is None or value is None:
            continue
        key = (r["indicator_id"], code, year)
        if key in seen:
            problems.add(
                path,
                line,
                f"{code_column}/year/indicator_id",
                f"duplicate of line {seen[key]} ({code}, {year}, {r['indicator_id']}): keep one row",
            )
            continue
        seen[key] = line
        out["indicator_id"].append(r["indicator_id"])
        out["area_code"].append(code)
        out["year"].append(year)
        out["value"].append(value)
        out["source_id"].append(r["source_id"])
    frame = pd.DataFrame(out).astype({"year": "int32", "value": "float64"})
    return frame, n


# --------------------------------------------------------------------------------------- writing


def writer_lock(target: Path):
    """Serialise writers of one warehouse file (blocks until the other writer is done)."""
    return file_lock(target.with_name(target.name + ".lock"))


def publish_file(tmp: Path, target: Path) -> None:
    """Make ``tmp`` durable, then swap it over ``target`` in one step."""
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    fsync_dir(target.parent)


def rebuild_locked(
    target: Path | None, inputs: Inputs, log: Callable[[str], None] = lambda msg: None
) -> BuildResult:
    """Rebuild from the state store's publications and edits (labelled with the store's sequence); the caller
    holds the publishers' lock (or, on a following host, its own host lock)."""
    target = Path(target or config.warehouse_path())
    for line in remove_stale_temp_files(target):
        log(line)
    with snapshot(inputs.uploads_dir) as snap:
        return build_warehouse(target, inputs, log, snap.publications, state_seq=snap.seq)


@dataclass(frozen=True)
class BuildResult:
    path: Path
    build_id: str
    seconds: float
    counts: dict[str, int]


def build_warehouse(
    target: Path | None = None,
    inputs: Inputs | None = None,
    log: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr),
    publications: list[Publication] | None = None,
    *,
    state_seq: int | None = None,
    before_swap: Callable[[], None] | None = None,
) -> BuildResult:
    """Check all inputs, write a new warehouse and swap it over ``target``.

    ``publications``: the uploads to replay (default: every one in the state store); the publisher passes
    the list including the one being published. ``state_seq``: the store's sequence the build reflects (kept
    in ``meta``). ``before_swap``: called once the new file is complete, before it replaces ``target`` (the
    publisher commits to the store there; if it raises, the old warehouse stays).
    """
    inputs = inputs or Inputs()
    if publications is None:
        # A plain rebuild takes the publishers' lock, so it cannot drop a publication being written, and
        # first finishes what a killed writer left (as every publish does), so it never drops one either.
        with publish_lock(inputs.uploads_dir):
            return rebuild_locked(target, inputs, log)
    with layered(inputs) as with_layers:  # the state store's edits over the shipped files (read only)
        return _build(target, with_layers, log, publications, state_seq, before_swap)


def _build(
    target: Path | None,
    inputs: Inputs,
    log: Callable[[str], None],
    publications: list[Publication],
    state_seq: int | None = None,
    before_swap: Callable[[], None] | None = None,
) -> BuildResult:
    started = time.perf_counter()
    target = Path(target or config.warehouse_path())
    problems = Problems()

    log("reading areas, agencies, sources and indicators …")
    areas = read_areas(inputs, problems)
    agencies, sources = read_agencies_and_sources(inputs, problems)
    themes = read_themes(inputs, problems)
    indicators = read_indicators(inputs, sources, themes, problems)
    recipes = read_recipes(inputs.recipes_dir, problems)
    recipe_sources, recipe_indicators = recipe_tables(
        recipes, set(agencies.id), set(themes.id), set(indicators.id), problems
    )
    sources = pd.concat([sources, recipe_sources], ignore_index=True)
    indicators = pd.concat([indicators, recipe_indicators], ignore_index=True)
    indicators = pd.concat(
        [indicators, read_added_indicators(inputs.added_indicators, set(indicators.id), set(themes.id),
                                           set(agencies.id), problems)], ignore_index=True,
    )  # fmt: skip
    problems.raise_if_any()

    provinces = set(areas.loc[areas.level == "province", "code"])
    districts = set(areas.loc[areas.level == "district", "code"])
    indicator_ids, source_ids = set(indicators.id), set(sources.id)
    breaks = read_series_breaks(inputs, indicator_ids, problems)
    chains = read_chains(
        inputs.strategy_dir, provinces, indicator_ids, set(agencies.id), problems, read_csv_rows
    )
    log("checking observations …")
    obs_files = [
        (inputs.seed_dir / "observations.csv", "province_code", provinces),
        (inputs.seed_dir / "district_observations.csv", "district_code", districts),
    ]
    frames, loads = [], []
    built_at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    for load_id, (path, column, codes) in enumerate(obs_files, start=1):
        before = len(problems.items)
        frame, n = read_observations(path, column, codes, indicator_ids, source_ids, problems)
        frames.append(frame.assign(load_id=load_id))
        if path.exists():
            loads.append(
                {
                    "id": load_id,
                    "file_name": _display_path(path),
                    "sha256": _sha256(path),
                    "rows_in": n,
                    "rows_accepted": len(frame),
                    "rows_rejected": len(problems.items) - before,
                    "loaded_by": "seed",
                    "loaded_at": built_at,
                    "note": "published figures shipped with provdata (see data/seed/SOURCES.md)",
                    "status": "active",
                }
            )
    problems.raise_if_any()
    recipe_report, n_recipe = pd.DataFrame(columns=REPORT_COLUMNS), 0
    if recipes:
        log(f"running {len(recipes)} recipe(s) over data/inbox …")
        names = ProvinceNames(inputs.geo_dir / "provinces.csv", inputs.reference_dir / "province_aliases.csv")
        kept, recipe_loads, recipe_report, recipe_seconds = run_recipes(
            recipes, inputs.inbox_dir, names, indicators, provinces, len(obs_files) + 1, problems
        )
        problems.raise_if_any()
        frames.append(kept[["indicator_id", "area_code", "year", "value", "source_id", "load_id"]])
        n_recipe = len(kept)
        loads += [{**load, "loaded_at": built_at} for load in recipe_loads]
        for name, secs in recipe_seconds.items():
            n = int((kept.recipe == name).sum())
            log(f"  recipe {name}: {n:,} figures kept in {secs:.2f} s")
        _log_recipe_report(recipe_report, log)
    seed_observations = pd.concat(frames, ignore_index=True).astype({"year": "int32", "value": "float64"})
    agency_ids = set(agencies.id)
    for pub in publications:
        loads.append(_load_row(pub))
        if pub.active:
            if pub.record["agency_id"] not in agency_ids:
                problems.add(Path(pub.label), None, "agency_id", f"{pub.record['agency_id']!r} is unknown")
            sources = pd.concat([sources, pd.DataFrame([_upload_source(pub)])], ignore_index=True)
    problems.raise_if_any()

    digest = hashlib.sha256()
    for path in inputs.files():
        digest.update(path.name.encode() + b"\0" + _sha256(path).encode())
    for pub in publications:
        digest.update(f"{pub.id}\0{pub.record['sha256']}\0{pub.record['status']}".encode())
    build_id = f"{built_at:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    meta = pd.DataFrame(
        [
            {
                "schema_version": config.SCHEMA_VERSION,
                "build_id": build_id,
                "built_at": built_at,
                "inputs_sha256": digest.hexdigest(),
                "synthetic": False,
                "state_seq": state_seq,
            }
        ]
    )
    tables = {
        "meta": meta,
        "area": areas,
        "agency": agencies,
        "source": sources,
        "theme": themes,
        "indicator": indicators,
        "series_break": breaks,
        "load": pd.DataFrame(loads),
        "recipe_cell": recipe_report,
        **chains,
    }
    active = [p for p in publications if p.active]
    log(f"writing {len(seed_observations):,} seed observations and {len(active)} publication(s) …")
    write_warehouse(target, tables, fill=lambda con: _fill_observations(con, seed_observations, active),
                    before_swap=before_swap)  # fmt: skip
    seconds = time.perf_counter() - started
    log(f"published {target} (build {build_id}) in {seconds:.2f} s")
    _log_readiness(target, log)
    counts = {k: len(v) for k, v in tables.items()}
    counts["seed observation"] = len(seed_observations) - n_recipe
    counts["recipe observation"] = n_recipe
    counts["active publication"] = len(active)
    return BuildResult(target, build_id, seconds, counts)


def _log_readiness(target: Path, log: Callable[[str], None]) -> None:
    """Readiness of each chain province's key links, recomputed from the figures just published."""
    from provdata.strategy import statchart
    from provdata.warehouse import queries
    from provdata.warehouse.db import Warehouse

    wh = Warehouse(target)
    codes = queries.chain_provinces(wh)
    if not codes:
        return
    chains = {code: queries.chain(wh, code) for code in codes}
    ids = sorted({i for c in chains.values() for i in c.indicator_id.dropna()})
    counts = statchart.readiness_counts(
        chains, queries.years_present(wh, codes, ids), queries.reference_year(wh)
    )
    log("readiness of key links per chain province (A ready, B partial, C none; decision-ready issues):")
    for r in counts.itertuples():
        log(f"  {r.province_code}: A {r.key_a}, B {r.key_b}, C {r.key_c} (needed but missing: {r.missing}); "
            f"decision-ready {r.issues_ready}/{r.issues}")  # fmt: skip


def _log_recipe_report(report: pd.DataFrame, log: Callable[[str], None]) -> None:
    """The cells the recipes did not keep: left out with their reason, or a copy outranked by another."""
    if report.empty:
        return
    counts = report.outcome.value_counts()
    log("  cells not kept: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    for _, r in report[report.outcome.isin(["excluded", "conflict"])].iterrows():
        log(
            f"    {r.outcome}: {r.indicator_id} {r.area_code} {r.year} ({r.recipe} {r.file} row {r.row}): {r.reason}"
        )


def _load_row(pub: Publication) -> dict:
    r = pub.record
    return {
        "id": pub.id,
        "file_name": r["file_name"],
        "sha256": r["sha256"],
        "rows_in": r["rows_in"],
        "rows_accepted": r["rows_accepted"],
        "rows_rejected": r["rows_rejected"],
        "loaded_by": r["steward"],
        "loaded_at": dt.datetime.fromisoformat(r["loaded_at"]),
        "note": r.get("note") or None,
        "agency_id": r["agency_id"],
        "license": r["license"],
        "status": r["status"],
        "rolled_back_by": r.get("rolled_back_by"),
        "rolled_back_at": dt.datetime.fromisoformat(r["rolled_back_at"]) if r.get("rolled_back_at") else None,
    }


def _upload_source(pub: Publication) -> dict:
    """Each publication is a source of its own: the agency's file, named, with its licence."""
    r = pub.record
    return {
        "id": f"upload-{pub.id}",
        "agency_id": r["agency_id"],
        "title_en": f"{r['file_name']} (published {r['loaded_at'][:10]} by {r['steward']}, load {pub.id})",
        "title_th": f"{r['file_name']} (เผยแพร่ {r['loaded_at'][:10]} โดย {r['steward']} ชุดที่ {pub.id})",
        "upstream": f"upload {pub.id}: {r['file_name']} sha256 {r['sha256'][:16]}",
        "license": r["license"],
        "notes": r.get("note") or "",
    }


def _fill_observations(con: duckdb.DuckDBPyConnection, seed: pd.DataFrame, active: list[Publication]) -> None:
    """Seed figures, then each active publication in load order: the latest value of a key is current,
    the values it replaced are kept in observation_vintage."""
    con.register("seed_obs", seed)
    parts = ["SELECT indicator_id, area_code, year, value, source_id, load_id FROM seed_obs"]
    for pub in active:
        path = str(pub.rows_path).replace("'", "''")
        parts.append(
            f"SELECT indicator_id, province_code AS area_code, CAST(year AS INTEGER) AS year, "  # noqa: S608
            f"CAST(value AS DOUBLE) AS value, 'upload-{pub.id}' AS source_id, {pub.id} AS load_id "
            f"FROM read_parquet('{path}')"
        )
    con.execute("CREATE TEMP TABLE obs_all AS " + " UNION ALL ".join(parts))
    bad = con.execute(
        "SELECT load_id, indicator_id, area_code, year FROM obs_all "
        "WHERE indicator_id NOT IN (SELECT id FROM indicator) OR area_code NOT IN (SELECT code FROM area) LIMIT 5"
    ).fetchall()
    if bad:
        raise BuildError(
            [f"publication {b[0]}: {b[1]} {b[2]} {b[3]} names an unknown indicator or area" for b in bad]
        )
    bad = con.execute(
        "SELECT load_id, indicator_id, area_code, year, CAST(value AS VARCHAR) FROM obs_all "
        "WHERE NOT isfinite(value) LIMIT 5"
    ).fetchall()
    if bad:  # only finite figures are published (an inf or NaN breaks every JSON reader of the API)
        raise BuildError([f"publication {b[0]}: {b[1]} {b[2]} {b[3]} has the value {b[4]}, not a finite number"
                          for b in bad])  # fmt: skip
    con.execute(
        "INSERT INTO observation SELECT indicator_id, area_code, year, value, source_id, load_id FROM obs_all "
        "QUALIFY row_number() OVER (PARTITION BY indicator_id, area_code, year ORDER BY load_id DESC) = 1"
    )
    con.execute(
        "INSERT INTO observation_vintage SELECT indicator_id, area_code, year, value, source_id, load_id, replaced_by "
        "FROM (SELECT *, lag(load_id) OVER (PARTITION BY indicator_id, area_code, year ORDER BY load_id DESC) "
        "AS replaced_by FROM obs_all) WHERE replaced_by IS NOT NULL"
    )
    con.execute("DROP TABLE obs_all")
    con.unregister("seed_obs")


def write_warehouse(
    target: Path,
    tables: dict[str, pd.DataFrame],
    fill: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
    before_swap: Callable[[], None] | None = None,
) -> None:
    """Write ``tables`` into a fresh file with the schema, then publish it over ``target``.

    Columns are matched by name, so a frame's column order does not matter. ``fill``, if given, runs on
    the new file's connection after the tables are in (the scale generator inserts rows with SQL there).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(target):
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        try:
            con = duckdb.connect(str(tmp))
            try:
                con.execute(schema_sql())
                for name, frame in tables.items():
                    con.register("incoming", frame)
                    con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM incoming")  # noqa: S608 - fixed names
                    con.unregister("incoming")
                if fill is not None:
                    fill(con)
                con.execute("CHECKPOINT")
            finally:
                con.close()
            if before_swap is not None:
                before_swap()
            publish_file(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
            tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
