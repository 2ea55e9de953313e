"""`make bench`: what the exact Thai text layer costs — the annual report's HTML to PDF with and without the
ActualText spans (provdata.reports.pdf), alternated so a busy machine weighs on both alike, and the pass's own time."""

from __future__ import annotations

import statistics
import time

from provdata.basics import config
from provdata.reports import pdf, report
from provdata.warehouse.db import Warehouse

RUNS = 3


def bench(report_figure) -> None:
    import weasyprint.draw.text as wtext

    html_text = report.build_html(Warehouse(config.warehouse_path()), "60", 2020, "th")
    pdf.to_pdf(html_text)  # installs the pass, warms fonts
    spanned = wtext.draw_first_line
    plain = spanned.__wrapped__
    times: dict[str, list[float]] = {"with": [], "without": []}
    try:
        for _ in range(RUNS):
            for label, draw in (("without", plain), ("with", spanned)):
                wtext.draw_first_line = draw
                t0 = time.perf_counter()
                pdf.to_pdf(html_text)
                times[label].append(time.perf_counter() - t0)
    finally:
        wtext.draw_first_line = spanned
    a, b = statistics.median(times["without"]), statistics.median(times["with"])
    report_figure("pdftext", f"Nakhon Sawan 2020 report HTML → PDF without / with ActualText (median of {RUNS})",
                  f"{a:.2f} s / {b:.2f} s")  # fmt: skip

    spent, lines = 0.0, 0
    scan, wrap = pdf._clusters_to_mark, pdf._wrap_clusters

    def timed(fn):
        def inner(*args):
            nonlocal spent
            t0 = time.perf_counter()
            try:
                return fn(*args)
            finally:
                spent += time.perf_counter() - t0

        return inner

    def counted(*args):
        nonlocal lines
        lines += 1
        return timed(scan)(*args)

    pdf._clusters_to_mark, pdf._wrap_clusters = counted, timed(wrap)
    try:
        t0 = time.perf_counter()
        pdf.to_pdf(html_text)
        total = time.perf_counter() - t0
    finally:
        pdf._clusters_to_mark, pdf._wrap_clusters = scan, wrap
    report_figure("pdftext", f"the ActualText pass itself ({lines:,} lines drawn)",
                  f"{spent * 1000:,.0f} ms of {total:.2f} s ({spent / total:.1%})")  # fmt: skip
