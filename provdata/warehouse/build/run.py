"""The build itself: every input read and checked, the recipes run, the publications replayed, the
warehouse written and swapped in (:func:`build_warehouse`, :func:`rebuild_locked`), with what it logs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from provdata.basics import clock, config
from provdata.ingest import ProvinceNames
from provdata.store.publications import Publication, publish_lock, remove_stale_temp_files, snapshot
from provdata.strategy.chain import read_chains
from provdata.warehouse.build.indicators import apply_profile, read_added_indicators, read_indicators
from provdata.warehouse.build.inputs import Inputs, Problems, _display_path, _sha256, read_csv_rows
from provdata.warehouse.build.observations import read_observations, read_series_breaks
from provdata.warehouse.build.reference import (
    read_agencies_and_sources,
    read_areas,
    read_release_calendar,
    read_themes,
)
from provdata.warehouse.build.write import _fill_observations, _load_row, _upload_source, write_warehouse
from provdata.warehouse.layers import layered
from provdata.warehouse.precedence import SEED, precedence_of
from provdata.warehouse.recipes import REPORT_COLUMNS, read_recipes, recipe_tables, run_recipes


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


def derived_build_id(inputs_sha256: str, state_seq: int | None) -> str:
    """The build's id, derived from what it was built from (the schema, the inputs and publications, the store's
    sequence): every host that builds the same state gets the same id, so ``meta.build_id`` does not flip
    behind a balancer. ``s<sequence>-<12 hex>``; ``local-…`` for a build not taken from the store."""
    h = hashlib.sha256(f"{config.SCHEMA_VERSION}\0{inputs_sha256}\0{state_seq}".encode()).hexdigest()[:12]
    return f"{'local' if state_seq is None else f's{state_seq}'}-{h}"


def inputs_digest(inputs: Inputs, publications: list[Publication]) -> str:
    """The digest of what a build reads: every input file (the store's layers laid over) and each publication's
    id, file digest and status (``meta.inputs_sha256``)."""
    digest = hashlib.sha256()
    for path in inputs.files():
        digest.update(path.name.encode() + b"\0" + _sha256(path).encode())
    for pub in publications:
        digest.update(f"{pub.id}\0{pub.record['sha256']}\0{pub.record['status']}".encode())
    return digest.hexdigest()


def shipped_digest(inputs: Inputs) -> str:
    """The digest of the release's own files the build reads (``meta.shipped_sha256``; nothing from the store): a
    write is applied to a warehouse in place only while these are the files it was built from."""
    digest = hashlib.sha256(str(config.SCHEMA_VERSION).encode())
    for path in dataclasses.replace(inputs, added_indicators=None).files():
        digest.update(path.name.encode() + b"\0" + _sha256(path).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class BuildResult:
    path: Path
    build_id: str
    seconds: float
    counts: dict[str, int]
    #: True when the change was applied to the file in place of a full build (build/incremental.py)
    incremental: bool = False


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
    shipped = shipped_digest(inputs)
    with layered(inputs) as with_layers:  # the state store's edits over the shipped files (read only)
        return _build(target, with_layers, log, publications, state_seq, before_swap, shipped)


def _build(
    target: Path | None,
    inputs: Inputs,
    log: Callable[[str], None],
    publications: list[Publication],
    state_seq: int | None = None,
    before_swap: Callable[[], None] | None = None,
    shipped: str | None = None,
) -> BuildResult:
    started = time.perf_counter()
    target = Path(target or config.warehouse_path())
    problems = Problems()

    log("reading areas, agencies, sources and indicators …")
    areas = read_areas(inputs, problems)
    agencies, sources = read_agencies_and_sources(inputs, problems)
    themes = read_themes(inputs, problems)
    recipes = read_recipes(inputs.recipes_dir, problems)
    # a shipped indicator may name a recipe's source among its copies (population_registered: DOPA's files)
    early = pd.DataFrame(
        [{"id": r.id, "agency_id": r.source["agency"]} for r in recipes], columns=["id", "agency_id"]
    )
    indicators = read_indicators(inputs, pd.concat([sources, early], ignore_index=True), themes, problems)
    recipe_sources, recipe_indicators = recipe_tables(
        recipes, set(agencies.id), set(themes.id), set(indicators.id), problems, precedence_of(indicators)
    )
    sources = pd.concat([sources, recipe_sources], ignore_index=True)
    release_calendar = read_release_calendar(inputs, sources["id"].tolist(), problems)
    indicators = pd.concat([indicators, recipe_indicators], ignore_index=True)
    indicators = pd.concat(
        [indicators, read_added_indicators(inputs.added_indicators, set(indicators.id), set(themes.id),
                                           set(agencies.id), problems)], ignore_index=True,
    )  # fmt: skip
    indicators = apply_profile(indicators, inputs, problems)
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
        frames.append(frame.assign(load_id=load_id, file=_display_path(path)))
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
            recipes, inputs.inbox_dir, names, indicators, provinces, len(obs_files) + 1, problems, districts,
            shipped=pd.concat(frames, ignore_index=True),
        )  # fmt: skip
        problems.raise_if_any()
        frames = [kept[["indicator_id", "area_code", "year", "value", "source_id", "load_id"]]]
        n_recipe = int((kept.recipe != SEED).sum())
        loads += [{**load, "loaded_at": built_at} for load in recipe_loads]
        for name, secs in recipe_seconds.items():
            n = int((kept.recipe == name).sum())
            log(f"  recipe {name}: {n:,} figures kept in {secs:.2f} s")
        _log_recipe_report(recipe_report, log)
    seed_observations = pd.concat(frames, ignore_index=True)[
        ["indicator_id", "area_code", "year", "value", "source_id", "load_id"]
    ].astype({"year": "int32", "value": "float64"})
    agency_ids = set(agencies.id)
    for pub in publications:
        loads.append(_load_row(pub))
        if pub.active:
            if pub.record["agency_id"] not in agency_ids:
                problems.add(Path(pub.label), None, "agency_id", f"{pub.record['agency_id']!r} is unknown")
            sources = pd.concat([sources, pd.DataFrame([_upload_source(pub)])], ignore_index=True)
    problems.raise_if_any()

    digest = inputs_digest(inputs, publications)
    build_id = derived_build_id(digest, state_seq)
    meta = pd.DataFrame(
        [
            {
                "schema_version": config.SCHEMA_VERSION,
                "build_id": build_id,
                "built_at": built_at,
                "inputs_sha256": digest,
                "synthetic": False,
                "state_seq": state_seq,
                "shipped_sha256": shipped,
            }
        ]
    )
    tables = {
        "meta": meta,
        "area": areas,
        "agency": agencies,
        "source": sources,
        "release_calendar": release_calendar,
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
        chains, queries.years_present(wh, codes, ids), queries.calendar(wh, clock.today())
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
            f"    {r.outcome}: {r.indicator_id} {r.area_code} {r.year} "
            f"({r.file if r.recipe == SEED else f'{r.recipe} {r.file} row {r.row}'}): {r.reason}"
        )
