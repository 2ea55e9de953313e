"""Absurd figures are refused, not flagged: a steward cannot confirm 1.7e308 people into the warehouse."""

from __future__ import annotations

import pandas as pd

from provdata.exchange import publish
from provdata.ingest import Options
from provdata.ingest.validate import reject_implausible
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse

POP = "population_registered"


def check(env, rows: list[str]):
    data = ("province_code,year,indicator_id,value\n" + "\n".join(rows) + "\n").encode()
    return publish.check(data, "figures.csv", Options(), Warehouse(env.warehouse), None)


def test_a_population_of_1_7e308_is_refused_with_its_row_and_column(exchange_env):
    preview = check(
        exchange_env, [f"60,2019,{POP},1.7e308", f"60,2020,{POP},{exchange_env.held_back[('60', 2020)]}"]
    )
    assert preview.counts() == {"accepted": 1, "flagged": 0, "unchanged": 0, "rejected": 1, "skipped": 0}
    bad = preview.rejected.iloc[0]
    assert (bad.row, bad.column, bad.value) == (2, "D “value”", "1.7e+308")
    assert (
        bad.reason
        == "1.7e+308 is beyond ±1e+13, larger than any real figure of any indicator: check the cell"
    )
    assert preview.to_publish(include_flagged=True).value.tolist() == [exchange_env.held_back[("60", 2020)]]


def test_a_figure_ten_times_the_largest_published_one_is_refused_and_names_that_figure(exchange_env):
    largest = queries.published(Warehouse(exchange_env.warehouse), [POP]).value.abs().max()
    preview = check(
        exchange_env, [f"60,2019,{POP},{largest * 10 + 1:.0f}", f"62,2019,{POP},{largest * 10:.0f}"]
    )
    assert preview.counts()["rejected"] == 1
    bad = preview.rejected.iloc[0]
    assert bad.row == 2
    assert bad.reason == (
        f"{largest * 10 + 1:,.6g} is more than 10 times the largest published figure of {POP} ({largest:,.15g}, "
        "any province and year; PROVDATA_PLAUSIBLE_FACTOR): check the unit (thousands?) and the cell"
    )
    # exactly ten times is not refused (it is flagged as a large revision, for the steward to check)
    assert preview.counts()["flagged"] + preview.counts()["accepted"] == 1


def test_the_factor_is_a_setting(exchange_env, monkeypatch):
    largest = queries.published(Warehouse(exchange_env.warehouse), [POP]).value.abs().max()
    monkeypatch.setenv("PROVDATA_PLAUSIBLE_FACTOR", "2")
    preview = check(exchange_env, [f"60,2019,{POP},{largest * 3:.0f}"])
    assert "is more than 2 times the largest published figure" in preview.rejected.iloc[0].reason


def test_percentages_outside_0_100_and_an_index_outside_0_1_are_refused():
    kinds = pd.DataFrame({"id": ["poverty_ratio_pct", "hotel_occupancy_rate_pct", "human_achievement_index"],
                          "unit_en": ["% of persons", "percent", "index (0-1)"]}).set_index("id")  # fmt: skip
    df = pd.DataFrame({"indicator_id": ["poverty_ratio_pct", "poverty_ratio_pct", "hotel_occupancy_rate_pct",
                                        "human_achievement_index", "human_achievement_index"],
                       "value": [100.0, 140.5, -1.0, 0.69, 1.2], "row": [2, 3, 4, 5, 6]})  # fmt: skip
    refused = {}

    def reject(mask, reason):
        nonlocal df
        if mask.any():
            part = df[mask]
            refused.update(zip(part.row, reason(part), strict=True))
            df = df[~mask]

    reject_implausible(
        lambda: df, kinds, pd.DataFrame(columns=["indicator_id", "area_code", "year", "value"]), reject
    )
    assert refused == {
        3: "140.5 is not a percentage (0–100): the unit is % of persons",
        4: "-1 is not a percentage (0–100): the unit is percent",
        6: "1.2 is outside 0–1, the range of this index",
    }
    assert df.row.tolist() == [2, 5]
