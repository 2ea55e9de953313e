"""The data catalogue and downloads: the catalogue as shown and a download selection's rows and preview.

(Not named ``catalog``: the package re-exports the function :func:`catalog` under that name.)
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from provdata.ui.cached.base import calendar, provinces, today, warehouse
from provdata.ui.cached.convert import _arrow
from provdata.warehouse import queries


@st.cache_data(show_spinner=False, max_entries=4)
def province_years(build: str) -> pd.DataFrame:
    """Every province figure's year (area_code, indicator_id, year): where a series' latest year is read."""
    return queries.province_years(warehouse())


@st.cache_data(show_spinner=False, max_entries=8)
def catalog(build: str, day: str) -> pd.DataFrame:
    """Every indicator with coverage, readiness counts over the 77 provinces and its release calendar on ``day``
    (both languages)."""
    import datetime as dt

    from provdata.views.catalog import build_catalog

    wh = warehouse()
    codes = queries.provinces(wh)["code"].tolist()
    calendar = queries.calendar(wh, dt.date.fromisoformat(day))
    return build_catalog(queries.indicators(wh), queries.province_years(wh), codes, calendar)


@st.cache_data(show_spinner=False, max_entries=64)
def selection(
    build: str, indicator_ids: tuple[str, ...], area_codes: tuple[str, ...], first_year: int, last_year: int
) -> pd.DataFrame:
    return queries.selection(warehouse(), indicator_ids, area_codes, first_year, last_year)


@st.cache_data(show_spinner=False, max_entries=256)
def catalog_table(build: str, theme: str, query: str, day: str, lang: str, era: str):
    """The catalogue as shown (filtered, in the page's language), as a pyarrow Table."""
    from provdata.views import catalog as cat

    return _arrow(cat.catalog_table(cat.filter_catalog(catalog(build, day), theme, query), lang, era))


@st.cache_data(show_spinner=False, max_entries=64)
def selection_rows(
    build: str, indicator_ids: tuple[str, ...], area_codes: tuple[str, ...], first_year: int, last_year: int,
    lang: str, day: str,
) -> pd.DataFrame:  # fmt: skip
    """A download selection's tidy rows (catalog.tidy): what its files hold, each with the latest year of its
    series and whether that is current by the release calendar on ``day`` (``latest_year``, ``status``; dates
    Gregorian like the ``year`` column)."""
    from provdata.views import ages
    from provdata.views import catalog as cat

    rows = selection(build, indicator_ids, area_codes, first_year, last_year)
    data = cat.tidy(rows, catalog(build, today()), provinces(build), lang)  # units only: not dated
    every = province_years(build)
    every = every[every.indicator_id.isin(indicator_ids) & every.area_code.isin(area_codes)]
    return ages.with_status(data, calendar(build, day), lang, "ce", "province_code", every)


@st.cache_data(show_spinner=False, max_entries=128)
def selection_view(
    build: str, indicator_ids: tuple[str, ...], area_codes: tuple[str, ...], first_year: int, last_year: int,
    lang: str, day: str,
) -> dict:  # fmt: skip
    """What the catalogue shows of a download selection: its preview as a pyarrow Table (``preview``), the
    number of rows, indicators and provinces (``rows``, ``indicators``, ``provinces``) and the source ids used
    (``used``). The rows themselves (:func:`selection_rows`) are only read when a file is made."""
    from provdata.views import catalog as cat

    data = selection_rows(build, indicator_ids, area_codes, first_year, last_year, lang, day)
    return {
        "preview": _arrow(cat.preview(data)),
        "rows": len(data),
        "indicators": data.indicator_id.nunique(),
        "provinces": data.province_code.nunique(),
        "used": set(data["source_id"]),
    }
