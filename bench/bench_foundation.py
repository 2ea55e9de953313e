"""Foundation figures: warehouse build time, profile render time (AppTest) for all 77 provinces,
and headline-query latency against a plain pandas-over-CSV baseline."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from provdata.basics import config
from provdata.warehouse import queries
from provdata.warehouse.build import build_warehouse
from provdata.warehouse.db import Warehouse


def _timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def pandas_headlines(csv_path: Path, code: str, indicator_ids: list[str], pilots: set[str]) -> pd.DataFrame:
    """The profile's headline query done the plain way: read the CSV, filter, rank in pandas."""
    obs = pd.read_csv(csv_path, dtype={"province_code": str})
    obs = obs[obs.indicator_id.isin(indicator_ids)]
    mine = obs[obs.province_code == code]
    latest = mine.groupby("indicator_id")["year"].max().rename("latest").reset_index()
    peers = obs.merge(latest, left_on=["indicator_id", "year"], right_on=["indicator_id", "latest"])
    peers["rank_all"] = peers.groupby("indicator_id")["value"].rank(ascending=False, method="min")
    pilot_peers = peers[peers.province_code.isin(pilots)].copy()
    pilot_peers["rank_pilot"] = pilot_peers.groupby("indicator_id")["value"].rank(
        ascending=False, method="min"
    )
    out = peers[peers.province_code == code].merge(
        pilot_peers[["indicator_id", "province_code", "rank_pilot"]],
        how="left",
        on=["indicator_id", "province_code"],
    )
    prev = mine.assign(year=mine.year + 1)[["indicator_id", "year", "value"]].rename(
        columns={"value": "prev_value"}
    )
    return out.merge(prev, how="left", on=["indicator_id", "year"])


def bench(report) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "bench.duckdb"
        times = _timed(lambda: build_warehouse(target, log=lambda _m: None), 3)
        report("foundation", "warehouse build (median of 3)", f"{statistics.median(times):.2f} s")
        report("foundation", "warehouse file size", f"{target.stat().st_size / 1e6:.1f} MB")

    wh_path = config.warehouse_path()
    wh = Warehouse(wh_path)
    ind = queries.indicators(wh)
    ids = ind["id"].tolist()
    pilots = set(config.PILOT_PROVINCES)
    codes = queries.provinces(wh)["code"].tolist()

    # query latency: DuckDB warehouse vs pandas over the shipped CSV (re-read per query, and in memory)
    csv_path = config.SEED_DIR / "observations.csv"
    sample = codes[:: max(1, len(codes) // 20)]
    duck = [t for c in sample for t in _timed(lambda c=c: queries.headlines(wh, c, ids), 3)]
    pd_csv = [
        t for c in sample[:5] for t in _timed(lambda c=c: pandas_headlines(csv_path, c, ids, pilots), 3)
    ]
    frame = pd.read_csv(csv_path, dtype={"province_code": str})

    def in_memory(code: str) -> None:
        obs = frame
        mine = obs[obs.province_code == code]
        latest = mine.groupby("indicator_id")["year"].max().rename("latest").reset_index()
        peers = obs.merge(latest, left_on=["indicator_id", "year"], right_on=["indicator_id", "latest"])
        peers.groupby("indicator_id")["value"].rank(ascending=False, method="min")

    pd_mem = [t for c in sample for t in _timed(lambda c=c: in_memory(c), 3)]
    d, p, m = statistics.median(duck), statistics.median(pd_csv), statistics.median(pd_mem)
    report("foundation", "headline query, DuckDB (median)", _ms(d))
    report("foundation", "headline query, pandas re-reading the CSV (median)", _ms(p))
    report("foundation", "headline query, pandas on a frame in memory (median)", _ms(m))
    report("foundation", "ratio pandas-CSV / DuckDB", f"{p / d:.1f}x")
    report("foundation", "ratio pandas-in-memory / DuckDB", f"{m / d:.2f}x")

    # server-side render of the profile page for every province (AppTest, one session each)
    from bench.apptest import session

    os.environ["PROVDATA_WAREHOUSE"] = str(wh_path)
    app = str(config.ROOT / "app.py")

    def render(code: str) -> float:
        at = session(app, 60)
        at.query_params["province"] = code
        t0 = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - t0
        if at.exception:
            raise RuntimeError(f"profile {code} raised {at.exception}")
        return elapsed

    cold = render(codes[0])
    renders = [render(c) for c in codes]
    report("foundation", "profile render, first (cold caches)", _ms(cold))
    report(
        "foundation", f"profile render, all {len(codes)} provinces, median", _ms(statistics.median(renders))
    )
    report("foundation", f"profile render, all {len(codes)} provinces, max", _ms(max(renders)))
