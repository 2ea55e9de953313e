"""SQL: The decision views' figures: a year's values of an indicator, its years, series by level, series breaks, areas."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from provdata.warehouse.db import Warehouse

YEAR_VALUES_SQL = """
SELECT o.area_code, o.value, o.source_id
FROM observation o JOIN area a ON a.code = o.area_code
WHERE o.indicator_id = $indicator_id AND o.year = $year AND a.level = $level
ORDER BY o.area_code
"""

INDICATOR_YEARS_SQL = """
SELECT o.year, count(*) AS n_areas
FROM observation o JOIN area a ON a.code = o.area_code
WHERE o.indicator_id = $indicator_id AND a.level = $level
GROUP BY o.year
ORDER BY o.year
"""

LEVEL_SERIES_SQL = """
SELECT o.indicator_id, o.area_code, o.year, o.value, o.source_id
FROM observation o JOIN area a ON a.code = o.area_code
WHERE list_contains($indicator_ids, o.indicator_id) AND a.level = $level
ORDER BY o.indicator_id, o.area_code, o.year
"""

SERIES_BREAKS_SQL = """
SELECT indicator_id, last_year_before, first_year_after, note_th, note_en
FROM series_break ORDER BY indicator_id, last_year_before
"""

LEVELS = ("province", "district")


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")


def indicator_years(wh: Warehouse, indicator_id: str, level: str = "province") -> pd.DataFrame:
    """The years an indicator has figures at a level, with how many areas each year."""
    _check_level(level)
    return wh.query(INDICATOR_YEARS_SQL, {"indicator_id": indicator_id, "level": level})


def year_values(wh: Warehouse, indicator_id: str, year: int, level: str = "province") -> pd.DataFrame:
    """Every area's figure of one indicator in one year (areas without a figure are absent)."""
    _check_level(level)
    return wh.query(YEAR_VALUES_SQL, {"indicator_id": indicator_id, "year": year, "level": level})


def level_series(wh: Warehouse, indicator_ids: Sequence[str], level: str = "province") -> pd.DataFrame:
    """All years of the given indicators for every area of a level."""
    _check_level(level)
    return wh.query(LEVEL_SERIES_SQL, {"indicator_ids": list(indicator_ids), "level": level})


def series_breaks(wh: Warehouse) -> pd.DataFrame:
    """Known breaks in series (e.g. the Labour Force Survey re-weighting between 2013 and 2014)."""
    return wh.query(SERIES_BREAKS_SQL)


AREAS_SQL = """
SELECT code, parent, name_th, name_en, region, region_th, cohort
FROM area WHERE level = $level ORDER BY code
"""


def areas(wh: Warehouse, level: str = "province") -> pd.DataFrame:
    """Every area of a level with names, parent province, region and cohort."""
    _check_level(level)
    return wh.query(AREAS_SQL, {"level": level})
