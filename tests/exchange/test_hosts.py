"""Hosts follow one another through the state store: two app processes with separate working folders sharing
only PostgreSQL serve each other's publications, chain edits and rollbacks; a host that was down catches up at
start; the database stopped in the middle of a publish leaves the old or the new state, never half; publication
folders of an earlier version are imported into the store once."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from bench.serve import free_port, launch_server, stop_server, wait_until_healthy
from provdata import accounts
from provdata.exchange import chain_edits, follow, publish
from provdata.ingest import Options
from provdata.store import audit, publications
from provdata.store.postgres import StoreUnavailable
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse
from tests.conftest import PASSWORD, PG_BIN, make_exchange_env, wide_population_xlsx

POP = "population_registered"
NSW_2020 = 1040308.0  # DOPA's registered population of Nakhon Sawan, 2020 (held back from the test seed)


def call(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def served(base: str, code: str, year: int) -> list[tuple[float, int]] | None:
    """What a host's API serves for the registered population of ``code`` in ``year`` (None: not answering)."""
    query = urllib.parse.urlencode({"indicator": POP, "province": code, "from": year, "to": year})
    try:
        status, body = call(f"{base}/api/v1/observations?{query}")
    except OSError:
        return None
    if status != 200:
        return None
    return [(row["value"], row["load_id"]) for row in body["data"]]


def wait_until(predicate, what: str, timeout: float = 90) -> None:
    """Poll until ``predicate()`` holds (a generous timeout; the time it took is a bench figure, not a test)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def issue_title(warehouse: Path, code: str, issue: str) -> set[str]:
    chain = queries.chain(Warehouse(warehouse), code)
    return set(chain.loc[chain.issue_id == issue, "issue_en"])


@pytest.fixture
def two_hosts(tmp_path, monkeypatch, postgres_server):
    """Host A (the exchange env's warehouse) and host B (its own folder, no warehouse yet: it catches up at
    start), each a real server process with its own PROVDATA_STATE folder, sharing one PostgreSQL database."""
    url = postgres_server.new_database()
    monkeypatch.setenv("PROVDATA_STATE_URL", url)
    env = make_exchange_env(tmp_path / "release")  # accounts go into PostgreSQL
    monkeypatch.setenv("PROVDATA_STATE", str(env.state))
    monkeypatch.setenv("PROVDATA_INPUTS", str(env.base / "inputs"))
    procs, hosts = {}, {}

    def launch(name: str) -> int:
        folder = tmp_path / f"host-{name}"
        folder.mkdir(exist_ok=True)
        warehouse = env.warehouse if name == "a" else folder / "warehouse.duckdb"
        port = free_port()
        settings = {"PROVDATA_INPUTS": str(env.base / "inputs"), "PROVDATA_STATE": str(folder / "var"),
                    "PROVDATA_STATE_URL": url, "PROVDATA_FOLLOW_SECONDS": "0.5"}  # fmt: skip
        log = (folder / "server.log").open("a")
        procs[name] = launch_server(warehouse, port, log=log, env=settings)
        hosts[name] = (f"http://127.0.0.1:{port}", warehouse)
        return port

    def start(name: str) -> None:
        port = launch(name)
        wait_until_healthy(procs[name], port)

    def stop(name: str) -> None:
        stop_server(procs.pop(name))

    try:
        ports = {name: launch(name) for name in ("a", "b")}  # the two hosts start side by side
        for name, port in ports.items():
            wait_until_healthy(procs[name], port)
        yield env, hosts, start, stop
    finally:
        for proc in procs.values():
            stop_server(proc)


@pytest.mark.slow
def test_a_publish_a_chain_edit_and_a_rollback_on_one_host_are_served_by_the_other(two_hosts, tmp_path):
    env, hosts, start, stop = two_hosts
    (a, _a_file), (b, b_file) = hosts["a"], hosts["b"]
    wait_until(lambda: served(b, "60", 2020) == [], "host B to build its warehouse at start")
    assert served(a, "60", 2020) == []  # held back from the release: nobody has it yet

    token = accounts.new_token("dopa-steward", label="hosts test")
    query = urllib.parse.urlencode({"filename": "pop.xlsx", "indicator": POP})
    status, body = call(f"{a}/api/v1/uploads?{query}", wide_population_xlsx(env.held_back),
                        {"Authorization": f"Bearer {token}"})  # fmt: skip
    assert status == 201 and body["published"]["load_id"] == 101, body
    assert served(a, "60", 2020) == [(NSW_2020, 101)]
    wait_until(lambda: served(b, "60", 2020) == [(NSW_2020, 101)], "host B to serve the publication")
    assert set(queries.loads(Warehouse(b_file)).id) == {1, 2, 101}

    # a planner's chain edit (written by a third process: the store is all the hosts share)
    admin = accounts.verify("admin", PASSWORD)
    frames = chain_edits.province_frames(env.inputs.strategy_dir, "61")
    frames["issues"].loc[frames["issues"].issue_id == "agri", "title_en"] = "Uthai Thani's own rice plan"
    third = tmp_path / "third" / "warehouse.duckdb"
    chain_edits.save_province("61", frames, admin, env.inputs.strategy_dir, env.inputs, third)
    for warehouse in (env.warehouse, b_file):
        wait_until(lambda w=warehouse: issue_title(w, "61", "agri") == {"Uthai Thani's own rice plan"},
                   f"{warehouse} to show the chain edit")  # fmt: skip

    publish.rollback(101, admin, target=third, inputs=env.inputs)
    for base in (a, b):
        wait_until(lambda u=base: served(u, "60", 2020) == [], f"{base} to drop the rolled-back figures")
    assert publications.sequence() == 3
    assert publications.warehouse_sequence(b_file) == publications.warehouse_sequence(env.warehouse) == 3

    # host B is down while a planner records plan progress; it catches up when it starts again
    stop("b")
    progress = pd.DataFrame({"link": ["Annual mean PM2.5 concentration"], "status": ["in_progress"],
                             "note": ["PCD station data requested"]})  # fmt: skip
    chain_edits.save_plan_status("60", progress, admin, env.inputs.strategy_dir, env.inputs, third)
    assert publications.warehouse_sequence(b_file) == 3  # (its file as it was left)
    start("b")
    wait_until(lambda: publications.warehouse_sequence(b_file) == 4, "host B to catch up at start")
    status = queries.plan_status(Warehouse(b_file), "60")
    assert status[["link", "status"]].values.tolist() == [["Annual mean PM2.5 concentration", "in_progress"]]


@pytest.mark.slow
def test_a_publish_and_a_chart_import_reach_the_other_host_within_seconds(two_hosts, tmp_path):
    """Writes applied in place (provdata/warehouse/build/incremental.py): host B serves host A's publish, and both
    show a planner's chart import, within 5 s (bench_writes reports the real median, below 2 s); B says in its log
    that it applied the change rather than rebuilt."""
    env, hosts, _start, _stop = two_hosts
    (a, a_file), (b, b_file) = hosts["a"], hosts["b"]
    wait_until(lambda: served(b, "60", 2020) == [], "host B to build its warehouse at start")
    token = accounts.new_token("dopa-steward", label="hosts test")
    query = urllib.parse.urlencode({"filename": "pop.xlsx", "indicator": POP})
    status, body = call(f"{a}/api/v1/uploads?{query}", wide_population_xlsx(env.held_back),
                        {"Authorization": f"Bearer {token}"})  # fmt: skip
    assert status == 201 and body["published"]["load_id"] == 101, body
    wait_until(
        lambda: served(b, "60", 2020) == [(NSW_2020, 101)], "host B to serve the publication", timeout=5
    )

    admin = accounts.verify("admin", PASSWORD)
    frames = chain_edits.province_frames(env.inputs.strategy_dir, "61")
    frames["issues"].loc[frames["issues"].issue_id == "agri", "title_en"] = "Uthai Thani's own rice plan"
    workbook = chain_edits.to_excel(frames, "61")
    third = tmp_path / "third" / "warehouse.duckdb"  # the planner's host: a third one
    third.parent.mkdir()
    shutil.copy(a_file, third)
    result = chain_edits.save_province("61", chain_edits.from_excel(workbook), admin, env.inputs.strategy_dir,
                                       env.inputs, third)  # fmt: skip
    assert result.incremental and issue_title(third, "61", "agri") == {"Uthai Thani's own rice plan"}
    for warehouse in (a_file, b_file):
        wait_until(lambda w=warehouse: issue_title(w, "61", "agri") == {"Uthai Thani's own rice plan"},
                   f"{warehouse} to show the chart import", timeout=5)  # fmt: skip
    assert Warehouse(b_file).build_id == Warehouse(a_file).build_id == Warehouse(third).build_id
    log = (tmp_path / "host-b" / "server.log").read_text(encoding="utf-8")
    assert f"applied the changes to {b_file} at sequence 2" in log


def _stop_immediately(server) -> None:
    data = server.folder / "data"
    server.run(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")


@pytest.mark.slow
@pytest.mark.parametrize("point", ["before_commit", "in_commit", "after_commit"])
def test_the_database_stopped_in_the_middle_of_a_publish_leaves_old_or_new_state(
    tmp_path, monkeypatch, postgres_server, point
):
    url = postgres_server.new_database()
    monkeypatch.setenv("PROVDATA_STATE_URL", url)
    env = make_exchange_env(tmp_path)
    for k, v in env.env().items():
        monkeypatch.setenv(k, v)
    steward = accounts.verify("dopa-steward", PASSWORD)
    data = wide_population_xlsx(env.held_back)
    preview = publish.check(data, "pop.xlsx", Options(indicator=POP), Warehouse(env.warehouse), steward)
    before = hashlib.sha256(env.warehouse.read_bytes()).hexdigest()

    def pause(at: str) -> None:
        if at == point:
            _stop_immediately(postgres_server)

    monkeypatch.setattr(publish, "_pause", pause)
    committed = point == "after_commit"
    try:
        if committed:  # made, audit line and all, before the stop: the steward is told it was published
            published = publish.publish(preview.to_publish(False), data, "pop.xlsx", steward, rows_in=4,
                                        rows_rejected=0, license="test licence", target=env.warehouse,
                                        inputs=env.inputs)  # fmt: skip
            assert published.load_id == 101
        else:
            with pytest.raises(StoreUnavailable, match=r"cannot be reached.*this write was not made"):
                publish.publish(preview.to_publish(False), data, "pop.xlsx", steward, rows_in=4, rows_rejected=0,
                                license="test licence", target=env.warehouse, inputs=env.inputs)  # fmt: skip
    finally:
        postgres_server.start()
    assert [p.id for p in publications.committed(env.inputs.uploads_dir)] == ([101] if committed else [])
    assert publications.sequence() == (1 if committed else 0)
    assert audit.audit_log("publish").target.tolist() == (["load 101"] if committed else [])  # with its line
    assert not list(env.warehouse.parent.glob(".warehouse.duckdb.*.tmp"))
    loads = set(queries.loads(Warehouse(env.warehouse)).id)
    if committed:  # the commit went through before the stop: the swap followed, the new state whole
        assert loads == {1, 2, 101} and publications.warehouse_sequence(env.warehouse) == 1
    else:  # the old state, whole: the old file untouched, nothing in the store
        assert hashlib.sha256(env.warehouse.read_bytes()).hexdigest() == before and loads == {1, 2}
    assert follow.catch_up(env.warehouse, env.inputs, say=lambda _m: None) is None  # nothing left to mend


def test_publication_folders_of_an_earlier_version_are_imported_once(state_backend, exchange_env):
    env = exchange_env
    folder = env.inputs.uploads_dir / "101"
    (folder / "raw").mkdir(parents=True)
    raw = b"Province,2020\nNakhon Sawan,1040308\n"
    (folder / "raw" / "nsw.csv").write_bytes(raw)
    buf = io.BytesIO()
    pd.DataFrame({"province_code": ["60"], "year": pd.array([2020], "int32"), "indicator_id": [POP],
                  "value": [NSW_2020]}).to_parquet(buf, index=False)  # fmt: skip
    (folder / "rows.parquet").write_bytes(buf.getvalue())
    record = {"id": 101, "file_name": "nsw.csv", "sha256": hashlib.sha256(raw).hexdigest(), "size": len(raw),
              "steward": "dopa-steward", "agency_id": "dopa", "loaded_at": "2026-01-05T10:00:00", "rows_in": 1,
              "rows_accepted": 1, "rows_rejected": 0, "indicators": [POP], "license": "test licence",
              "note": "", "mapping": {}, "status": "active"}  # fmt: skip
    (folder / "record.json").write_text(json.dumps(record), encoding="utf-8")

    assert follow.catch_up(env.warehouse, env.inputs, say=lambda _m: None) is not None  # the import moved it
    assert [p.id for p in publications.committed(env.inputs.uploads_dir)] == [101]
    assert publications.raw_file(101) == ("nsw.csv", raw)
    assert not folder.exists() and (folder.parent / "101.imported" / "record.json").exists()
    con = duckdb.connect(str(env.warehouse), read_only=True)
    try:
        assert con.execute(
            "SELECT value, load_id FROM observation WHERE indicator_id = ? AND area_code = '60' AND year = 2020",
            [POP],
        ).fetchone() == (NSW_2020, 101)
    finally:
        con.close()
    with publications.snapshot(env.inputs.uploads_dir) as snap:  # the next id follows the imported ones
        assert snap.next_load_id == 102 and [p.id for p in snap.publications] == [101]
