"""Publishing: provenance recorded, raw file archived, vintages kept, rollback, all-or-nothing under a kill,
two uploads at once, a rebuild replays the publications; steward accounts and rights."""

from __future__ import annotations

import hashlib
import os
import signal
import stat
import subprocess
import sys
import time

import duckdb
import pandas as pd
import pytest

from provdata import accounts
from provdata.basics.errors import BuildError
from provdata.exchange import follow, publish
from provdata.ingest import Options
from provdata.store import publications
from provdata.store.publications import committed
from provdata.warehouse import layers, queries
from provdata.warehouse.build import build_warehouse
from provdata.warehouse.db import Warehouse
from tests.conftest import PASSWORD, ROOT, figure_in, make_exchange_env, open_page, wide_population_xlsx

POP = "population_registered"


def steward(name: str = "dopa-steward") -> accounts.Account:
    account = accounts.verify(name, PASSWORD)
    assert account is not None
    return account


def publish_file(env, data: bytes, name: str, options: Options, account=None, accept_flagged=False):
    account = account or steward()
    preview = publish.check(data, name, options, Warehouse(env.warehouse), account)
    counts = preview.counts()
    return preview, publish.publish(
        preview.to_publish(accept_flagged), data, name, account, rows_in=sum(counts.values()),
        rows_rejected=counts["rejected"], license="test licence", target=env.warehouse, inputs=env.inputs,
    )  # fmt: skip


def current(env, code: str, year: int) -> tuple[float, int]:
    return figure_in(env.warehouse, POP, code, year)


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_publish_adds_the_figures_and_records_who_what_when(state_backend, exchange_env):
    env = exchange_env
    data = wide_population_xlsx(env.held_back)
    preview, result = publish_file(env, data, "ประชากร 2562-2563.xlsx", Options(indicator=POP))
    assert preview.counts() == {"accepted": 4, "flagged": 0, "unchanged": 0, "rejected": 0, "skipped": 1}
    assert result.load_id == 101 and result.rows == 4
    assert current(env, "60", 2020) == (1040308.0, 101)  # DOPA's published figure for Nakhon Sawan, 2020
    assert current(env, "62", 2019) == (env.held_back["62", 2019], 101)
    wh = Warehouse(env.warehouse)
    load = queries.loads(wh).set_index("id").loc[101]
    assert (load.file_name, load.loaded_by, load.agency_id, load.status) == (
        "ประชากร 2562-2563.xlsx", "dopa-steward", "dopa", "active"
    )  # fmt: skip
    assert (load.rows_accepted, load.rows_rejected, load.rows_current) == (4, 0, 4)
    assert load.sha256 == hashlib.sha256(data).hexdigest()
    assert publications.raw_file(101) == ("ประชากร 2562-2563.xlsx", data)  # kept in the store, unchanged
    [pub] = committed(env.inputs.uploads_dir)
    assert (pub.id, pub.record["steward"], pub.record["indicators"]) == (101, "dopa-steward", [POP])
    assert publications.sequence() == 1 and publications.warehouse_sequence(env.warehouse) == 1
    assert not env.inputs.uploads_dir.exists()  # nothing under var/ but the store
    sources = queries.sources(wh).set_index("id")
    assert (
        sources.loc["upload-101", "agency_id"] == "dopa"
        and sources.loc["upload-101", "license"] == "test licence"
    )


def test_a_revision_is_a_new_vintage_and_rollback_restores_the_earlier_value(
    state_backend, tmp_path, monkeypatch
):
    # Earlier vintage stand-in: Nakhon Sawan's 2019 row holds its 2018 figure (1,063,964, published); the upload
    # brings the published 2019 figure (1,059,887), a revision of -0.4 %.
    env = make_exchange_env(tmp_path, stand_ins={("60", 2019): 1063964})
    for k, v in env.env().items():
        monkeypatch.setenv(k, v)
    assert current(env, "60", 2019) == (1063964.0, 1)
    preview, _result = publish_file(
        env, wide_population_xlsx(env.held_back), "pop.xlsx", Options(indicator=POP)
    )
    assert preview.counts()["accepted"] == 4
    assert preview.accepted.set_index(["province_code", "year"]).loc[("60", 2019), "change"] == "revised"
    assert current(env, "60", 2019) == (1059887.0, 101)
    changes = queries.load_changes(Warehouse(env.warehouse), 101).set_index(["area_code", "year"])
    assert changes.loc[("60", 2019), ["previous", "value", "previous_load"]].tolist() == [
        1063964.0,
        1059887.0,
        1,
    ]
    assert changes.loc[("62", 2020), "previous"] != changes.loc[("62", 2020), "previous"]  # new: no previous
    with pytest.raises(accounts.WriteRefused, match="not an admin"):
        publish.rollback(101, steward(), target=env.warehouse, inputs=env.inputs)
    publish.rollback(101, steward("admin"), target=env.warehouse, inputs=env.inputs)
    assert current(env, "60", 2019) == (1063964.0, 1)
    assert current(env, "60", 2020) is None
    load = queries.loads(Warehouse(env.warehouse)).set_index("id").loc[101]
    assert (load.status, load.rolled_back_by, load.rows_current) == ("rolled_back", "admin", 0)
    with pytest.raises(publish.PublishRefused, match="already rolled back"):
        publish.rollback(101, steward("admin"), target=env.warehouse, inputs=env.inputs)


def test_a_large_change_is_held_until_confirmed(tmp_path, monkeypatch):
    # Stand-in: Nakhon Sawan's 2020 row holds Sing Buri's 2020 figure (205,898); the real 1,040,308 is +405 %.
    env = make_exchange_env(tmp_path, stand_ins={("60", 2020): 205898})
    for k, v in env.env().items():
        monkeypatch.setenv(k, v)
    data = wide_population_xlsx(env.held_back)
    preview = publish.check(data, "pop.xlsx", Options(indicator=POP), Warehouse(env.warehouse), steward())
    assert preview.counts()["flagged"] == 1
    assert "changes the published 205,898 by 405%" in preview.flagged.reason.iloc[0]
    assert "60" not in set(preview.to_publish().province_code[preview.to_publish().year == 2020])
    _, result = publish_file(env, data, "pop.xlsx", Options(indicator=POP), accept_flagged=True)
    assert result.rows == 4 and current(env, "60", 2020) == (1040308.0, 101)


def test_a_plain_rebuild_replays_the_publications(state_backend, exchange_env, tmp_path):
    env = exchange_env
    publish_file(env, wide_population_xlsx(env.held_back), "pop.xlsx", Options(indicator=POP))
    again = tmp_path / "rebuilt.duckdb"
    build_warehouse(again, env.inputs, log=lambda _m: None)
    query = "SELECT * FROM observation ORDER BY ALL"
    a, b = (duckdb.connect(str(p), read_only=True) for p in (env.warehouse, again))
    assert a.execute(query).fetchall() == b.execute(query).fetchall()
    a.close()
    b.close()


def _cli(env, file, *args, pause: str | None = None, mark=None) -> subprocess.Popen:
    extra = {"PROVDATA_PASSWORD": PASSWORD, "PYTHONPATH": str(ROOT)}
    if pause:
        extra |= {"PROVDATA_TEST_PAUSE": pause, "PROVDATA_TEST_PAUSE_SECONDS": "60",
                  "PROVDATA_TEST_PAUSE_FILE": str(mark)}  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "provdata", "ingest", str(file), "--steward", "dopa-steward", *args],
        cwd=ROOT, env={**os.environ, **env.env(), **extra}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
    )  # fmt: skip


def _wait_for(predicate, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def kill_publish_at(env, file, point: str) -> None:
    """Publish ``file`` with the CLI and kill -9 it at ``point`` (before or after the store's commit)."""
    mark = env.base / "paused"
    proc = _cli(env, file, "--indicator", POP, pause=point, mark=mark)
    _wait_for(mark.exists)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)


@pytest.mark.slow
@pytest.mark.parametrize("point", ["before_commit", "after_commit"])
def test_a_kill_during_publish_leaves_the_old_or_the_new_state(state_backend, exchange_env, point):
    env = exchange_env
    file = env.base / "pop.xlsx"
    file.write_bytes(wide_population_xlsx(env.held_back))
    before = sha(env.warehouse)
    kill_publish_at(env, file, point)
    assert sha(env.warehouse) == before  # the warehouse is swapped only after the commit
    assert [p.id for p in committed(env.inputs.uploads_dir)] == ([101] if point == "after_commit" else [])
    assert len(list(env.warehouse.parent.glob(".warehouse.duckdb.*.tmp"))) == 1  # the killed build's file
    rebuilt = follow.catch_up(env.warehouse, env.inputs, say=lambda _m: None)  # what the host's follower does
    assert (rebuilt is not None) == (point == "after_commit")
    if point == "after_commit":
        assert current(env, "60", 2020) == (1040308.0, 101)
        assert set(queries.loads(Warehouse(env.warehouse)).id) == {1, 2, 101}
        assert not list(env.warehouse.parent.glob(".warehouse.duckdb.*.tmp"))
    else:
        assert sha(env.warehouse) == before
    # the next publication takes the store's next id, whatever the killed writer had reached
    with publications.snapshot(env.inputs.uploads_dir) as snap:
        assert (snap.seq, snap.next_load_id) == ((1, 102) if point == "after_commit" else (0, 101))
    if point == "before_commit":
        _preview, published = publish_file(env, file.read_bytes(), "pop.xlsx", Options(indicator=POP))
        assert published.load_id == 101 and current(env, "60", 2020) == (1040308.0, 101)
        assert not list(env.warehouse.parent.glob(".warehouse.duckdb.*.tmp"))  # the next writer tidied up


@pytest.mark.slow
def test_two_uploads_at_once_are_both_published_one_after_the_other(state_backend, exchange_env):
    env = exchange_env
    held = env.held_back
    a, b = env.base / "kpp.csv", env.base / "nsw.csv"
    a.write_text(f"จังหวัด,พ.ศ. 2562,พ.ศ. 2563\nกำแพงเพชร,{held['62', 2019]:.0f},{held['62', 2020]:.0f}\n")
    b.write_text(f"Province,2019,2020\nNakhon Sawan,{held['60', 2019]:.0f},{held['60', 2020]:.0f}\n")
    procs = [_cli(env, f, "--indicator", POP) for f in (a, b)]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert sorted(p.id for p in committed(env.state / "uploads")) == [101, 102]
    assert current(env, "62", 2020)[0] == held["62", 2020] and current(env, "60", 2020)[0] == held["60", 2020]
    assert {current(env, "62", 2020)[1], current(env, "60", 2020)[1]} == {101, 102}


def test_accounts_are_hashed_private_and_scoped(exchange_env):
    book = exchange_env.state / "state.sqlite"

    def stored() -> bytes:  # the database and its write-ahead log
        return b"".join(p.read_bytes() for p in sorted(exchange_env.state.glob("state.sqlite*")))

    assert PASSWORD.encode() not in stored() and b"scrypt$" in stored()
    assert stat.S_IMODE(book.stat().st_mode) == 0o600
    assert accounts.verify("dopa-steward", "wrong password!") is None
    assert accounts.verify("nobody", PASSWORD) is None
    token = accounts.new_token("nesdc-steward")
    assert token.encode() not in stored()
    who = accounts.by_token(token)
    assert who.name == "nesdc-steward" and who.may_publish("nesdc") and not who.may_publish("dopa")
    assert accounts.by_token(token + "x") is None
    with pytest.raises(accounts.AccountError, match="at least 10 characters"):
        accounts.add("short", "123", "dopa")


RUBBER = {
    "indicator_id": "rubber_planted_area_rai", "name_en": "Rubber planted area", "name_th": "เนื้อที่ปลูกยางพารา",
    "unit_en": "rai", "unit_th": "ไร่", "theme": "agriculture", "kind": "area", "agency_id": "oae",
    "higher_is_better": "", "definition_en": "", "definition_th": "",
}  # fmt: skip


def test_admins_add_indicators_checked_by_a_trial_build(exchange_env):
    env = exchange_env
    with pytest.raises(accounts.WriteRefused, match="only admins may add indicator"):
        publish.add_indicator(RUBBER, steward(), target=env.warehouse, inputs=env.inputs)
    before = sha(env.warehouse)
    with pytest.raises(BuildError, match=r"column theme: 'farming' is not a theme"):
        publish.add_indicator(
            {**RUBBER, "theme": "farming"}, steward("admin"), target=env.warehouse, inputs=env.inputs
        )
    assert sha(env.warehouse) == before and layers.added_indicators().empty
    with pytest.raises(publish.PublishRefused, match="indicator id 'Rubber area'"):
        publish.add_indicator({**RUBBER, "indicator_id": "Rubber area"}, steward("admin"),
                               target=env.warehouse, inputs=env.inputs)  # fmt: skip
    publish.add_indicator(RUBBER, steward("admin"), target=env.warehouse, inputs=env.inputs)
    row = queries.indicators(Warehouse(env.warehouse)).set_index("id").loc["rubber_planted_area_rai"]
    assert (row.agency_id, row.unit_th, row.kind, row.theme) == ("oae", "ไร่", "area", "agriculture")
    assert pd.isna(row.first_year)  # no figures yet: coverage is empty, never zero
    again = env.base / "again.duckdb"
    build_warehouse(again, env.inputs, log=lambda _m: None)  # a plain rebuild keeps it
    assert "rubber_planted_area_rai" in set(queries.indicators(Warehouse(again)).id)


@pytest.mark.parametrize(
    ("page", "says"),
    [("pages/map.py", "Rubber planted area has no published figures yet"),
     ("pages/trends.py", "Rubber planted area has no published figures yet"),
     ("pages/profile.py", "No published figure for Nakhon Sawan"),
     ("pages/compare.py", None)],  # the theme's other indicators are compared
)  # fmt: skip
def test_pages_say_an_added_indicator_has_no_figures_yet(exchange_env, page, says):
    publish.add_indicator(RUBBER, steward("admin"), target=exchange_env.warehouse, inputs=exchange_env.inputs)
    at = open_page(page, lang="en", indicator="rubber_planted_area_rai", theme="agriculture", province="60")
    assert not at.exception, at.exception
    assert says is None or any(i.value.startswith(says) for i in at.info), [i.value for i in at.info]
