"""SQL: Areas, indicators, sources, series and the profile's headline figures."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from provdata.basics.errors import UnknownArea
from provdata.warehouse.db import Warehouse

META_SQL = "SELECT schema_version, build_id, built_at, inputs_sha256, synthetic FROM meta"

PROVINCES_SQL = """
SELECT code, name_th, name_en, region, region_th, cohort, area_km2, alt_names
FROM area
WHERE level = 'province'
ORDER BY cohort = 'pilot' DESC, code
"""

INDICATORS_SQL = """
WITH coverage AS (
    SELECT indicator_id,
           min(year) AS first_year,
           max(year) AS last_year,
           count(DISTINCT area_code) FILTER (WHERE a.level = 'province') AS n_provinces,
           count(DISTINCT area_code) FILTER (WHERE a.level = 'district') AS n_districts
    FROM observation o JOIN area a ON a.code = o.area_code
    GROUP BY indicator_id
),
licences AS (
    SELECT i.id AS indicator_id, string_agg(DISTINCT s.license, '; ') AS license
    FROM indicator i, unnest(string_split(i.source_ids, ';')) AS u(source_id)
    JOIN source s ON s.id = u.source_id
    GROUP BY i.id
)
SELECT i.id, i.name_th, i.name_en, i.unit_th, i.unit_en, i.theme,
       t.name_th AS theme_th, t.name_en AS theme_en,
       i.definition_th, i.definition_en, i.aggregation, i.higher_is_better, i.frequency,
       i.source_ids, i.agency_id,
       g.short_th AS agency_short_th, g.short_en AS agency_short_en,
       g.name_th AS agency_name_th, g.name_en AS agency_name_en,
       l.license, i.profile_sort, i.profile_card, i.kind, i.per_capita_factor, i.per_capita_unit_th, i.per_capita_unit_en,
       c.first_year, c.last_year, coalesce(c.n_provinces, 0) AS n_provinces, coalesce(c.n_districts, 0) AS n_districts
FROM indicator i
JOIN theme t ON t.id = i.theme
JOIN agency g ON g.id = i.agency_id
LEFT JOIN licences l ON l.indicator_id = i.id
LEFT JOIN coverage c ON c.indicator_id = i.id
ORDER BY t.sort, i.profile_sort NULLS LAST, i.id
"""

SERIES_SQL = """
SELECT o.indicator_id, o.area_code, o.year, o.value, o.source_id
FROM observation o
WHERE list_contains($indicator_ids, o.indicator_id)
  AND list_contains($area_codes, o.area_code)
ORDER BY o.indicator_id, o.area_code, o.year
"""

# For one province: each indicator's latest year there, its value, the value of the year before,
# and its rank that year among all provinces and among the pilots. Rank 1 is the best where the
# indicator has a direction, else the largest.
HEADLINES_SQL = """
WITH wanted AS (
    SELECT unnest($indicator_ids::VARCHAR[]) AS indicator_id
),
latest AS (
    SELECT o.indicator_id, max(o.year) AS year
    FROM observation o SEMI JOIN wanted w ON w.indicator_id = o.indicator_id
    WHERE o.area_code = $code AND o.year <= $as_of
    GROUP BY o.indicator_id
),
ranked AS (
    SELECT o.indicator_id, o.area_code, o.year, o.value, o.source_id, a.cohort,
           rank() OVER w_all AS rank_all,
           count(*) OVER (PARTITION BY o.indicator_id) AS n_all,
           rank() OVER w_cohort AS rank_cohort,
           count(*) FILTER (WHERE a.cohort = 'pilot') OVER (PARTITION BY o.indicator_id) AS n_pilot_with_data
    FROM observation o
    JOIN latest l ON l.indicator_id = o.indicator_id AND l.year = o.year
    JOIN area a ON a.code = o.area_code AND a.level = 'province'
    JOIN indicator i ON i.id = o.indicator_id
    WINDOW w_all AS (PARTITION BY o.indicator_id ORDER BY CASE WHEN i.higher_is_better = FALSE THEN o.value ELSE -o.value END),
           w_cohort AS (PARTITION BY o.indicator_id, a.cohort = 'pilot'
                        ORDER BY CASE WHEN i.higher_is_better = FALSE THEN o.value ELSE -o.value END)
)
SELECT r.indicator_id, r.year, r.value,
       prev.year AS prev_year, prev.value AS prev_value,
       r.rank_all, r.n_all,
       CASE WHEN r.cohort = 'pilot' THEN r.rank_cohort END AS rank_pilot,
       r.n_pilot_with_data,
       r.source_id
FROM ranked r
LEFT JOIN observation prev
       ON prev.indicator_id = r.indicator_id AND prev.area_code = r.area_code
      AND prev.year = r.year - 1
WHERE r.area_code = $code
"""


SOURCES_SQL = """
SELECT s.id, s.agency_id, s.title_th, s.title_en, s.upstream, s.license, s.notes,
       g.short_th AS agency_short_th, g.short_en AS agency_short_en
FROM source s JOIN agency g ON g.id = s.agency_id
ORDER BY s.id
"""


def meta(wh: Warehouse) -> dict:
    return wh.query(META_SQL).iloc[0].to_dict()


def provinces(wh: Warehouse) -> pd.DataFrame:
    """The 77 provinces, pilots first, each with Thai/English name, region and cohort."""
    return wh.query(PROVINCES_SQL)


def indicators(wh: Warehouse) -> pd.DataFrame:
    """Every indicator with its names, unit, theme, agency, licence and coverage."""
    return wh.query(INDICATORS_SQL)


def sources(wh: Warehouse) -> pd.DataFrame:
    """Every upstream source with its agency, title and licence."""
    return wh.query(SOURCES_SQL)


def series(wh: Warehouse, indicator_ids: Sequence[str], area_codes: Sequence[str]) -> pd.DataFrame:
    """Observations of the given indicators and areas, ordered by indicator, area and year."""
    return wh.query(SERIES_SQL, {"indicator_ids": list(indicator_ids), "area_codes": list(area_codes)})


def headlines(wh: Warehouse, code: str, indicator_ids: Sequence[str], as_of: int = 9999) -> pd.DataFrame:
    """Latest value (up to year ``as_of``), previous-year value and ranks of each indicator for one province.

    Indicators without any figure for the province are absent from the result; callers say
    "no data" for them.
    """
    if not (wh.query("SELECT 1 FROM area WHERE code = $code AND level = 'province'", {"code": code})).size:
        raise UnknownArea(f"no province with code {code!r}", code=code)
    frame = wh.query(HEADLINES_SQL, {"code": code, "indicator_ids": list(indicator_ids), "as_of": as_of})
    return frame.astype({"year": "int64", "rank_all": "int64", "n_all": "int64"})
