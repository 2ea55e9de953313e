"""The API says how old each figure is: the year, the latest year of its series and the series judged by the
release calendar on the clock's day (handlers called directly over the real warehouse: no server)."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from starlette.requests import Request

from provdata.web import api


@pytest.fixture
def real(real_warehouse, use_warehouse):
    use_warehouse(real_warehouse)


def get(handler, query: str):
    request = Request(
        {"type": "http", "method": "GET", "path": "/", "query_string": query.encode(), "headers": []}
    )
    response = handler(request)
    assert response.status_code == 200, response.body
    return response.body.decode()


def test_observations_carry_their_series_latest_year_and_status(real):
    body = json.loads(
        get(api.get_observations, "indicator=population_registered&province=60&from=2019&to=2019")
    )
    assert body["meta"]["as_of"] == "2026-12-06"
    (row,) = body["data"]
    assert (row["year"], row["value"], row["series_latest_year"]) == (2019, 1059887.0, 2024)
    assert {k: v for k, v in row.items() if k.startswith("series_") and k != "series_latest_year"} == {
        "series_status": "out_of_date", "series_current": False, "series_overdue_since": "2026-02-01",
        "series_missing_years": "2025", "series_next_expected_year": 2026,
        "series_next_expected_by": "2027-01-31",
    }  # fmt: skip


def test_the_same_series_on_another_day_is_current(real, today):
    today("2025-06-30")
    body = json.loads(get(api.get_observations, "indicator=poverty_ratio_pct&province=60&from=2024&to=2024"))
    (row,) = body["data"]
    assert body["meta"]["as_of"] == "2025-06-30"
    assert (row["series_latest_year"], row["series_status"], row["series_current"]) == (2024, "current", True)
    assert (row["series_overdue_since"], row["series_next_expected_by"]) == (None, "2026-05-31")


def test_indicators_as_csv_carry_their_calendar_status(real):
    frame = pd.read_csv(io.StringIO(get(api.get_indicators, "format=csv"))).set_index("id")
    pop = frame.loc["population_registered"]
    assert (pop["last_year"], pop["status"], pop["overdue_since"], pop["missing_years"]) == (
        2024,
        "out_of_date",
        "2026-02-01",
        "2025",
    )
    assert pop["next_expected_year"] == 2026
    gpp = frame.loc["gpp_current_mb"]
    assert gpp["status"] == "no_schedule" and pd.isna(gpp["current"]) and pd.isna(gpp["overdue_since"])
