"""Bounded planner input: a chain past its limits and hostile chart workbooks are refused before any costly
step (reading every cell, the trial build), with a message naming the limit and the count."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest
import xlsxwriter

from provdata.basics import config
from provdata.basics.errors import OverLimit
from provdata.exchange import chain_edits
from provdata.store import audit
from tests.exchange.test_chain_io import PLANNER, digest, setup  # noqa: F401 - the fixture


def frames_60() -> dict[str, pd.DataFrame]:
    return chain_edits.province_frames(config.STRATEGY_DIR, "60")


def test_a_chain_of_30_000_issues_is_refused_naming_the_limit_and_the_count(setup):  # noqa: F811
    inputs, target = setup
    files, wh = digest(inputs.strategy_dir), target.read_bytes()
    frames = chain_edits.province_frames(inputs.strategy_dir, "61")
    one = frames["issues"].iloc[[0]]
    many = one.loc[one.index.repeat(30_000)].reset_index(drop=True)
    many["issue_id"] = [f"issue{i}" for i in range(30_000)]
    with pytest.raises(OverLimit) as err:
        chain_edits.save_province(
            "61", {**frames, "issues": many}, PLANNER, inputs.strategy_dir, inputs, target
        )
    assert str(err.value) == (
        "province 61's chain has 30,000 issues; the limit is 100 (PROVDATA_CHAIN_MAX_ISSUES): a chart that long "
        "cannot be read or reported on"
    )
    assert err.value.params == {"limit": 100, "count": 30_000}
    assert digest(inputs.strategy_dir) == files and target.read_bytes() == wh
    assert audit.last_write("chain_edit", "province 61") is None


@pytest.mark.parametrize(("what", "setting"), [("links", "PROVDATA_CHAIN_MAX_LINKS"),
                                               ("indicators", "PROVDATA_CHAIN_MAX_INDICATORS")])  # fmt: skip
def test_links_and_indicators_have_limits_an_operator_can_change(monkeypatch, what, setting):
    frames = frames_60()
    n_links = len(frames["links"])
    n_indicators = frames["links"].indicator_id.replace("", pd.NA).dropna().nunique()
    count = n_links if what == "links" else n_indicators
    monkeypatch.setenv(setting, str(count - 1))
    with pytest.raises(
        OverLimit, match=rf"^province 60's chain has {count} {what}; the limit is {count - 1} \({setting}\)"
    ):
        chain_edits.check_size("60", frames)
    monkeypatch.setenv(setting, str(count))
    chain_edits.check_size("60", frames)  # at the limit: accepted


def test_plan_progress_rows_have_a_limit(setup, monkeypatch):  # noqa: F811
    inputs, target = setup
    monkeypatch.setenv("PROVDATA_CHAIN_MAX_PLAN_STATUS", "5")
    rows = pd.DataFrame({"link": [f"l{i}" for i in range(6)], "status": "open", "note": ""})
    with pytest.raises(OverLimit, match=r"^province 61's plan progress has 6 rows; the limit is 5 "):
        chain_edits.save_plan_status("61", rows, PLANNER, inputs.strategy_dir, inputs, target)


def test_the_export_reads_back_unchanged_within_the_limits():
    frames = frames_60()
    back = chain_edits.from_excel(chain_edits.to_excel(frames, "60"))
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(
            back[name][frame.columns.tolist()], frame.astype(str), check_dtype=False
        )


def _replace(data: bytes, parts: dict[str, bytes]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, parts.get(info.filename, src.read(info.filename)))
    return out.getvalue()


HEAD = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def test_a_workbook_claiming_the_whole_grid_is_refused_from_its_parts():
    """One cell at XFD1048576: the reader would build a 17-billion-cell grid; refused from the zip's stream."""
    xml = (HEAD + b'<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is>'
           b'</c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>')  # fmt: skip
    data = _replace(chain_edits.to_excel(frames_60(), "60"), {"xl/worksheets/sheet2.xml": xml})
    with pytest.raises(OverLimit) as err:
        chain_edits.from_excel(data)
    assert str(err.value) == (
        "chart.xlsx, sheet 'sheet2.xml' has at least 1,048,576 rows; the limit is 2,001 rows (a province's chart: "
        "export it from the app and edit that)"
    )


def test_a_dimension_claim_alone_costs_nothing_and_the_real_cells_are_read():
    xml = (HEAD + b'<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>about</t>'
           b"</is></c></row></sheetData></worksheet>")  # fmt: skip
    data = _replace(chain_edits.to_excel(frames_60(), "60"), {"xl/worksheets/sheet1.xml": xml})
    assert len(chain_edits.from_excel(data)["issues"]) == len(frames_60()["issues"])


def test_a_workbook_of_200_sheets_is_refused_by_its_sheet_count():
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    for i in range(200):
        book.add_worksheet(f"s{i}").write(0, 0, "x")
    book.close()
    with pytest.raises(OverLimit) as err:
        chain_edits.from_excel(buf.getvalue())
    assert str(err.value) == (
        "chart.xlsx has 200 sheets; the limit is 10 sheets (a province's chart: export it from the app and edit that)"
    )


def test_a_workbook_of_many_cells_and_a_3_mb_workbook_are_refused():
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    sheet = book.add_worksheet("issues")
    for r in range(2_001):
        sheet.write_row(r, 0, list(range(50)))
    book.close()
    with pytest.raises(OverLimit, match=r"brings the file to 1\d\d,\d\d\d cells; the limit is 100,000 cells"):
        chain_edits.from_excel(buf.getvalue())
    with pytest.raises(OverLimit) as err:
        chain_edits.from_excel(b"PK" + b"\x00" * 3_000_000)
    assert (
        str(err.value)
        == "the workbook is 3.0 MB; the limit for a chart workbook is 2 MB (PROVDATA_CHART_MAX_MB)"
    )
