"""`make bench`: time to produce the annual report PDF and the PowerPoint deck of one pilot province."""

from __future__ import annotations

import statistics
import time

from provdata.basics import config
from provdata.reports import report
from provdata.warehouse.db import Warehouse

RUNS = 3


def bench(report_figure) -> None:
    wh = Warehouse(config.warehouse_path())
    for fmt in ("pdf", "pptx", "html"):
        times, size = [], 0
        for _ in range(RUNS):
            t0 = time.perf_counter()
            size = len(report.make(wh, "60", 2020, "th", fmt))
            times.append(time.perf_counter() - t0)
        report_figure("reports", f"Nakhon Sawan 2020 report, {fmt} (median of {RUNS}; {size / 1024:,.0f} KB)",
                      f"{statistics.median(times):.2f} s")  # fmt: skip
    bench_other_users(report_figure)


def _profile_render(app: str) -> float:
    from bench.apptest import session

    at = session(app)
    at.query_params["province"] = "61"
    t0 = time.perf_counter()
    at.run()
    return time.perf_counter() - t0


def bench_other_users(report_figure) -> None:
    """Does making a report hold up other users? Profile renders alone vs while a PDF is being made."""
    import os
    import threading

    os.environ["PROVDATA_WAREHOUSE"] = str(config.warehouse_path())
    app = str(config.ROOT / "app.py")
    _profile_render(app)  # warm caches
    alone = [_profile_render(app) for _ in range(5)]
    busy = []
    wh = Warehouse(config.warehouse_path())
    worker = threading.Thread(target=lambda: [report.make(wh, "60", 2020, "th", "pdf") for _ in range(3)])
    worker.start()
    while worker.is_alive() and len(busy) < 20:
        busy.append(_profile_render(app))
    worker.join()
    a, b = statistics.median(alone), statistics.median(busy)
    report_figure("reports", "profile render alone / while a PDF is made (medians)",
                  f"{a * 1000:,.0f} ms / {b * 1000:,.0f} ms ({b / a:.1f}x, {len(busy)} renders)")  # fmt: skip
