"""The stored accounts: the state store (after importing a legacy ``accounts.json``), one account's entry or
all of them, and who changes accounts from the command line (``_actor``)."""

from __future__ import annotations

import json
from pathlib import Path

from provdata import store
from provdata.accounts.legacy import _import_json
from provdata.basics import config
from provdata.store import Store


def _store(path: Path | None = None) -> Store:
    """The state store (``path``, kept for callers that named the old accounts file: that folder's store),
    after importing an accounts file written before accounts moved into the store."""
    st = store.for_folder(Path(path).parent) if path else store.current()
    legacy = Path(path) if path else config.accounts_path()
    if legacy.exists():
        _import_json(st, legacy)
    return st


def _entry(row) -> dict:
    return {
        "role": row[1],
        "agency_id": row[2],
        "provinces": json.loads(row[3]),
        "email": row[4],
        "disabled": bool(row[5]),
        "password": row[6],
    }


def _get(name: str, path: Path | None = None) -> dict | None:
    """The stored entry of one account (without tokens), or None."""
    with _store(path).transaction() as tx:
        row = tx.execute(
            "SELECT name, role, agency_id, provinces, email, disabled, password FROM account WHERE name = ?",
            (name,),
        ).fetchone()
    return _entry(row) if row else None


def _all(path: Path | None = None) -> dict[str, dict]:
    with _store(path).transaction() as tx:
        rows = tx.execute(
            "SELECT name, role, agency_id, provinces, email, disabled, password FROM account ORDER BY name"
        ).fetchall()
    return {r[0]: _entry(r) for r in rows}


def _actor() -> str:
    """Who changes accounts from the command line: the operating-system user (the shell is the credential)."""
    import getpass

    try:
        return "shell:" + getpass.getuser()
    except Exception:  # no user name in this environment
        return "shell:?"
