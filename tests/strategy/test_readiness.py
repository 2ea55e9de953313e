"""Readiness rules at their edges: exactly 3 years, 4 years, a gap, a stale series, none."""

from __future__ import annotations

from provdata.basics import config
from provdata.strategy.readiness import assess, decision_ready

REF = 2022


def test_thresholds_are_the_programme_rule():
    assert config.READY_MIN_CONSECUTIVE_YEARS == 4  # "more than 3 years"
    assert config.DECISION_READY_MIN_KEY_A == 2


def test_exactly_three_consecutive_years_is_partial():
    r = assess([2019, 2020, 2021], REF)
    assert (r.grade, r.run, r.reasons) == ("B", 3, ("short",))


def test_four_consecutive_recent_years_is_ready():
    assert assess([2019, 2020, 2021, 2022], REF).grade == "A"
    assert assess([2014, 2015, 2016, 2017], REF).grade == "A"  # latest 5 years before the reference


def test_a_stale_series_is_partial():
    r = assess(range(2002, 2017), REF)  # ends 2016: six years before 2022
    assert (r.grade, r.reasons) == ("B", ("stale",))


def test_a_gap_breaks_the_run():
    r = assess([2015, 2016, 2017, 2019, 2020, 2021], REF)
    assert (r.grade, r.run, r.gaps) == ("B", 3, (2018,))
    assert r.reasons == ("short", "gaps")
    # an old gap before a long recent run still leaves the cell ready, with the gap reported
    r = assess([2010, 2012, 2013, 2014, 2015, 2016], 2020)
    assert (r.grade, r.gaps) == ("A", (2011,))


def test_no_figure_is_none():
    assert assess([], REF).grade == "C"


def test_decision_ready_needs_two_key_a():
    assert decision_ready(["A", "A", "C"]) and not decision_ready(["A", "B", "C"])
