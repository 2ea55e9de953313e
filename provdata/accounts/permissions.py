"""The check at the moment of writing: the account as stored now (:func:`current`) and whether it may do the
write (:func:`authorise`), refusals logged."""

from __future__ import annotations

from pathlib import Path

from provdata.accounts.model import Account, WriteRefused, _account
from provdata.accounts.records import _get
from provdata.store import audit


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
