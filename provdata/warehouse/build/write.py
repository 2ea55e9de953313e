"""Writing the warehouse file: the schema, the publications' loads, sources and figures, and the new file
made durable and swapped over the old one under the writer lock.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from provdata.basics.errors import BuildError
from provdata.store.locks import file_lock
from provdata.store.publications import Publication, fsync_dir

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"


def schema_sql() -> str:
    """schema.sql first, then every other ``provdata/warehouse/sql/schema_*.sql`` (one per area) in name order."""
    files = [SQL_DIR / "schema.sql", *sorted(SQL_DIR.glob("schema_*.sql"))]
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


def writer_lock(target: Path):
    """Serialise writers of one warehouse file (blocks until the other writer is done)."""
    return file_lock(target.with_name(target.name + ".lock"))


def publish_file(tmp: Path, target: Path) -> None:
    """Make ``tmp`` durable, then swap it over ``target`` in one step."""
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    fsync_dir(target.parent)


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


def publication_rows(pub) -> str:
    """The SELECT of one publication's tidy rows (its Parquet file) as observation rows, source ``upload-<id>``."""
    path = str(pub.rows_path).replace("'", "''")
    return (
        f"SELECT indicator_id, province_code AS area_code, CAST(year AS INTEGER) AS year, "  # noqa: S608
        f"CAST(value AS DOUBLE) AS value, 'upload-{pub.id}' AS source_id, {pub.id} AS load_id "
        f"FROM read_parquet('{path}')"
    )


def check_published(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Refuse published rows (in the temp table ``table``, a name from code) that name an unknown indicator or
    area, or hold a value that is not a finite number (an inf or NaN breaks every JSON reader of the API)."""
    bad = con.execute(
        f"SELECT load_id, indicator_id, area_code, year FROM {table} "  # noqa: S608
        "WHERE indicator_id NOT IN (SELECT id FROM indicator) OR area_code NOT IN (SELECT code FROM area) LIMIT 5"
    ).fetchall()
    if bad:
        raise BuildError(
            [f"publication {b[0]}: {b[1]} {b[2]} {b[3]} names an unknown indicator or area" for b in bad]
        )
    bad = con.execute(
        f"SELECT load_id, indicator_id, area_code, year, CAST(value AS VARCHAR) FROM {table} "  # noqa: S608
        "WHERE NOT isfinite(value) LIMIT 5"
    ).fetchall()
    if bad:
        raise BuildError([f"publication {b[0]}: {b[1]} {b[2]} {b[3]} has the value {b[4]}, not a finite number"
                          for b in bad])  # fmt: skip


def _fill_observations(con: duckdb.DuckDBPyConnection, seed: pd.DataFrame, active: list[Publication]) -> None:
    """Seed figures, then each active publication in load order: the latest value of a key is current,
    the values it replaced are kept in observation_vintage."""
    con.register("seed_obs", seed)
    parts = ["SELECT indicator_id, area_code, year, value, source_id, load_id FROM seed_obs"]
    parts += [publication_rows(pub) for pub in active]
    con.execute("CREATE TEMP TABLE obs_all AS " + " UNION ALL ".join(parts))
    check_published(con, "obs_all")
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
