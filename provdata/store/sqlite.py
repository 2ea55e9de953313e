"""The embedded state store: one SQLite file (mode 0600) under ``PROVDATA_STATE``; several processes of one
host share it with transactions (WAL, ``BEGIN IMMEDIATE``), locks are files beside it."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from provdata.store.base import SCHEMA
from provdata.store.locks import file_lock


class SqliteStore:
    kind = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._schema = SCHEMA.format(id="INTEGER PRIMARY KEY AUTOINCREMENT", real="REAL", blob="BLOB")

    def describe(self) -> str:
        return f"sqlite:///{self.path}"

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        p = self.path
        p.parent.mkdir(parents=True, exist_ok=True)
        if not p.exists():
            os.close(os.open(p, os.O_WRONLY | os.O_CREAT, 0o600))
        con = sqlite3.connect(p, timeout=30, isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA busy_timeout=30000")
            con.executescript(self._schema)
            con.execute("BEGIN IMMEDIATE")
            yield con
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        finally:
            con.close()

    @contextmanager
    def lock(self, name: str) -> Iterator[None]:
        with file_lock(self.path.parent / f".{name}.lock"):
            yield
