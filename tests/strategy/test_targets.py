"""Target status at its edges."""

from __future__ import annotations

import pytest

from provdata.strategy.targets import progress


def test_already_met_is_on_track():
    assert progress([(2019, 90), (2020, 100)], 100, 2025, "increase").status == "on_track"
    assert progress([(2020, 5)], 5, 2025, "decrease").status == "on_track"


def test_projection_decides():
    rising = [(2018, 80), (2019, 85), (2020, 90)]  # +5 a year
    assert progress(rising, 100, 2022, "increase").status == "on_track"  # 100 by 2022: exactly
    assert progress(rising, 101, 2022, "increase").status == "at_risk"  # 10 of 11 = 0.91 of the way
    assert progress(rising, 120, 2022, "increase").status == "off_track"  # 10 of 30
    p = progress(rising, 100, 2022, "increase")
    assert (p.slope, p.projected, p.latest_year) == (5, 100, 2020)


def test_decrease_targets_and_trend_window():
    falling = [(2015, 500), (2016, 10), (2017, 400), (2018, 300), (2019, 200)]  # last 3 years: -100 a year
    assert progress(falling, 0, 2021, "decrease").status == "on_track"
    assert progress(falling, 0, 2020, "decrease").status == "off_track"  # 100 of 200 = 0.5
    assert progress(falling, 0, 2025, "decrease").projected == 0  # never below zero for a non-negative series


def test_no_trend_or_no_data():
    assert progress([(2020, 10)], 20, 2025, "increase").status == "off_track"  # one figure: no trend
    assert progress([(2017, 10), (2020, 12)], 20, 2025, "increase").status == "off_track"  # not consecutive
    assert progress([], 20, 2025, "increase").status == "no_data"
    with pytest.raises(ValueError):
        progress([(2020, 1)], 2, 2025, "up")
