"""The data exchange's cached reads: the publications, what each changed, and an upload's tables and check."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from provdata.ui.cached.base import indicators, warehouse
from provdata.warehouse import queries


@st.cache_data(show_spinner=False, max_entries=8)
def loads(build: str) -> pd.DataFrame:
    return queries.loads(warehouse())


@st.cache_data(show_spinner=False, max_entries=64)
def load_changes(build: str, load_id: int) -> pd.DataFrame:
    return queries.load_changes(warehouse(), load_id)


@st.cache_data(show_spinner=False, max_entries=8)
def sheet_tables(build: str, data: bytes, file_name: str) -> dict:
    """The province tables of an uploaded file, by sheet (layout recognised, no mapping applied yet)."""
    from provdata.exchange.publish import names
    from provdata.ingest import Options, tables

    return {tb.sheet: tb for tb in tables(data, file_name, Options(), names(), set(indicators(build).id))}


@st.cache_data(show_spinner=False, max_entries=8)
def _upload_check(
    build: str, data: bytes, file_name: str, sheet, year, indicator, maps, where, agency, admin, names=(),
    skip_unmapped=False,
):  # fmt: skip
    from provdata.accounts import Account
    from provdata.exchange import publish
    from provdata.ingest import Options

    options = Options(sheet=sheet, year=year, indicator=indicator, maps=maps, where=where, names=names,
                      agency=agency, skip_unmapped=skip_unmapped)  # fmt: skip
    return publish.check(data, file_name, options, warehouse(), Account("-", agency or "-", admin))


def upload_check(build: str, data: bytes, file_name: str, options, account):
    """Read, map and validate an upload (cached per file, mapping and agency)."""
    return _upload_check(build, data, file_name, options.sheet, options.year, options.indicator, options.maps,
                         options.where, account.agency_id, account.admin, options.names,
                         options.skip_unmapped)  # fmt: skip


@st.cache_data(show_spinner=False, max_entries=16)
def owed(build: str, day: str, lang: str, era: str) -> pd.DataFrame:
    """What each agency owes by the release calendar on ``day`` (views.ages.owed), over the 77 provinces."""
    from provdata.ui.cached.base import calendar, provinces
    from provdata.views import ages, figures

    names = figures.area_names(provinces(build), lang)
    years = queries.province_years(warehouse())
    return ages.owed(years, indicators(build), names, calendar(build, day), lang, era)
