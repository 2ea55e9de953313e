"""Reports made by a bounded pool of workers, in line, each made once per build and request.

A report takes seconds of CPU; 30 asked at once on two cores each waited 202 s (median) and every session
rendered its own. Here a request is a key (build, province, year, language, format):

- a key already made is answered with its bytes (kept while they fit in ``cache_bytes``, least recently used
  dropped first; a new build is a new key);
- a key being made or waiting is joined: everyone asking for it gets the same bytes;
- otherwise it waits for one of ``workers`` threads, and :meth:`Ticket.position` says its place in line
  (1: next to start; 0: being made or done);
- when ``queue`` requests already wait, one more is refused at once with its would-be place
  (:class:`~provdata.basics.errors.Busy`, 429).

The app holds one :class:`Reports` per process (provdata/ui/cached/reports.py); limits in config.report_*.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from provdata.basics import config
from provdata.basics.errors import Busy

Progress = Callable[[float, str], None]


@dataclass
class Ticket:
    """One request's handle: its place in line, its progress, then its bytes (or the error that stopped it)."""

    key: Hashable
    future: Future
    owner: Reports | None = None
    progress: tuple[float, str] = field(default=(0.0, ""))

    def position(self) -> int:
        return self.owner.position(self.key) if self.owner and not self.future.done() else 0

    def done(self) -> bool:
        return self.future.done()

    def result(self, timeout: float | None = None) -> bytes:
        return self.future.result(timeout)


class Reports:
    def __init__(self, workers: int, queue: int, cache_bytes: int) -> None:
        self.workers, self.queue, self.cache_bytes = workers, queue, cache_bytes
        self._lock = threading.Lock()
        self._waiting: OrderedDict[Hashable, Ticket] = OrderedDict()
        self._running: dict[Hashable, Ticket] = {}
        self._made: OrderedDict[Hashable, bytes] = OrderedDict()
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="provdata-report")

    def submit(self, key: Hashable, make: Callable[[Progress], bytes]) -> Ticket:
        """The ticket of ``key``: done already when made before, shared when being made or waiting, else queued."""
        with self._lock:
            if key in self._made:
                self._made.move_to_end(key)
                future: Future = Future()
                future.set_result(self._made[key])
                return Ticket(key, future)
            joined = self._waiting.get(key) or self._running.get(key)
            if joined is not None:
                return joined
            busy = len(self._running) + len(self._waiting) >= self.workers
            if busy and len(self._waiting) >= self.queue:
                wait = config.RETRY_AFTER_SECONDS * max(1, len(self._waiting) // self.workers)
                raise Busy(
                    f"{len(self._waiting)} reports are waiting for the {self.workers} report worker(s) (the limit "
                    f"is {self.queue} waiting, PROVDATA_REPORT_QUEUE): you would be {len(self._waiting) + 1} in "
                    f"line; ask again in about {wait} s",
                    429, wait,
                )  # fmt: skip
            ticket = Ticket(key, Future(), self)
            self._waiting[key] = ticket
        self._pool.submit(self._run, ticket, make)
        return ticket

    def position(self, key: Hashable) -> int:
        """1 + the requests before ``key`` in line; 0 when it is being made, done or unknown."""
        with self._lock:
            for place, waiting in enumerate(self._waiting, 1):
                if waiting == key:
                    return place
        return 0

    def _run(self, ticket: Ticket, make: Callable[[Progress], bytes]) -> None:
        with self._lock:
            self._waiting.pop(ticket.key, None)
            self._running[ticket.key] = ticket

        def progress(fraction: float, part: str) -> None:
            ticket.progress = (fraction, part)

        try:
            data = make(progress)
        except BaseException as exc:  # the error goes to everyone waiting for it; nothing is kept
            with self._lock:
                self._running.pop(ticket.key, None)
            ticket.future.set_exception(exc)
            return
        with self._lock:
            self._running.pop(ticket.key, None)
            self._keep(ticket.key, data)
        ticket.future.set_result(data)

    def _keep(self, key: Hashable, data: bytes) -> None:
        if len(data) > self.cache_bytes:
            return
        self._made[key] = data
        while sum(len(v) for v in self._made.values()) > self.cache_bytes:
            self._made.popitem(last=False)

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"waiting": len(self._waiting), "running": len(self._running), "made": len(self._made),
                    "made_bytes": sum(len(v) for v in self._made.values())}  # fmt: skip


def from_config() -> Reports:
    """A pool with config's limits (report_workers, report_queue, report_cache_mb)."""
    return Reports(config.report_workers(), config.report_queue(), int(config.report_cache_mb() * 1_000_000))
