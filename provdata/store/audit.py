"""The audit log of every write and the sign-in failures behind the lockout, kept in the deployment's state
store (:mod:`provdata.store`: ``var/state.sqlite`` by default, mode 0600, never in the repository; PostgreSQL
with ``PROVDATA_STATE_URL``), so every app process — on one host or several — shares them.

Every write — publish, rollback, chain edit, plan progress, indicator added, name confirmed as an agency's
alias, account change, sign-in failure and lockout — is recorded by :func:`audit` with who, when, from where, what and what changed.
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import AbstractContextManager
from pathlib import Path

import pandas as pd

from provdata import store
from provdata.basics import config

#: Actions an admin can filter the audit log by.
ACTIONS = (
    "publish",
    "rollback",
    "chain_edit",
    "plan_status",
    "indicator_add",
    "alias_confirm",
    "account_add",
    "account_remove",
    "account_disable",
    "account_enable",
    "token_new",
    "token_revoke",
    "signin_failed",
    "signin_locked",
    "write_refused",
)

AUDIT_COLUMNS = ["id", "at", "actor", "role", "action", "target", "detail", "client"]


def path() -> Path:
    """The embedded store's database file (``$PROVDATA_STATE/state.sqlite``)."""
    return config.state_dir() / "state.sqlite"


def connect() -> AbstractContextManager:
    """A transaction on the deployment's state store (committed on success, rolled back on error)."""
    return store.current().transaction()


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0).isoformat()


def audit(
    actor: str, role: str, action: str, target: str, detail: dict | None = None, client: str = ""
) -> None:
    """Record one write (or refused write) in the audit log."""
    with connect() as con:
        con.execute(
            "INSERT INTO audit (at, actor, role, action, target, detail, client) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (now(), actor, role, action, target, json.dumps(detail or {}, ensure_ascii=False, default=str),
             client or ""),
        )  # fmt: skip


def audit_log(action: str | None = None, limit: int = 10_000) -> pd.DataFrame:
    """The newest ``limit`` entries (optionally of one action), newest first."""
    with connect() as con:
        if action:
            rows = con.execute(
                "SELECT * FROM audit WHERE action = ? ORDER BY id DESC LIMIT ?", (action, limit)
            ).fetchall()
        else:
            rows = con.execute("SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS)


def last_write(action: str, target: str) -> dict | None:
    """The newest audit entry of ``action`` on ``target`` (who changed it, when), or None."""
    with connect() as con:
        row = con.execute(
            "SELECT * FROM audit WHERE action = ? AND target = ? ORDER BY id DESC LIMIT 1", (action, target)
        ).fetchone()
    return dict(zip(AUDIT_COLUMNS, row, strict=True)) if row else None


# ------------------------------------------------------------------------------------------ sign-in failures


def record_failure(account: str, client: str, at: float) -> None:
    with connect() as con:
        con.execute("INSERT INTO signin_failure VALUES (?, ?, ?)", (at, account, client or ""))
        # Failures older than a day no longer count for anything: keep the table bounded.
        con.execute("DELETE FROM signin_failure WHERE at < ?", (at - 86_400,))


def clear_failures(account: str) -> None:
    with connect() as con:
        con.execute("DELETE FROM signin_failure WHERE account = ?", (account,))


def failures_of_account(account: str, since: float) -> list[float]:
    with connect() as con:
        rows = con.execute(
            "SELECT at FROM signin_failure WHERE account = ? AND at >= ? ORDER BY at", (account, since)
        ).fetchall()
    return [r[0] for r in rows]


def failures_from_client(client: str, since: float) -> list[float]:
    if not client:
        return []
    with connect() as con:
        rows = con.execute(
            "SELECT at FROM signin_failure WHERE client = ? AND at >= ? ORDER BY at", (client, since)
        ).fetchall()
    return [r[0] for r in rows]
