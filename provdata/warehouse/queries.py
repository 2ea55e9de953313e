"""The one place for SQL: typed query functions over the warehouse.

Values are always bound parameters (``$name``); no value is ever formatted into SQL text.
Each function takes the :class:`~provdata.warehouse.db.Warehouse` and plain arguments and returns a
DataFrame (or a dict), so callers can cache on the arguments plus the warehouse build id.
"""

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
       l.license, i.profile_sort, i.kind, i.per_capita_factor, i.per_capita_unit_th, i.per_capita_unit_en,
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


# --- decision views: map, trends, compare ---

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


# --- statistics chart (strategy chain) and readiness ---

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


PLAN_STATUS_SQL = "SELECT link, status, note, updated_at FROM plan_status WHERE province_code = $code"


def plan_status(wh: Warehouse, code: str) -> pd.DataFrame:
    """The progress planners marked on the province's development-plan lines."""
    return wh.query(PLAN_STATUS_SQL, {"code": code})


# --- data exchange: published figures, loads and vintages ---

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
       count(*) OVER () AS total
FROM observation o JOIN area a ON a.code = o.area_code AND a.level = 'province'
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
    """Province figures filtered by indicators and provinces (empty: all) and years; a page and the total."""
    frame = wh.query(
        OBSERVATIONS_SQL,
        {"indicator_ids": list(indicator_ids), "codes": list(codes), "first": first or 0, "last": last or 9999,
         "limit": limit, "offset": offset},
    )  # fmt: skip
    total = int(frame.total.iloc[0]) if len(frame) else 0
    return frame.drop(columns="total"), total


# --- data catalogue and downloads ---

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
