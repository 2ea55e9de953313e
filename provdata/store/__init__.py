"""The state store: everything a deployment creates, behind one small interface.

Accounts and tokens, sign-in failures, the audit log, name aliases stewards confirmed, indicators admins added,
and planners' chain edits and plan progress (a layer over the shipped ``data/strategy/`` files). Shipped data
(``data/``, ``geo/``) stays the release's and is never written.

Two backends with the same tables and the same SQL (``?`` placeholders):

- embedded (the default): SQLite at ``$PROVDATA_STATE/state.sqlite`` — zero set-up, what ``make run`` uses;
- PostgreSQL: ``PROVDATA_STATE_URL=postgresql://…`` — several app hosts share it.

Every write is a transaction (:meth:`Store.transaction`); a write that is audited uses :meth:`Store.write`, whose
transaction holds the write and its audit line together (on PostgreSQL also a write id, so that a COMMIT whose
answer was lost is asked about afterwards). :func:`current` picks the backend from the
environment at each call, so a test that points ``PROVDATA_STATE`` elsewhere gets that folder's store.
"""

from __future__ import annotations

import os
from pathlib import Path

from provdata.basics import config
from provdata.basics.errors import ProvdataError
from provdata.store.base import Store, Tx
from provdata.store.sqlite import SqliteStore

_open: dict[str, Store] = {}


def url() -> str:
    """The store's address: ``PROVDATA_STATE_URL``, else the embedded database under ``PROVDATA_STATE``."""
    return os.environ.get("PROVDATA_STATE_URL") or f"sqlite:///{config.state_dir() / 'state.sqlite'}"


def open_store(address: str) -> Store:
    """The store at ``address`` (``sqlite:///path`` or ``postgresql://…``), opened once per process."""
    if address not in _open:
        if address.startswith("sqlite:///"):
            _open[address] = SqliteStore(Path(address[len("sqlite:///") :]))
        elif address.startswith(("postgresql://", "postgres://")):
            from provdata.store.postgres import PostgresStore

            _open[address] = PostgresStore(address)
        else:
            raise ProvdataError(
                f"PROVDATA_STATE_URL {address!r}: give postgresql://… or sqlite:///path/to/state.sqlite"
            )
    return _open[address]


def current() -> Store:
    """The deployment's store, as the environment names it now."""
    return open_store(url())


def for_folder(folder: Path) -> Store:
    """The embedded store of a state folder (tests and the migration use it)."""
    return open_store(f"sqlite:///{Path(folder) / 'state.sqlite'}")


__all__ = ["Store", "Tx", "current", "for_folder", "open_store", "url"]
