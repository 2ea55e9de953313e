"""Managing accounts (``python -m provdata account …``): add (or, told so, replace), remove, disable or enable, list."""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

from provdata.accounts.model import NAME, PROVINCE, ROLES, Account, AccountError, _account
from provdata.accounts.records import _actor, _all, _store
from provdata.accounts.signin import _hash
from provdata.store import audit


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
    replace: bool = False,
) -> Account:
    """Create an account; an existing name is refused unless ``replace`` (a replaced account keeps no old
    password or tokens)."""
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
    detail = {"role": role, "agency_id": agency_id, "provinces": list(provinces), "email": email}
    with _store(path).write() as tx:
        old = tx.execute("SELECT role FROM account WHERE name = ?", (name,)).fetchone()
        if old and not replace:
            raise AccountError(
                f"account {name!r} exists ({old[0]}): give --replace to replace it (its password and tokens go), "
                "or choose another name"
            )
        tx.execute("DELETE FROM token WHERE account = ?", (name,))
        tx.execute("DELETE FROM account WHERE name = ?", (name,))
        tx.execute(
            "INSERT INTO account (name, role, agency_id, provinces, email, disabled, password) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (name, role, agency_id, json.dumps(list(provinces)), email, 0, entry["password"]),
        )
        audit.record(tx, actor or _actor(), "shell", "account_add", name,
                     {**detail, "replaced": old[0]} if old else detail, "cli")  # fmt: skip
    return _account(name, entry)


def remove(name: str, path: Path | None = None, actor: str | None = None) -> None:
    with _store(path).write() as tx:
        if not tx.execute("SELECT 1 FROM account WHERE name = ?", (name,)).fetchone():
            raise AccountError(f"there is no account {name!r}")
        tx.execute("DELETE FROM token WHERE account = ?", (name,))
        tx.execute("DELETE FROM account WHERE name = ?", (name,))
        audit.record(tx, actor or _actor(), "shell", "account_remove", name, {}, "cli")


def set_disabled(name: str, disabled: bool, path: Path | None = None, actor: str | None = None) -> None:
    """Disable an account (its sessions and tokens can no longer write) or enable it again."""
    with _store(path).write() as tx:
        if not tx.execute("SELECT 1 FROM account WHERE name = ?", (name,)).fetchone():
            raise AccountError(f"there is no account {name!r}")
        tx.execute("UPDATE account SET disabled = ? WHERE name = ?", (int(disabled), name))
        audit.record(tx, actor or _actor(), "shell", "account_disable" if disabled else "account_enable", name,
                     {}, "cli")  # fmt: skip


def all_accounts(path: Path | None = None) -> list[tuple[Account, bool]]:
    """Every account with whether it is disabled."""
    return [(_account(n, e), bool(e.get("disabled"))) for n, e in _all(path).items()]
