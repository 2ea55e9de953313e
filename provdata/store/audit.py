"""The audit log of every write and the sign-in failures behind the lockout, kept in the deployment's state
store (:mod:`provdata.store`: ``var/state.sqlite`` by default, mode 0600, never in the repository; PostgreSQL
with ``PROVDATA_STATE_URL``), so every app process — on one host or several — shares them.

Every write — publish, rollback, chain edit, plan progress, indicator added, name confirmed as an agency's
alias, account change, sign-in failure and lockout — is recorded with who, when, from where, what and what
changed. A write's line is inserted by :func:`record` in the write's own transaction (``Store.write``), so
the write and its line commit together or not at all; :func:`audit` records a line on its own (refusals,
sign-in failures). The actor is always a verified identity — an account that signed in or holds a valid token,
``shell:<user>`` on the command line — or :data:`UNKNOWN`; a name someone merely typed goes, escaped, into the
detail (:func:`escape`).
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from contextlib import AbstractContextManager
from pathlib import Path

import pandas as pd

from provdata import store
from provdata.basics import config
from provdata.store.base import Tx

#: Actions an admin can filter the audit log by.
ACTIONS = (
    "publish",
    "rollback",
    "chain_edit",
    "plan_status",
    "follow_action",
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
    "alias_remove",
    "alias_override",
)

#: The actor of a line whose identity was not verified (a failed sign-in, a bad token).
UNKNOWN = "(unknown)"

AUDIT_COLUMNS = ["id", "at", "actor", "role", "action", "target", "detail", "client"]


def path() -> Path:
    """The embedded store's database file (``$PROVDATA_STATE/state.sqlite``)."""
    return config.state_dir() / "state.sqlite"


def connect() -> AbstractContextManager:
    """A transaction on the deployment's state store (committed on success, rolled back on error)."""
    return store.current().transaction()


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0).isoformat()


def escape(text: str, limit: int = 80) -> str:
    r"""Unchecked text (a typed user name) as a line may show it: a backslash, control, format and line or
    paragraph separator characters written as escapes (``\n``, ``\u202e``), cut at ``limit`` characters."""
    out = []
    for ch in str(text)[:limit]:
        if ch == "\\" or not ch.isprintable() or unicodedata.category(ch) in ("Cf", "Zl", "Zp"):
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out) + ("…" if len(str(text)) > limit else "")


def record(
    tx: Tx, actor: str, role: str, action: str, target: str, detail: dict | None = None, client: str = ""
) -> None:
    """Add one line to the audit log in the caller's transaction (the write it records commits with it)."""
    tx.execute(
        "INSERT INTO audit (at, actor, role, action, target, detail, client) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (now(), actor, role, action, target, json.dumps(detail or {}, ensure_ascii=False, default=str),
         client or ""),
    )  # fmt: skip


def audit(
    actor: str, role: str, action: str, target: str, detail: dict | None = None, client: str = ""
) -> None:
    """Record one line on its own (a refusal, a sign-in failure: nothing else is written with it)."""
    with connect() as tx:
        record(tx, actor, role, action, target, detail, client)


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


def clear_failures(account: str, client: str) -> None:
    """A right password: the failures of that name from that address no longer count."""
    with connect() as con:
        con.execute("DELETE FROM signin_failure WHERE account = ? AND client = ?", (account, client or ""))


def failures_from_client(client: str, since: float) -> list[float]:
    """When the failed sign-ins from ``client`` since ``since`` were ('' counts as one address: local)."""
    with connect() as con:
        rows = con.execute(
            "SELECT at FROM signin_failure WHERE client = ? AND at >= ? ORDER BY at", (client or "", since)
        ).fetchall()
    return [r[0] for r in rows]
