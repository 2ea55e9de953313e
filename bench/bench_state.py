"""`make bench`: the state store — time from a publish on one host to its figures on the other, and a build's
time with 0 and with 100 publications in each store (embedded SQLite, PostgreSQL).

Everything here is SYNTHETIC and temporary: the real inputs are copied with 400 synthetic benchmark indicators
(bench_exchange.synthetic_inputs, labelled "SYNTHETIC benchmark indicator n", source licence "SYNTHETIC - not
data"), the figures published are generated, and the stores, the PostgreSQL server (Debian's ``postgresql``,
initdb in a temporary folder, a Unix socket there) and the warehouses live in a temporary folder removed at the
end. Nothing is written into data/ or var/.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import numpy as np
import pandas as pd

from bench.bench_exchange import synthetic_inputs
from bench.serve import free_port, start_server, stop_server
from provdata import accounts, store
from provdata.basics import config
from provdata.store import publications
from provdata.warehouse.build import build_warehouse

PG_BIN = Path("/usr/lib/postgresql/15/bin")
TRIALS = 5
N_PUBLICATIONS = 100
PASSWORD = "bench-password-not-secret-1"


@contextlib.contextmanager
def postgres():
    """A throw-away PostgreSQL server on a Unix socket in a temporary folder of its own (as root, the server runs
    as the ``postgres`` user, which must be able to enter it); yields a URL maker."""
    as_user = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    folder = Path(tempfile.mkdtemp(prefix="provdata-bench-pg-"))
    if as_user:
        shutil.chown(folder, "postgres")

    def run(*args: str) -> None:
        subprocess.run([*as_user, *args], check=True, capture_output=True, text=True)

    data = str(folder / "data")
    run(
        str(PG_BIN / "initdb"), "-D", data, "-U", "provdata", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"
    )
    run(str(PG_BIN / "pg_ctl"), "-D", data, "-l", str(folder / "log"), "-w", "-o",
        f"-k {folder} -c listen_addresses=''", "start")  # fmt: skip
    made = []

    def new_database() -> str:
        import psycopg

        name = f"bench_{len(made)}"
        made.append(name)
        with psycopg.connect(f"postgresql://provdata@/postgres?host={folder}", autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://provdata@/{name}?host={folder}"

    try:
        yield new_database
    finally:
        run(str(PG_BIN / "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def settings(**values: str):
    """Environment settings for a block (restored after)."""
    before = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def synthetic_publications(st, n: int, indicator_ids: list[str]) -> int:
    """Put ``n`` SYNTHETIC publications (77 provinces × 10 years of one synthetic indicator each, generated
    values) into the store, as the publisher would (one transaction each); rows in all."""
    codes = pd.read_csv(config.GEO_DIR / "provinces.csv", dtype={"province_code": str}).province_code.tolist()
    rng = np.random.default_rng(14)
    total = 0
    for i in range(n):
        frame = pd.DataFrame(
            [(c, y, indicator_ids[i % len(indicator_ids)]) for c in codes for y in range(2013, 2023)],
            columns=["province_code", "year", "indicator_id"],
        ).astype({"year": "int32"})
        frame["value"] = rng.integers(1, 1_000_000, len(frame)).astype("float64")
        buf = io.BytesIO()
        frame.to_parquet(buf, index=False)
        raw = frame.to_csv(index=False).encode()
        with st.transaction() as tx:
            load_id = publications.counter(tx, "load") or config.FIRST_UPLOAD_LOAD_ID
            record = {"id": load_id + 1, "file_name": f"synthetic-{i}.csv", "sha256": hashlib.sha256(raw).hexdigest(),
                      "size": len(raw), "steward": "bench-admin", "agency_id": "nso",
                      "loaded_at": "2026-01-01T00:00:00", "rows_in": len(frame), "rows_accepted": len(frame),
                      "rows_rejected": 0, "indicators": [frame.indicator_id[0]], "license": "SYNTHETIC - not data",
                      "note": "SYNTHETIC benchmark publication", "mapping": {}, "status": "active"}  # fmt: skip
            publications.insert(tx, record, buf.getvalue(), raw)
            publications.bump_sequence(tx)
        total += len(frame)
    return total


def bench_build_times(report, base: Path, inputs, new_database) -> None:
    """Per backend, an empty store and one with N_PUBLICATIONS synthetic publications; builds alternate between
    the two (after one warm-up build each), so the shared machine's noise falls on both alike."""
    ids = [f"synthetic_{i:04d}" for i in range(400)]
    for backend in ("sqlite", "postgresql"):
        stores = {}
        for n in (0, N_PUBLICATIONS):
            folder = base / f"build-{backend}-{n}"
            url = (
                new_database()
                if backend == "postgresql"
                else f"sqlite:///{folder / 'state' / 'state.sqlite'}"
            )
            stores[n] = (folder, url)
            if n:
                with settings(PROVDATA_STATE=str(folder / "state"), PROVDATA_STATE_URL=url):
                    rows = synthetic_publications(store.current(), n, ids)
        runs: dict[int, list[float]] = {0: [], N_PUBLICATIONS: []}
        for trial in range(6):  # the first of each is a warm-up, not counted
            for n, (folder, url) in stores.items():
                with settings(PROVDATA_STATE=str(folder / "state"), PROVDATA_STATE_URL=url):
                    t0 = time.perf_counter()
                    result = build_warehouse(folder / "warehouse.duckdb", inputs, log=lambda _m: None)
                    if trial:
                        runs[n].append(time.perf_counter() - t0)
                assert result.counts["active publication"] == n
        times = {n: statistics.median(r) for n, r in runs.items()}
        for n, t in times.items():
            report(
                "state", f"{backend}: build with {n} publications (median of 5, alternating)", f"{t:.2f} s"
            )
        report("state", f"{backend}: SYNTHETIC rows in the {N_PUBLICATIONS} publications", f"{rows:,}")
        report("state", f"{backend}: build time ratio, {N_PUBLICATIONS} / 0 publications",
               f"{times[N_PUBLICATIONS] / times[0]:.2f}×")  # fmt: skip


def served(base: str, indicator: str) -> list:
    """(value, load id) of ``indicator`` for Nakhon Sawan in 2020 as the host at ``base`` serves it ([] if down)."""
    query = urllib.parse.urlencode({"indicator": indicator, "province": "60", "from": 2020, "to": 2020})
    try:
        with urllib.request.urlopen(f"{base}/api/v1/observations?{query}", timeout=30) as r:
            return [(d["value"], d["load_id"]) for d in json.loads(r.read())["data"]]
    except OSError:
        return []


def until(predicate, timeout: float = 300) -> float:
    """Wait for ``predicate`` (polled every 20 ms); the moment it held (perf_counter)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError(f"a host did not follow within {timeout:.0f} s")
        time.sleep(0.02)
    return time.perf_counter()


def bench_follow(report, base: Path, inputs, new_database) -> None:
    url = new_database()
    inputs_dir = inputs.seed_dir.parent
    with settings(PROVDATA_STATE=str(base / "follow" / "test"), PROVDATA_STATE_URL=url,
                  PROVDATA_INPUTS=str(inputs_dir)):  # fmt: skip
        accounts.add("bench-admin", PASSWORD, "nso", admin=True)
        token = accounts.new_token("bench-admin", label="bench")
        warehouses = {name: base / "follow" / name / "warehouse.duckdb" for name in ("a", "b")}
        build_warehouse(warehouses["a"], inputs, log=lambda _m: None)
        warehouses["b"].parent.mkdir(parents=True)
        shutil.copy(warehouses["a"], warehouses["b"])
        procs, hosts = [], {}
        try:
            for name, warehouse in warehouses.items():
                port = free_port()
                env = {"PROVDATA_STATE": str(warehouse.parent / "var")}  # PROVDATA_FOLLOW_SECONDS: default
                procs.append(start_server(warehouse, port, env=env))
                hosts[name] = f"http://127.0.0.1:{port}"
            publish, follow = [], []
            for trial in range(TRIALS):
                indicator = f"synthetic_{trial:04d}"
                value = 1000.0 + trial  # SYNTHETIC
                body = f"Province,2020\nNakhon Sawan,{value:.0f}\n".encode()
                query = urllib.parse.urlencode({"filename": f"synthetic-{trial}.csv", "indicator": indicator,
                                                "license": "SYNTHETIC - not data"})  # fmt: skip
                request = urllib.request.Request(f"{hosts['a']}/api/v1/uploads?{query}", data=body, method="POST",
                                                 headers={"Authorization": f"Bearer {token}"})  # fmt: skip
                t0 = time.perf_counter()
                with urllib.request.urlopen(request, timeout=300) as r:
                    load_id = json.loads(r.read())["published"]["load_id"]
                t1 = time.perf_counter()
                until(lambda ind=indicator, v=value, lid=load_id: served(hosts["b"], ind) == [(v, lid)])
                t2 = time.perf_counter()
                publish.append(t1 - t0)
                follow.append(t2 - t1)
        finally:
            for proc in procs:
                stop_server(proc)
    follow_s = float(os.environ.get("PROVDATA_FOLLOW_SECONDS", "2"))
    report("state", f"publish through host A's API (SYNTHETIC 1-row file, median of {TRIALS})",
           f"{statistics.median(publish):.2f} s")  # fmt: skip
    report("state", f"publish on A → its figures served by B (median of {TRIALS}; poll every {follow_s:g} s)",
           f"{statistics.median(follow):.2f} s (min {min(follow):.2f}, max {max(follow):.2f})")  # fmt: skip
    report("state", "follow time / publish time (B's rebuild vs A's publish)",
           f"{statistics.median(follow) / statistics.median(publish):.2f}×")  # fmt: skip


def bench(report) -> None:
    with tempfile.TemporaryDirectory(prefix="provdata-bench-state-") as tmp:
        base = Path(tmp)
        inputs = synthetic_inputs(base / "inputs")
        with postgres() as new_database:
            bench_build_times(report, base, inputs, new_database)
            bench_follow(report, base, inputs, new_database)


if __name__ == "__main__":
    bench(lambda s, n, v: print(f"{s:<8} {n:<80} {v}", flush=True))
