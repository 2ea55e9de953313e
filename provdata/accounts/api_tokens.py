"""API tokens: made (shown once, only a SHA-256 digest kept), listed, revoked, and resolved to their account
(:func:`by_token`, and :func:`token_account` for a request: failures counted per address)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from pathlib import Path

from provdata.accounts.model import Account, AccountError, _account
from provdata.accounts.records import _actor, _entry, _store
from provdata.accounts.signin import failed, refuse_if_locked
from provdata.basics import config
from provdata.store import audit
from provdata.store.base import next_seq


def new_token(name: str, path: Path | None = None, *, days: int | None = None, label: str = "",
              actor: str | None = None) -> str:  # fmt: skip
    """A new API token for the account (shown once; only its digest is kept), valid for ``days``."""
    days = config.TOKEN_DAYS if days is None else days
    if not 1 <= days <= 3660:
        raise AccountError(f"--days {days}: a token lives 1 to 3660 days")
    if len(label) > 100:
        raise AccountError("a token's label has at most 100 characters")
    token = "pd_" + secrets.token_urlsafe(32)
    made = dt.datetime.now(dt.UTC).replace(microsecond=0)
    item = {
        "id": secrets.token_hex(4),
        "digest": hashlib.sha256(token.encode()).hexdigest(),
        "label": label,
        "created": made.isoformat(),
        "expires": (made + dt.timedelta(days=days)).isoformat(),
    }
    with _store(path).write() as tx:
        if not tx.execute("SELECT 1 FROM account WHERE name = ?", (name,)).fetchone():
            raise AccountError(
                f"there is no account {name!r}: create it with `python -m provdata account add`"
            )
        tx.execute(
            "INSERT INTO token (id, account, digest, label, created, expires, seq) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                item["id"],
                name,
                item["digest"],
                label,
                item["created"],
                item["expires"],
                next_seq(tx, "token"),
            ),
        )
        audit.record(tx, actor or _actor(), "shell", "token_new", name,
                     {k: item[k] for k in ("id", "label", "expires")}, "cli")  # fmt: skip
    return token


def tokens(name: str, path: Path | None = None) -> list[dict]:
    """The account's tokens: id, label, created, expires, expired (never the digest)."""
    with _store(path).transaction() as tx:
        if not tx.execute("SELECT 1 FROM account WHERE name = ?", (name,)).fetchone():
            raise AccountError(f"there is no account {name!r}")
        rows = tx.execute(
            "SELECT id, label, created, expires FROM token WHERE account = ? ORDER BY seq", (name,)
        ).fetchall()
    now = dt.datetime.now(dt.UTC)
    return [
        {"id": i, "label": label, "created": c, "expires": e, "expired": dt.datetime.fromisoformat(e) <= now}
        for i, label, c, e in rows
    ]


def revoke_token(name: str, token_id: str, path: Path | None = None, actor: str | None = None) -> None:
    with _store(path).write() as tx:
        if not tx.execute("SELECT 1 FROM account WHERE name = ?", (name,)).fetchone():
            raise AccountError(f"there is no account {name!r}")
        if not tx.execute("SELECT 1 FROM token WHERE account = ? AND id = ?", (name, token_id)).fetchone():
            raise AccountError(f"account {name!r} has no token {token_id!r} (see `account tokens {name}`)")
        tx.execute("DELETE FROM token WHERE account = ? AND id = ?", (name, token_id))
        audit.record(tx, actor or _actor(), "shell", "token_revoke", name, {"id": token_id}, "cli")


def by_token(token: str, path: Path | None = None) -> Account | None:
    """The account of a valid token: known, not expired, not revoked, account not disabled."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    now = dt.datetime.now(dt.UTC)
    with _store(path).transaction() as tx:
        # looked up by its digest (an index); compared again in constant time
        rows = tx.execute(
            "SELECT t.digest, t.expires, a.name, a.role, a.agency_id, a.provinces, a.email, a.disabled, a.password "
            "FROM token t JOIN account a ON a.name = t.account WHERE t.digest = ?",
            (digest,),
        ).fetchall()
    for row in rows:
        if hmac.compare_digest(digest, row[0]):
            entry = _entry(row[2:])
            if entry["disabled"] or dt.datetime.fromisoformat(row[1]) <= now:
                return None
            return _account(row[2], entry)
    return None


def token_account(token: str, client: str = "") -> Account | None:
    """:func:`by_token` for a request from ``client``: refused while that address is locked out (SignInLocked);
    a token that is not valid counts as a failed sign-in of that address and is audited (never the token)."""
    refuse_if_locked(client)
    account = by_token(token)
    if account is None:
        failed("(api token)", "api token", client)
    return account
