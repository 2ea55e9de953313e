"""`make bench`: writes visible in seconds — a publish on host A until host B serves its figure, and a planner's
chart import (Excel workbook → save) until it is on A (the save's confirmation) and on B; before (every write
rebuilds the whole warehouse, hosts poll the store every 2 s: the release before) and after (the write applied to
the warehouse in place, hosts poll every 0.5 s).

Two hosts: A is this process (the writer, as an app process whose steward or planner saves), B a real server
process (server.py, its own folder and warehouse file) following the same store. The store is PostgreSQL
(Debian's ``postgresql``, a throw-away server as in bench_state) when it is installed, else the embedded SQLite
store, which both hosts then share (the report says which). Everything is SYNTHETIC and temporary: the real inputs
copied with bench_exchange's synthetic indicators, generated figures published to them; the chart edit renames
one issue of Nakhon Sawan (60) in the copy. Nothing is written into data/ or var/.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from bench.bench_exchange import synthetic_inputs
from bench.bench_state import PG_BIN, postgres, served, settings, until
from bench.serve import free_port, start_server, stop_server
from provdata import accounts
from provdata.exchange import chain_edits, publish
from provdata.warehouse import queries
from provdata.warehouse.build import build_warehouse
from provdata.warehouse.db import Warehouse

TRIALS = 5
PASSWORD = "bench-password-not-secret-1"
#: (label, PROVDATA_INCREMENTAL, PROVDATA_FOLLOW_SECONDS)
MODES = [("before: full rebuild, poll 2 s", "0", "2"), ("after: in place, poll 0.5 s", "1", "0.5")]


def _issue_title(warehouse: Path, issue: str) -> set[str]:
    try:
        chain = queries.chain(Warehouse(warehouse), "60")
    except Exception:  # the file being swapped in: look again
        return set()
    return set(chain.loc[chain.issue_id == issue, "issue_en"])


def _run_mode(
    base: Path, inputs, url: str, incremental: str, poll: str, first_trial: int
) -> dict[str, list[float]]:
    folder = base / f"mode-{incremental}"
    a_file, b_file = folder / "a" / "warehouse.duckdb", folder / "b" / "warehouse.duckdb"
    b_file.parent.mkdir(parents=True)
    build_warehouse(a_file, inputs, log=lambda _m: None)  # from the store, at its sequence
    shutil.copy(a_file, b_file)
    times: dict[str, list[float]] = {"publish": [], "publish → B": [], "import": [], "import → B": []}
    env = {"PROVDATA_STATE": str(b_file.parent / "var"), "PROVDATA_INCREMENTAL": incremental,
           "PROVDATA_FOLLOW_SECONDS": poll}  # fmt: skip
    server = start_server(b_file, free_port(), env=env, timeout=120)
    host_b = f"http://127.0.0.1:{server.args[server.args.index('--server.port') + 1]}"
    admin = accounts.verify("bench-admin", PASSWORD)
    try:
        with settings(PROVDATA_INCREMENTAL=incremental):
            for trial in range(first_trial, first_trial + TRIALS):
                indicator, value = f"synthetic_{trial:04d}", 1000.0 + trial  # SYNTHETIC
                rows = pd.DataFrame({"province_code": ["60"], "year": [2020], "indicator_id": [indicator],
                                     "value": [value]})  # fmt: skip
                t0 = time.perf_counter()
                result = publish.publish(rows, f"60,2020,{value}\n".encode(), f"synthetic-{trial}.csv", admin,
                                         rows_in=1, rows_rejected=0, license="SYNTHETIC - not data",
                                         target=a_file, inputs=inputs)  # fmt: skip
                t1 = time.perf_counter()
                t2 = until(lambda i=indicator, v=value, lid=result.load_id: served(host_b, i) == [(v, lid)])
                times["publish"].append(t1 - t0)
                times["publish → B"].append(t2 - t1)

                # a planner imports the province's chart from Excel: read the workbook, check, save, republish
                frames = chain_edits.province_frames(inputs.strategy_dir, "60")
                issue = frames["issues"].issue_id.iloc[0]
                title = f"SYNTHETIC bench title {trial}"
                frames["issues"].loc[frames["issues"].issue_id == issue, "title_en"] = title
                workbook = chain_edits.to_excel(frames, "60")
                t0 = time.perf_counter()
                chain_edits.save_province("60", chain_edits.from_excel(workbook), admin, inputs.strategy_dir,
                                          inputs, a_file)  # fmt: skip
                t1 = time.perf_counter()
                assert _issue_title(a_file, issue) == {title}
                t2 = until(lambda i=issue, t=title: _issue_title(b_file, i) == {t})
                times["import"].append(t1 - t0)
                times["import → B"].append(t2 - t1)
    finally:
        stop_server(server)
    return times


def bench(report) -> None:
    with tempfile.TemporaryDirectory(prefix="provdata-bench-writes-") as tmp:
        base = Path(tmp)
        inputs = synthetic_inputs(base / "inputs")
        with postgres() if (PG_BIN / "initdb").exists() else _no_postgres(base) as new_database:
            url = new_database()
            kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite (no PostgreSQL here)"
            with settings(PROVDATA_STATE=str(base / "writer"), PROVDATA_STATE_URL=url,
                          PROVDATA_INPUTS=str(base / "inputs")):  # fmt: skip
                accounts.add("bench-admin", PASSWORD, "nso", admin=True)
                results = {}
                for i, (label, incremental, poll) in enumerate(MODES):
                    results[label] = _run_mode(base, inputs, url, incremental, poll, first_trial=i * TRIALS)
    medians = {label: {k: statistics.median(v) for k, v in t.items()} for label, t in results.items()}
    names = {"publish": "publish on A (the steward's confirmation)",
             "publish → B": "publish on A → its figure served by B",
             "import": "planner's chart import on A (Excel → saved and shown on A)",
             "import → B": "planner's chart import on A → shown on B"}  # fmt: skip
    for label, t in results.items():
        for key, name in names.items():
            v = t[key]
            report("writes", f"{label}: {name} (store {kind}, median of {TRIALS})",
                   f"{statistics.median(v):.2f} s (min {min(v):.2f}, max {max(v):.2f})")  # fmt: skip
    before, after = (medians[label] for label, _i, _p in MODES)
    for key, name in names.items():
        report("writes", f"{name}: before / after", f"{before[key] / after[key]:.1f}×")
    for key in ("publish", "import"):
        report(
            "writes",
            f"{names[key]} → visible on B, from the click: before → after",
            f"{before[key] + before[key + ' → B']:.2f} s → {after[key] + after[key + ' → B']:.2f} s",
        )


class _no_postgres:
    """No PostgreSQL installed: one embedded store, shared by the two hosts through its file."""

    def __init__(self, base: Path) -> None:
        self.base = base

    def __enter__(self):
        return lambda: f"sqlite:///{self.base / 'shared-state' / 'state.sqlite'}"

    def __exit__(self, *exc) -> None:
        return None


if __name__ == "__main__":
    bench(lambda s, n, v: print(f"{s:<8} {n:<100} {v}", flush=True))
