"""Hosts follow one another: each app host rebuilds its own warehouse file when the state store moved.

Every change the warehouse is built from (a publication, a rollback, a chain or plan edit, an added indicator)
bumps the store's warehouse sequence in its own transaction (provdata/store/publications.py); each warehouse keeps
the sequence it was built at (``meta.state_seq``). :class:`Follower` reads the one counter row every few
seconds (``PROVDATA_FOLLOW_SECONDS``, default 2; 0 turns it off) — a single-row poll works the same on SQLite
and PostgreSQL — and when the two differ rebuilds the warehouse from the shipped data plus the store and swaps
it in atomically (build.rebuild_locked). Its first look is at start, so a host that was down catches up. The
pages follow the new file by themselves (db.Warehouse reopens when the file's inode changes, and every cache is
keyed on the build id). No streamlit here.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from provdata import store
from provdata.basics import config
from provdata.store import publications
from provdata.warehouse.build import BuildResult, Inputs, rebuild_locked

log = logging.getLogger("provdata.exchange.follow")


def interval() -> float:
    """Seconds between two looks at the store (``PROVDATA_FOLLOW_SECONDS``; 0 = do not follow)."""
    return float(os.environ.get("PROVDATA_FOLLOW_SECONDS", "2"))


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


def behind(target: Path) -> tuple[int | None, int] | None:
    """(warehouse sequence, store sequence) if the warehouse is not built at the store's sequence, else None
    (also for a bench's synthetic warehouse, which is not built from the store)."""
    synthetic, have = _warehouse_state(target)
    if synthetic:
        return None
    want = publications.sequence()
    return None if have == want else (have, want)


def catch_up(
    target: Path | None = None, inputs: Inputs | None = None, say: Callable[[str], None] = log.info
) -> BuildResult | None:
    """Rebuild this host's warehouse if it is behind the store (holding this host's lock only, so a long
    rebuild never holds up writers on other hosts); the build, or None if it was current."""
    target = Path(target or config.warehouse_path())
    inputs = inputs or Inputs()
    publications.import_folders(inputs.uploads_dir, store.current())  # folders of an earlier version, once
    if behind(target) is None:
        return None
    with publications.host_lock(inputs.uploads_dir):
        gap = behind(target)  # a writer on this host may have brought it up to date meanwhile
        if gap is None:
            return None
        say(f"warehouse built at sequence {gap[0]}, the state store is at {gap[1]}: rebuilding {target}")
        return rebuild_locked(target, inputs, say)


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
