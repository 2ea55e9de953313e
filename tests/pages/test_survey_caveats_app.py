"""Sample-survey figures carry their caveat wherever they are ranked, mapped or compared (issue #22): the map,
the compare page, trends and the profile's cards, in the recipe's own words (data/recipes/*.toml)."""

from __future__ import annotations

import tomllib

import pytest

from provdata.basics.config import ROOT
from tests.conftest import open_page


def recipe_caveat(recipe: str, indicator_id: str, lang: str) -> str:
    spec = tomllib.loads((ROOT / "data" / "recipes" / f"{recipe}.toml").read_text(encoding="utf-8"))
    (ind,) = [i for i in spec["indicator"] if i["id"] == indicator_id]
    return ind[f"caveat_{lang}"]


@pytest.fixture
def real(real_warehouse, use_warehouse):
    use_warehouse(real_warehouse)


def warnings(at) -> list[str]:
    return [line for c in at.caption for line in c.value.split("  \n") if line.startswith("⚠ ")]


def test_the_poverty_map_says_its_caveat_and_a_census_count_does_not(real):
    at = open_page("pages/map.py", indicator="poverty_ratio_pct", year="2024", lang="en")
    caveat = recipe_caveat("nesdc_poverty_province_vapankung", "poverty_ratio_pct", "en")
    assert caveat.startswith("Sample-survey estimates: provincial samples are small")
    assert f"⚠ {caveat}" in warnings(at)
    at = open_page("pages/map.py", indicator="population_registered", year="2024", lang="en")
    assert not [w for w in warnings(at) if "ample" in w]


def test_compare_names_each_survey_indicator_with_its_caveat_in_thai(real):
    at = open_page("pages/compare.py", theme="poverty", provinces="60,61", lang="th")
    caveat = recipe_caveat("nesdc_poverty_province_vapankung", "poverty_ratio_pct", "th")
    assert f"⚠ สัดส่วนคนจน (ด้านรายจ่าย): {caveat}" in warnings(at)


def test_trends_of_household_income_say_its_caveat(real):
    at = open_page("pages/trends.py", indicator="ses_income_hh_monthly", provinces="60", lang="en")
    assert any(w.startswith("⚠ Sample-survey estimates (NSO gives no sampling error)") for w in warnings(at))


def test_profile_cards_of_survey_figures_say_so_and_others_do_not(real):
    at = open_page("pages/profile.py", province="60", lang="en")
    note = "⚠ sample-survey estimate (small provincial samples): compare provinces and years with care"
    cards = {c.value.split(" · ")[0]: c.value for c in at.caption if " · rank " in c.value}
    assert note in cards["% of persons"]  # poverty ratio, NESDC from the SES
    assert (
        note in cards["baht per household"] and note in cards["baht per household per month"]
    )  # SES debt, income
    assert (
        note not in cards["million baht"] and note not in cards["persons"]
    )  # GPP (accounts), DOPA's register
