"""Steward accounts: who may publish, for which agency; admins may publish for any agency and roll back.

Stored in ``config.accounts_path()`` (default ``var/accounts.json``, never in the repository), written with
mode 0600. Passwords are kept only as scrypt hashes with a per-account salt; API tokens only as SHA-256
digests (a token is shown once, when it is made). Created and managed with
``python -m provdata steward add|token|list|remove``. When OIDC is configured (``st.login``), a signed-in
user whose e-mail is an account's e-mail acts as that account.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from provdata import config
from provdata.errors import ProvdataError

_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
NAME = re.compile(r"^[a-z0-9][a-z0-9_.@-]{1,63}$")


class AccountError(ProvdataError):
    key = "account"


@dataclass(frozen=True)
class Account:
    name: str
    agency_id: str
    admin: bool = False
    email: str | None = None

    def may_publish(self, agency_id: str) -> bool:
        return self.admin or agency_id == self.agency_id


def _path(path: Path | None) -> Path:
    return Path(path or config.accounts_path())


def _read(path: Path | None = None) -> dict:
    p = _path(path)
    if not p.exists():
        return {"accounts": {}}
    return json.loads(p.read_text(encoding="utf-8"))


def _write(data: dict, path: Path | None = None) -> None:
    p = _path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(p.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, p)


def _hash(password: str, salt: bytes) -> str:
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def _account(name: str, entry: dict) -> Account:
    return Account(name, entry["agency_id"], bool(entry.get("admin")), entry.get("email"))


def add(name: str, password: str, agency_id: str, admin: bool = False, email: str | None = None,
        path: Path | None = None) -> Account:  # fmt: skip
    """Create or replace an account (a replaced account keeps no old password or tokens)."""
    if not NAME.match(name):
        raise AccountError(
            f"account name {name!r}: use 2–64 lower-case letters, digits, '.', '_', '-' or '@'"
        )
    if len(password) < 10:
        raise AccountError("the password must have at least 10 characters")
    data = _read(path)
    data["accounts"][name] = {
        "agency_id": agency_id,
        "admin": admin,
        "email": email,
        "password": _hash(password, secrets.token_bytes(16)),
        "tokens": [],
    }
    _write(data, path)
    return _account(name, data["accounts"][name])


def remove(name: str, path: Path | None = None) -> None:
    data = _read(path)
    if data["accounts"].pop(name, None) is None:
        raise AccountError(f"there is no account {name!r}")
    _write(data, path)


def all_accounts(path: Path | None = None) -> list[Account]:
    return [_account(n, e) for n, e in sorted(_read(path)["accounts"].items())]


def verify(name: str, password: str, path: Path | None = None) -> Account | None:
    """The account if the password is right, else None (same work either way)."""
    entry = _read(path)["accounts"].get(name)
    stored = entry["password"] if entry else "scrypt$" + base64.b64encode(b"0" * 16).decode() + "$x"
    _, salt, _ = stored.split("$")
    ok = hmac.compare_digest(_hash(password, base64.b64decode(salt)), stored)
    return _account(name, entry) if entry and ok else None


def new_token(name: str, path: Path | None = None) -> str:
    """A new API token for the account (shown once; only its digest is kept)."""
    data = _read(path)
    if name not in data["accounts"]:
        raise AccountError(f"there is no account {name!r}: create it with `python -m provdata steward add`")
    token = "pd_" + secrets.token_urlsafe(32)
    data["accounts"][name]["tokens"].append(hashlib.sha256(token.encode()).hexdigest())
    _write(data, path)
    return token


def by_token(token: str, path: Path | None = None) -> Account | None:
    digest = hashlib.sha256(token.encode()).hexdigest()
    for name, entry in _read(path)["accounts"].items():
        if any(hmac.compare_digest(digest, d) for d in entry.get("tokens", [])):
            return _account(name, entry)
    return None


def by_email(email: str, path: Path | None = None) -> Account | None:
    for name, entry in _read(path)["accounts"].items():
        if entry.get("email") and entry["email"].casefold() == email.casefold():
            return _account(name, entry)
    return None
