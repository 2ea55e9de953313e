"""What this host is and whether it serves current figures: the answer of ``/readyz``, the page banner and the log.

A host is *ready* when it reaches the state store it was configured for (:func:`provdata.store.configured`), its
warehouse is built at the store's sequence (it serves the figures every other host serves) and the store is not
behind the warehouse (which would be another store). The build id is derived from the state (provdata/warehouse/build),
so every ready host on the same store answers the same one. The answer names the store's kind and its id
(:func:`provdata.store.identity`), never its host, port, role or database. No streamlit here.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from provdata import store
from provdata.basics import config
from provdata.basics.errors import ProvdataError
from provdata.exchange import follow
from provdata.store import publications
from provdata.warehouse.db import Warehouse

log = logging.getLogger("provdata.health")

#: What keeps a host from being ready, most serious first (each has a banner text ``health.<problem>``).
PROBLEMS = ("misconfigured", "store_unreachable", "other_store", "no_warehouse", "behind")


@dataclass(frozen=True)
class HostStatus:
    ready: bool
    problem: str | None  # one of PROBLEMS, or None
    store_kind: str | None  # sqlite or postgresql
    store_named_by: str | None  # PROVDATA_STATE_URL, deployment file, embedded default
    store_id: str | None
    store_seq: int | None
    warehouse_seq: int | None
    seconds_behind: float
    build_id: str | None

    def as_json(self) -> dict:
        return {**asdict(self), "seconds_behind": round(self.seconds_behind, 1)}


_ids: dict[str, str] = {}
_warehouses: dict[Path, Warehouse] = {}
_said: dict[Path, str | None] = {}


def _build_id(target: Path) -> str | None:
    wh = _warehouses.setdefault(target, Warehouse(target))
    try:
        return wh.build_id
    except ProvdataError:
        return None


def check(target: Path | None = None) -> HostStatus:
    """This host's status now (one read of the store's sequence; the store's id once per process)."""
    target = Path(target or config.warehouse_path())
    build = _build_id(target)
    try:
        address, named_by = store.configured()
    except ProvdataError as exc:
        return _said_once(
            target, HostStatus(False, "misconfigured", None, None, None, None, None, 0.0, build), exc
        )
    named_by = "deployment file" if named_by == str(config.deployment_file()) else named_by
    kind = "postgresql" if address.startswith(("postgresql://", "postgres://")) else "sqlite"
    try:
        st = store.open_store(address)
        want = publications.sequence(st)
        if address not in _ids:
            _ids[address] = store.identity(st)
    except Exception as exc:
        status = HostStatus(
            False, "store_unreachable", kind, named_by, _ids.get(address), None, None, 0.0, build
        )
        return _said_once(target, status, exc)
    if build is None:
        return _said_once(target, HostStatus(False, "no_warehouse", kind, named_by, _ids[address], want, None, 0.0,
                                             None))  # fmt: skip
    gap = follow.behind(target, want)
    have = want if gap is None else gap[0]
    problem = None if gap is None else "other_store" if have is not None and have > want else "behind"
    status = HostStatus(problem is None, problem, kind, named_by, _ids[address], want, have,
                        follow.seconds_behind(target), build)  # fmt: skip
    return _said_once(target, status)


def _said_once(target: Path, status: HostStatus, exc: Exception | None = None) -> HostStatus:
    """Log a change of problem once (not at every look): a WARNING when one starts, INFO when it ends."""
    if _said.get(target) != status.problem:
        if status.problem in ("misconfigured", "store_unreachable", "other_store", "no_warehouse"):
            cause = f": {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}" if exc else ""
            log.warning("host not ready (%s)%s", status.problem, cause)
        elif status.problem is None and _said.get(target) is not None:
            log.info("host ready again: build %s at state sequence %s", status.build_id, status.store_seq)
        _said[target] = status.problem
    return status


_last: dict[Path, tuple[float, HostStatus]] = {}
_looking = threading.Lock()
#: how long one look holds when the store could not be reached (a look may wait for the connection timeout)
UNREACHABLE_RECHECK_SECONDS = 15.0


def recent(target: Path | None = None, max_age: float = 1.0) -> HostStatus:
    """:func:`check`, reused for ``max_age`` seconds (every page load asks; the store is read once a second, every
    15 s while it cannot be reached). While one thread looks, the others take the last answer instead of waiting."""
    target = Path(target or config.warehouse_path())
    seen = _last.get(target)
    if seen is not None:
        age = max_age if seen[1].problem != "store_unreachable" else UNREACHABLE_RECHECK_SECONDS
        if time.monotonic() - seen[0] <= age or not _looking.acquire(blocking=False):
            return seen[1]
    else:
        _looking.acquire()
    try:
        seen = (time.monotonic(), check(target))
        _last[target] = seen
        return seen[1]
    finally:
        _looking.release()


#: a host this many seconds behind the store says so on its pages (a rebuild after a publish takes a few seconds)
BANNER_BEHIND_SECONDS = 5.0


def banner(status: HostStatus) -> str | None:
    """The locale key of the page banner for this status (``health.<problem>``), or None. Being behind or on
    another store is this host's claim only when it follows the store (``PROVDATA_FOLLOW_SECONDS`` > 0)."""
    if status.problem in ("store_unreachable", "misconfigured"):
        return f"health.{status.problem}"
    if follow.interval() > 0 and status.problem == "other_store":
        return "health.other_store"
    if (
        follow.interval() > 0
        and status.problem == "behind"
        and status.seconds_behind >= BANNER_BEHIND_SECONDS
    ):
        return "health.behind"
    return None


def refuses_pages(status: HostStatus) -> bool:
    """Whether a new visitor's page should go to another host (HTML answered 503, nginx tries the next one): a
    following host still catching up with its store. Not for a store outage (every host has it, and each serves
    the figures it had) nor for a wrong store (the page's banner says so: a lasting fault is shown, not hidden)."""
    return follow.interval() > 0 and status.problem in ("behind", "no_warehouse")
