"""Accounts: who may write what. Three roles:

- ``steward`` publishes the figures of one agency (``agency_id``);
- ``planner`` edits the statistics chart, its targets and plan progress of one or more provinces;
- ``admin`` does all of that for every agency and province, rolls publications back and adds indicators.

Stored in the deployment's state store (:mod:`provdata.store`), each change one transaction; an
``accounts.json`` of an earlier version (``config.accounts_path()``) is imported on first use and set aside. Passwords are kept only as scrypt hashes with a per-account salt; API tokens only
as SHA-256 digests, each with an id, a label and an expiry (a token is shown once, when it is made, and can be
revoked on its own). Repeated failed sign-ins (passwords or tokens) lock out the source address, never the
account, for a growing time (:func:`lockout_seconds`); they are audited with an unknown actor. Every write re-reads the account (:func:`authorise`), so removing or disabling an
account ends its sessions' right to write at once. Managed with ``python -m provdata account …``; a signed-in
OIDC user (``st.login``) whose e-mail is an account's e-mail acts as that account.

Modules: ``model`` (roles, errors, :class:`Account` and its permission checks), ``permissions``
(:func:`current`, :func:`authorise`), ``signin`` (password hashes, lockout, :func:`verify`, :func:`by_email`),
``api_tokens`` (:func:`new_token`, :func:`tokens`, :func:`revoke_token`, :func:`by_token`), ``manage``
(:func:`add`, :func:`remove`, :func:`set_disabled`, :func:`all_accounts`), ``records`` (the stored entries) and
``legacy`` (the one-time ``accounts.json`` import). The names are re-exported here: callers use
``provdata.accounts``.
"""

from __future__ import annotations

from provdata.accounts.api_tokens import by_token, new_token, revoke_token, token_account, tokens
from provdata.accounts.manage import add, all_accounts, remove, set_disabled
from provdata.accounts.model import NAME, PROVINCE, ROLES, Account, AccountError, SignInLocked, WriteRefused
from provdata.accounts.permissions import authorise, current
from provdata.accounts.signin import _hash, by_email, lockout_seconds, verify

__all__ = [
    "NAME",
    "PROVINCE",
    "ROLES",
    "Account",
    "AccountError",
    "SignInLocked",
    "WriteRefused",
    "_hash",
    "add",
    "all_accounts",
    "authorise",
    "by_email",
    "by_token",
    "current",
    "lockout_seconds",
    "new_token",
    "remove",
    "revoke_token",
    "set_disabled",
    "token_account",
    "tokens",
    "verify",
]
