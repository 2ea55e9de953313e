"""Planners change a chain: edits and Excel round-trip through the files and the warehouse; bad rows
are named by sheet and row and nothing is written."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from provdata import accounts
from provdata.basics import config
from provdata.basics.errors import BuildError
from provdata.exchange import chain_edits
from provdata.store import audit
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse
from tests.conftest import PASSWORD, ROOT, open_page, sign_in, tiny_inputs, tiny_warehouse_copy

PLANNER = accounts.Account("uthai-planner", role="planner", provinces=("60", "61"))


def digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.csv"))}


@pytest.fixture
def setup(state_backend, tiny_copy, tmp_path, monkeypatch):
    """Tiny inputs, a warehouse and a planner, on the embedded store and on PostgreSQL."""
    monkeypatch.setenv("PROVDATA_STATE", str(tmp_path / "state"))
    accounts.add("uthai-planner", PASSWORD, role="planner", provinces=["61", "60"])
    inputs = tiny_inputs(tiny_copy)
    return inputs, tiny_warehouse_copy(tmp_path / "wh.duckdb")  # what those inputs build on an empty store


def test_an_edit_is_kept_in_the_store_and_published_and_the_shipped_files_are_not_written(setup):
    inputs, target = setup
    shipped = digest(inputs.strategy_dir)
    frames = chain_edits.province_frames(inputs.strategy_dir, "61")
    frames["issues"].loc[frames["issues"].issue_id == "life", "title_en"] = "Healthy Uthai Thani"
    before = Warehouse(target).build_id
    result = chain_edits.save_province("61", frames, PLANNER, inputs.strategy_dir, inputs, target)
    assert result.build_id != before
    assert digest(inputs.strategy_dir) == shipped
    edited = chain_edits.province_frames(inputs.strategy_dir, "61")["issues"]
    assert edited.loc[edited.issue_id == "life", ["title_th", "title_en"]].values.tolist() == [
        ["คุณภาพชีวิตและสุขภาพ", "Healthy Uthai Thani"]
    ]
    chain = queries.chain(Warehouse(target), "61")
    assert set(chain.loc[chain.issue_id == "life", "issue_en"]) == {"Healthy Uthai Thani"}
    # other provinces are untouched
    assert set(queries.chain(Warehouse(target), "60").issue_en) >= {"Quality of life and health"}


def test_a_bad_row_is_named_by_sheet_and_row_and_nothing_is_written(setup):
    inputs, target = setup
    files_before, wh_before = digest(inputs.strategy_dir), hashlib.sha256(target.read_bytes()).hexdigest()
    frames = chain_edits.province_frames(inputs.strategy_dir, "61")
    frames["links"].loc[2, "role"] = "important"
    with pytest.raises(BuildError) as err:
        chain_edits.save_province("61", frames, PLANNER, inputs.strategy_dir, inputs, target)
    assert "sheet links, row 3, column role: 'important' must be key or supporting" in str(err.value)
    frames = chain_edits.province_frames(inputs.strategy_dir, "61")
    frames["issues"].loc[0, "title_th"] = ""
    with pytest.raises(BuildError, match="sheet issues, row 1, column title_th/title_en"):
        chain_edits.save_province("61", frames, PLANNER, inputs.strategy_dir, inputs, target)
    assert digest(inputs.strategy_dir) == files_before
    assert hashlib.sha256(target.read_bytes()).hexdigest() == wh_before


def test_excel_round_trip_keeps_every_row(setup):
    inputs, target = setup
    rows_before = {name: len(frame) for name, frame in chain_edits.read_all(inputs.strategy_dir).items()}
    data = chain_edits.to_excel(chain_edits.province_frames(inputs.strategy_dir, "60"), "60")
    frames = chain_edits.from_excel(data)
    chain_edits.save_province("60", frames, PLANNER, inputs.strategy_dir, inputs, target)
    rows_after = {name: len(frame) for name, frame in chain_edits.read_all(inputs.strategy_dir).items()}
    assert rows_after == rows_before == {"issues": 30, "csfs": 60, "links": 90}  # nothing lost or doubled
    frames_again = chain_edits.province_frames(inputs.strategy_dir, "60")
    for name, frame in frames.items():
        assert frame.reset_index(drop=True).equals(frames_again[name].astype(str).reset_index(drop=True)), (
            name
        )


def test_workbook_problems_are_named():
    with pytest.raises(chain_edits.ChainImportError, match=r"not a readable \.xlsx"):
        chain_edits.from_excel(b"PK\x03\x04 not really a zip")
    frames = chain_edits.province_frames(config.STRATEGY_DIR, "60")
    data = chain_edits.to_excel({k: v for k, v in frames.items() if k != "csfs"}, "60")
    with pytest.raises(chain_edits.ChainImportError, match="sheet 'csfs' is missing"):
        chain_edits.from_excel(data)
    broken = {**frames, "links": frames["links"].drop(columns=["role"])}
    with pytest.raises(chain_edits.ChainImportError, match="sheet 'links' lacks column\\(s\\) role"):
        chain_edits.from_excel(chain_edits.to_excel(broken, "60"))


def test_the_public_sees_the_chart_read_only_and_planners_edit_only_their_provinces(
    tmp_path, monkeypatch, use_warehouse, real_warehouse
):
    strategy = tmp_path / "strategy"
    shutil.copytree(config.STRATEGY_DIR, strategy)
    monkeypatch.setattr(config, "STRATEGY_DIR", strategy)
    monkeypatch.setenv("PROVDATA_STATE", str(tmp_path / "state"))
    accounts.add("ns-planner", PASSWORD, role="planner", provinces=["60"])
    accounts.add("kp-planner", PASSWORD, role="planner", provinces=["62"])
    target = tmp_path / "wh.duckdb"
    shutil.copy(real_warehouse, target)  # what the shipped files (and this empty store) build
    use_warehouse(target)

    anonymous = open_page("pages/chart.py", lang="en", province="60")
    assert any("Planners sign in to edit" in i.value for i in anonymous.info)
    assert not any(b.key in ("chain_save", "plan_save") for b in anonymous.button)
    assert anonymous.get("data_editor") == []  # the plan is a plain table

    other = sign_in(open_page("pages/chart.py", lang="en", province="60"), "kp-planner")
    assert any("may not edit province 60" in i.value for i in other.info)
    assert not any(b.key in ("chain_save", "plan_save") for b in other.button)

    mine = sign_in(open_page("pages/chart.py", lang="en", province="60"), "ns-planner")
    assert mine.success[0].value == "Signed in as ns-planner (planner of province(s) 60)."
    assert mine.button(key="chain_save") and mine.button(key="plan_save")
    assert len(mine.get("data_editor")) == 4  # plan progress + issues, csfs, links


def test_a_planner_of_another_province_and_a_removed_account_cannot_save(setup):
    inputs, target = setup
    accounts.add("kp-planner", PASSWORD, role="planner", provinces=["62"])
    frames = chain_edits.province_frames(inputs.strategy_dir, "61")
    before = digest(inputs.strategy_dir)
    kp = accounts.verify("kp-planner", PASSWORD)
    with pytest.raises(accounts.WriteRefused, match="may not edit the statistics chart of province 61"):
        chain_edits.save_province("61", frames, kp, inputs.strategy_dir, inputs, target)
    with pytest.raises(accounts.WriteRefused, match="needs a signed-in account"):
        chain_edits.save_province("61", frames, None, inputs.strategy_dir, inputs, target)
    accounts.set_disabled("uthai-planner", True)
    with pytest.raises(accounts.WriteRefused, match="'uthai-planner' is disabled"):
        chain_edits.save_province("61", frames, PLANNER, inputs.strategy_dir, inputs, target)
    accounts.remove("uthai-planner")
    with pytest.raises(accounts.WriteRefused, match="'uthai-planner' no longer exists"):
        chain_edits.save_plan_status("61", pd.DataFrame(columns=["link", "status", "note"]), PLANNER,
                                  inputs.strategy_dir, inputs, target)  # fmt: skip
    assert digest(inputs.strategy_dir) == before
    refused = audit.audit_log("write_refused")
    assert refused.actor.tolist() == ["uthai-planner", "uthai-planner", "anonymous", "kp-planner"]
    assert json.loads(refused.detail.iloc[-1])["action"] == "chain_edit"


def test_a_stale_save_is_refused_and_names_who_changed_it(setup):
    inputs, target = setup
    read_at = chain_edits.chain_version(inputs.strategy_dir, "61")
    first = chain_edits.province_frames(inputs.strategy_dir, "61")
    first["issues"].loc[0, "title_en"] = "First planner's title"
    chain_edits.save_province(
        "61", first, PLANNER, inputs.strategy_dir, inputs, target, expected_version=read_at
    )
    second = chain_edits.province_frames(inputs.strategy_dir, "61")  # as the second session read it earlier
    second["issues"].loc[0, "title_en"] = "Second planner's title"
    with pytest.raises(
        chain_edits.StaleEdit, match=r"changed by uthai-planner at 20\d\d-.* UTC after you opened it"
    ):
        chain_edits.save_province(
            "61", second, PLANNER, inputs.strategy_dir, inputs, target, expected_version=read_at
        )
    assert (
        chain_edits.province_frames(inputs.strategy_dir, "61")["issues"].title_en[0]
        == "First planner's title"
    )
    edit = audit.audit_log("chain_edit").iloc[0]
    assert (edit.actor, edit.role, edit.target) == ("uthai-planner", "planner", "province 61")
    changed = json.loads(edit.detail)["issues"]
    assert any("First planner's title" in row for row in changed["added"]) and len(changed["removed"]) == 1


@pytest.mark.slow
def test_two_concurrent_saves_from_two_sessions_lose_no_edit(setup):
    """Two processes save the same province at once from the same version: one wins, the other is refused
    (before: both wrote, the later silently overwrote the earlier)."""
    inputs, target = setup
    version = chain_edits.chain_version(inputs.strategy_dir, "61")
    script = (
        "import sys; from pathlib import Path; from provdata import accounts; from provdata.exchange import chain_edits; "
        "from provdata.warehouse.build import Inputs; d = Path(sys.argv[1]); "
        "inputs = Inputs(**{k: d / k.removesuffix('_dir') for k in ('seed_dir', 'reference_dir', 'geo_dir', "
        "'strategy_dir', 'inbox_dir', 'recipes_dir')}); "
        "f = chain_edits.province_frames(inputs.strategy_dir, '61'); f['issues'].loc[0, 'title_en'] = sys.argv[3]; "
        "a = accounts.Account('uthai-planner', role='planner', provinces=('61',)); "
        "\ntry:\n chain_edits.save_province('61', f, a, inputs.strategy_dir, inputs, Path(sys.argv[2]), "
        "expected_version=sys.argv[4]); print('saved')\n"
        "except chain_edits.StaleEdit as e: print('stale', e)"
    )
    base = inputs.strategy_dir.parent
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(base), str(target), title, version],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ},
            cwd=ROOT,
        )
        for title in ("Edit A", "Edit B")
    ]
    texts = [p.communicate(timeout=120)[0] for p in procs]
    outs = sorted(t.strip().split(" ")[0] for t in texts)
    assert outs == ["saved", "stale"], texts
    titles = set(chain_edits.province_frames(inputs.strategy_dir, "61")["issues"].title_en)
    assert ("Edit A" in titles) != ("Edit B" in titles)
    assert len(audit.audit_log("chain_edit")) == 1


def test_plan_progress_is_recorded_and_shown(setup):
    import pandas as pd

    from provdata.strategy import statchart

    inputs, target = setup
    rows = pd.DataFrame(
        {
            "link": ["Annual mean PM2.5 concentration"],
            "status": ["in_progress"],
            "note": ["PCD station data requested"],
        }
    )
    chain_edits.save_plan_status("60", rows, PLANNER, inputs.strategy_dir, inputs, target)
    wh = Warehouse(target)
    status = queries.plan_status(wh, "60")
    assert status[["link", "status", "note"]].values.tolist() == [
        ["Annual mean PM2.5 concentration", "in_progress", "PCD station data requested"]
    ]
    chain = queries.chain(wh, "60")
    years = queries.years_present(wh, ["60"], sorted(set(chain.indicator_id.dropna())))
    calendar = queries.calendar(wh, dt.date(2026, 12, 6))
    plan = statchart.development_plan(
        statchart.with_readiness(chain, years, "60", calendar), "en", "ce", calendar, status
    )
    line = plan[plan["Indicator id"] == "Annual mean PM2.5 concentration"].iloc[0]
    assert (line["Status"], line["Progress note"]) == ("in progress", "PCD station data requested")
    assert set(plan.loc[plan["Indicator id"] != "Annual mean PM2.5 concentration", "Status"]) == {"open"}


def test_a_bad_progress_status_is_refused(setup):
    import pandas as pd

    inputs, target = setup
    before = digest(inputs.strategy_dir)
    bad = pd.DataFrame({"link": ["dhf_cases"], "status": ["almost"], "note": [""]})
    with pytest.raises(
        BuildError, match="sheet plan_status, row 1, column status: 'almost' must be one of open"
    ):
        chain_edits.save_plan_status("60", bad, PLANNER, inputs.strategy_dir, inputs, target)
    assert digest(inputs.strategy_dir) == before
