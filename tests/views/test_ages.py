"""How old a figure is (provdata.views.ages): one judgement against the release calendar and the clock, the same
series current on one day and out of date on another; the profile's headline cards take the freshest series of
each concept."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from provdata.basics import clock
from provdata.strategy.freshness import Calendar, Schedule
from provdata.views import ages
from provdata.views.profile import headline_ids, median_latest_year
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse

PILOTS = ("62", "60", "61", "18", "16", "17", "15", "14", "25", "26")


@pytest.fixture(scope="module")
def wh(real_warehouse) -> Warehouse:
    return Warehouse(real_warehouse)


def calendar_now(wh: Warehouse) -> Calendar:
    """The warehouse's calendar on the clock's day (PROVDATA_TODAY, set by the ``today`` fixture)."""
    return queries.calendar(wh, clock.today())


@pytest.mark.parametrize(
    ("day", "state", "since", "missing", "next_due"),
    [
        # NESDC's poverty workbook (edition 260205): figures to 2024, out about 5 months after the year's end
        ("2025-06-30", "current", None, (), dt.date(2026, 5, 31)),
        ("2026-05-31", "current", None, (), dt.date(2026, 5, 31)),
        ("2026-06-01", "out_of_date", dt.date(2026, 6, 1), (2025,), dt.date(2027, 5, 31)),
        ("2027-03-01", "out_of_date", dt.date(2026, 6, 1), (2025,), dt.date(2027, 5, 31)),
    ],
)
def test_the_same_series_is_current_or_out_of_date_by_the_day(
    wh, today, day, state, since, missing, next_due
):
    today(day)
    fresh = ages.status(calendar_now(wh), "poverty_ratio_pct", 2024)
    assert (fresh.state, fresh.overdue_since, fresh.missing, fresh.next_due) == (
        state,
        since,
        missing,
        next_due,
    )
    assert ages.is_stale(fresh) == (state == "out_of_date")


def test_the_words_beside_a_figure_in_both_languages(wh, today):
    today("2027-03-01")
    cal = calendar_now(wh)
    pop = ages.status(cal, "population_registered", 2020)  # DOPA: announced by the end of January
    assert ages.mark(pop, "en", "ce") == "out of date: overdue since 1 Feb 2022"
    assert ages.mark(pop, "th", "be") == "ไม่เป็นปัจจุบัน: เกินกำหนดตั้งแต่ 1 ก.พ. 2565"
    assert ages.year_text(2020, pop, "en", "ce") == "2020 · out of date: overdue since 1 Feb 2022"
    assert ages.short_year(cal, "population_registered", 2020, "th", "be") == "2563 · ไม่เป็นปัจจุบัน"
    assert ages.status_text(pop, "en", "ce") == "out of date: overdue since 1 Feb 2022 (2021–2026 missing)"
    gpp = ages.status(cal, "gpp_current_mb", 2020)  # NESDC's GPP: when it is published is not known
    assert (gpp.state, ages.mark(gpp, "en", "ce"), ages.year_text(2020, gpp, "th", "be")) == (
        "no_schedule",
        "",
        "2563",
    )
    assert ages.status_text(gpp, "th", "be") == "ไม่ทราบกำหนดเผยแพร่"
    assert ages.status_text(ages.status(cal, "gpp_current_mb", None), "en", "ce") == "no figure"


def test_api_fields_of_a_series(wh, today):
    today("2025-06-30")
    assert ages.fields(ages.status(calendar_now(wh), "waste_generated_t_day", 2024)) == {
        "status": "current", "current": True, "overdue_since": None, "missing_years": [],
        "next_expected_year": 2025, "next_expected_by": "2026-08-31",
    }  # fmt: skip
    today("2026-12-06")
    assert ages.fields(ages.status(calendar_now(wh), "waste_generated_t_day", 2024)) == {
        "status": "out_of_date", "current": False, "overdue_since": "2026-09-01", "missing_years": [2025],
        "next_expected_year": 2026, "next_expected_by": "2027-08-31",
    }  # fmt: skip
    assert ages.fields(ages.status(calendar_now(wh), "dhf_cases", 2020))["current"] is None  # lag not known


def test_a_series_is_judged_on_its_latest_year_not_the_rows_shown():
    cal = Calendar(dt.date(2026, 12, 6), (("pop", Schedule("dopa", "annual", 1)),))
    shown = pd.DataFrame({"indicator_id": ["pop", "pop"], "area_code": ["60", "61"], "year": [2019, 2019]})
    every = pd.DataFrame(
        {"indicator_id": ["pop"] * 3, "area_code": ["60", "60", "61"], "year": [2019, 2025, 2019]}
    )
    out = ages.with_status(shown, cal, "en", "ce", figures=every)
    assert out["latest_year"].tolist() == [2025, 2019]
    assert out["status"].tolist() == ["current", "out of date: overdue since 1 Feb 2021 (2020–2025 missing)"]


def test_what_each_agency_owes_names_the_missing_years_and_since_when(wh):
    cal = queries.calendar(wh, dt.date(2026, 12, 6))
    provinces = queries.provinces(wh)
    names = dict(zip(provinces.code, provinces.name_en, strict=True))
    owed = ages.owed(queries.province_years(wh), queries.indicators(wh), names, cal, "en", "ce")
    pop = owed[owed["Indicator"] == "Registered population"]
    assert pop.values.tolist() == [
        ["dopa", "DOPA", "Registered population", "2024", "2025", "1 Feb 2026", "77 provinces"]
    ]
    # NESDC: Nonthaburi's poverty ratio ends 2020 ("-" after: sample too small), overdue since 1 Jun 2022
    late = owed[
        (owed["Indicator"] == "Poverty headcount ratio (consumption)") & (owed["Provinces"] == "Nonthaburi")
    ]
    assert late[["Latest figure", "Missing years", "Overdue since"]].values.tolist() == [
        ["2020", "2021–2025", "1 Jun 2022"]
    ]
    assert set(owed.agency_id) <= {
        "dopa",
        "mots",
        "nesdc",
        "pcd",
        "rtp",
    }  # only sources with a known lag are ever late (MOTS: the full year 2024 was due by 1 May 2025)
    assert not owed[owed["Indicator"].str.startswith("Gross provincial product")].size


def test_agency_lines_of_a_chain():
    chained = pd.DataFrame(
        {
            "indicator_id": ["pop", "pov", "gpp"],
            "indicator_en": ["Registered population", "Poverty ratio", "GPP"],
            "agency_en": ["DOPA", "NESDC", "NESDC"],
            "fresh": ["out_of_date", "out_of_date", "no_schedule"],
            "missing": ["2021,2022,2023,2024,2025", "2025", ""],
            "overdue_since": [dt.date(2022, 2, 1), dt.date(2026, 6, 1), None],
        }
    )
    assert ages.agency_lines(chained, "en", "ce") == [
        "Overdue from DOPA since 1 Feb 2022: Registered population (2021–2025 missing)",
        "Overdue from NESDC since 1 Jun 2026: Poverty ratio (2025 missing)",
    ]


def test_a_headline_card_takes_the_freshest_candidate_and_the_first_listed_on_a_tie():
    indicators = pd.DataFrame(
        {
            "id": ["gpp", "pop_dopa", "pop_nesdc", "pov_2013", "pov"],
            "profile_sort": [1, 2, 3, 5, 4],
            "profile_card": ["gpp", "population", "population", "poverty", "poverty"],
        }
    )
    headlines = pd.DataFrame(
        {"indicator_id": ["gpp", "pop_dopa", "pop_nesdc", "pov_2013"], "year": [2020, 2020, 2020, 2011]}
    )
    assert headline_ids(indicators, headlines) == [
        "gpp",
        "pop_dopa",
        "pov_2013",
    ]  # tie: listed first; pov: none
    headlines.loc[2, "year"] = 2021
    headlines.loc[4] = ["pov", 2024]
    assert headline_ids(indicators, headlines) == ["gpp", "pop_nesdc", "pov"]
    assert median_latest_year(indicators, headlines) == 2021.0


def test_the_pilots_headline_cards_median_latest_year(wh):
    """The median latest year of each pilot's 12 headline cards is 2022 (the issue asks for 2022 or later): DOPA's
    population (2024), NESDC's poverty (2024), PCD's waste (2024), MOTS's tourism (2023), SES income and debt
    (2023) against GPP (2020), HAI (2021), dengue (2020), the LFS (2019) and OAE's rice (2015)."""
    indicators = queries.indicators(wh)
    medians = {}
    for code in PILOTS:
        headlines = queries.headlines(wh, code, tuple(indicators.id))
        medians[code] = median_latest_year(indicators, headlines)
        chosen = headline_ids(indicators, headlines)
        assert "poverty_ratio_pct" in chosen and "poverty_ratio_2013rel_pct" not in chosen  # 2024 edition
        assert "population_registered" in chosen and "gpp_population_k" not in chosen  # DOPA's runs to 2024
        years = dict(zip(headlines.indicator_id, headlines.year, strict=True))
        assert sorted(int(years[i]) for i in chosen) == [
            2015, 2019, 2020, 2020, 2020, 2021, 2023, 2023, 2023, 2024, 2024, 2024
        ], code  # fmt: skip
    assert medians == dict.fromkeys(PILOTS, 2022.0)


def test_a_download_says_each_series_latest_year_and_status_in_csv_and_excel(wh):
    """The catalogue's selection as files: ``year``, ``latest_year`` and ``status`` read back with pandas'
    defaults (CSV) and openpyxl (Excel); a selection of 2019 still says its series runs to 2024 and is late."""
    import io

    import openpyxl

    from provdata.views import catalog
    from provdata.views.exports import About, to_csv, to_excel

    cal = queries.calendar(wh, dt.date(2026, 12, 6))
    rows = queries.selection(wh, ["population_registered", "gpp_current_mb"], ["60"], 2019, 2019)
    tidy = catalog.tidy(rows, queries.indicators(wh), queries.provinces(wh), "en")
    every = queries.province_years(wh)
    data = ages.with_status(tidy, cal, "en", "ce", "province_code", every[every.area_code == "60"])
    about = About(title="t", filters={}, sources=[], build_id="TB", notes=[ages.readme_line(cal, "en", "ce")])
    back = pd.read_csv(io.BytesIO(to_csv(data, about))).set_index("indicator_id")
    assert back.loc["population_registered", ["year", "latest_year"]].tolist() == [2019, 2024]
    assert (
        back.loc["population_registered", "status"] == "out of date: overdue since 1 Feb 2026 (2025 missing)"
    )
    assert back.loc["gpp_current_mb", "status"] == "release schedule not known"
    sheet = openpyxl.load_workbook(io.BytesIO(to_excel(data, about)))["data"]
    cells = list(sheet.iter_rows(values_only=True))
    header = list(cells[0])
    pop = next(r for r in cells[1:] if r[header.index("indicator_id")] == "population_registered")
    assert (pop[header.index("year")], pop[header.index("latest_year")]) == (2019, 2024)
    assert pop[header.index("status")] == "out of date: overdue since 1 Feb 2026 (2025 missing)"
    assert about.notes[0].startswith("Columns latest_year and status: the latest year of each series")
    assert "on 6 Dec 2026" in about.notes[0]
