"""The recipes' indicators where indicators appear: profile history, map, trends, compare by theme, catalogue,
the API's catalogue (AppTest and the core functions the API serves, on the real warehouse)."""

from __future__ import annotations

import datetime as dt

import pytest

from provdata.views import catalog
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse
from tests.conftest import open_page


@pytest.fixture
def real(real_warehouse, use_warehouse):
    use_warehouse(real_warehouse)


def test_profile_history_of_household_debt_in_thai(real):
    at = open_page("pages/profile.py", province="60", lang="th", indicator="ses_debt_per_household")
    table = at.table[0].value
    assert table.iloc[:, 0].tolist() == ["2558", "2560", "2562", "2564", "2566"]  # the five survey rounds
    assert table[table.iloc[:, 0] == "2566"].iloc[0, 1] == "152,664"


def test_map_of_forest_area_2013(real):
    at = open_page("pages/map.py", lang="en", indicator="forest_area_rai", year="2013", table="1")
    table = at.dataframe[0].value
    assert len(table) == 77
    row = table[table["Code"] == "55"].iloc[0]
    assert row["Area"] == "Nan" and row["Value (rai)"] == 4653024


def test_trends_of_registered_births(real):
    at = open_page("pages/trends.py", lang="en", indicator="births_registered_total", provinces="60,61")
    growth = at.dataframe[0].value.set_index("Area")
    assert growth.loc["Nakhon Sawan", "1993"] == 15116 and growth.loc["Nakhon Sawan", "2021"] == 6605
    assert growth.loc["Uthai Thani", "2021"] == 2124  # PROVENANCE spot figure
    assert growth.loc["Nakhon Sawan", "Compound annual growth (% a year)"] == round(
        ((6605 / 15116) ** (1 / 28) - 1) * 100, 2
    )


@pytest.mark.parametrize(("theme", "name"), [("household", "Household economy"), ("poverty", "Poverty"),
                                             ("environment", "Land and environment"), ("safety", "Safety")])  # fmt: skip
def test_compare_offers_each_new_theme(real, theme, name):
    at = open_page("pages/compare.py", lang="en", theme=theme, provinces="60,61,62")
    assert not at.exception
    assert at.selectbox(key="theme.en.ce").value == theme
    assert name in at.selectbox(key="theme.en.ce").options
    assert len(at.dataframe[-1].value) >= 1


def test_catalogue_and_api_list_them_with_licence_theme_and_caveat(real_warehouse):
    """The catalogue page and the API's /indicators both serve queries.indicators."""
    wh = Warehouse(real_warehouse)
    indicators = queries.indicators(wh).set_index("id")
    crime = indicators.loc["crime_g1_reported"]
    assert (crime.theme_en, crime.agency_short_en, crime.unit_en, crime.license) == (
        "Safety",
        "RTP",
        "cases",
        "none stated",
    )
    assert (crime.first_year, crime.last_year, crime.n_provinces) == (2002, 2011, 77)
    assert "read 2011 as provisional" in crime.definition_en
    table = catalog.catalog_table(
        catalog.build_catalog(queries.indicators(wh), queries.years_present(wh, ["60"], ["forest_area_rai"]),
                              ["60"], queries.calendar(wh, dt.date(2026, 12, 6))), "en", "ce"
    ).set_index("Id")  # fmt: skip
    assert table.loc["forest_area_rai", "Years"] == "2002–2013"
    assert table.loc["poverty_ratio_pct", "Licence (as stated upstream)"] == "none stated"
