"""`make bench`: time to produce the annual report PDF and the PowerPoint deck of one pilot province."""

from __future__ import annotations

import statistics
import time

from provdata import config, report
from provdata.db import Warehouse

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
