"""Planners change a chain: edits and Excel round-trip through the files and the warehouse; bad rows
are named by sheet and row and nothing is written."""

from __future__ import annotations

import hashlib
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from provdata import chain_io, config, queries
from provdata.build import build_warehouse
from provdata.db import Warehouse
from provdata.errors import BuildError
from tests.conftest import ROOT, tiny_inputs


def digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.csv"))}


@pytest.fixture
def setup(tiny_copy, tmp_path):
    inputs = tiny_inputs(tiny_copy)
    target = tmp_path / "wh.duckdb"
    build_warehouse(target, inputs, log=lambda _m: None)
    return inputs, target


def test_an_edit_is_saved_to_the_files_and_published(setup):
    inputs, target = setup
    frames = chain_io.province_frames(inputs.strategy_dir, "61")
    frames["issues"].loc[frames["issues"].issue_id == "life", "title_en"] = "Healthy Uthai Thani"
    before = Warehouse(target).build_id
    result = chain_io.save_province("61", frames, inputs.strategy_dir, inputs, target)
    assert result.build_id != before
    assert "61,life,คุณภาพชีวิตและสุขภาพ,Healthy Uthai Thani" in (inputs.strategy_dir / "issues.csv").read_text(
        encoding="utf-8"
    )
    chain = queries.chain(Warehouse(target), "61")
    assert set(chain.loc[chain.issue_id == "life", "issue_en"]) == {"Healthy Uthai Thani"}
    # other provinces are untouched
    assert set(queries.chain(Warehouse(target), "60").issue_en) >= {"Quality of life and health"}


def test_a_bad_row_is_named_by_sheet_and_row_and_nothing_is_written(setup):
    inputs, target = setup
    files_before, wh_before = digest(inputs.strategy_dir), hashlib.sha256(target.read_bytes()).hexdigest()
    frames = chain_io.province_frames(inputs.strategy_dir, "61")
    frames["links"].loc[2, "role"] = "important"
    with pytest.raises(BuildError) as err:
        chain_io.save_province("61", frames, inputs.strategy_dir, inputs, target)
    assert "sheet links, row 3, column role: 'important' must be key or supporting" in str(err.value)
    frames = chain_io.province_frames(inputs.strategy_dir, "61")
    frames["issues"].loc[0, "title_th"] = ""
    with pytest.raises(BuildError, match="sheet issues, row 1, column title_th/title_en"):
        chain_io.save_province("61", frames, inputs.strategy_dir, inputs, target)
    assert digest(inputs.strategy_dir) == files_before
    assert hashlib.sha256(target.read_bytes()).hexdigest() == wh_before


def test_excel_round_trip_keeps_every_row(setup):
    inputs, target = setup
    rows_before = {
        p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in inputs.strategy_dir.glob("*.csv")
    }
    data = chain_io.to_excel(chain_io.province_frames(inputs.strategy_dir, "60"), "60")
    frames = chain_io.from_excel(data)
    chain_io.save_province("60", frames, inputs.strategy_dir, inputs, target)
    rows_after = {
        p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in inputs.strategy_dir.glob("*.csv")
    }
    assert rows_after == rows_before  # nothing lost, nothing doubled
    frames_again = chain_io.province_frames(inputs.strategy_dir, "60")
    for name, frame in frames.items():
        assert frame.reset_index(drop=True).equals(frames_again[name].astype(str).reset_index(drop=True)), (
            name
        )


def test_workbook_problems_are_named():
    with pytest.raises(chain_io.ChainImportError, match=r"not a readable \.xlsx"):
        chain_io.from_excel(b"PK\x03\x04 not really a zip")
    frames = chain_io.province_frames(config.STRATEGY_DIR, "60")
    data = chain_io.to_excel({k: v for k, v in frames.items() if k != "csfs"}, "60")
    with pytest.raises(chain_io.ChainImportError, match="sheet 'csfs' is missing"):
        chain_io.from_excel(data)
    broken = {**frames, "links": frames["links"].drop(columns=["role"])}
    with pytest.raises(chain_io.ChainImportError, match="sheet 'links' lacks column\\(s\\) role"):
        chain_io.from_excel(chain_io.to_excel(broken, "60"))


def test_chart_page_offers_editing_only_when_enabled(tiny_copy, tmp_path, monkeypatch, use_warehouse):
    strategy = tmp_path / "strategy"
    shutil.copytree(config.STRATEGY_DIR, strategy)
    monkeypatch.setattr(config, "STRATEGY_DIR", strategy)
    target = tmp_path / "wh.duckdb"
    build_warehouse(target, log=lambda _m: None)
    use_warehouse(target)

    def run():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params.update({"lang": "en", "province": "60"})
        at.switch_page("pages/chart.py")
        return at.run()

    at = run()
    assert any("Editing is off on this server" in i.value for i in at.info)
    monkeypatch.setenv("PROVDATA_EDITING", "1")
    at = run()
    assert not at.exception
    assert at.button(key="chain_save") and at.get("data_editor") is not None


def test_plan_progress_is_recorded_and_shown(setup):
    import pandas as pd

    from provdata import statchart

    inputs, target = setup
    rows = pd.DataFrame(
        {
            "link": ["Annual mean PM2.5 concentration"],
            "status": ["in_progress"],
            "note": ["PCD station data requested"],
        }
    )
    chain_io.save_plan_status("60", rows, inputs.strategy_dir, inputs, target)
    wh = Warehouse(target)
    status = queries.plan_status(wh, "60")
    assert status[["link", "status", "note"]].values.tolist() == [
        ["Annual mean PM2.5 concentration", "in_progress", "PCD station data requested"]
    ]
    chain = queries.chain(wh, "60")
    years = queries.years_present(wh, ["60"], sorted(set(chain.indicator_id.dropna())))
    plan = statchart.development_plan(
        statchart.with_readiness(chain, years, "60", 2022), "en", "ce", 2022, status
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
        chain_io.save_plan_status("60", bad, inputs.strategy_dir, inputs, target)
    assert digest(inputs.strategy_dir) == before
