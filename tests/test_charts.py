"""Chart builders: every chart names itself for screen readers and hides its marks from the accessibility tree."""

from __future__ import annotations

import pandas as pd

from provdata.charts import bars, score_heatmap, series_line, sparkline, trend_chart

SERIES = pd.DataFrame(
    {"year": [2019, 2020], "year_label": ["2562", "2563"], "value": [1_047_923.0, 1_040_308.0]}
)


def test_series_line_is_described_by_title_and_years():
    spec = series_line(SERIES, "Registered population, Nakhon Sawan", "persons", "year").to_dict()
    assert spec["description"] == "Registered population, Nakhon Sawan, year 2562–2563"
    assert spec["config"]["aria"] is False and spec["config"]["mark"] == {"aria": False}


def test_a_slide_chart_without_title_is_described_by_its_unit():
    assert series_line(SERIES, "", "persons", "ปี").to_dict()["description"] == "persons, ปี 2562–2563"


def test_trend_heatmap_bars_and_sparkline_descriptions():
    lines = SERIES.assign(area="Nakhon Sawan")
    none = pd.DataFrame(columns=["series", "year", "year_label", "value"])
    trend = trend_chart(
        lines, none, pd.DataFrame(columns=["year_label", "note"]), "Unemployed", "persons", "year", "province"
    )
    assert trend.to_dict()["description"] == "Unemployed: Nakhon Sawan, year 2562–2563"
    cells = pd.DataFrame({"area": ["A", "A", "B"], "indicator": ["x", "y", "x"], "score": [1.0, 2.0, 3.0],
                          "value_text": ["1", "2", "3"], "year_label": ["2563"] * 3})  # fmt: skip
    heat = score_heatmap(cells, "Economy", "province", "indicator", "score").to_dict()
    assert heat["description"] == "Economy: 2 × 2 (province × indicator)"
    bar = bars(pd.DataFrame({"area": ["Uthai Thani", "Chai Nat"], "value": [60.0, 75.0]}), "cases").to_dict()
    assert bar["description"] == "cases: Uthai Thani, Chai Nat"
    spark = sparkline([1.0, 2.0, 3.0], "Trend of GPP: 3 published years up to 2020").to_dict()
    assert spark["description"] == "Trend of GPP: 3 published years up to 2020"
    assert spark["config"]["mark"] == {"aria": False}
