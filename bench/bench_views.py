"""`make bench`: the decision views on the real warehouse — server-side render time (AppTest) of the map,
trends and compare pages at their default view and at a heavy view (all 77 provinces, the longest series,
the district layer), and the time from navigation to a drawn map in Chromium."""

from __future__ import annotations

import os
import statistics

from bench.bench_scale import render_times
from bench.mapdraw import draw_times
from bench.serve import free_port, start_server, stop_server
from provdata.basics import config
from provdata.ui.nav import PAGES
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse

RUNS = 7
VIEWS = {
    "map": ({}, {"indicator": "rice_inseason_production_t", "level": "district", "year": "2015"}),
    "trends": ({}, {"indicator": "gpp_current_mb", "provinces": "ALL", "mode": "index", "base": "1995"}),
    "compare": ({}, {"theme": "agriculture", "provinces": "ALL"}),
}


def bench(report) -> None:
    os.environ["PROVDATA_WAREHOUSE"] = str(config.warehouse_path())
    specs = {s.url_path: s for s in PAGES}
    all_codes = ",".join(queries.provinces(Warehouse(config.warehouse_path()))["code"])
    for name, (default, heavy_spec) in VIEWS.items():
        heavy = {k: (all_codes if v == "ALL" else v) for k, v in heavy_spec.items()}
        for view, params in (("default", default), ("heavy", heavy)):
            times = render_times(specs[name], {"lang": "th", **params}, RUNS)
            report(
                "views",
                f"{name} {view} view: server render median / max of {RUNS}",
                f"{statistics.median(times) * 1000:,.0f} ms / {max(times) * 1000:,.0f} ms",
            )
    port = free_port()
    server = start_server(config.warehouse_path(), port)
    try:
        for level in ("province", "district"):
            url = f"http://127.0.0.1:{port}/map?lang=th&indicator=rice_inseason_production_t&year=2015&level={level}"
            times = draw_times(url, 5)
            report("views", f"map first drawn after navigation, {level}s, fresh context (median of 5)",
                   f"{statistics.median(d for _, d in times):.2f} s (app's first heading at "
                   f"{statistics.median(h for h, _ in times):.2f} s)")  # fmt: skip
    finally:
        stop_server(server)
