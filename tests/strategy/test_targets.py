"""Target status at its edges, judged on today's date: open targets on the latest figure and trend, past deadlines
on the deadline year's own figure."""

from __future__ import annotations

import datetime as dt

import pytest

from provdata.strategy.targets import progress

OPEN = dt.date(2021, 6, 1)  # every target below (2021-2025) is still open on this day


def test_already_met_is_on_track():
    assert progress([(2019, 90), (2020, 100)], 100, 2025, "increase", OPEN).status == "on_track"
    assert progress([(2020, 5)], 5, 2025, "decrease", OPEN).status == "on_track"


def test_projection_decides():
    rising = [(2018, 80), (2019, 85), (2020, 90)]  # +5 a year
    assert progress(rising, 100, 2022, "increase", OPEN).status == "on_track"  # 100 by 2022: exactly
    assert progress(rising, 101, 2022, "increase", OPEN).status == "at_risk"  # 10 of 11 = 0.91 of the way
    assert progress(rising, 120, 2022, "increase", OPEN).status == "off_track"  # 10 of 30
    p = progress(rising, 100, 2022, "increase", OPEN)
    assert (p.slope, p.projected, p.latest_year, p.deadline_passed) == (5, 100, 2020, False)


def test_decrease_targets_and_trend_window():
    falling = [(2015, 500), (2016, 10), (2017, 400), (2018, 300), (2019, 200)]  # last 3 years: -100 a year
    assert progress(falling, 0, 2021, "decrease", OPEN).status == "on_track"
    assert progress(falling, 0, 2021, "decrease", OPEN).projected == 0
    assert (
        progress(falling, 0, 2025, "decrease", OPEN).projected == 0
    )  # never below zero for a non-negative series


def test_no_trend_or_no_data():
    assert progress([(2020, 10)], 20, 2025, "increase", OPEN).status == "off_track"  # one figure: no trend
    assert (
        progress([(2017, 10), (2020, 12)], 20, 2025, "increase", OPEN).status == "off_track"
    )  # not consecutive
    assert progress([], 20, 2025, "increase", OPEN).status == "no_data"
    with pytest.raises(ValueError):
        progress([(2020, 1)], 2, 2025, "up", OPEN)


def test_a_passed_deadline_is_graded_on_its_own_year():
    dengue = [(2018, 753), (2019, 355), (2020, 274)]
    today = dt.date(2026, 12, 6)
    # Was "on track": the 2018-2020 fall projected to 2022 went below 200. A projection is no grade once the
    # deadline has passed: without a 2022 figure the target is not met.
    p = progress(dengue, 200, 2022, "decrease", today)
    assert (p.status, p.deadline_passed, p.latest, p.latest_year, p.projected) == (
        "no_deadline_figure", True, 274, 2020, None,
    )  # fmt: skip
    assert progress([*dengue, (2022, 190)], 200, 2022, "decrease", today).status == "met"
    assert progress([*dengue, (2022, 210), (2023, 150)], 200, 2022, "decrease", today).status == "missed"
    assert progress([*dengue, (2022, 210)], 200, 2022, "decrease", today).deadline_value == 210


def test_the_deadline_passes_with_the_year():
    series = [(2024, 150), (2025, 160)]
    assert progress(series, 200, 2026, "increase", dt.date(2026, 12, 31)).status == "off_track"  # still open
    p = progress(series, 200, 2026, "increase", dt.date(2027, 1, 1), due=dt.date(2027, 1, 31))
    assert (p.status, p.due) == ("awaiting", dt.date(2027, 1, 31))  # the 2026 figure is not due yet
    late = progress(series, 200, 2026, "increase", dt.date(2027, 2, 1), due=dt.date(2027, 1, 31))
    assert late.status == "no_deadline_figure"
