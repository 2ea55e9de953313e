"""Bounded cost (issue #23 item 6): the server's memory under 16 parallel 19 MB uploads from one token, and the
wait of 30 report requests at once.

- uploads: server.py over a tiny exchange warehouse; 16 threads each POST the same SYNTHETIC 19 MB CSV
  (dry_run=true: nothing is published) with one steward's token; the server's resident size before and its peak
  (VmHWM, reset between runs) after; median of 3 runs, with the answers' status codes. Twice: the default limits
  (1 upload per account, 2 at once) and 16 per account (so only the process's limit of 2 at once holds).
  Before the limits: 1.0 -> 8.06 GB (the issue's measurement). Goal: at most +1 GB.
- planner input: how fast a 30,000-issue chain and hostile chart workbooks are refused (median of 5).
- reports: 30 requests at once (10 sessions each asking for one of 3 provinces' PDF reports) through the report
  pool (provdata/reports/queue.py, 2 workers) over the real warehouse: median and longest wait, reports made,
  largest place in line; then the same 30 again (served from memory). Before: 202 s median wait.

Run: ``python -m bench.run bounds``.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

RUNS = 3
UPLOADS = 16


def _status(pid: int, key: str) -> float:
    """A /proc/PID/status figure in MB."""
    line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith(key))
    return int(line.split()[1]) / 1024


def _csv_19mb() -> bytes:
    # SYNTHETIC rows (the bench checks, never publishes), long enough to stay within the reading limits (380,000
    # rows, 1.5 million cells): the whole file is read, mapped and validated
    line = b"60,2020,population_registered,123456789.123456789\n"
    return b"province_code,year,indicator_id,value\n" + line * (19_000_000 // len(line))


def _upload(port: int, token: str, data: bytes, codes: list) -> None:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/uploads?filename=numbers.csv&dry_run=true",
                                 data=data, headers={"Authorization": f"Bearer {token}"}, method="POST")  # fmt: skip
    try:
        with urllib.request.urlopen(req, timeout=600) as r:
            codes.append(r.status)
    except urllib.error.HTTPError as err:
        codes.append(err.code)
    except OSError as exc:
        codes.append(type(exc).__name__)


def uploads(report, settings: dict[str, str], label: str) -> None:
    from bench.serve import free_port, start_server, stop_server
    from provdata import accounts
    from tests.conftest import make_exchange_env

    data = _csv_19mb()
    with tempfile.TemporaryDirectory() as tmp:
        env = make_exchange_env(Path(tmp))
        saved = dict(env.env())
        old = {k: os.environ.get(k) for k in saved}
        os.environ.update(saved)
        try:
            token = accounts.new_token("dopa-steward")
            port = free_port()
            proc = start_server(env.warehouse, port, env={**saved, **settings}, timeout=120)
            try:
                rises, codes = [], Counter()
                for _ in range(RUNS):
                    time.sleep(2)
                    Path(f"/proc/{proc.pid}/clear_refs").write_text("5")  # VmHWM from now on
                    before = _status(proc.pid, "VmRSS:")
                    answers: list = []
                    threads = [threading.Thread(target=_upload, args=(port, token, data, answers))
                               for _ in range(UPLOADS)]  # fmt: skip
                    for t in threads:
                        t.start()
                    for t in threads:
                        t.join()
                    rises.append(_status(proc.pid, "VmHWM:") - before)
                    codes.update(answers)
                    last_before = before
                shown = ", ".join(f"{c}×{n // RUNS}" for c, n in sorted(codes.items(), key=str))
                report("bounds", f"16 parallel 19 MB uploads, one token, {label}: RSS before",
                       f"{last_before:,.0f} MB")  # fmt: skip
                report("bounds", f"16 parallel 19 MB uploads, one token, {label}: peak rise (median of {RUNS})",
                       f"+{statistics.median(rises):,.0f} MB (runs {', '.join(f'+{r:,.0f}' for r in rises)}); "
                       f"answers {shown}")  # fmt: skip
            finally:
                stop_server(proc)
        finally:
            for k, v in old.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


def reports(report) -> None:
    from provdata.reports import report as reports_
    from provdata.reports.queue import Reports
    from provdata.warehouse.db import Warehouse

    wh = Warehouse()
    pool = Reports(workers=2, queue=40, cache_bytes=200_000_000)
    made = Counter()

    def maker(code):
        def make(progress):
            made[code] += 1
            return reports_.make(wh, code, 2020, "th", "pdf", progress)

        return make

    for round_ in ("30 at once (3 reports × 10 sessions)", "the same 30 again"):
        waits, places = [], []
        started = time.perf_counter()
        tickets = []
        for i in range(30):
            code = ("62", "60", "61")[i % 3]
            ticket = pool.submit((wh.build_id, code, 2020, "th", "pdf"), maker(code))
            places.append(ticket.position())
            tickets.append(ticket)
            ticket.future.add_done_callback(
                lambda _f, w=waits, t0=started: w.append(time.perf_counter() - t0)
            )
        for ticket in tickets:
            ticket.result(600)
        report("bounds", f"report requests, {round_}: median wait",
               f"{statistics.median(waits):.1f} s (longest {max(waits):.1f} s; made {sum(made.values())}, "
               f"largest place in line {max(places)})")  # fmt: skip


def planner(report) -> None:
    """How fast a 30,000-issue chain and hostile chart workbooks are refused (median of 5)."""
    import io

    import xlsxwriter

    from provdata.basics import config
    from provdata.basics.errors import ProvdataError
    from provdata.exchange import chain_edits
    from tests.exchange.test_chain_limits import HEAD, _replace

    frames = chain_edits.province_frames(config.STRATEGY_DIR, "61")
    one = frames["issues"].iloc[[0]]
    many = one.loc[one.index.repeat(30_000)].reset_index(drop=True)
    grid = (HEAD + b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576">'
            b"<v>1</v></c></row></sheetData></worksheet>")  # fmt: skip
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    for i in range(200):
        book.add_worksheet(f"s{i}").write(0, 0, "x")
    book.close()
    cases = {
        "a 30,000-issue chain": lambda: chain_edits.check_size("61", {**frames, "issues": many}),
        "a chart workbook claiming the whole grid": lambda: chain_edits.from_excel(
            _replace(chain_edits.to_excel(frames, "61"), {"xl/worksheets/sheet2.xml": grid})
        ),
        "a chart workbook of 200 sheets": lambda: chain_edits.from_excel(buf.getvalue()),
    }
    for name, case in cases.items():
        times = []
        for _ in range(5):
            started = time.perf_counter()
            try:
                case()
                outcome = "ACCEPTED"
            except ProvdataError as exc:
                outcome = type(exc).__name__
            times.append(time.perf_counter() - started)
        report("bounds", f"refused: {name}", f"{statistics.median(times) * 1000:,.1f} ms ({outcome})")


def bench(report) -> None:
    planner(report)
    uploads(report, {}, "default limits (1 per account, 2 at once)")
    uploads(report, {"PROVDATA_UPLOADS_PER_ACCOUNT": "16"}, "16 per account, 2 at once")
    reports(report)


if __name__ == "__main__":
    bench(lambda s, n, v: print(f"{s:<12}  {n:<60}  {v}", flush=True))
