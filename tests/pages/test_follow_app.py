"""The follow-up page (AppTest, widgets by key): Nakhon Sawan's flags with their rules for everyone; a planner of
the province records an action and changes it, a planner of another province is refused; Thai throughout."""

from __future__ import annotations

import shutil

import pytest

from provdata import accounts
from provdata.exchange import actions
from provdata.store import audit
from tests.conftest import PASSWORD, open_page, sign_in


def table(at, column: str):
    """The table showing ``column`` (AppTest's dataframes carry no key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


@pytest.fixture
def app(tmp_path, monkeypatch, use_warehouse, real_warehouse):
    monkeypatch.setenv("PROVDATA_STATE", str(tmp_path / "state"))
    accounts.add("ns-planner", PASSWORD, role="planner", provinces=["60"])
    accounts.add("kp-planner", PASSWORD, role="planner", provinces=["62"])
    target = tmp_path / "wh.duckdb"
    shutil.copy(real_warehouse, target)
    use_warehouse(target)


def test_everyone_sees_nakhon_sawans_flags_with_their_rules(app):
    at = open_page("pages/follow.py", lang="en", province="60")
    assert at.title[0].value == "Follow-up: from a red flag to an action to the next figure"
    flags = table(at, "Rule")
    assert flags["Indicator"].tolist() == [
        "In-season (major) rice production", "Net farm cash income of farm households",
        "BOI investment promotion applications: investment value", "Poverty headcount ratio (consumption)"]  # fmt: skip
    assert flags["Flag"].unique().tolist() == ["Significant change"]
    assert flags["Rule"].iloc[3] == ("1.83 in 2024 against 1.3 in 2023: +40.4 %, a change the wrong way of at "
                                     "least 10 % (lower is better)")  # fmt: skip
    assert [m.value for m in at.metric] == ["4", "0", "0", "4"]
    assert any("Planners of this province sign in" in i.value for i in at.info)
    assert not any(b.key == "follow_record" for b in at.button)


def test_a_planner_records_an_action_and_another_provinces_planner_cannot(app):
    other = sign_in(open_page("pages/follow.py", lang="en", province="60"), "kp-planner")
    assert any("may not record actions for province 60" in i.value for i in other.info)
    assert not any(b.key == "follow_record" for b in other.button)

    at = sign_in(open_page("pages/follow.py", lang="en", province="60"), "ns-planner")
    at.selectbox(key="follow_indicator").set_value("poverty_ratio_pct")
    at.text_area(key="follow_what").set_value(
        "Target the 2025 welfare-card households in the two poorest districts"
    )
    at.selectbox(key="follow_agency").set_value("nso")
    at.date_input(key="follow_due").set_value("2027-09-30")
    at.selectbox(key="follow_direction").set_value("decrease")
    at.button(key="follow_record").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "Action 1 recorded (and in the audit log)."
    rows = table(at, "What")
    assert rows.iloc[0][["Indicator", "Owner", "Due", "Status"]].tolist() == [
        "Poverty headcount ratio (consumption)", "NSO", "30 Sep 2027", "planned"]  # fmt: skip
    assert rows.iloc[0]["Review (from the figures; says whether the figure moved, not why)"] == (
        "No new figure since the action was recorded (latest still 1.83, 2024): awaiting the next release"
    )
    assert any("A sample-survey figure" in c.value for c in at.caption)  # poverty's own caveat, beside it
    assert [m.value for m in at.metric][:2] == ["4", "1"]
    assert audit.audit_log("follow_action").actor.tolist() == ["ns-planner"]

    # the profile's poverty card and the chart's poverty node carry the flag and the open action
    profile = open_page("pages/profile.py", lang="en", province="60")
    assert any(c.value.endswith("⚑ 1 flag(s) · 1 open action(s)") and "% of persons" in c.value
               for c in profile.caption)  # fmt: skip
    chart = open_page("pages/chart.py", lang="en", province="60")
    dots = [g.proto.spec for g in chart.get("graphviz_chart")]
    assert sum("⚑ 1 flag(s) · 1 open action(s)" in d for d in dots) == 1
    assert sum(d.count("⚑ 1 flag(s)") for d in dots) == 4  # rice, farm income, BOI investment, poverty

    at.selectbox(key="follow_change_status").set_value("dropped")
    at.button(key="follow_change").click().run()
    assert any("say why the action was dropped" in e.value for e in at.error)
    assert actions.action(1)["status"] == "planned"


def test_the_page_in_thai(app):
    at = open_page("pages/follow.py", lang="th", province="60")
    flags = table(at, "เกณฑ์")
    assert flags["ธงเตือน"].unique().tolist() == ["เปลี่ยนแปลงมาก"]
    assert flags["ปี"].tolist() == ["2558", "2554", "2565", "2567"]
