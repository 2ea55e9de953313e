"""SQL: The data exchange: published figures, loads, what a load changed, vintages, observations for the API."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from provdata.warehouse.db import Warehouse

PUBLISHED_SQL = """
SELECT o.indicator_id, o.area_code, o.year, o.value
FROM observation o JOIN area a ON a.code = o.area_code AND a.level = 'province'
WHERE list_contains($indicator_ids, o.indicator_id)
"""

LOADS_SQL = """
SELECT l.id, l.file_name, l.sha256, l.rows_in, l.rows_accepted, l.rows_rejected, l.loaded_by, l.loaded_at,
       l.note, l.agency_id, g.short_th AS agency_short_th, g.short_en AS agency_short_en, l.license,
       l.status, l.rolled_back_by, l.rolled_back_at,
       (SELECT count(*) FROM observation o WHERE o.load_id = l.id) AS rows_current
FROM load l LEFT JOIN agency g ON g.id = l.agency_id
ORDER BY l.id DESC
"""

# The figures a load published, each with the value it replaced (NULL: a new figure) and whether it is
# still the current value.
LOAD_CHANGES_SQL = """
WITH mine AS (
    SELECT indicator_id, area_code, year, value, TRUE AS current FROM observation WHERE load_id = $load_id
    UNION ALL
    SELECT indicator_id, area_code, year, value, FALSE AS current FROM observation_vintage WHERE load_id = $load_id
)
SELECT m.indicator_id, m.area_code, a.name_th, a.name_en, m.year, v.value AS previous, m.value, m.current,
       v.load_id AS previous_load
FROM mine m
JOIN area a ON a.code = m.area_code
LEFT JOIN observation_vintage v
       ON v.replaced_by = $load_id AND v.indicator_id = m.indicator_id AND v.area_code = m.area_code
      AND v.year = m.year
ORDER BY m.indicator_id, m.area_code, m.year
"""

VINTAGES_SQL = """
SELECT indicator_id, area_code, year, value, load_id, replaced_by FROM observation_vintage
WHERE indicator_id = $indicator_id AND list_contains($area_codes, area_code)
ORDER BY area_code, year, load_id
"""


def published(wh: Warehouse, indicator_ids: Sequence[str]) -> pd.DataFrame:
    """Current province figures of the given indicators (what an upload is checked against)."""
    return wh.query(PUBLISHED_SQL, {"indicator_ids": list(indicator_ids)})


def loads(wh: Warehouse) -> pd.DataFrame:
    """Every load (the shipped seed files and each publication), newest first, with its status."""
    return wh.query(LOADS_SQL)


def load_changes(wh: Warehouse, load_id: int) -> pd.DataFrame:
    """What a load changed: each figure it published with the value it replaced."""
    return wh.query(LOAD_CHANGES_SQL, {"load_id": int(load_id)})


def vintages(wh: Warehouse, indicator_id: str, area_codes: Sequence[str]) -> pd.DataFrame:
    """Earlier values of an indicator's figures, replaced by later loads."""
    return wh.query(VINTAGES_SQL, {"indicator_id": indicator_id, "area_codes": list(area_codes)})


OBSERVATIONS_SQL = """
SELECT o.indicator_id, o.area_code AS province_code, o.year, o.value, o.source_id, o.load_id,
       l.series_latest_year, count(*) OVER () AS total
FROM observation o JOIN area a ON a.code = o.area_code AND a.level = 'province'
JOIN (SELECT indicator_id, area_code, max(year) AS series_latest_year FROM observation GROUP BY ALL) l
  ON l.indicator_id = o.indicator_id AND l.area_code = o.area_code
WHERE (len($indicator_ids) = 0 OR list_contains($indicator_ids, o.indicator_id))
  AND (len($codes) = 0 OR list_contains($codes, o.area_code))
  AND o.year BETWEEN $first AND $last
ORDER BY o.indicator_id, o.area_code, o.year
LIMIT $limit OFFSET $offset
"""


def observations(
    wh: Warehouse,
    indicator_ids: Sequence[str],
    codes: Sequence[str],
    first: int | None,
    last: int | None,
    limit: int,
    offset: int,
) -> tuple[pd.DataFrame, int]:
    """Province figures filtered by indicators and provinces (empty: all) and years, each with the latest year of
    its series (``series_latest_year``, whatever the filter); a page and the total."""
    frame = wh.query(
        OBSERVATIONS_SQL,
        {"indicator_ids": list(indicator_ids), "codes": list(codes), "first": first or 0, "last": last or 9999,
         "limit": limit, "offset": offset},
    )  # fmt: skip
    total = int(frame.total.iloc[0]) if len(frame) else 0
    return frame.drop(columns="total"), total
