"""How many uploads are in flight, per account and in the whole process: one gate for the API and the app.

An upload's cells take a few hundred MB while they are read and checked (16 parallel 19 MB uploads from one token
took the process from 1.0 to 8.06 GB). So each account has at most ``config.uploads_per_account()`` uploads in
flight (:func:`account_slot`, taken before the body is read) and the process reads and checks at most
``config.uploads_at_once()`` at once (:func:`check_slot`, taken once the body is whole in its temporary file: a
client that sends slowly holds only its own account's slot). One more is refused at once with
:class:`~provdata.basics.errors.Busy` (the API answers 429 for the account's share, 503 for the server's, both
with Retry-After). Nothing waits in a queue: the client that was refused sends again.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from provdata.basics import config
from provdata.basics.errors import Busy

_lock = threading.Lock()
_per_account: Counter[str] = Counter()
_total = 0


@contextmanager
def account_slot(account: str) -> Iterator[None]:
    """Hold one of ``account``'s upload slots while the block runs; Busy (429) when they are all taken."""
    wait = config.RETRY_AFTER_SECONDS
    with _lock:
        mine, most = _per_account[account], config.uploads_per_account()
        if mine >= most:
            raise Busy(
                f"account {account} already has {mine} upload(s) in flight (the limit is {most} per account, "
                f"PROVDATA_UPLOADS_PER_ACCOUNT): send the next one when it is answered, in about {wait} s",
                429, wait,
            )  # fmt: skip
        _per_account[account] += 1
    try:
        yield
    finally:
        with _lock:
            _per_account[account] -= 1
            if _per_account[account] <= 0:
                del _per_account[account]


@contextmanager
def check_slot() -> Iterator[None]:
    """Hold one of the process's slots for reading and checking an upload; Busy (503) when they are all taken."""
    global _total
    wait = config.RETRY_AFTER_SECONDS
    with _lock:
        if _total >= config.uploads_at_once():
            raise Busy(
                f"the server is checking {_total} upload(s) (the limit is {config.uploads_at_once()} at once, "
                f"PROVDATA_UPLOADS_AT_ONCE): send the file again in about {wait} s",
                503, wait,
            )  # fmt: skip
        _total += 1
    try:
        yield
    finally:
        with _lock:
            _total -= 1


@contextmanager
def upload_slot(account: str) -> Iterator[None]:
    """Both slots (the app's upload wizard: its file is already whole in memory)."""
    with account_slot(account), check_slot():
        yield


def in_flight() -> tuple[int, dict[str, int]]:
    """Uploads in flight: the process's total and each account's."""
    with _lock:
        return _total, dict(_per_account)
