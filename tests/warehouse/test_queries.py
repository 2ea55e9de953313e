"""Query layer: exact values and ranks, bound parameters, unknown areas."""

from __future__ import annotations

import pytest

from provdata.basics.errors import UnknownArea
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse


def test_provinces_pilots_first(tiny_warehouse):
    frame = queries.provinces(Warehouse(tiny_warehouse))
    assert frame["code"].tolist() == ["14", "15", "16", "17", "18", "25", "26", "60", "61", "62", "10", "50"]
    assert frame.loc[frame.code == "60", "name_th"].item() == "นครสวรรค์"


def test_headlines_of_nakhon_sawan_on_real_data(real_warehouse):
    wh = Warehouse(real_warehouse)
    h = queries.headlines(
        wh, "60", ["gpp_current_mb", "lfs_q4_unemployed", "population_registered"]
    ).set_index("indicator_id")
    gpp = h.loc["gpp_current_mb"]
    assert (gpp.year, gpp.value, gpp.prev_year, gpp.prev_value) == (2020, 111440.702788, 2019, 116801.209745)
    assert (gpp.rank_all, gpp.n_all, gpp.rank_pilot, gpp.n_pilot_with_data) == (24, 77, 3, 10)
    # lower is better for unemployment: rank 1 = fewest unemployed
    unemp = h.loc["lfs_q4_unemployed"]
    assert (unemp.year, unemp.value, unemp.rank_all, unemp.rank_pilot) == (2019, 5755.0, 60, 7)
    pop = h.loc["population_registered"]
    # DOPA's December 2024 file (dopa_population_houses_psitthirat; was 2020's 1,040,308 before it was shipped)
    assert (pop.year, pop.value, pop.prev_value, pop.rank_all, pop.rank_pilot) == (
        2024,
        1014401.0,
        1021883.0,
        21,
        1,
    )
    assert pop.source_id == "dopa_population_houses_psitthirat"


def test_headlines_of_a_non_pilot_have_no_pilot_rank(tiny_warehouse):
    h = queries.headlines(Warehouse(tiny_warehouse), "10", ["gpp_current_mb"])
    assert h.rank_pilot.isna().all() and h.rank_all.tolist() == [1]


def test_series_is_bound_not_formatted(tiny_warehouse):
    wh = Warehouse(tiny_warehouse)
    frame = queries.series(wh, ["population_registered"], ["60", "x' OR '1'='1"])
    assert set(frame.area_code) == {"60"}
    assert frame.loc[frame.year == 2013, "value"].item() == 1073142.0


def test_unknown_province_raises_project_error(tiny_warehouse):
    with pytest.raises(UnknownArea):
        queries.headlines(Warehouse(tiny_warehouse), "99", ["gpp_current_mb"])


def test_indicators_carry_agency_licence_and_coverage(real_warehouse):
    ind = queries.indicators(Warehouse(real_warehouse)).set_index("id")
    gpp = ind.loc["gpp_current_mb"]
    assert (gpp.agency_short_en, gpp.first_year, gpp.last_year, gpp.n_provinces) == ("NESDC", 1995, 2020, 77)
    assert gpp.name_th == "ผลิตภัณฑ์มวลรวมจังหวัด ณ ราคาประจำปี"
    assert ind.loc["rice_inseason_production_t", "n_districts"] == 93
