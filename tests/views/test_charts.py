"""Chart builders: every chart names itself for screen readers and hides its marks from the accessibility tree."""

from __future__ import annotations

import pandas as pd
import pytest

from provdata.views.charts import bars, score_heatmap, series_line, sparkline, trend_chart

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


def test_sparkline_is_a_picture_of_the_values_in_order():
    import xml.etree.ElementTree as ET

    ns = "{http://www.w3.org/2000/svg}"
    svg = ET.fromstring(sparkline([10.0, 30.0, 20.0]))
    (line,) = svg.iter(f"{ns}polyline")
    points = [tuple(float(c) for c in p.split(",")) for p in line.get("points").split()]
    assert points == [(4.0, 44.0), (120.0, 4.0), (236.0, 24.0)]  # lowest at the bottom, highest at the top
    (dot,) = svg.iter(f"{ns}circle")
    assert (float(dot.get("cx")), float(dot.get("cy"))) == (236.0, 24.0)  # the latest value


def test_sparkline_breaks_at_a_missing_value_and_never_bridges_it():
    import xml.etree.ElementTree as ET

    ns = "{http://www.w3.org/2000/svg}"
    svg = ET.fromstring(sparkline([1.0, 2.0, float("nan"), 4.0, None, 3.0, 5.0]))
    lines = [line.get("points") for line in svg.iter(f"{ns}polyline")]
    assert len(lines) == 2  # 1–2 and 3–5; the lone 4.0 between two gaps is a dot
    assert len(list(svg.iter(f"{ns}circle"))) == 2
    with pytest.raises(ValueError):
        sparkline([1.0])
