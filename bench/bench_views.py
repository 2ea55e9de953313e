"""`make bench`: the decision views on the real warehouse — server-side render time (AppTest) of the map,
trends and compare pages at their default view and at a heavy view (all 77 provinces, the longest series,
the district layer), and the time from navigation to a drawn map in Chromium."""

from __future__ import annotations

import io
import os
import statistics
import time

from bench.bench_scale import render_times
from bench.serve import CHROMIUM, CHROMIUM_ARGS, free_port, start_server, stop_server
from provdata import config, queries
from provdata.db import Warehouse
from provdata.ui.nav import PAGES

RUNS = 7
VIEWS = {
    "map": ({}, {"indicator": "rice_inseason_production_t", "level": "district", "year": "2015"}),
    "trends": ({}, {"indicator": "gpp_current_mb", "provinces": "ALL", "mode": "index", "base": "1995"}),
    "compare": ({}, {"theme": "agriculture", "provinces": "ALL"}),
}


def _map_drawn_seconds(base: str, runs: int) -> list[float]:
    from PIL import Image
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for i in range(runs):
                ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = ctx.new_page()
                level = "district" if i % 2 else "province"
                t0 = time.perf_counter()
                page.goto(f"{base}/map?lang=th&indicator=rice_inseason_production_t&year=2015&level={level}")
                canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
                canvas.wait_for(timeout=60000)
                while time.perf_counter() - t0 < 60:
                    png = page.locator('[data-testid="stDeckGlJsonChart"]').screenshot()
                    colours = Image.open(io.BytesIO(png)).convert("RGB").resize((100, 100)).getcolors(10000)
                    if colours and len(colours) > 10:
                        break
                times.append((level, time.perf_counter() - t0))
                ctx.close()
        finally:
            browser.close()
    return times


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
        drawn = _map_drawn_seconds(f"http://127.0.0.1:{port}", 6)
    finally:
        stop_server(server)
    for level in ("province", "district"):
        xs = [s for lv, s in drawn if lv == level]
        report("views", f"map drawn in Chromium after navigation, {level}s (median of {len(xs)})",
               f"{statistics.median(xs):.2f} s")  # fmt: skip
