"""Read-only access to the published warehouse: one connection per process, a cursor per query.

DuckDB 2.0 refuses one connection shared by threads, and Streamlit sessions are threads, so every
query takes its own ``cursor()``. When a writer publishes a new file (``os.replace``), the next
query notices the new inode and reopens: readers follow the build without a restart.

The file is ATTACHed to a private in-memory database rather than opened with
``duckdb.connect(path)``: DuckDB caches database instances by path, so a plain reconnect after a
publish would hand back the old, unlinked file.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from provdata.basics import config
from provdata.basics.errors import WarehouseCorrupt, WarehouseMissing, WarehouseSynthetic


class Warehouse:
    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path or config.warehouse_path())
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._stamp: tuple[int, int, int] | None = None
        self._build_id = ""

    def _file_stamp(self) -> tuple[int, int, int]:
        try:
            st = os.stat(self.path)
        except FileNotFoundError as exc:
            raise WarehouseMissing(f"{self.path} does not exist", path=str(self.path)) from exc
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _connection(self) -> duckdb.DuckDBPyConnection:
        stamp = self._file_stamp()
        with self._lock:
            if self._con is None or stamp != self._stamp:
                # The old connection is left to the garbage collector: another thread may still
                # be reading through a cursor of it.
                self._con, self._build_id = _open(self.path)
                self._stamp = stamp
            return self._con

    @property
    def build_id(self) -> str:
        self._connection()
        return self._build_id

    def query(self, sql: str, params: dict[str, Any] | list[Any] | None = None) -> pd.DataFrame:
        """Run one read query with bound parameters and return a DataFrame."""
        cur = self._connection().cursor()
        try:
            cur.execute(f"USE {ALIAS}")
            return cur.execute(sql, params or {}).df()
        finally:
            cur.close()


ALIAS = "wh"


def _open(path: Path) -> tuple[duckdb.DuckDBPyConnection, str]:
    con = duckdb.connect()
    literal = str(path).replace("'", "''")
    try:
        con.execute(f"ATTACH '{literal}' AS {ALIAS} (READ_ONLY)")
    except duckdb.Error as exc:
        con.close()
        raise WarehouseCorrupt(str(exc), path=str(path)) from exc
    try:
        version, build_id, synthetic = con.execute(
            f"SELECT schema_version, build_id, synthetic FROM {ALIAS}.meta"  # noqa: S608 - fixed alias
        ).fetchone()
    except (duckdb.Error, TypeError) as exc:
        con.close()
        raise WarehouseCorrupt(f"{path}: no readable meta table ({exc})", path=str(path)) from exc
    if version != config.SCHEMA_VERSION:
        con.close()
        raise WarehouseCorrupt(
            f"{path}: schema version {version}, this code expects {config.SCHEMA_VERSION}",
            path=str(path),
        )
    if synthetic and os.environ.get("PROVDATA_ALLOW_SYNTHETIC") != "1":
        con.close()
        raise WarehouseSynthetic(f"{path}: synthetic scale-test data (meta.synthetic)", path=str(path))
    return con, build_id
