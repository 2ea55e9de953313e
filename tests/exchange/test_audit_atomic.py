"""A write and its audit line commit together or not at all (issue #23), on the embedded store and on a real
PostgreSQL: the writer killed (-9) between the two statements, the database stopped between them, and a COMMIT
whose answer is lost on the way back (a proxy cuts the connection) — the writer is told the truth."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

import pandas as pd
import pytest

from provdata import accounts, store
from provdata.exchange import chain_edits, publish
from provdata.ingest import Options
from provdata.store import audit, publications
from provdata.store.postgres import CommitUnknown, StoreUnavailable
from provdata.warehouse import layers, queries
from provdata.warehouse.db import Warehouse
from tests.conftest import (
    PASSWORD,
    PG_BIN,
    ROOT,
    make_exchange_env,
    tiny_warehouse_copy,
    wide_population_xlsx,
)
from tests.exchange.test_publish import POP, _wait_for, current, kill_publish_at

PLANNER = accounts.Account("uthai-planner", role="planner", provinces=("60", "61"))


def audited(action: str) -> list[str]:
    return audit.audit_log(action).target.tolist()


# ------------------------------------------------------------------------------------ kill -9 in between


@pytest.mark.slow
@pytest.mark.parametrize("point", ["in_commit", "after_commit"])
def test_a_publish_killed_between_its_write_and_its_audit_line_keeps_both_or_neither(
    state_backend, exchange_env, point
):
    env = exchange_env
    file = env.base / "pop.xlsx"
    file.write_bytes(wide_population_xlsx(env.held_back))
    kill_publish_at(env, file, point)  # in_commit: the publication inserted, its audit line not yet
    made = point == "after_commit"
    assert [p.id for p in publications.committed(env.inputs.uploads_dir)] == ([101] if made else [])
    assert audited("publish") == (["load 101"] if made else [])
    assert publications.sequence() == (1 if made else 0)


_SAVE_CHAIN = """
import sys
from pathlib import Path
from provdata.accounts import Account
from provdata.exchange import chain_edits
from provdata.warehouse.build import Inputs
base = Path(sys.argv[1])
inputs = Inputs(seed_dir=base / "seed", reference_dir=base / "reference", geo_dir=base / "geo",
                strategy_dir=base / "strategy", inbox_dir=base / "inbox", recipes_dir=base / "recipes")
frames = chain_edits.province_frames(inputs.strategy_dir, "61")
frames["issues"].loc[frames["issues"].issue_id == "life", "title_en"] = "Healthy Uthai Thani"
planner = Account("uthai-planner", role="planner", provinces=("60", "61"))
chain_edits.save_province("61", frames, planner, inputs.strategy_dir, inputs, Path(sys.argv[2]))
print("saved")
"""


@pytest.fixture
def chain_setup(state_backend, tiny_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("PROVDATA_STATE", str(tmp_path / "state"))
    accounts.add("uthai-planner", PASSWORD, role="planner", provinces=["61", "60"])
    return tiny_copy, tiny_warehouse_copy(tmp_path / "wh.duckdb")


def _save_chain(
    base: Path, target: Path, pause: str | None = None, mark: Path | None = None
) -> subprocess.Popen:
    extra = {"PYTHONPATH": str(ROOT)}
    if pause:
        extra |= {"PROVDATA_TEST_PAUSE": pause, "PROVDATA_TEST_PAUSE_SECONDS": "60",
                  "PROVDATA_TEST_PAUSE_FILE": str(mark)}  # fmt: skip
    return subprocess.Popen([sys.executable, "-c", _SAVE_CHAIN, str(base), str(target)], cwd=ROOT,
                            env={**os.environ, **extra}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)  # fmt: skip


@pytest.mark.slow
def test_a_chain_save_killed_between_its_write_and_its_audit_line_keeps_neither(chain_setup, tmp_path):
    base, target = chain_setup
    mark = tmp_path / "paused"
    proc = _save_chain(base, target, "in_commit", mark)
    _wait_for(mark.exists)
    os.killpg(proc.pid, 9)
    proc.wait(10)
    assert layers.strategy_layer() == {} and audited("chain_edit") == []
    # the same save, not killed: both
    proc = _save_chain(base, target)
    assert proc.communicate(timeout=120)[0].strip().endswith("saved")
    assert set(layers.strategy_layer()) == {"issues.csv", "csfs.csv", "links.csv"}
    assert audited("chain_edit") == ["province 61"]


# ------------------------------------------------------------------------- PostgreSQL stopped in between


def _stop_immediately(server) -> None:
    server.run(str(PG_BIN / "pg_ctl"), "-D", str(server.folder / "data"), "-m", "immediate", "-w", "stop")


@pytest.mark.slow
def test_postgresql_stopped_between_a_write_and_its_audit_line_keeps_neither(tmp_path, monkeypatch,
                                                                             postgres_server):  # fmt: skip
    monkeypatch.setenv("PROVDATA_STATE_URL", postgres_server.new_database())
    env = make_exchange_env(tmp_path / "x")
    for k, v in env.env().items():
        monkeypatch.setenv(k, v)
    steward = accounts.verify("dopa-steward", PASSWORD)
    data = wide_population_xlsx(env.held_back)
    preview = publish.check(data, "pop.xlsx", Options(indicator=POP), Warehouse(env.warehouse), steward)
    before = hashlib.sha256(env.warehouse.read_bytes()).hexdigest()
    stop_at = {"point": "in_commit"}

    def pause(at: str) -> None:
        if at == stop_at["point"]:
            _stop_immediately(postgres_server)

    monkeypatch.setattr(publish, "_pause", pause)
    monkeypatch.setattr(chain_edits, "pause", pause)
    try:
        with pytest.raises(StoreUnavailable, match="this write was not made"):
            publish.publish(preview.to_publish(False), data, "pop.xlsx", steward, rows_in=4, rows_rejected=0,
                             license="test licence", target=env.warehouse, inputs=env.inputs)  # fmt: skip
    finally:
        postgres_server.start()
    assert publications.committed(env.inputs.uploads_dir) == [] and audited("publish") == []
    assert hashlib.sha256(env.warehouse.read_bytes()).hexdigest() == before
    # a plan progress save stopped the same way
    planner = accounts.add("ns-planner", PASSWORD, role="planner", provinces=["60"])
    mine = pd.DataFrame({"link": ["Annual mean PM2.5 concentration"], "status": ["done"], "note": [""]})
    try:
        with pytest.raises(StoreUnavailable, match="this write was not made"):
            chain_edits.save_plan_status(
                "60", mine, planner, env.inputs.strategy_dir, env.inputs, env.warehouse
            )
    finally:
        postgres_server.start()
    assert "plan_status.csv" not in layers.strategy_layer() and audited("plan_status") == []
    stop_at["point"] = None  # and with the database up, both are made
    chain_edits.save_plan_status("60", mine, planner, env.inputs.strategy_dir, env.inputs, env.warehouse)
    assert audited("plan_status") == ["province 60"]
    assert layers.strategy_layer()["plan_status.csv"]["60"].status.tolist() == ["done"]


# ------------------------------------------------------------------------- a COMMIT whose answer is lost

_COMMIT = b"Q\x00\x00\x00\x0bCOMMIT\x00"  # the simple-protocol message psycopg sends to commit


class CommitCutter:
    """A TCP proxy to the test server's Unix socket. Once armed, it cuts the client off at its next COMMIT:
    ``after`` passes the COMMIT on, waits for the server's answer and drops the connection instead of passing the
    answer back (the write was made; the client cannot know); ``before`` drops it without passing the COMMIT on
    (not made). ``refuse`` also turns away every later connection (no one can ask afterwards)."""

    def __init__(self, unix_socket: Path) -> None:
        self.unix_socket = str(unix_socket)
        self.armed: str | None = None
        self.refusing = False
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, pg_url: str) -> str:
        database = urllib.parse.urlparse(pg_url).path.lstrip("/")
        return f"postgresql://provdata@127.0.0.1:{self.port}/{database}?sslmode=disable"

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.refusing:
                client.close()
                continue
            server = socket.socket(socket.AF_UNIX)
            server.connect(self.unix_socket)
            answered, mute = threading.Event(), threading.Event()
            threading.Thread(target=self._back, args=(server, client, mute, answered), daemon=True).start()
            threading.Thread(target=self._forth, args=(client, server, mute, answered), daemon=True).start()

    def _back(self, server, client, mute, answered) -> None:
        while data := _recv(server):
            if mute.is_set():
                answered.set()  # the server's answer to the COMMIT: dropped
                return
            try:
                client.sendall(data)
            except OSError:
                return

    def _forth(self, client, server, mute, answered) -> None:
        while data := _recv(client):
            mode = self.armed if _COMMIT in data else None
            if mode:
                self.armed = None
                self.refusing = mode == "refuse"
                if mode in ("after", "refuse"):
                    mute.set()
                    server.sendall(data)
                    answered.wait(10)
                for s in (client, server):
                    _close(s)
                return
            server.sendall(data)
        _close(server)

    def close(self) -> None:
        _close(self.listener)


def _recv(s: socket.socket) -> bytes:
    try:
        return s.recv(65536)
    except OSError:
        return b""


def _close(s: socket.socket) -> None:
    try:
        s.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    s.close()


@pytest.fixture
def cutter(postgres_server, monkeypatch):
    """A fresh database reached through a CommitCutter (PROVDATA_STATE_URL); the cutter."""
    url = postgres_server.new_database()
    proxy = CommitCutter(postgres_server.folder / ".s.PGSQL.5432")
    monkeypatch.setenv("PROVDATA_STATE_URL", proxy.url(url))
    monkeypatch.setenv("PROVDATA_COMMIT_CHECK_SECONDS", "2")
    proxy.direct = url
    yield proxy
    proxy.close()


def _account_rows(url: str) -> list[str]:
    with store.open_store(url).transaction() as tx:
        return [r[0] for r in tx.execute("SELECT name FROM account ORDER BY name").fetchall()]


@pytest.mark.parametrize("mode", ["after", "before", "refuse"])
def test_a_lost_commit_is_asked_about_and_the_writer_told_which(cutter, tmp_path, monkeypatch, mode):
    monkeypatch.setenv("PROVDATA_STATE", str(tmp_path / "state"))
    accounts.add("admin", PASSWORD, role="admin")  # (the tables made, a first write through the proxy)
    cutter.armed = mode
    if mode == "after":  # made, and said so: no error
        accounts.add("dopa-steward", PASSWORD, "dopa")
    elif mode == "before":
        with pytest.raises(StoreUnavailable, match="this write was not made"):
            accounts.add("dopa-steward", PASSWORD, "dopa")
    else:
        with pytest.raises(CommitUnknown, match="may have been made"):
            accounts.add("dopa-steward", PASSWORD, "dopa")
    made = mode != "before"
    assert cutter.armed is None  # the connection was cut at that COMMIT
    assert _account_rows(cutter.direct) == (["admin", "dopa-steward"] if made else ["admin"])
    with store.open_store(cutter.direct).transaction() as tx:
        lines = tx.execute("SELECT target FROM audit WHERE action = 'account_add' ORDER BY id").fetchall()
    assert [r[0] for r in lines] == (["admin", "dopa-steward"] if made else ["admin"])


@pytest.mark.slow
def test_a_publish_whose_commit_answer_is_lost_is_published_and_said_so(cutter, tmp_path, monkeypatch):
    env = make_exchange_env(tmp_path / "x")
    for k, v in env.env().items():
        monkeypatch.setenv(k, v)
    steward = accounts.verify("dopa-steward", PASSWORD)
    data = wide_population_xlsx(env.held_back)
    preview = publish.check(data, "pop.xlsx", Options(indicator=POP), Warehouse(env.warehouse), steward)

    def arm(at: str) -> None:
        if at == "in_commit":
            cutter.armed = "after"

    monkeypatch.setattr(publish, "_pause", arm)
    result = publish.publish(preview.to_publish(False), data, "pop.xlsx", steward, rows_in=4, rows_rejected=0,
                             license="test licence", target=env.warehouse, inputs=env.inputs)  # fmt: skip
    assert result.load_id == 101 and cutter.armed is None  # the cut happened, and the steward was told "made"
    assert current(env, "60", 2020) == (1040308.0, 101)
    assert set(queries.loads(Warehouse(env.warehouse)).id) == {1, 2, 101}
    assert audited("publish") == ["load 101"]
