"""Accounts: who may write what. Three roles:

- ``steward`` publishes the figures of one agency (``agency_id``);
- ``planner`` edits the statistics chart, its targets and plan progress of one or more provinces;
- ``admin`` does all of that for every agency and province, rolls publications back and adds indicators.

Stored in the deployment's state store (:mod:`provdata.store`), each change one transaction; an
``accounts.json`` of an earlier version (``config.accounts_path()``) is imported on first use and set aside. Passwords are kept only as scrypt hashes with a per-account salt; API tokens only
as SHA-256 digests, each with an id, a label and an expiry (a token is shown once, when it is made, and can be
revoked on its own). Repeated wrong passwords lock the account, and the client address, for a growing time
(:func:`lockout_seconds`). Every write re-reads the account (:func:`authorise`), so removing or disabling an
account ends its sessions' right to write at once. Managed with ``python -m provdata account …``; a signed-in
OIDC user (``st.login``) whose e-mail is an account's e-mail acts as that account.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from provdata import store
from provdata.basics import config
from provdata.basics.errors import ProvdataError
from provdata.store import Store, audit
from provdata.store.base import next_seq

_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
NAME = re.compile(r"^[a-z0-9][a-z0-9_.@-]{1,63}$")
ROLES = ("steward", "planner", "admin")
PROVINCE = re.compile(r"^\d{2}$")


class AccountError(ProvdataError):
    key = "account"


class SignInLocked(AccountError):
    """Too many wrong passwords: the account or the client address waits ``seconds``."""

    key = "signin_locked"

    def __init__(self, detail: str = "", seconds: int = 0) -> None:
        super().__init__(detail, minutes=max(1, -(-seconds // 60)))
        self.seconds = seconds


class WriteRefused(AccountError):
    """The account may not make this write (removed, disabled, or not its agency / province / role)."""

    key = "write_refused"


@dataclass(frozen=True)
class Account:
    name: str
    agency_id: str = ""
    admin: bool = False
    email: str | None = None
    role: str = "steward"
    provinces: tuple[str, ...] = ()

    def may_publish(self, agency_id: str) -> bool:
        return self.admin or (self.role == "steward" and agency_id == self.agency_id)

    def may_edit_chain(self, province_code: str) -> bool:
        return self.admin or (self.role == "planner" and province_code in self.provinces)


def _store(path: Path | None = None) -> Store:
    """The state store (``path``, kept for callers that named the old accounts file: that folder's store),
    after importing an accounts file written before accounts moved into the store."""
    st = store.for_folder(Path(path).parent) if path else store.current()
    legacy = Path(path) if path else config.accounts_path()
    if legacy.exists():
        _import_json(st, legacy)
    return st


def _import_json(st: Store, legacy: Path) -> None:
    """Copy the accounts and tokens of an old ``accounts.json`` into the store once, then set the file aside
    (renamed ``accounts.json.imported``) so that it is never read or written again."""
    data = json.loads(legacy.read_text(encoding="utf-8"))
    with st.transaction() as tx:
        for name, e in data.get("accounts", {}).items():
            if tx.execute("SELECT 1 FROM account WHERE name = ?", (name,)).fetchone():
                continue
            tx.execute(
                "INSERT INTO account (name, role, agency_id, provinces, email, disabled, password) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (name, _role(e), e.get("agency_id") or "", json.dumps(list(e.get("provinces") or [])),
                 e.get("email"), int(bool(e.get("disabled"))), e["password"]),
            )  # fmt: skip
            for t in e.get("tokens", []):
                if isinstance(t, dict):  # a token made before tokens expired is not carried over
                    tx.execute(
                        "INSERT INTO token (id, account, digest, label, created, expires, seq) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (t["id"], name, t["digest"], t.get("label", ""), t["created"], t["expires"],
                         next_seq(tx, "token")),
                    )  # fmt: skip
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('accounts_imported', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (f"{legacy} at {audit.now()}",),
        )
    os.replace(legacy, legacy.with_name(legacy.name + ".imported"))


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


def _hash(password: str, salt: bytes) -> str:
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def _role(entry: dict) -> str:
    return entry.get("role") or ("admin" if entry.get("admin") else "steward")


def _account(name: str, entry: dict) -> Account:
    role = _role(entry)
    return Account(
        name,
        entry.get("agency_id") or "",
        role == "admin",
        entry.get("email"),
        role,
        tuple(entry.get("provinces") or ()),
    )


def _actor() -> str:
    """Who changes accounts from the command line: the operating-system user (the shell is the credential)."""
    import getpass

    try:
        return "shell:" + getpass.getuser()
    except Exception:  # no user name in this environment
        return "shell:?"


def add(
    name: str,
    password: str,
    agency_id: str = "",
    admin: bool = False,
    email: str | None = None,
    path: Path | None = None,
    *,
    role: str | None = None,
    provinces: tuple[str, ...] | list[str] = (),
    actor: str | None = None,
) -> Account:
    """Create or replace an account (a replaced account keeps no old password or tokens)."""
    role = role or ("admin" if admin else "steward")
    if not NAME.match(name):
        raise AccountError(
            f"account name {name!r}: use 2–64 lower-case letters, digits, '.', '_', '-' or '@'"
        )
    if role not in ROLES:
        raise AccountError(f"role {role!r}: one of {', '.join(ROLES)}")
    if len(password) < 10:
        raise AccountError("the password must have at least 10 characters")
    provinces = tuple(sorted({p.strip() for p in provinces if p.strip()}))
    bad = [p for p in provinces if not PROVINCE.match(p)]
    if bad:
        raise AccountError(f"province {bad[0]!r}: give 2-digit province codes, e.g. 60,62")
    if role == "planner" and not provinces:
        raise AccountError("a planner needs the provinces they edit (e.g. --provinces 60,62)")
    if role == "steward" and not agency_id:
        raise AccountError("a steward needs the agency they publish for (--agency)")
    if email is not None and (len(email) > 254 or not re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+", email)):
        raise AccountError(f"e-mail {email!r} is not an e-mail address")
    entry = {
        "role": role,
        "agency_id": agency_id,
        "provinces": list(provinces),
        "email": email,
        "disabled": False,
        "password": _hash(password, secrets.token_bytes(16)),
    }
    with _store(path).transaction() as tx:
        tx.execute("DELETE FROM token WHERE account = ?", (name,))
        tx.execute("DELETE FROM account WHERE name = ?", (name,))
        tx.execute(
            "INSERT INTO account (name, role, agency_id, provinces, email, disabled, password) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (name, role, agency_id, json.dumps(list(provinces)), email, 0, entry["password"]),
        )
    detail = {"role": role, "agency_id": agency_id, "provinces": list(provinces), "email": email}
    audit.audit(actor or _actor(), "shell", "account_add", name, detail, "cli")
    return _account(name, entry)


def remove(name: str, path: Path | None = None, actor: str | None = None) -> None:
    with _store(path).transaction() as tx:
        if not tx.execute("SELECT 1 FROM account WHERE name = ?", (name,)).fetchone():
            raise AccountError(f"there is no account {name!r}")
        tx.execute("DELETE FROM token WHERE account = ?", (name,))
        tx.execute("DELETE FROM account WHERE name = ?", (name,))
    audit.audit(actor or _actor(), "shell", "account_remove", name, {}, "cli")


def set_disabled(name: str, disabled: bool, path: Path | None = None, actor: str | None = None) -> None:
    """Disable an account (its sessions and tokens can no longer write) or enable it again."""
    with _store(path).transaction() as tx:
        if not tx.execute("SELECT 1 FROM account WHERE name = ?", (name,)).fetchone():
            raise AccountError(f"there is no account {name!r}")
        tx.execute("UPDATE account SET disabled = ? WHERE name = ?", (int(disabled), name))
    audit.audit(
        actor or _actor(), "shell", "account_disable" if disabled else "account_enable", name, {}, "cli"
    )


def all_accounts(path: Path | None = None) -> list[tuple[Account, bool]]:
    """Every account with whether it is disabled."""
    return [(_account(n, e), bool(e.get("disabled"))) for n, e in _all(path).items()]


# ------------------------------------------------------------------------------------------------- sign-in


def lockout_seconds(name: str, client: str = "", at: float | None = None) -> int:
    """How long the account (or the client address) must wait before the next try; 0 if it may try now.

    The rule: after ``LOCKOUT_AFTER`` wrong passwords in a row (within a day) the account waits
    ``LOCKOUT_FIRST_SECONDS``, doubled at every further failure, at most ``LOCKOUT_MAX_SECONDS``; a client
    address with ``LOCKOUT_CLIENT_FAILURES`` failures within ``LOCKOUT_CLIENT_WINDOW_SECONDS`` waits until the
    oldest of them leaves the window. A right password clears the account's count.
    """
    at = time.time() if at is None else at
    fails = audit.failures_of_account(name, at - 86_400)
    wait = 0.0
    if len(fails) >= config.LOCKOUT_AFTER:
        lock = config.LOCKOUT_FIRST_SECONDS * 2 ** (len(fails) - config.LOCKOUT_AFTER)
        wait = max(wait, fails[-1] + min(lock, config.LOCKOUT_MAX_SECONDS) - at)
    window = config.LOCKOUT_CLIENT_WINDOW_SECONDS
    from_client = audit.failures_from_client(client, at - window)
    if len(from_client) >= config.LOCKOUT_CLIENT_FAILURES:
        wait = max(wait, from_client[-config.LOCKOUT_CLIENT_FAILURES] + window - at)
    return max(0, int(-(-wait // 1)))


def verify(name: str, password: str, path: Path | None = None, client: str = "") -> Account | None:
    """The account if the password is right, else None (same work either way).

    Raises SignInLocked, without checking the password, while the account or the client address is locked.
    A disabled account never signs in.
    """
    wait = lockout_seconds(name, client)
    if wait:
        raise SignInLocked(
            f"too many wrong passwords for {name!r} or from this address: try again in {wait} s", seconds=wait
        )
    entry = _get(name, path)
    stored = entry["password"] if entry else "scrypt$" + base64.b64encode(b"0" * 16).decode() + "$x"
    _, salt, _ = stored.split("$")
    ok = hmac.compare_digest(_hash(password, base64.b64decode(salt)), stored)
    if entry and ok and not entry.get("disabled"):
        audit.clear_failures(name)
        return _account(name, entry)
    now = time.time()
    audit.record_failure(name, client, now)
    audit.audit(name, _role(entry) if entry else "", "signin_failed", name, {}, client)
    wait = lockout_seconds(name, client, now)
    if wait:
        audit.audit(name, _role(entry) if entry else "", "signin_locked", name, {"seconds": wait}, client)
    return None


def current(account: Account, path: Path | None = None) -> Account:
    """The account as stored now; raises WriteRefused if it was removed or disabled since sign-in."""
    entry = _get(account.name, path)
    if entry is None:
        raise WriteRefused(f"account {account.name!r} no longer exists: sign in again")
    if entry.get("disabled"):
        raise WriteRefused(f"account {account.name!r} is disabled: ask an admin")
    return _account(account.name, entry)


def authorise(account: Account | None, action: str, target: str, *, agency_id: str | None = None,
              province: str | None = None, admin: bool = False, client: str = "") -> Account:  # fmt: skip
    """Check, at the moment of writing, that ``account`` (re-read from the store) may do ``action``.

    Give ``agency_id`` for a publication, ``province`` for a chain or plan edit, ``admin=True`` for what only
    admins do. A refusal is logged and raised as WriteRefused naming what is missing.
    """
    try:
        if account is None:
            raise WriteRefused(f"{action} needs a signed-in account")
        fresh = current(account)
        if admin and not fresh.admin:
            raise WriteRefused(f"{fresh.name} is not an admin: only admins may {action.replace('_', ' ')}")
        if agency_id is not None and not fresh.may_publish(agency_id):
            raise WriteRefused(f"{fresh.name} ({fresh.role}) may not publish figures of agency {agency_id}")
        if province is not None and not fresh.may_edit_chain(province):
            raise WriteRefused(
                f"{fresh.name} ({fresh.role}) may not edit the statistics chart of province {province}"
            )
    except WriteRefused as exc:
        who = account.name if account else "anonymous"
        audit.audit(who, account.role if account else "", "write_refused", target,
                    {"action": action, "reason": str(exc)}, client)  # fmt: skip
        raise
    return fresh


# -------------------------------------------------------------------------------------------------- tokens


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
    with _store(path).transaction() as tx:
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
    audit.audit(actor or _actor(), "shell", "token_new", name, {k: item[k] for k in ("id", "label", "expires")},
                "cli")  # fmt: skip
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
    with _store(path).transaction() as tx:
        if not tx.execute("SELECT 1 FROM account WHERE name = ?", (name,)).fetchone():
            raise AccountError(f"there is no account {name!r}")
        if not tx.execute("SELECT 1 FROM token WHERE account = ? AND id = ?", (name, token_id)).fetchone():
            raise AccountError(f"account {name!r} has no token {token_id!r} (see `account tokens {name}`)")
        tx.execute("DELETE FROM token WHERE account = ? AND id = ?", (name, token_id))
    audit.audit(actor or _actor(), "shell", "token_revoke", name, {"id": token_id}, "cli")


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


def by_email(email: str, path: Path | None = None) -> Account | None:
    for name, entry in _all(path).items():
        if entry.get("email") and entry["email"].casefold() == email.casefold() and not entry.get("disabled"):
            return _account(name, entry)
    return None
