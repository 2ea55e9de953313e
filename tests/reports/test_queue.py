"""Reports made by a bounded pool: places in line, one making per request, made reports served from memory,
a full line refused with the would-be place."""

from __future__ import annotations

import threading

import pytest

from provdata.basics.errors import Busy
from provdata.reports.queue import Reports


class Gate:
    """Jobs that wait for the test to let them finish, counting how often each key was made."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started = threading.Semaphore(0)
        self.made: dict[str, int] = {}

    def job(self, key: str):
        def make(progress) -> bytes:
            self.made[key] = self.made.get(key, 0) + 1
            progress(0.5, "tables")
            self.started.release()
            assert self.release.wait(30)
            return f"report {key}".encode()

        return make


def test_places_in_line_one_making_per_request_and_made_reports_served_again():
    gate, pool = Gate(), Reports(workers=2, queue=5, cache_bytes=1_000)
    running = [pool.submit(k, gate.job(k)) for k in ("a", "b")]
    assert gate.started.acquire(timeout=30) and gate.started.acquire(timeout=30)
    waiting = [pool.submit(k, gate.job(k)) for k in ("c", "d", "e")]
    assert [t.position() for t in running + waiting] == [0, 0, 1, 2, 3]
    assert running[0].progress == (0.5, "tables")
    again = pool.submit("d", gate.job("d"))  # the same request joins the one in line
    assert again is waiting[1] and again.position() == 2
    gate.release.set()
    assert [t.result(30) for t in running + waiting] == [
        b"report a",
        b"report b",
        b"report c",
        b"report d",
        b"report e",
    ]
    assert gate.made == {"a": 1, "b": 1, "c": 1, "d": 1, "e": 1}
    served = pool.submit("c", gate.job("c"))
    assert served.done() and served.result() == b"report c" and served.position() == 0
    assert gate.made["c"] == 1
    assert pool.stats() == {"waiting": 0, "running": 0, "made": 5, "made_bytes": 40}


def test_a_full_line_is_refused_with_the_would_be_place():
    gate, pool = Gate(), Reports(workers=1, queue=2, cache_bytes=1_000)
    tickets = [pool.submit("a", gate.job("a"))]
    assert gate.started.acquire(timeout=30)
    tickets += [pool.submit(k, gate.job(k)) for k in ("b", "c")]
    with pytest.raises(Busy) as err:
        pool.submit("d", gate.job("d"))
    assert err.value.status == 429
    assert str(err.value) == (
        "2 reports are waiting for the 1 report worker(s) (the limit is 2 waiting, PROVDATA_REPORT_QUEUE): you would "
        "be 3 in line; ask again in about 20 s"
    )
    assert pool.submit("b", gate.job("b")) is tickets[1]  # joining one in line is never refused
    gate.release.set()
    assert [t.result(30) for t in tickets] == [b"report a", b"report b", b"report c"]


def test_an_error_reaches_everyone_waiting_and_is_not_kept():
    pool = Reports(workers=1, queue=2, cache_bytes=1_000)

    def broken(progress) -> bytes:
        raise ValueError("no figures")

    with pytest.raises(ValueError, match="no figures"):
        pool.submit("x", broken).result(30)
    assert pool.submit("x", lambda progress: b"ok").result(30) == b"ok"


def test_the_least_recently_used_reports_go_first_when_memory_is_full():
    pool = Reports(workers=1, queue=2, cache_bytes=20)
    for key in ("a", "b", "c"):
        pool.submit(key, lambda progress, k=key: k.encode() * 8).result(30)  # 8 bytes each
    made = []
    pool.submit("a", lambda progress: made.append("a") or b"a" * 8).result(30)
    assert made == ["a"]  # "a" had been dropped (8 + 8 + 8 > 20); "b" and "c" are still kept
    assert pool.submit("c", lambda progress: b"new").result(30) == b"c" * 8
