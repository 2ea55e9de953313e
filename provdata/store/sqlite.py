"""The embedded state store: one SQLite file (mode 0600) under ``PROVDATA_STATE``; several processes of one
host share it with transactions (WAL, ``BEGIN IMMEDIATE``), locks are files beside it."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from provdata.basics.errors import ProvdataError
from provdata.store.base import SCHEMA
from provdata.store.locks import file_lock


class StoreBusy(ProvdataError):
    """The embedded store could not be written: another writer held it too long, or its disk is full (nothing
    of this transaction was kept)."""


def busy_seconds() -> float:
    """How long a writer waits for another writer of the embedded store (env PROVDATA_STORE_BUSY_SECONDS)."""
    return float(os.environ.get("PROVDATA_STORE_BUSY_SECONDS", "30"))


def _said(store: SqliteStore, exc: sqlite3.OperationalError) -> StoreBusy | None:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreBusy(
            f"the state store {store.describe()} is busy: another writer held it for more than "
            f"{busy_seconds():g} s; nothing was written, try again"
        )
    if "full" in text:
        return StoreBusy(
            f"the disk holding the state store {store.describe()} is full: nothing was written; free some "
            "space and try again"
        )
    return None


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
        wait = busy_seconds()
        con = sqlite3.connect(p, timeout=wait, isolation_level=None)
        try:
            con.execute(f"PRAGMA busy_timeout={int(wait * 1000)}")
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript(self._schema)
            con.execute("BEGIN IMMEDIATE")
            yield con
            con.execute("COMMIT")
        except BaseException as exc:
            if con.in_transaction:
                con.execute("ROLLBACK")
            said = _said(self, exc) if isinstance(exc, sqlite3.OperationalError) else None
            if said is not None:
                raise said from exc
            raise
        finally:
            con.close()

    def write(self):
        """A write and its audit line: one local transaction (a commit is never left in doubt)."""
        return self.transaction()

    @contextmanager
    def lock(self, name: str) -> Iterator[None]:
        with file_lock(self.path.parent / f".{name}.lock"):
            yield
