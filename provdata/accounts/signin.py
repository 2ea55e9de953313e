"""Signing in: scrypt password hashes, the lockout of a source address after repeated failed sign-ins
(:func:`lockout_seconds`, :func:`failed`),
:func:`verify`, and the account of a signed-in OIDC user's e-mail (:func:`by_email`)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from pathlib import Path

from provdata.accounts.model import Account, SignInLocked, _account
from provdata.accounts.records import _all, _get
from provdata.basics import config
from provdata.store import audit

_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def _hash(password: str, salt: bytes) -> str:
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def lockout_seconds(client: str = "", at: float | None = None) -> int:
    """How long the source address ``client`` must wait before its next sign-in try; 0 if it may try now.

    The rule: after ``LOCKOUT_AFTER`` failed sign-ins (wrong password, unknown name, bad API token) from one
    address within a day, that address waits ``LOCKOUT_FIRST_SECONDS``, doubled at every further failure, at
    most ``LOCKOUT_MAX_SECONDS``. Counted per address, never per account, so no one can lock another person's
    account out by guessing at it; a right password clears that name's failures from that address.
    """
    at = time.time() if at is None else at
    fails = audit.failures_from_client(client, at - 86_400)
    if len(fails) < config.LOCKOUT_AFTER:
        return 0
    lock = config.LOCKOUT_FIRST_SECONDS * 2 ** (len(fails) - config.LOCKOUT_AFTER)
    wait = fails[-1] + min(lock, config.LOCKOUT_MAX_SECONDS) - at
    return max(0, int(-(-wait // 1)))


def refuse_if_locked(client: str) -> None:
    """Raise SignInLocked while the address must wait (checked before any password or token is)."""
    wait = lockout_seconds(client)
    if wait:
        raise SignInLocked(f"too many failed sign-ins from this address: try again in {wait} s", seconds=wait)


def failed(attempted: str, what: str, client: str) -> None:
    """Count a failed sign-in against its source address and audit it. The actor is unknown (nothing was
    verified): the name tried goes, escaped, into the detail, never into the actor column."""
    now = time.time()
    audit.record_failure(attempted, client, now)
    detail = {"attempted": audit.escape(attempted), "via": what}
    audit.audit(audit.UNKNOWN, "", "signin_failed", "sign-in", detail, client)
    wait = lockout_seconds(client, now)
    if wait:
        audit.audit(audit.UNKNOWN, "", "signin_locked", "sign-in", {**detail, "seconds": wait}, client)


def verify(name: str, password: str, path: Path | None = None, client: str = "") -> Account | None:
    """The account if the password is right, else None (same work either way).

    Raises SignInLocked, without checking the password, while the client address is locked. A disabled
    account never signs in.
    """
    refuse_if_locked(client)
    entry = _get(name, path)
    stored = entry["password"] if entry else "scrypt$" + base64.b64encode(b"0" * 16).decode() + "$x"
    _, salt, _ = stored.split("$")
    ok = hmac.compare_digest(_hash(password, base64.b64decode(salt)), stored)
    if entry and ok and not entry.get("disabled"):
        audit.clear_failures(name, client)
        return _account(name, entry)
    failed(name, "password", client)
    return None


def by_email(email: str, path: Path | None = None) -> Account | None:
    for name, entry in _all(path).items():
        if entry.get("email") and entry["email"].casefold() == email.casefold() and not entry.get("disabled"):
            return _account(name, entry)
    return None
