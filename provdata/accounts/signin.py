"""Signing in: scrypt password hashes, the lockout after repeated wrong passwords (:func:`lockout_seconds`),
:func:`verify`, and the account of a signed-in OIDC user's e-mail (:func:`by_email`)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from pathlib import Path

from provdata.accounts.model import Account, SignInLocked, _account, _role
from provdata.accounts.records import _all, _get
from provdata.basics import config
from provdata.store import audit

_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def _hash(password: str, salt: bytes) -> str:
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


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


def by_email(email: str, path: Path | None = None) -> Account | None:
    for name, entry in _all(path).items():
        if entry.get("email") and entry["email"].casefold() == email.casefold() and not entry.get("disabled"):
            return _account(name, entry)
    return None
