"""Hosts follow one another: each app host brings its own warehouse file up to date when the state store moved.

Every change the warehouse is built from (a publication, a rollback, a chain or plan edit, an added indicator)
bumps the store's warehouse sequence in its own transaction, with a row saying what it was (table
``warehouse_change``, provdata/store/publications.py); each warehouse keeps the sequence it was built at
(``meta.state_seq``). :class:`Follower` reads the one counter row every ``PROVDATA_FOLLOW_SECONDS`` (default
0.5; 0 turns it off) — a single-row poll works the same on SQLite and PostgreSQL — and when the two differ applies
the listed changes to a copy of the warehouse, or rebuilds it from the shipped data plus the store when it cannot
(build/incremental.py: catch_up_locked), and swaps it in atomically. Its first look is at start, so a host that was
down catches up. The
pages follow the new file by themselves (db.Warehouse reopens when the file's inode changes, and every cache is
keyed on the build id). A store behind the warehouse (a sequence lower than the one the warehouse was built
at) is another store, or one restored from an older backup: the follower does not rebuild from it (:class:`OtherStore`)
until an administrator runs ``provdata build``. Rebuilds are logged at INFO on the ``provdata`` logger, which the
server prints (provdata/web/logs.py). No streamlit here.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from provdata import store
from provdata.basics import config
from provdata.basics.errors import ProvdataError
from provdata.store import publications
from provdata.warehouse.build import BuildResult, Inputs, incremental

log = logging.getLogger("provdata.exchange.follow")


def interval() -> float:
    """Seconds between two looks at the store (``PROVDATA_FOLLOW_SECONDS``; 0 = do not follow)."""
    return float(os.environ.get("PROVDATA_FOLLOW_SECONDS", "0.5"))


_read: dict[Path, tuple[tuple[int, int, int], tuple[bool, int | None]]] = {}


def _warehouse_state(target: Path) -> tuple[bool, int | None]:
    """(synthetic, sequence built at) of the warehouse file, read again only when the file changed (attaching
    the file on every look cost this server 5 % of its CPU under 25 sessions)."""
    try:
        info = target.stat()
    except FileNotFoundError:
        return False, None
    identity = (info.st_ino, info.st_mtime_ns, info.st_size)
    seen = _read.get(target)
    if seen is None or seen[0] != identity:
        seen = (identity, (publications.synthetic_warehouse(target), publications.warehouse_sequence(target)))
        _read[target] = seen
    return seen[1]


class OtherStore(ProvdataError):
    """The store's sequence is below the one this host's warehouse was built at: not the store it was built from."""

    key = "store_misconfigured"


#: when this process first saw each warehouse behind the store (time.monotonic())
_behind_since: dict[Path, float] = {}


def behind(target: Path, want: int | None = None) -> tuple[int | None, int] | None:
    """(warehouse sequence, store sequence) if the warehouse is not built at the store's sequence, else None
    (also for a bench's synthetic warehouse, which is not built from the store). ``want``: the store's sequence
    when the caller has read it."""
    synthetic, have = _warehouse_state(target)
    if synthetic:
        return None
    want = publications.sequence() if want is None else want
    if have == want:
        _behind_since.pop(target, None)
        return None
    _behind_since.setdefault(target, time.monotonic())
    return have, want


def seconds_behind(target: Path) -> float:
    """Seconds since this process first saw the warehouse behind the store (0 when it is current)."""
    since = _behind_since.get(target)
    return 0.0 if since is None else time.monotonic() - since


def refuse_other_store(gap: tuple[int | None, int]) -> None:
    if gap[0] is not None and gap[0] > gap[1]:
        raise OtherStore(
            f"the warehouse was built at state sequence {gap[0]} but the state store is at {gap[1]}: this host "
            "is pointed at another store (or one restored from an older backup). Check PROVDATA_STATE_URL and "
            "the deployment file; to serve this store anyway, run `python -m provdata build`"
        )


def catch_up(
    target: Path | None = None, inputs: Inputs | None = None, say: Callable[[str], None] = log.info
) -> BuildResult | None:
    """Bring this host's warehouse to the store's sequence if it is behind (holding this host's lock only, so a
    rebuild never holds up writers on other hosts); the build (``incremental`` when the changes were applied in
    place), or None if it was current."""
    target = Path(target or config.warehouse_path())
    inputs = inputs or Inputs()
    publications.import_folders(inputs.uploads_dir, store.current())  # folders of an earlier version, once
    gap = behind(target)
    if gap is None:
        return None
    refuse_other_store(gap)
    with publications.host_lock(inputs.uploads_dir):
        gap = behind(target)  # a writer on this host may have brought it up to date meanwhile
        if gap is None:
            return None
        refuse_other_store(gap)
        say(f"warehouse built at sequence {gap[0]}, the state store is at {gap[1]}: catching up {target}")
        started = time.monotonic()
        result = incremental.catch_up_locked(target, inputs, log=log.debug)
        how = "applied the changes to" if result.incremental else "rebuilt"
        say(
            f"{how} {target} at sequence {gap[1]} (build {result.build_id}) in {time.monotonic() - started:.2f} s"
        )
        return result


class Follower:
    """A daemon thread that keeps this host's warehouse at the store's sequence."""

    def __init__(self, every: float | None = None, target: Path | None = None) -> None:
        self.every = interval() if every is None else every
        self.target = target
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="provdata-follow", daemon=True)
        self.last_error: str | None = None

    def start(self) -> Follower:
        if self.every > 0:
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                catch_up(self.target)
                self.last_error = None
            except Exception as exc:
                message = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                if message != self.last_error:
                    log.warning("could not follow the state store: %s", message)
                self.last_error = message
            # after a failure (a store that is down, a build refused) look again less often: a build is not free
            self._stop.wait(self.every if self.last_error is None else max(self.every, 30.0))
