"""The warehouse handle, its build id and the tables every page reads, each cached per build.

Data functions take the warehouse build id as their first argument, so a newly published warehouse gets fresh
results without clearing anything.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from provdata.basics import config
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse


@st.cache_resource(show_spinner=False)
def _warehouse(path: str) -> Warehouse:
    """One read-only warehouse handle per process and file (a cursor per query inside)."""
    return Warehouse(path)


def warehouse() -> Warehouse:
    return _warehouse(str(config.warehouse_path()))


def build_id() -> str:
    """The published build; raises WarehouseMissing/WarehouseCorrupt when it cannot be read."""
    return warehouse().build_id


@st.cache_data(show_spinner=False, max_entries=8)
def meta(build: str) -> dict:
    return queries.meta(warehouse())


@st.cache_data(show_spinner=False, max_entries=8)
def provinces(build: str) -> pd.DataFrame:
    return queries.provinces(warehouse())


@st.cache_data(show_spinner=False, max_entries=8)
def indicators(build: str) -> pd.DataFrame:
    return queries.indicators(warehouse())


@st.cache_data(show_spinner=False, max_entries=8)
def sources(build: str) -> pd.DataFrame:
    return queries.sources(warehouse())


@st.cache_data(show_spinner=False, max_entries=512)
def headlines(build: str, code: str, indicator_ids: tuple[str, ...]) -> pd.DataFrame:
    return queries.headlines(warehouse(), code, indicator_ids)


@st.cache_data(show_spinner=False, max_entries=512)
def series(build: str, indicator_ids: tuple[str, ...], area_codes: tuple[str, ...]) -> pd.DataFrame:
    return queries.series(warehouse(), indicator_ids, area_codes)


# --- decision views: map, trends, compare ---


@st.cache_data(show_spinner=False, max_entries=256)
def indicator_years(build: str, indicator_id: str, level: str) -> pd.DataFrame:
    return queries.indicator_years(warehouse(), indicator_id, level)


@st.cache_data(show_spinner=False, max_entries=64)
def level_series(build: str, indicator_ids: tuple[str, ...], level: str) -> pd.DataFrame:
    return queries.level_series(warehouse(), indicator_ids, level)


@st.cache_data(show_spinner=False, max_entries=8)
def series_breaks(build: str) -> pd.DataFrame:
    return queries.series_breaks(warehouse())


@st.cache_data(show_spinner=False, max_entries=512)
def year_values(build: str, indicator_id: str, year: int, level: str) -> pd.DataFrame:
    return queries.year_values(warehouse(), indicator_id, year, level)


@st.cache_data(show_spinner=False, max_entries=8)
def areas(build: str, level: str) -> pd.DataFrame:
    return queries.areas(warehouse(), level)


# --- statistics chart (strategy chain) and readiness ---


@st.cache_data(show_spinner=False, max_entries=128)
def chain(build: str, code: str) -> pd.DataFrame:
    return queries.chain(warehouse(), code)


@st.cache_data(show_spinner=False, max_entries=8)
def chain_provinces(build: str) -> list[str]:
    return queries.chain_provinces(warehouse())


@st.cache_data(show_spinner=False, max_entries=64)
def years_present(build: str, codes: tuple[str, ...], indicator_ids: tuple[str, ...]) -> pd.DataFrame:
    return queries.years_present(warehouse(), codes, indicator_ids)


@st.cache_data(show_spinner=False, max_entries=1024)
def province(build: str, code: str) -> dict:
    """One province's row of :func:`provinces` as a dict (names, region, cohort). Cached: indexing the table
    on every run cost a few ms a page."""
    return provinces(build).set_index("code").loc[code].to_dict()


@st.cache_data(show_spinner=False, max_entries=1024)
def indicator(build: str, indicator_id: str) -> pd.Series:
    """One indicator's row of :func:`indicators` (names, unit, direction, per-capita factor…)."""
    return indicators(build).set_index("id").loc[indicator_id]


@st.cache_data(show_spinner=False, max_entries=8)
def reference_year(build: str) -> int:
    return queries.reference_year(warehouse())


@st.cache_data(show_spinner=False, max_entries=8)
def calendar(build: str, day: str):
    """Today (``day``, ISO, from ``provdata.basics.clock``) and each indicator's release schedule: what readiness,
    targets and the plan are judged against. Keyed by the day, so a page run after midnight judges afresh."""
    import datetime as dt

    return queries.calendar(warehouse(), dt.date.fromisoformat(day))


def today() -> str:
    """Today's date (``provdata.basics.clock``) as the ISO key the cached views take."""
    from provdata.basics import clock

    return clock.today().isoformat()


@st.cache_data(show_spinner=False, max_entries=128)
def plan_status(build: str, code: str) -> pd.DataFrame:
    return queries.plan_status(warehouse(), code)
