"""The release calendar's rules (provdata.strategy.freshness) with exact dates, on more than one day."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from provdata.strategy.freshness import Schedule, assess, due_date, overdue_by_agency

POP = Schedule("dopa_pop", "annual", 1)
SES = Schedule("nso_ses", "biennial", 6)
POVERTY = Schedule("nesdc_poverty", "annual", 17)


def test_due_dates():
    assert due_date(2025, 0) == dt.date(2025, 12, 31)
    assert due_date(2025, 1) == dt.date(2026, 1, 31)
    assert due_date(2023, 2) == dt.date(2024, 2, 29)  # leap year
    assert due_date(2011, 17) == dt.date(2013, 5, 31)


def test_current_and_next_on_2027_04_01():
    f = assess(2026, POP, dt.date(2027, 4, 1))
    assert (f.state, f.expected_latest, f.missing, f.overdue_since) == ("current", 2026, (), None)
    assert (f.next_year, f.next_due) == (2027, dt.date(2028, 1, 31))


def test_overdue_since_on_2026_01_15():
    # 2024 was due by 31 Jan 2025; 2025 is not due until 31 Jan 2026
    f = assess(2022, POP, dt.date(2026, 1, 15))
    assert (f.state, f.expected_latest, f.missing) == ("out_of_date", 2024, (2023, 2024))
    assert (f.overdue_since, f.next_year, f.next_due) == (dt.date(2024, 2, 1), 2025, dt.date(2026, 1, 31))


def test_on_the_due_date_it_is_not_late_yet():
    assert assess(2024, POP, dt.date(2026, 1, 31)).state == "current"
    assert assess(2024, POP, dt.date(2026, 2, 1)).missing == (2025,)


def test_a_biennial_survey_steps_two_years():
    f = assess(2023, SES, dt.date(2026, 12, 6))  # 2025 due 30 Jun 2026
    assert (f.state, f.missing, f.overdue_since, f.next_year) == (
        "out_of_date",
        (2025,),
        dt.date(2026, 7, 1),
        2027,
    )
    assert assess(2023, SES, dt.date(2026, 1, 15)).state == "current"


def test_no_schedule_is_never_overdue():
    for schedule in (
        Schedule("x", "irregular", 12),
        Schedule("x", "annual", None),
        Schedule("x", "unknown", None),
        None,
    ):
        f = assess(2001, schedule, dt.date(2026, 12, 6))
        assert (f.state, f.overdue_since, f.next_due) == ("no_schedule", None, None)
    assert assess(None, POP, dt.date(2026, 12, 6)).state == "no_figure"


def test_a_superseded_edition_is_never_overdue_and_says_so(real_warehouse):
    """NESDC's 2013 poverty release (2006-2011) was replaced by edition 260205 (to 2024): an earlier vintage, never
    updated, so never owed — on the catalogue it says why."""
    from provdata.views import catalog
    from provdata.warehouse import queries
    from provdata.warehouse.db import Warehouse

    f = assess(2007, Schedule("old", "superseded", 17), dt.date(2026, 12, 6))
    assert (f.state, f.latest, f.overdue_since, f.missing, f.next_due) == ("superseded", 2007, None, (), None)
    wh = Warehouse(real_warehouse)
    cal = queries.calendar(wh, dt.date(2026, 12, 6))
    assert cal.assess("poverty_ratio_2013rel_pct", 2007).state == "superseded"
    assert (
        cal.assess("poverty_ratio_pct", 2024).state == "out_of_date"
    )  # the current edition: 2025 due 31 May 2026
    row = pd.Series({"periodicity": "superseded", "fresh": "superseded", "last_year": 2007})
    assert catalog.release_text(row, "en", "ce") == (
        "latest figure 2007 · an earlier edition, replaced by a later one and never updated: never called overdue"
    )


def test_overdue_series_per_agency():
    series = pd.DataFrame(
        [
            ("dopa", "population_registered", "60", 2020, "dopa_pop"),
            ("dopa", "population_registered", "61", 2025, "dopa_pop"),  # current
            ("nesdc", "poverty_ratio_pct", "60", 2007, "nesdc_poverty"),
            ("nesdc", "gpp_per_capita_baht", "60", 2020, "gpp"),  # no calendar row: never overdue
        ],
        columns=["agency_id", "indicator_id", "area_code", "latest", "source_id"],
    )
    out = overdue_by_agency(series, {"dopa_pop": POP, "nesdc_poverty": POVERTY}, dt.date(2026, 12, 6))
    assert out.to_dict("records") == [
        {"agency_id": "dopa", "indicator_id": "population_registered", "area_code": "60", "latest": 2020,
         "expected_latest": 2025, "missing": "2021–2025", "overdue_since": dt.date(2022, 2, 1)},
        {"agency_id": "nesdc", "indicator_id": "poverty_ratio_pct", "area_code": "60", "latest": 2007,
         "expected_latest": 2024, "missing": "2008–2024", "overdue_since": dt.date(2010, 6, 1)},
    ]  # fmt: skip
