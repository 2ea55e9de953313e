"""SQL: what the follow-up register reads from the warehouse: medians of a year's figures per group of provinces
(the flags' comparison), the indicators' direction and kind, and the latest figures with their load (a review)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from provdata.warehouse.db import Warehouse

# The median of each indicator's figures per year, among the pilot provinces and among all provinces.
MEDIANS_SQL = """
SELECT o.indicator_id, o.year, 'pilot' AS cohort, median(o.value) AS median, count(*) AS n
FROM observation o JOIN area a ON a.code = o.area_code AND a.level = 'province' AND a.cohort = 'pilot'
WHERE list_contains($indicator_ids, o.indicator_id)
GROUP BY o.indicator_id, o.year
UNION ALL
SELECT o.indicator_id, o.year, 'all' AS cohort, median(o.value) AS median, count(*) AS n
FROM observation o JOIN area a ON a.code = o.area_code AND a.level = 'province'
WHERE list_contains($indicator_ids, o.indicator_id)
GROUP BY o.indicator_id, o.year
ORDER BY indicator_id, year, cohort
"""

INDICATOR_RULES_SQL = """
SELECT id, name_th, name_en, unit_th, unit_en, higher_is_better, kind, definition_th, definition_en, agency_id
FROM indicator WHERE list_contains($indicator_ids, id) ORDER BY id
"""

# Each indicator's figures in one province with the load that published each (a new vintage is a new load).
PROVINCE_FIGURES_SQL = """
SELECT o.indicator_id, o.area_code, o.year, o.value, o.load_id, o.source_id
FROM observation o
WHERE o.area_code = $code AND list_contains($indicator_ids, o.indicator_id)
ORDER BY o.indicator_id, o.year
"""

AGENCIES_SQL = "SELECT id, short_th, short_en, name_th, name_en FROM agency ORDER BY id"


def medians(wh: Warehouse, indicator_ids: Sequence[str]) -> pd.DataFrame:
    """``indicator_id``, ``year``, ``cohort`` ("pilot" | "all"), ``median``, ``n`` (provinces with a figure)."""
    return wh.query(MEDIANS_SQL, {"indicator_ids": list(indicator_ids)})


def indicator_rules(wh: Warehouse, indicator_ids: Sequence[str]) -> pd.DataFrame:
    """The indicators' names, units, direction (``higher_is_better``), kind and definition (with its caveat)."""
    return wh.query(INDICATOR_RULES_SQL, {"indicator_ids": list(indicator_ids)})


def province_figures(wh: Warehouse, code: str, indicator_ids: Sequence[str]) -> pd.DataFrame:
    """The current figures of ``indicator_ids`` in province ``code``, with the load of each."""
    return wh.query(PROVINCE_FIGURES_SQL, {"code": code, "indicator_ids": list(indicator_ids)})


def agencies(wh: Warehouse) -> pd.DataFrame:
    """The reference agency list (an action's owner is one of them)."""
    return wh.query(AGENCIES_SQL)
