"""A write applied to the warehouse in place of rebuilding it: the file as it is, copied, with only what the write
changed, stamped with the new sequence and build id, and swapped in atomically (as a full build is).

The full build (run.py) stays the reference: what this module makes is, table for table, what a full build at the
same sequence makes (tests/warehouse/test_incremental.py compares every row; only ``meta.built_at`` and the
shipped loads' ``loaded_at``, the times the file was written, differ). It knows two kinds of change:

- a publication published or rolled back (``Changes.loads``): the cells it names (its own figures, and for a
  rollback the ones it had published) are recomputed from every figure ever published for them — the current one
  in ``observation``, the earlier ones in ``observation_vintage``, without the publication's own, plus its rows
  when it is active — with the build's rule (the highest load id is current, the others are vintages); its
  ``load`` row and its ``source`` row are written again;
- a province's chain or plan progress saved (``Changes.chains``): the chain tables are read again from the
  shipped files with the store's edits laid over (the build's own reader, ``strategy.chain.read_chains``,
  checking every row against the warehouse's areas, indicators and agencies).

Derived figures (ranks, medians, ages, readiness, targets, the statistics chart) are not stored in the warehouse:
the queries compute them from these tables, so nothing else needs recomputing.

It applies only to a file that is the full build of the same release files (``meta.shipped_sha256``), schema and
sequence; anything else — no file, a file of an earlier version, the release's files changed, a change of another
kind (an added indicator, an import), a gap in the store's list of changes — is left to the full build, which the
callers then run. ``PROVDATA_INCREMENTAL=0`` turns this off (every write rebuilds, as before). No streamlit here.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from provdata import store
from provdata.basics import config
from provdata.basics.errors import BuildError
from provdata.store import publications as store_publications
from provdata.store.publications import Publication, remove_stale_temp_files
from provdata.strategy.chain import read_chains
from provdata.warehouse.build.inputs import Inputs, Problems, read_csv_rows
from provdata.warehouse.build.run import (
    BuildResult,
    derived_build_id,
    inputs_digest,
    rebuild_locked,
    shipped_digest,
)
from provdata.warehouse.build.write import (
    _load_row,
    _upload_source,
    check_published,
    publication_rows,
    publish_file,
    writer_lock,
)
from provdata.warehouse.layers import layered

logger = logging.getLogger("provdata.warehouse.incremental")

#: kinds of the store's changes (publications.bump_sequence) applied in place
PUBLICATION_KINDS = frozenset({"publish", "rollback"})
CHAIN_KINDS = frozenset({"chain_edit", "plan_status"})


def enabled() -> bool:
    """``PROVDATA_INCREMENTAL`` (default on; 0 = every write rebuilds the warehouse, as releases before did)."""
    return os.environ.get("PROVDATA_INCREMENTAL", "1").strip().lower() not in ("0", "false", "no", "off")


@dataclass(frozen=True)
class Changes:
    """What changed since a warehouse's sequence: publications published or rolled back, and whether a chain."""

    loads: frozenset[int] = frozenset()
    chains: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.loads | other.loads, self.chains or other.chains)


def changes_of(rows: list[tuple[int, str, dict]], after: int, upto: int) -> Changes | None:
    """The changes the store's rows (publications.changes) list from ``after`` to ``upto``; None when one is
    missing (made by an earlier release) or of a kind not applied in place."""
    if [seq for seq, _k, _keys in rows] != list(range(after + 1, upto + 1)):
        return None
    out = Changes()
    for _seq, kind, keys in rows:
        if kind in PUBLICATION_KINDS and isinstance(keys.get("load"), int):
            out |= Changes(loads=frozenset({keys["load"]}))
        elif kind in CHAIN_KINDS:
            out |= Changes(chains=True)
        else:
            return None
    return out


def refusal(target: Path, inputs: Inputs, at_seq: int) -> str | None:
    """Why the file at ``target`` cannot take a change in place (None: it can): it must be the full build of
    these release files and this schema at the store's sequence ``at_seq``."""
    if not enabled():
        return "PROVDATA_INCREMENTAL=0"
    meta = store_publications.warehouse_meta(target)
    if meta is None:
        return "no readable warehouse"
    if meta.get("synthetic"):
        return "a synthetic warehouse"
    if meta.get("schema_version") != config.SCHEMA_VERSION:
        return f"schema version {meta.get('schema_version')}"
    if pd.isna(meta.get("state_seq")) or int(meta["state_seq"]) != at_seq:
        return f"built at sequence {meta.get('state_seq')}, not {at_seq}"
    if not meta.get("shipped_sha256") or meta["shipped_sha256"] != shipped_digest(inputs):
        return "built from other release files"
    return None


def apply_changes(
    target: Path,
    inputs: Inputs,
    publications: list[Publication],
    changes: Changes,
    *,
    from_seq: int,
    state_seq: int,
    log: Callable[[str], None] = lambda msg: None,
    before_swap: Callable[[], None] | None = None,
) -> BuildResult | None:
    """Apply ``changes`` to a copy of the warehouse at ``target`` (built at ``from_seq``), stamp it with
    ``state_seq`` and swap it in; ``publications``: every publication after the changes (the rows of those in
    ``changes.loads`` that are active). None, with nothing done, when the file cannot take them in place (the
    caller builds in full). A bad row raises BuildError as the full build would, before ``before_swap``."""
    started = time.perf_counter()
    why = refusal(target, inputs, from_seq)
    if why is not None:
        log(f"rebuilding in full: {why}")
        return None
    with layered(inputs) as with_layers:
        digest = inputs_digest(with_layers, publications)
        build_id = derived_build_id(digest, state_seq)
        with writer_lock(target):
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            try:
                try:
                    shutil.copyfile(target, tmp)
                    con = duckdb.connect(str(tmp))
                    try:
                        if changes.loads:
                            _apply_publications(con, publications, changes.loads)
                        if changes.chains:
                            _apply_chains(con, with_layers)
                        built_at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
                        con.execute(
                            "UPDATE meta SET build_id = ?, built_at = ?, inputs_sha256 = ?, state_seq = ?",
                            [build_id, built_at, digest, state_seq],
                        )
                        con.execute("CHECKPOINT")
                    finally:
                        con.close()
                except BuildError:
                    raise
                except Exception as exc:  # not a bad row: the full build is the reference, let it decide
                    logger.warning("could not apply the change in place (%s: %s); rebuilding in full",
                                 type(exc).__name__, exc)  # fmt: skip
                    return None
                if before_swap is not None:
                    before_swap()
                publish_file(tmp, target)
            finally:
                tmp.unlink(missing_ok=True)
                tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    what = [f"publication(s) {', '.join(map(str, sorted(changes.loads)))}"] if changes.loads else []
    what += ["the chains"] if changes.chains else []
    log(f"applied {' and '.join(what)} to {target} (build {build_id}) in {seconds:.2f} s")
    return BuildResult(target, build_id, seconds, {}, incremental=True)


def _apply_publications(
    con: duckdb.DuckDBPyConnection, publications: list[Publication], ids: frozenset[int]
) -> None:
    """Recompute the cells the publications ``ids`` name (before and after) from every figure published for them."""
    by_id = {p.id: p for p in publications}
    fresh = [by_id[i] for i in sorted(ids) if i in by_id and by_id[i].active]
    problems = Problems()
    agencies = {r[0] for r in con.execute("SELECT id FROM agency").fetchall()}
    for pub in fresh:
        if pub.record["agency_id"] not in agencies:
            problems.add(Path(pub.label), None, "agency_id", f"{pub.record['agency_id']!r} is unknown")
    problems.raise_if_any()
    con.execute("CREATE TEMP TABLE changed (load_id INTEGER)")
    con.executemany("INSERT INTO changed VALUES (?)", [[i] for i in sorted(ids)])
    parts = ["SELECT NULL::VARCHAR AS indicator_id, NULL::VARCHAR AS area_code, NULL::INTEGER AS year, "
             "NULL::DOUBLE AS value, NULL::VARCHAR AS source_id, NULL::INTEGER AS load_id WHERE false"]  # fmt: skip
    parts += [publication_rows(pub) for pub in fresh]  # as build/write.py's _fill_observations reads them
    con.execute("CREATE TEMP TABLE fresh AS " + " UNION ALL ".join(parts))
    check_published(con, "fresh")
    cols = "indicator_id, area_code, year, value, source_id, load_id"
    con.execute(
        "CREATE TEMP TABLE cell AS SELECT DISTINCT indicator_id, area_code, year FROM ("
        "SELECT indicator_id, area_code, year FROM observation WHERE load_id IN (SELECT load_id FROM changed) "
        "UNION ALL SELECT indicator_id, area_code, year FROM observation_vintage "
        "WHERE load_id IN (SELECT load_id FROM changed) "
        "UNION ALL SELECT indicator_id, area_code, year FROM fresh)"
    )
    con.execute(
        f"CREATE TEMP TABLE obs_all AS "  # noqa: S608 - fixed column list
        f"SELECT {cols} FROM observation SEMI JOIN cell USING (indicator_id, area_code, year) "
        f"WHERE load_id NOT IN (SELECT load_id FROM changed) "
        f"UNION ALL SELECT {cols} FROM observation_vintage SEMI JOIN cell USING (indicator_id, area_code, year) "
        f"WHERE load_id NOT IN (SELECT load_id FROM changed) "
        f"UNION ALL SELECT {cols} FROM fresh"
    )
    for table in ("observation", "observation_vintage"):
        con.execute(
            f"DELETE FROM {table} t USING cell c WHERE t.indicator_id = c.indicator_id "  # noqa: S608
            f"AND t.area_code = c.area_code AND t.year = c.year"
        )
    con.execute("DELETE FROM load WHERE id IN (SELECT load_id FROM changed)")
    con.execute("DELETE FROM source WHERE id IN (SELECT 'upload-' || load_id FROM changed)")
    loads = pd.DataFrame([_load_row(by_id[i]) for i in sorted(ids) if i in by_id])
    if len(loads):
        con.register("incoming", loads)
        con.execute("INSERT INTO load BY NAME SELECT * FROM incoming")
        con.unregister("incoming")
    if fresh:
        con.register("incoming", pd.DataFrame([_upload_source(p) for p in fresh]))
        con.execute("INSERT INTO source BY NAME SELECT * FROM incoming")
        con.unregister("incoming")
    # the build's rule (build/write.py _fill_observations): the latest load of a cell is current, the rest vintages
    con.execute(
        f"INSERT INTO observation SELECT {cols} FROM obs_all "  # noqa: S608 - fixed column list
        "QUALIFY row_number() OVER (PARTITION BY indicator_id, area_code, year ORDER BY load_id DESC) = 1"
    )
    con.execute(
        f"INSERT INTO observation_vintage SELECT {cols}, replaced_by FROM (SELECT *, "  # noqa: S608
        "lag(load_id) OVER (PARTITION BY indicator_id, area_code, year ORDER BY load_id DESC) AS replaced_by "
        "FROM obs_all) WHERE replaced_by IS NOT NULL"
    )
    for table in ("obs_all", "cell", "fresh", "changed"):
        con.execute(f"DROP TABLE {table}")


def chain_ids(con: duckdb.DuckDBPyConnection) -> tuple[set[str], set[str], set[str]]:
    """(province codes, indicator ids, agency ids) of a warehouse: what a chain's rows are checked against."""
    provinces = {r[0] for r in con.execute("SELECT code FROM area WHERE level = 'province'").fetchall()}
    indicators = {r[0] for r in con.execute("SELECT id FROM indicator").fetchall()}
    agencies = {r[0] for r in con.execute("SELECT id FROM agency").fetchall()}
    return provinces, indicators, agencies


def _apply_chains(con: duckdb.DuckDBPyConnection, inputs: Inputs) -> None:
    problems = Problems()
    chains = read_chains(inputs.strategy_dir, *chain_ids(con), problems, read_csv_rows)
    problems.raise_if_any()
    for name in ("issue_indicator", "csf", "plan_status", "strategy_issue"):
        con.execute(f"DELETE FROM {name}")  # noqa: S608 - fixed names
    for name, frame in chains.items():
        con.register("incoming", frame)
        con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM incoming")  # noqa: S608 - fixed names
        con.unregister("incoming")


def check_chains(target: Path, strategy_dir: Path) -> bool:
    """Check a strategy folder's rows as the build would, against the warehouse at ``target`` (its provinces,
    indicators and agencies): raises BuildError naming each bad row; False when the file cannot be read (the
    caller checks by a trial build)."""
    try:
        con = duckdb.connect(str(target), read_only=True)
    except duckdb.Error:
        return False
    try:
        ids = chain_ids(con)
    finally:
        con.close()
    problems = Problems()
    read_chains(strategy_dir, *ids, problems, read_csv_rows)
    problems.raise_if_any()
    return True


def catch_up_locked(
    target: Path, inputs: Inputs, log: Callable[[str], None] = lambda msg: None
) -> BuildResult:
    """Bring the warehouse to the store's sequence: the changes the store lists since the warehouse's sequence
    applied in place when it can, else a full rebuild (build.rebuild_locked). The caller holds this host's lock."""
    result = _catch_up_in_place(target, inputs, log) if enabled() else None
    return result or rebuild_locked(target, inputs, log)


def _catch_up_in_place(target: Path, inputs: Inputs, log: Callable[[str], None]) -> BuildResult | None:
    have = store_publications.warehouse_sequence(target)
    st = store.current()
    if have is None or store.absent(st):
        return None
    store_publications.import_folders(inputs.uploads_dir, st)
    with st.transaction() as tx:
        seq = store_publications.counter(tx, "warehouse")
        if seq <= have:
            return None
        changes = changes_of(store_publications.changes(tx, have, seq), have, seq)
        if changes is None:
            log(
                f"rebuilding in full: the changes from sequence {have} to {seq} are not all of kinds applied in place"
            )
            return None
        records = [json.loads(r[0]) for r in tx.execute("SELECT record FROM publication ORDER BY id")]
    for line in remove_stale_temp_files(target):
        log(line)
    with tempfile.TemporaryDirectory(prefix="provdata-changes-") as tmp:
        pubs = store_publications.with_rows(
            [Publication(r) for r in records], Path(tmp), st, only=changes.loads
        )
        return apply_changes(target, inputs, pubs, changes, from_seq=have, state_seq=seq, log=log)
