"""Readiness rules at their edges: exactly 3 years, 4 years, a gap, a stale or overdue series, none — judged on
today's date against the release calendar, never against the data's own latest year."""

from __future__ import annotations

import datetime as dt

from provdata.basics import config
from provdata.strategy.freshness import Schedule
from provdata.strategy.readiness import assess, decision_ready

TODAY = dt.date(2026, 12, 6)
ANNUAL_LAG_1 = Schedule("dopa_pop", "annual", 1)  # due by 31 January of the next year
UNKNOWN = Schedule("gpp", "annual", None)  # lag not known: never overdue, judged by age


def test_thresholds_are_the_programme_rule():
    assert config.READY_MIN_CONSECUTIVE_YEARS == 4  # "more than 3 years"
    assert config.DECISION_READY_MIN_KEY_A == 2


def test_exactly_three_consecutive_years_is_partial():
    r = assess([2023, 2024, 2025], ANNUAL_LAG_1, TODAY)
    assert (r.grade, r.run, r.reasons) == ("B", 3, ("short",))


def test_four_consecutive_current_years_is_ready():
    # 2025 was due by 31 Jan 2026: the series is current on 6 Dec 2026
    r = assess([2022, 2023, 2024, 2025], ANNUAL_LAG_1, TODAY)
    assert (r.grade, r.fresh.state, r.fresh.next_year, r.fresh.next_due) == (
        "A",
        "current",
        2026,
        dt.date(2027, 1, 31),
    )
    # without a known calendar: latest at most 5 years before today's year (2021)
    assert assess([2018, 2019, 2020, 2021], UNKNOWN, TODAY).grade == "A"


def test_a_series_behind_its_calendar_is_overdue_not_ready():
    # Was: graded A against the warehouse's latest year (2022/2023). Now: by the calendar 2020-2025 should be
    # out on 6 Dec 2026, so a series ending 2019 is overdue since 1 Feb 2021, whatever else the warehouse holds.
    r = assess(range(2011, 2020), ANNUAL_LAG_1, TODAY)
    assert (r.grade, r.reasons) == ("B", ("overdue",))
    assert r.fresh.missing == (2020, 2021, 2022, 2023, 2024, 2025)
    assert r.fresh.overdue_since == dt.date(2021, 2, 1)


def test_a_stale_series_without_calendar_is_partial_but_never_overdue():
    r = assess(range(2002, 2021), UNKNOWN, TODAY)  # ends 2020: older than 2021
    assert (r.grade, r.reasons, r.fresh.state, r.fresh.overdue_since) == (
        "B",
        ("stale",),
        "no_schedule",
        None,
    )


def test_the_grade_follows_the_day():
    years = range(2019, 2026)  # 2019-2025
    assert assess(years, ANNUAL_LAG_1, dt.date(2027, 1, 31)).grade == "A"  # 2026 due today: not late yet
    r = assess(years, ANNUAL_LAG_1, dt.date(2027, 2, 1))
    assert (r.grade, r.fresh.overdue_since) == ("B", dt.date(2027, 2, 1))


def test_a_gap_breaks_the_run():
    r = assess([2019, 2020, 2021, 2023, 2024, 2025], ANNUAL_LAG_1, TODAY)
    assert (r.grade, r.run, r.gaps) == ("B", 3, (2022,))
    assert r.reasons == ("short", "gaps")
    # an old gap before a long current run still leaves the cell ready, with the gap reported
    r = assess([2018, 2020, 2021, 2022, 2023, 2024, 2025], ANNUAL_LAG_1, TODAY)
    assert (r.grade, r.gaps) == ("A", (2019,))


def test_no_figure_is_none():
    assert assess([], ANNUAL_LAG_1, TODAY).grade == "C"


def test_decision_ready_needs_two_key_a():
    assert decision_ready(["A", "A", "C"]) and not decision_ready(["A", "B", "C"])
