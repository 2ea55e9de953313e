"""Derived views: class breaks, per capita, index, change, growth, medians, scores, similarity."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from provdata.views import analysis, figures
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse


def test_quantile_breaks_and_classes():
    assert analysis.class_breaks(list(range(1, 11)), 5) == [2, 4, 6, 8, 10]
    # skewed data: classes hold about the same number of areas, not equal widths
    skewed = [1, 1, 2, 2, 3, 3, 4, 5, 100, 1000]
    breaks = analysis.class_breaks(skewed, 5)
    assert breaks == [1, 2, 3, 5, 1000]
    assert [analysis.classify(v, breaks) for v in (1, 2.5, 5, 1000)] == [0, 2, 3, 4]
    assert analysis.classify(float("nan"), breaks) is None
    assert analysis.class_breaks([float("nan")]) == []
    assert analysis.class_breaks([7, 7, 7]) == [7]  # repeated values: fewer classes


def test_per_capita_uses_population_of_the_same_year(real_warehouse):
    wh = Warehouse(real_warehouse)
    cases = queries.year_values(wh, "dhf_cases", 2020)
    pop = queries.year_values(wh, "population_registered", 2020)
    out = figures.map_values(cases, pop, 100000).set_index("area_code")
    assert out.loc["60", "published_value"] == 274
    assert out.loc["60", "population"] == 1040308
    assert out.loc["60", "value"] == pytest.approx(274 * 100000 / 1040308, rel=1e-12)
    # a year without population figures (GPP 1995; registered population starts in 2002) leaves per capita
    # missing, never zero (was tourism 2022, before DOPA's files extended the population to 2024)
    gpp = queries.year_values(wh, "gpp_current_mb", 1995)
    none = queries.year_values(wh, "population_registered", 1995)
    assert none.empty and len(gpp) > 0
    assert figures.map_values(gpp, none, 1)["value"].isna().all()


def test_index_change_growth_and_medians():
    frame = pd.DataFrame(
        {
            "area_code": ["a"] * 3 + ["b"] * 2,
            "year": [2010, 2011, 2012, 2010, 2012],
            "value": [50, 100, 200, 10, 0],
        }
    )
    idx = analysis.index_to_base(frame, 2010)
    assert idx.loc[(idx.area_code == "a") & (idx.year == 2012), "value"].item() == 400
    ch = analysis.change_on_previous(frame)
    assert ch.loc[(ch.area_code == "a") & (ch.year == 2011), "value"].item() == 100
    assert math.isnan(ch.loc[(ch.area_code == "b") & (ch.year == 2012), "value"].item())  # no 2011: no change
    g = analysis.cagr(frame, 2010, 2012).set_index("area_code")
    assert g.loc["a", "cagr_pct"] == pytest.approx(100.0)
    assert g.loc["b", "cagr_pct"] == pytest.approx(-100.0)
    med = analysis.medians(frame, {"a"}).set_index("year")
    assert med.loc[2010, "pilot_median"] == 50 and med.loc[2010, "national_median"] == 30


def test_growth_of_nakhon_sawan_unemployed(real_warehouse):
    series = queries.level_series(Warehouse(real_warehouse), ["lfs_q4_unemployed"])
    g = analysis.cagr(series, 2011, 2019).set_index("area_code")
    assert (g.loc["60", "start_value"], g.loc["60", "end_value"]) == (3123, 5755)
    assert g.loc["60", "cagr_pct"] == pytest.approx(((5755 / 3123) ** (1 / 8) - 1) * 100)


def test_scores_respect_direction_and_similarity():
    wide = pd.DataFrame({"good": [1.0, 2.0, 3.0], "bad": [1.0, 2.0, 3.0]}, index=["x", "y", "z"])
    wide.columns.name = "indicator_id"
    s = analysis.direction_scores(wide, {"good": True, "bad": False})
    assert s["good"].tolist() == [0, 50, 100] and s["bad"].tolist() == [100, 50, 0]
    near = analysis.nearest(pd.DataFrame({"v": [1.0, 2.0, 10.0, np.nan]}, index=["x", "y", "z", "w"]), "x", 5)
    assert near.area_code.tolist() == ["y", "z"]  # w has no shared figure: left out
    assert near.distance.iloc[0] < near.distance.iloc[1]


def test_percentile_scores_keep_the_spread_when_one_province_is_ten_times_the_others():
    # ten provinces: one with 10× the largest of the others (as Ayutthaya's GPP stands out), nine spread out
    values = [100.0, 110.0, 120.0, 130.0, 140.0, 150.0, 160.0, 170.0, 180.0, 1800.0]
    wide = pd.DataFrame({"gpp": values, "deaths": values}, index=[f"p{i}" for i in range(10)])
    s = analysis.percentile_scores(wide, {"gpp": True, "deaths": False})
    # each step up beats one more of the other nine: 0, 11.1, …, 88.9 — the outlier takes 100 and squeezes no one
    assert s["gpp"].round(1).tolist() == [0.0, 11.1, 22.2, 33.3, 44.4, 55.6, 66.7, 77.8, 88.9, 100.0]
    assert s["deaths"].round(1).tolist() == [100.0, 88.9, 77.8, 66.7, 55.6, 44.4, 33.3, 22.2, 11.1, 0.0]
    # min–max, for contrast, put the nine between 0 and 5
    assert analysis.direction_scores(wide[["gpp"]], {"gpp": True})["gpp"].iloc[8] < 5


def test_percentile_scores_ties_missing_and_a_single_figure():
    wide = pd.DataFrame({"v": [1.0, 2.0, 2.0, np.nan, 3.0], "only": [np.nan, 5.0, np.nan, np.nan, np.nan]},
                        index=list("abcde"))  # fmt: skip
    s = analysis.percentile_scores(wide, {"v": None})
    assert s["v"].tolist()[:3] == [0.0, 50.0, 50.0] and np.isnan(s.loc["d", "v"]) and s.loc["e", "v"] == 100.0
    assert s.loc["b", "only"] == 50.0 and s["only"].isna().sum() == 4
