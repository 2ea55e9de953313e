"""SQL: The data catalogue and its downloads: years per province, a selection of figures."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from provdata.warehouse.db import Warehouse

PROVINCE_YEARS_SQL = """
SELECT o.area_code, o.indicator_id, o.year
FROM observation o JOIN area a ON a.code = o.area_code
WHERE a.level = 'province'
ORDER BY o.indicator_id, o.area_code, o.year
"""

SELECTION_SQL = """
SELECT o.indicator_id, o.area_code, o.year, o.value, o.source_id
FROM observation o JOIN area a ON a.code = o.area_code
WHERE a.level = 'province'
  AND list_contains($indicator_ids, o.indicator_id)
  AND list_contains($area_codes, o.area_code)
  AND o.year BETWEEN $first_year AND $last_year
ORDER BY o.indicator_id, o.area_code, o.year
"""


def province_years(wh: Warehouse) -> pd.DataFrame:
    """Which years have a province figure, for every province and indicator (readiness of the catalogue)."""
    return wh.query(PROVINCE_YEARS_SQL)


def selection(
    wh: Warehouse, indicator_ids: Sequence[str], area_codes: Sequence[str], first_year: int, last_year: int
) -> pd.DataFrame:
    """Province figures of the given indicators and provinces from ``first_year`` to ``last_year``, exact."""
    return wh.query(
        SELECTION_SQL,
        {
            "indicator_ids": list(indicator_ids),
            "area_codes": list(area_codes),
            "first_year": int(first_year),
            "last_year": int(last_year),
        },
    )
