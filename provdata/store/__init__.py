"""The state store: everything a deployment creates, behind one small interface.

Accounts and tokens, sign-in failures, the audit log, name aliases stewards confirmed, indicators admins added,
the follow-up register's actions (table ``follow_action``),
and planners' chain edits and plan progress (a layer over the shipped ``data/strategy/`` files). Shipped data
(``data/``, ``geo/``) stays the release's and is never written.

Two backends with the same tables and the same SQL (``?`` placeholders):

- embedded (the default): SQLite at ``$PROVDATA_STATE/state.sqlite`` — zero set-up, what ``make run`` uses;
- PostgreSQL: ``postgresql://…`` — several app hosts share it.

A deployment names its store once: ``[store] url`` in its deployment file (``/etc/provdata/provdata.toml`` or
``PROVDATA_CONFIG``), or ``PROVDATA_STATE_URL``; both naming different stores is refused (:func:`configured`).

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


class StoreMisconfigured(ProvdataError):
    """The deployment names its store twice, differently, or its deployment file cannot be read."""

    key = "store_misconfigured"


def configured() -> tuple[str, str]:
    """(the store's address, where it was named): ``PROVDATA_STATE_URL``, the deployment file's ``[store] url``,
    else the embedded database under ``PROVDATA_STATE`` ("embedded default")."""
    env = os.environ.get("PROVDATA_STATE_URL") or None
    try:
        named = config.deployment().get("store", {}).get("url") or None
    except ProvdataError as exc:
        raise StoreMisconfigured(str(exc)) from exc
    if env and named and env != named:
        raise StoreMisconfigured(
            f"PROVDATA_STATE_URL and {config.deployment_file()} name different state stores: name it once"
        )
    if env:
        return env, "PROVDATA_STATE_URL"
    if named:
        return named, str(config.deployment_file())
    return f"sqlite:///{config.state_dir() / 'state.sqlite'}", "embedded default"


def url() -> str:
    """The store's address (see :func:`configured`)."""
    return configured()[0]


def identity(st: Store) -> str:
    """The store's own id (made once, kept in its ``meta`` and copied by ``state migrate`` and a dump): every
    host on the same store shows the same id, a host on another store a different one. No connection detail."""
    import uuid

    with st.transaction() as tx:
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('store_id', ?) ON CONFLICT (key) DO NOTHING",
            (uuid.uuid4().hex[:12],),
        )
        return tx.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()[0]


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


def absent(st: Store) -> bool:
    """An embedded store whose file was never made: nothing was ever written, so it reads as empty. A build reads
    it without creating it (``make setup`` leaves no empty store behind for ``make run`` to find)."""
    return st.kind == "sqlite" and not Path(st.path).exists()


def for_folder(folder: Path) -> Store:
    """The embedded store of a state folder (tests and the migration use it)."""
    return open_store(f"sqlite:///{Path(folder) / 'state.sqlite'}")


__all__ = [
    "Store",
    "StoreMisconfigured",
    "Tx",
    "absent",
    "configured",
    "current",
    "for_folder",
    "identity",
    "open_store",
    "url",
]
