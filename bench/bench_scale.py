"""`make bench`: every page's server-side render time on SYNTHETIC warehouses of growing size.

For the national (77 × 500 × 25) and district (928 × 300 × 20) sizes: the synthetic warehouse's build
time and file size, then for every registered page the median and 95th-percentile AppTest render time at
its default view and at a heavy view (``HEAVY`` below), against the targets of issue 7 (national
≤ 300 ms median, district ≤ 1 s). The stress size (7,255 sub-districts × 200 × 20) is built and measured
for build time and size. All figures are of synthetic data, never shown as real.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.apptest import session
from bench.mapdraw import draw_times
from bench.serve import free_port, start_server, stop_server
from bench.synth import write_synthetic
from provdata.basics import config
from provdata.ui.nav import PAGES
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse

RUNS = 7
TARGET_MS = {"national": 300, "district": 1000}
#: Heavy view per page (url_path → query parameters); pages not listed use their default view.
HEAVY: dict[str, dict[str, str]] = {
    "profile": {"province": "10", "indicator": "syn_0001"},
    "map": {"indicator": "syn_0001", "level": "district"},
    "trends": {"indicator": "syn_0001", "provinces": "ALL", "mode": "index"},
    "compare": {"theme": "economy", "provinces": "ALL"},
}


def render_times(spec, params: dict[str, str], runs: int) -> list[float]:
    """One new session per run (the first run also fills the process caches: it is in the p95)."""
    times = []
    for _ in range(runs):
        at = session(str(config.ROOT / "app.py"))
        for k, v in params.items():
            at.query_params[k] = v
        if not spec.default:
            at.switch_page(spec.path)
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        if at.exception:
            raise RuntimeError(f"{spec.url_path} {params}: {at.exception[0].message}")
    return times


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def _map_of_all_districts(report, path: Path) -> None:
    """The map of all 928 districts (synthetic figures for every one) drawn in Chromium after navigation: the
    static picture the page shows first, and the interactive (WebGL) map."""
    port = free_port()
    server = start_server(path, port)
    url = f"http://127.0.0.1:{port}/map?lang=th&indicator=syn_0001&level=district"
    try:
        shown = {"picture": draw_times(url, 5), "interactive map": draw_times(f"{url}&interactive=1", 5)}
    finally:
        stop_server(server)
    for kind, times in shown.items():
        draw = statistics.median(d for _, d in times)
        verdict = "meets" if draw <= 2 else "MISSES"
        report("scale", f"district: map of 928 districts drawn after navigation ({kind}), fresh context (median of 5)",
               f"{draw:.2f} s ({verdict} ≤ 2 s; app's first heading at {statistics.median(h for h, _ in times):.2f} s)")  # fmt: skip


def bench(report) -> None:
    old = {k: os.environ.get(k) for k in ("PROVDATA_WAREHOUSE", "PROVDATA_ALLOW_SYNTHETIC")}
    os.environ["PROVDATA_ALLOW_SYNTHETIC"] = "1"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for size in ("national", "district", "stress"):
                path = Path(tmp) / f"{size}.duckdb"
                info = write_synthetic(size, path)
                report(
                    "scale",
                    f"{size}: synthetic build ({info['observations']:,} rows)",
                    f"{info['seconds']:.1f} s",
                )
                report("scale", f"{size}: file size", f"{info['bytes'] / 1e6:,.0f} MB")
                if size not in TARGET_MS:
                    path.unlink()
                    continue
                os.environ["PROVDATA_WAREHOUSE"] = str(path)
                all_codes = ",".join(queries.provinces(Warehouse(path))["code"])
                for spec in PAGES:
                    heavy = {
                        k: (all_codes if v == "ALL" else v) for k, v in HEAVY.get(spec.url_path, {}).items()
                    }
                    for view, params in (("default", {}), ("heavy", heavy)):
                        times = render_times(spec, {"lang": "th", **params}, RUNS)
                        med = statistics.median(times) * 1000
                        verdict = "meets" if med <= TARGET_MS[size] else "MISSES"
                        report(
                            "scale",
                            f"{size}: {spec.url_path} {view} render median / p95",
                            f"{med:,.0f} ms / {_p95(times) * 1000:,.0f} ms ({verdict} ≤ {TARGET_MS[size]} ms)",
                        )
                if size == "district":
                    _map_of_all_districts(report, path)
                path.unlink()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
