"""The follow-up register's writes: only a planner of the province (or an admin) records or changes an action, the
action and its audit line commit together, every bad field is named; the review line after a publication, overdue
actions with a set clock, the chain workbook's round trip, and a second host over the same store."""

from __future__ import annotations

import re
import shutil

import pytest

from provdata import accounts, store
from provdata.basics.textfields import BadText
from provdata.exchange import actions, chain_edits, follow
from provdata.ingest import Options
from provdata.store import audit
from provdata.views import follow as view
from provdata.warehouse.build import build_warehouse
from provdata.warehouse.db import Warehouse
from tests.conftest import PASSWORD, wide_population_xlsx
from tests.exchange.test_publish import POP, publish_file

#: Registered population made a key indicator of Nakhon Sawan's chain in the test's copy of the inputs, so that an
#: action can be recorded on it and the held-back 2019-2020 figures published afterwards as the next release.
LINK = "60,life,life.work,population_registered,,,key,ทะเบียนราษฎร,Civil registration,dopa,,,,,\n"
GOOD = {"indicator_id": "dhf_cases", "what": "Larva surveys in every district before the rains",
        "agency_id": "ddc", "due_date": "2027-06-30", "expected_direction": "decrease"}  # fmt: skip


@pytest.fixture
def env(exchange_env):
    """The exchange env (tiny inputs, Nakhon Sawan's 2019-2020 registered population held back) and two planners."""
    _planners()
    return exchange_env


def _planners() -> None:
    accounts.add("ns-planner", PASSWORD, role="planner", provinces=["60"])
    accounts.add("kp-planner", PASSWORD, role="planner", provinces=["62"])


@pytest.fixture
def env_both(state_backend, tmp_path, monkeypatch):
    """The same on the embedded store and on a real PostgreSQL (PROVDATA_STATE_URL)."""
    from tests.conftest import make_exchange_env

    made = make_exchange_env(tmp_path)
    for k, v in made.env().items():
        monkeypatch.setenv(k, v)
    return _with_link(made)


def _with_link(exchange_env):
    with (exchange_env.inputs.strategy_dir / "links.csv").open("a", encoding="utf-8") as fh:
        fh.write(LINK)
    build_warehouse(exchange_env.warehouse, exchange_env.inputs, log=lambda _m: None)
    _planners()
    return exchange_env


def who(name: str) -> accounts.Account:
    account = accounts.verify(name, PASSWORD)
    assert account is not None
    return account


def test_a_planner_records_an_action_with_its_audit_line_and_baseline(env_both):
    env = env_both
    wh = Warehouse(env.warehouse)
    done = actions.record("60", GOOD, who("ns-planner"), wh, client="10.0.0.7")
    stored = actions.actions("60")
    assert stored[["id", "indicator_id", "agency_id", "due_date", "status", "baseline_year", "baseline_value",
                   "created_by"]].values.tolist() == [
        [done["id"], "dhf_cases", "ddc", "2027-06-30", "planned", 2020, 274.0, "ns-planner"]
    ]  # fmt: skip
    line = audit.audit_log("follow_action").iloc[0]
    assert (line.actor, line.role, line.target, line.client) == (
        "ns-planner",
        "planner",
        "province 60",
        "10.0.0.7",
    )
    assert f'"id": {done["id"]}' in line.detail and "Larva surveys" in line.detail


@pytest.mark.parametrize("name", ["kp-planner", "dopa-steward", None])
def test_anyone_but_a_planner_of_the_province_is_refused_and_nothing_is_written(env, name):
    account = who(name) if name else None
    with pytest.raises(accounts.WriteRefused):
        actions.record("60", GOOD, account, Warehouse(env.warehouse))
    assert actions.actions("60").empty
    refused = audit.audit_log("write_refused").iloc[0]
    assert (refused.actor, refused.target) == (name or "anonymous", "province 60")
    assert '"action": "follow_action"' in refused.detail


def test_an_admin_may_record_and_a_planner_of_another_province_may_not_change(env):
    done = actions.record("60", GOOD, who("admin"), Warehouse(env.warehouse))
    with pytest.raises(accounts.WriteRefused, match="may not edit the statistics chart of province 60"):
        actions.update(done["id"], {"status": "under_way"}, who("kp-planner"), Warehouse(env.warehouse))
    assert actions.action(done["id"])["status"] == "planned"


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        (
            {"indicator_id": "gpp_cvm_mb"},
            "indicator_id",
            "'gpp_cvm_mb' is not a key indicator of province 60",
        ),
        ({"agency_id": "nobody"}, "agency_id", "'nobody' is not in the agency list"),
        ({"due_date": "30/06/2027"}, "due_date", "'30/06/2027' is not a date written YYYY-MM-DD"),
        ({"due_date": "2027-02-30"}, "due_date", "'2027-02-30' is not a day of the calendar"),
        ({"due_date": "2026-12-05"}, "due_date", "2026-12-05 is before today (2026-12-06)"),
        ({"expected_direction": "up"}, "expected_direction", "'up' must be increase or decrease"),
        ({"what": ""}, "what", "say what the province will do"),
        ({"status": "done"}, "status", "a new action starts as planned"),
        ({"colour": "red"}, "colour", "not a field of an action"),
    ],
)
def test_a_bad_field_is_named_and_nothing_is_written(env, change, field, says):
    with pytest.raises(actions.ActionError, match=re.escape(says)) as caught:
        actions.record("60", {**GOOD, **change}, who("ns-planner"), Warehouse(env.warehouse))
    assert caught.value.field == field
    assert actions.actions().empty and audit.audit_log("follow_action").empty


def test_a_formula_like_text_is_refused_naming_the_field(env):
    with pytest.raises(BadText, match="what:"):
        actions.record("60", {**GOOD, "what": "=HYPERLINK(1)"}, who("ns-planner"), Warehouse(env.warehouse))


def test_status_moves_forward_and_dropping_needs_a_reason(env):
    wh = Warehouse(env.warehouse)
    first = actions.record("60", GOOD, who("ns-planner"), wh)["id"]
    actions.update(first, {"status": "under_way"}, who("ns-planner"), wh)
    with pytest.raises(actions.ActionError, match="under_way cannot become planned") as caught:
        actions.update(first, {"status": "planned"}, who("ns-planner"), wh)
    assert caught.value.field == "status"
    with pytest.raises(actions.ActionError, match="say why the action was dropped"):
        actions.update(first, {"status": "dropped"}, who("ns-planner"), wh)
    actions.update(
        first, {"status": "dropped", "dropped_reason": "budget moved to PM2.5"}, who("ns-planner"), wh
    )
    with pytest.raises(actions.ActionError, match="it is closed, record a new action"):
        actions.update(first, {"status": "done"}, who("ns-planner"), wh)
    changes = audit.audit_log("follow_action").detail.tolist()
    assert len(changes) == 3  # recorded, under way, dropped: the refusals wrote nothing
    assert '"status": ["under_way", "dropped"]' in changes[0]


def test_the_review_line_after_the_next_publication_and_on_a_second_host(env_both, state_backend, tmp_path):
    env = env_both
    second = tmp_path / "host-b.duckdb"
    shutil.copy2(env.warehouse, second)  # another host's warehouse over the same store
    wh = Warehouse(env.warehouse)
    done = actions.record("60", {**GOOD, "indicator_id": POP, "agency_id": "dopa", "what": "Registration drive",
                                 "expected_direction": "increase"}, who("ns-planner"), wh)  # fmt: skip
    assert (done["baseline_year"], done["baseline_value"]) == (2018, 1063964.0)
    before = view.follow_up(wh, "60", env_today(), "en", "ce").actions.iloc[0]
    assert before.review == ("No new figure since the action was recorded (latest still 1,063,964, 2018): "
                             "awaiting the next release")  # fmt: skip
    publish_file(env, wide_population_xlsx(env.held_back), "pop.xlsx", Options(indicator=POP))
    for path in (env.warehouse, second):
        if path == second:
            assert follow.catch_up(second, env.inputs) is not None  # the second host rebuilds from the store
        row = view.follow_up(Warehouse(path), "60", env_today(), "en", "ce").actions.iloc[0]
        assert (row.before_year, row.before, row.after_year, row.after, row.moved) == (
            2018,
            1063964.0,
            2020,
            1040308.0,
            "against",
        )
        assert row.review == ("Figure before 1,063,964 (2018), after 1,040,308 (2020): moved against the expected "
                              "direction; it was not flagged when the action was recorded")  # fmt: skip
    # the report's part 5, the deck's slides and the presenter's slide say it too
    from provdata.reports import report, slides

    if state_backend == "sqlite":  # (the report is the same on either store: made once)
        html = report.build_html(Warehouse(second), "60", 2020, "en")
        assert "Part 5. Flags and actions" in html and "Registration drive" in html
        assert (
            "Figure before 1,063,964 (2018), after 1,040,308 (2020): moved against the expected direction"
            in html
        )
    shown = view.follow_up(Warehouse(second), "60", env_today(), "en", "ce")
    deck = slides.follow_slides(shown, "en", "ce")
    assert [d.title for d in deck] == ["Flags and actions: what was flagged",
                                       "Flags and actions: what was done, what the figures show now",
                                       "Open actions on flagged indicators"]  # fmt: skip
    assert (
        deck[1]
        .lines[0]
        .startswith("Registered population: Registration drive (planned) — Figure before 1,063,964")
    )
    assert (
        deck[2].big == "1"
        and deck[2].lines[0] == "Registered population: Registration drive — DOPA, due 30 Jun 2027"
    )
    thai = view.follow_up(Warehouse(second), "60", env_today(), "th", "be").actions.iloc[0]
    assert thai.review.startswith("ตัวเลขก่อน 1,063,964 (ปี 2561) หลัง 1,040,308 (ปี 2563): เปลี่ยนไปในทิศทางตรงข้าม")


def env_today():
    from provdata.basics import clock

    return clock.today()


def test_overdue_actions_come_first_and_flags_without_an_action_are_listed(env, today):
    wh = Warehouse(env.warehouse)
    late = actions.record("60", {**GOOD, "due_date": "2027-01-31"}, who("ns-planner"), wh)["id"]
    unanswered = view.follow_up(wh, "60", today("2026-12-06"), "en", "ce").no_action
    assert unanswered[["indicator_id", "flag_key", "year"]].values.tolist() == [
        ["rice_inseason_production_t", "significant_change", 2015]
    ]  # in-season rice fell 12 % in 2015
    later = actions.record("60", {**GOOD, "indicator_id": "rice_inseason_production_t", "agency_id": "oae",
                                  "what": "Seed fund", "due_date": "2027-12-31", "expected_direction": "increase"},
                           who("ns-planner"), wh)["id"]  # fmt: skip
    on_time = view.follow_up(wh, "60", today("2027-01-31"), "en", "ce")
    assert on_time.overdue.empty
    late_view = view.follow_up(wh, "60", today("2027-02-01"), "en", "ce")
    assert late_view.actions.id.tolist() == [late, later] and late_view.overdue.id.tolist() == [late]
    assert late_view.actions.due.tolist() == ["31 Jan 2027 — overdue", "31 Dec 2027"]
    actions.update(late, {"status": "done"}, who("ns-planner"), wh)
    assert view.follow_up(wh, "60", today("2027-02-01"), "en", "ce").overdue.empty
    assert late_view.no_action.empty and late_view.flags.open_actions.tolist() == [1]


def test_the_chain_workbook_round_trip_keeps_and_changes_actions(env):
    from provdata.basics.sheets import workbook_bytes

    wh = Warehouse(env.warehouse)
    first = actions.record("60", GOOD, who("ns-planner"), wh)["id"]
    sheet = actions.sheet("60")
    frames = chain_edits.province_frames(env.inputs.strategy_dir, "60")
    data = chain_edits.to_excel({**frames, "actions": sheet}, "60")  # the chart page's export
    assert set(chain_edits.from_excel(data)) == {"issues", "csfs", "links"}  # the chain reads back as before
    back = actions.sheet_from_excel(data)
    assert (
        back.values.tolist()
        == sheet.values.tolist()
        == [[str(first), "dhf_cases", GOOD["what"], "ddc", "2027-06-30", "decrease", "planned", ""]]
    )
    assert actions.import_sheet("60", back, who("ns-planner"), wh) == {"added": 0, "changed": 0}
    back.loc[0, "status"] = "under_way"
    new = {**GOOD, "id": "", "what": "School campaign", "status": "planned", "dropped_reason": ""}
    import pandas as pd

    edited = pd.concat([back, pd.DataFrame([new])], ignore_index=True)
    data = workbook_bytes({"actions": edited})
    assert actions.import_sheet("60", actions.sheet_from_excel(data), who("ns-planner"), wh) == {
        "added": 1,
        "changed": 1,
    }
    assert actions.actions("60")[["id", "what", "status"]].values.tolist() == [
        [first, GOOD["what"], "under_way"],
        [first + 1, "School campaign", "planned"],
    ]
    edited.loc[1, "due_date"] = "soon"
    with pytest.raises(actions.ActionError, match="sheet actions, row 2, due_date: 'soon'"):
        actions.import_sheet("60", actions.sheet_from_excel(workbook_bytes({"actions": edited})),
                             who("ns-planner"), wh)  # fmt: skip
    assert len(actions.actions("60")) == 2


def test_the_store_keeps_actions_across_a_migration(env, tmp_path):
    from provdata.store.migrate import migrate

    actions.record("60", GOOD, who("ns-planner"), Warehouse(env.warehouse))
    copied = migrate(store.current(), store.for_folder(tmp_path / "copy"))
    assert copied["follow_action"] == 1
    assert actions.actions("60", store.for_folder(tmp_path / "copy")).what.tolist() == [GOOD["what"]]


def test_a_change_on_a_stale_read_is_refused_and_the_register_version_moves_with_every_write(env):
    wh = Warehouse(env.warehouse)
    assert actions.version() == "0"
    first = actions.record("60", GOOD, who("ns-planner"), wh)["id"]
    read = actions.action(first)  # a second planner's page read the action here
    actions.update(first, {"status": "done"}, who("ns-planner"), wh)
    assert actions.version() == "2"
    admin = who("admin")
    with store.current().write() as tx, pytest.raises(actions.ActionError, match="changed by someone else"):
        actions._update(tx, read, {"status": ["planned", "dropped"]}, admin, audit.now(), "")
    assert actions.action(first)["status"] == "done" and actions.version() == "2"
