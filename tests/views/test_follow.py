"""The follow-up register as plain data: review lines from real figures (moved, unchanged, revised, flag cleared or
not, never "caused"), the survey caveat, overdue by the clock, and the download with its provenance."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from provdata.strategy import review
from provdata.views import follow
from provdata.views.exports import plain_table, to_excel
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse

# Nakhon Sawan's poverty headcount (NESDC, % of persons), as published: 2022 4.616078, 2023 1.3004, 2024 1.826087
POVERTY = [(2022, 4.616078, 3), (2023, 1.3004, 3), (2024, 1.8260866341775, 3)]


def action(**kw) -> dict:
    base = {"baseline_year": 2022, "baseline_value": 4.616078, "baseline_load": 3, "expected_direction": "decrease",
            "flags": "", "status": "planned", "due_date": "2027-06-30"}  # fmt: skip
    return {**base, **kw}


def test_a_review_says_how_the_figure_moved_and_whether_the_flag_cleared():
    flagged = action(flags="significant_change")
    r = review.review(flagged, POVERTY[:2], set())  # the 2023 figure is out, the indicator no longer flagged
    assert (r.state, r.before, r.after, r.moved, r.cleared) == (
        "new_figure",
        4.616078,
        1.3004,
        "expected",
        True,
    )
    assert review.text(r, "en", "ce") == ("Figure before 4.62 (2022), after 1.3 (2023): moved in the expected "
                                          "direction; flag cleared")  # fmt: skip
    r = review.review(flagged, POVERTY, {"significant_change"})  # and then 2024, flagged again
    assert review.text(r, "th", "be") == ("ตัวเลขก่อน 4.62 (ปี 2565) หลัง 1.83 (ปี 2567): เปลี่ยนไปในทิศทางที่คาดไว้; "
                                          "ยังมีธงเตือน")  # fmt: skip
    assert "caus" not in review.text(r, "en", "ce") and "สาเหตุ" not in review.text(r, "th", "be")


def test_a_revision_of_the_same_year_is_reviewed_and_the_same_figure_waits():
    same = action(baseline_year=2024, baseline_value=1.8260866341775, baseline_load=3)
    assert review.review(same, POVERTY, set()).state == "no_new_figure"
    revised = review.review(same, [(2024, 1.8260866341775, 9)], set())  # a new load of the same value
    assert (revised.state, revised.moved) == ("revised", "unchanged")
    assert review.text(revised, "en", "ce") == ("Figure before 1.83 (2024), revised to 1.83 (2024): unchanged; it was "
                                                "not flagged when the action was recorded")  # fmt: skip
    assert review.review(
        action(baseline_year=None, baseline_value=None, baseline_load=None), [], set()
    ).state == ("no_figure")


def test_overdue_is_due_before_today_and_still_open():
    assert review.overdue(action(), dt.date(2027, 7, 1))
    assert not review.overdue(action(), dt.date(2027, 6, 30))
    assert not review.overdue(action(status="done"), dt.date(2027, 7, 1))
    assert review.due_text(action(), dt.date(2027, 7, 1), "th", "be") == "30 มิ.ย. 2570 — เลยกำหนด"


@pytest.fixture(scope="module")
def wh(real_warehouse) -> Warehouse:
    return Warehouse(real_warehouse)


def test_survey_figures_carry_their_caveat_and_others_none(wh):
    rules = queries.indicator_rules(wh, ["poverty_ratio_pct", "gpp_per_capita_baht"]).set_index("id")
    assert follow.survey_caveat(rules.loc["poverty_ratio_pct"], "en").startswith(
        "A sample-survey figure: a move between two releases may be sampling noise. Sample-survey estimates: "
        "provincial samples are small")  # fmt: skip
    assert follow.survey_caveat(rules.loc["poverty_ratio_pct"], "th").startswith(
        "ตัวเลขจากการสำรวจตัวอย่าง: การเปลี่ยนแปลงระหว่างสองครั้งที่เผยแพร่อาจเป็นความคลาดเคลื่อน"
    )
    assert follow.survey_caveat(rules.loc["gpp_per_capita_baht"], "en") == ""


def test_the_download_carries_flags_actions_and_their_provenance(wh, tmp_path, monkeypatch):
    monkeypatch.setenv("PROVDATA_STATE", str(tmp_path / "state"))  # an empty register
    view = follow.follow_up(wh, "60", dt.date(2026, 12, 6), "en", "ce")
    frame = follow.download_frame(view)
    assert frame.record.tolist() == ["flag"] * 4
    assert frame.loc[3, ["indicator_id", "year", "value", "reference"]].tolist() == [
        "poverty_ratio_pct",
        2024,
        1.8260866341775,
        1.3004,
    ]  # exact, never rounded
    about = follow.about(view, queries.sources(wh), "Nakhon Sawan", "b1", "en")
    book = pd.read_excel(
        io.BytesIO(to_excel(plain_table(frame, "en", "ce"), about)), sheet_name=None, engine="openpyxl"
    )
    assert set(book) == {"data", "about"} and len(book["data"]) == 4
    fields = dict(zip(book["about"].field, book["about"].value, strict=False))
    assert fields["title"] == "Follow-up register of Nakhon Sawan: flags and actions"
    assert fields["filter: province"] == "60" and fields["filter: as of"] == "2026-12-06"
    sources = book["about"].loc[book["about"].field == "source", "value"].tolist()
    assert any("NESDC" in s for s in sources) and any("BOI" in s for s in sources)
    notes = book["about"].loc[book["about"].field == "note", "value"].tolist()
    assert notes[1] == "A review line says whether the figure moved, never that the action caused the move."
