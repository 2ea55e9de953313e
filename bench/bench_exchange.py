"""`make bench`: data exchange — ingest + validate + publish of a 1-million-row file, and API latency.

The 1M-row file is SYNTHETIC (bench only, never shipped or served): 400 benchmark indicators named
"SYNTHETIC benchmark indicator n" are added to a temporary copy of the build inputs, and a tidy CSV of
400 × 77 provinces × 33 years = 1,016,400 rows with generated values is uploaded by an admin into a temporary
warehouse built from the real seed. API latency is measured on the real warehouse, over HTTP on the app's own
server (server.py), against the same query called in-process as the baseline.
"""

from __future__ import annotations

import csv
import os
import shutil
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np
import pandas as pd

from bench.serve import free_port, start_server, stop_server
from provdata.accounts import Account
from provdata.basics import config
from provdata.exchange import publish
from provdata.ingest import Options
from provdata.warehouse import queries
from provdata.warehouse.build import Inputs, build_warehouse
from provdata.warehouse.db import Warehouse

N_INDICATORS, YEARS = 400, range(1990, 2023)


def synthetic_inputs(base: Path) -> Inputs:
    """A copy of the real inputs plus N_INDICATORS synthetic indicators of a synthetic source (labelled)."""
    for name, src in (
        ("seed", config.SEED_DIR),
        ("reference", config.REFERENCE_DIR),
        ("geo", config.GEO_DIR),
        ("strategy", config.STRATEGY_DIR),
        ("inbox", config.ROOT / "data" / "inbox"),
        ("recipes", config.ROOT / "data" / "recipes"),
    ):  # fmt: skip  (the chains link recipe indicators)
        shutil.copytree(src, base / name)
    ids = [f"synthetic_{i:04d}" for i in range(N_INDICATORS)]

    def append(path: Path, rows: list[dict]) -> None:
        with path.open(encoding="utf-8") as fh:
            fields = next(csv.reader(fh))
        with path.open("a", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=fields)
            w.writerows([{k: r.get(k, "") for k in fields} for r in rows])

    append(base / "seed" / "sources.csv", [{"source_id": "synthetic_bench", "agency": "provdata bench",
           "upstream_repository": "none", "upstream_path": "bench/bench_exchange.py",
           "upstream_license": "SYNTHETIC - not data", "notes": "synthetic benchmark figures"}])  # fmt: skip
    append(base / "reference" / "source_agency.csv", [{"source_id": "synthetic_bench", "agency_id": "nso",
           "title_en": "SYNTHETIC benchmark", "title_th": "ข้อมูลสังเคราะห์สำหรับทดสอบ"}])  # fmt: skip
    append(base / "seed" / "indicators.csv", [{"indicator_id": i, "name_en": f"SYNTHETIC benchmark indicator {i}",
           "unit": "unit", "theme": "economy", "aggregation": "sum", "definition": "synthetic", "source_id":
           "synthetic_bench"} for i in ids])  # fmt: skip
    append(base / "reference" / "indicator_labels.csv", [{"indicator_id": i, "name_th": f"ตัวชี้วัดสังเคราะห์ {i}",
           "unit_th": "หน่วย", "definition_th": "สังเคราะห์"} for i in ids])  # fmt: skip
    append(base / "reference" / "indicator_kinds.csv", [{"indicator_id": i, "kind": "amount"} for i in ids])
    append(base / "reference" / "release_calendar.csv", [{"source_id": "synthetic_bench", "periodicity": "unknown",
           "periodicity_from": "not_known", "lag_from": "not_known", "note_en": "SYNTHETIC benchmark source"}])  # fmt: skip
    return Inputs(seed_dir=base / "seed", reference_dir=base / "reference", geo_dir=base / "geo",
                  strategy_dir=base / "strategy", uploads_dir=base / "state" / "uploads",
                  inbox_dir=base / "inbox", recipes_dir=base / "recipes")  # fmt: skip


def synthetic_file(path: Path) -> int:
    codes = pd.read_csv(config.GEO_DIR / "provinces.csv", dtype={"province_code": str}).province_code
    grid = pd.MultiIndex.from_product(
        [codes, list(YEARS), [f"synthetic_{i:04d}" for i in range(N_INDICATORS)]],
        names=["province_code", "year", "indicator_id"],
    ).to_frame(index=False)
    grid["value"] = np.random.default_rng(7).integers(1, 10_000_000, len(grid))
    grid.to_csv(path, index=False)
    return len(grid)


def bench_ingest(report) -> None:
    with tempfile.TemporaryDirectory(prefix="provdata-bench-exchange-") as tmp:
        base = Path(tmp)
        os.environ["PROVDATA_UPLOAD_MAX_MB"] = "200"
        state_before = os.environ.get("PROVDATA_STATE")
        os.environ["PROVDATA_STATE"] = str(
            base / "state"
        )  # the synthetic publication goes to a scratch store
        inputs = synthetic_inputs(base)
        target = base / "warehouse.duckdb"
        build_warehouse(target, inputs, log=lambda _m: None)
        file = base / "synthetic-1m.csv"
        n = synthetic_file(file)
        data = file.read_bytes()
        admin = Account("bench-admin", "nso", admin=True)
        wh = Warehouse(target)
        t0 = time.perf_counter()
        preview = publish.check(data, file.name, Options(), wh, admin)
        t1 = time.perf_counter()
        counts = preview.counts()
        result = publish.publish(
            preview.to_publish(), data, file.name, admin, rows_in=n, rows_rejected=counts["rejected"],
            license="SYNTHETIC", target=target, inputs=inputs,
        )  # fmt: skip
        t2 = time.perf_counter()
        report("exchange", f"SYNTHETIC upload: rows in the file ({len(data) / 1e6:,.0f} MB CSV)", f"{n:,}")
        report("exchange", "read + map + validate", f"{t1 - t0:.1f} s ({n / (t1 - t0):,.0f} rows/s)")
        report("exchange", "publish (archive, rebuild with the new load, swap)", f"{t2 - t1:.1f} s")
        report(
            "exchange",
            "ingest + validate + publish, 1M rows",
            f"{t2 - t0:.1f} s ({n / (t2 - t0):,.0f} rows/s)",
        )
        report("exchange", "rows published", f"{result.rows:,} (accepted {counts['accepted']:,})")
        del os.environ["PROVDATA_UPLOAD_MAX_MB"]
        if state_before is None:
            del os.environ["PROVDATA_STATE"]
        else:
            os.environ["PROVDATA_STATE"] = state_before


def bench_api(report) -> None:
    wh = Warehouse(config.warehouse_path())
    query = "indicator=gpp_per_capita_baht,population_registered&province=60,62,61,18&from=2010&to=2020"
    args = (
        ["gpp_per_capita_baht", "population_registered"],
        ["60", "62", "61", "18"],
        2010,
        2020,
        100_000,
        0,
    )
    direct = []
    for _ in range(30):
        t0 = time.perf_counter()
        queries.observations(wh, *args)
        direct.append(time.perf_counter() - t0)
    port = free_port()
    proc = start_server(config.warehouse_path(), port)
    try:
        url = f"http://127.0.0.1:{port}/api/v1/observations?{query}"
        urllib.request.urlopen(url).read()  # warm
        http, rows = [], 0
        for fmt in ("", "&format=csv"):
            times = []
            for _ in range(50):
                t0 = time.perf_counter()
                with urllib.request.urlopen(url + fmt) as r:
                    rows = r.read().count(b"\n") if fmt else rows
                times.append(time.perf_counter() - t0)
            http.append(times)
    finally:
        stop_server(proc)
    med = [statistics.median(t) * 1000 for t in http]
    p95 = [float(np.percentile(t, 95)) * 1000 for t in http]
    base = statistics.median(direct) * 1000
    report("exchange", "API observations, 2 indicators × 4 provinces × 11 years, JSON median / p95",
           f"{med[0]:.1f} ms / {p95[0]:.1f} ms")  # fmt: skip
    report("exchange", "same query as CSV, median / p95", f"{med[1]:.1f} ms / {p95[1]:.1f} ms")
    report("exchange", "same query in-process (no HTTP), median; ratio HTTP JSON / in-process",
           f"{base:.1f} ms; {med[0] / base:.1f}x")  # fmt: skip


def bench(report) -> None:
    bench_api(report)
    bench_ingest(report)
