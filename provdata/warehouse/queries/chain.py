"""SQL: The statistics chart: a province's chain, the years present per indicator, the reference year, plan progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from provdata.strategy.freshness import Calendar
from provdata.warehouse.db import Warehouse

CHAIN_SQL = """
SELECT s.issue_id, s.title_th AS issue_th, s.title_en AS issue_en, s.value_chain_th, s.value_chain_en,
       s.example, c.csf_id, c.title_th AS csf_th, c.title_en AS csf_en,
       l.indicator_id, coalesce(i.name_th, l.needed_th) AS indicator_th,
       coalesce(i.name_en, l.needed_en) AS indicator_en, l.role, l.dataset_th, l.dataset_en,
       l.agency_id, g.short_th AS agency_th, g.short_en AS agency_en,
       l.target_value, l.target_year, l.target_direction, l.target_note_th, l.target_note_en
FROM strategy_issue s
JOIN csf c ON c.province_code = s.province_code AND c.issue_id = s.issue_id
JOIN issue_indicator l ON l.province_code = c.province_code AND l.csf_id = c.csf_id
LEFT JOIN indicator i ON i.id = l.indicator_id
JOIN agency g ON g.id = l.agency_id
WHERE s.province_code = $code
ORDER BY s.sort, c.sort, l.sort
"""

YEARS_PRESENT_SQL = """
SELECT area_code, indicator_id, year FROM observation
WHERE list_contains($codes, area_code) AND list_contains($indicator_ids, indicator_id)
"""

REFERENCE_YEAR_SQL = "SELECT max(year) AS year FROM observation"
YEAR_RANGE_SQL = "SELECT min(year) AS first, max(year) AS last FROM observation"

CHAIN_PROVINCES_SQL = "SELECT DISTINCT province_code FROM strategy_issue ORDER BY province_code"


def chain(wh: Warehouse, code: str) -> pd.DataFrame:
    """A province's chain: one row per indicator link with its issue, CSF, dataset and agency."""
    return wh.query(CHAIN_SQL, {"code": code})


def chain_provinces(wh: Warehouse) -> list[str]:
    return wh.query(CHAIN_PROVINCES_SQL)["province_code"].tolist()


def years_present(wh: Warehouse, codes: Sequence[str], indicator_ids: Sequence[str]) -> pd.DataFrame:
    """Which years have a figure, per area and indicator (the input of readiness)."""
    return wh.query(YEARS_PRESENT_SQL, {"codes": list(codes), "indicator_ids": list(indicator_ids)})


def reference_year(wh: Warehouse) -> int:
    """The latest year of any figure in the warehouse: readiness measures recency from it."""
    return int(wh.query(REFERENCE_YEAR_SQL)["year"].iloc[0])


def year_range(wh: Warehouse) -> tuple[int, int]:
    """The first and the latest year of any figure in the warehouse."""
    row = wh.query(YEAR_RANGE_SQL).iloc[0]
    return int(row["first"]), int(row["last"])


PLAN_STATUS_SQL = "SELECT link, status, note, updated_at FROM plan_status WHERE province_code = $code"


def plan_status(wh: Warehouse, code: str) -> pd.DataFrame:
    """The progress planners marked on the province's development-plan lines."""
    return wh.query(PLAN_STATUS_SQL, {"code": code})


RELEASE_CALENDAR_SQL = """
SELECT c.source_id, s.agency_id, c.periodicity, c.periodicity_from, c.lag_months, c.lag_from, c.note_en
FROM release_calendar c JOIN source s ON s.id = c.source_id ORDER BY c.source_id
"""

# The calendar row that applies to each indicator: that of the source of its latest figure; when that source has
# none (an upload is a source of its own), that of the last of the indicator's shipped sources that has one.
INDICATOR_CALENDAR_SQL = """
WITH latest AS (
    SELECT indicator_id, arg_max(source_id, year) AS source_id FROM observation GROUP BY indicator_id
), chosen AS (
    SELECT i.id AS indicator_id, coalesce(c.source_id, (
        SELECT c2.source_id FROM release_calendar c2
        WHERE list_contains(string_split(i.source_ids, ';'), c2.source_id)
        ORDER BY list_position(string_split(i.source_ids, ';'), c2.source_id) DESC LIMIT 1
    )) AS source_id
    FROM indicator i
    LEFT JOIN latest l ON l.indicator_id = i.id
    LEFT JOIN release_calendar c ON c.source_id = l.source_id
)
SELECT ch.indicator_id, ch.source_id, c.periodicity, c.lag_months
FROM chosen ch LEFT JOIN release_calendar c ON c.source_id = ch.source_id
ORDER BY ch.indicator_id
"""


def release_calendar(wh: Warehouse) -> pd.DataFrame:
    """Every source's release calendar row, with its agency."""
    return wh.query(RELEASE_CALENDAR_SQL)


def calendar(wh: Warehouse, today: dt.date) -> Calendar:
    """Today and the schedule that applies to each indicator (see INDICATOR_CALENDAR_SQL)."""
    return Calendar.from_frame(wh.query(INDICATOR_CALENDAR_SQL), today)
