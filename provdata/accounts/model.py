"""The account model: the roles, this package's errors and :class:`Account` with its permission checks
(``may_publish``, ``may_edit_chain``); ``_role`` and ``_account`` read a stored entry."""

from __future__ import annotations

import re
from dataclasses import dataclass

from provdata.basics.errors import ProvdataError

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
