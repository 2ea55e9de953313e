"""The compare page's cached views: its computed tables, per theme, provinces, language and era, and the
provinces most like a chosen one."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from provdata.ui.cached.base import calendar, chain, indicators, level_series, provinces
from provdata.ui.cached.convert import _arrow, _spec


@st.cache_data(show_spinner=False, max_entries=64)
def compare_view(build: str, theme: str, codes: tuple[str, ...], lang: str, era: str, day: str) -> dict:
    """The compare page of one theme and set of provinces, made once per view: ``cells`` (score cells),
    ``heatmap`` (their chart's spec), ``stale`` (a line per indicator whose figure compared is out of date by
    the release calendar on ``day``), ``values`` (latest values, for the downloads), ``ranks``, ``values`` and
    ``targets`` as pyarrow Tables under ``*_table`` (``targets_table`` None without targets), the ``used``
    source ids. Converting the ranks table to Arrow alone was a third of the page's run when st.dataframe did
    it on every run (py-spy)."""
    from provdata.basics.i18n import t
    from provdata.views import ages, figures

    indicators_ = indicators(build)
    theme_ids = tuple(indicators_.loc[indicators_.theme == theme, "id"])
    theme_name = indicators_.loc[indicators_.theme == theme, f"theme_{lang}"].iloc[0]
    series = level_series(build, theme_ids, "province")
    names = figures.area_names(provinces(build), lang)
    cal = calendar(build, day)
    cells, ranks, values = figures.compare_view(series, list(codes), indicators_, names, lang, era, cal)
    chains = {c: chain(build, c) for c in codes}
    targets = figures.compare_targets(chains, series, names, cal, lang, era)
    stale = []
    if not cells.empty:
        shown = cells.drop_duplicates("indicator_id")
        years = dict(zip(shown.indicator_id, [int(y) for y in shown.year], strict=True))
        stale = ages.stale_lines(
            years, dict(zip(shown.indicator_id, shown.indicator, strict=True)), cal, lang, era
        )
    heatmap = None
    if not cells.empty:
        heatmap = _spec(
            "score_heatmap", cells, t("compare.heatmap_title", lang, theme=theme_name), t("views.col_area", lang),
            t("views.indicator", lang), t("compare.score", lang), t("compare.value", lang),
            t("views.col_year", lang), t("compare.rank", lang),
        )  # fmt: skip
    return {
        "cells": cells,
        "stale": stale,
        "survey": figures.survey_lines(indicators_, cells.indicator_id if not cells.empty else [], lang),
        "heatmap": heatmap,
        "values": values,
        "ranks_table": _arrow(ranks),
        "values_table": _arrow(values),
        "targets_table": None if targets.empty else _arrow(targets),
        "used": set(series.loc[series.area_code.isin(codes), "source_id"]),
    }


@st.cache_data(show_spinner=False, max_entries=256)
def similar_provinces(build: str, theme_ids: tuple[str, ...], code: str, lang: str) -> pd.DataFrame:
    from provdata.views import figures

    names = figures.area_names(provinces(build), lang)
    return figures.similar_provinces(level_series(build, theme_ids, "province"), code, names, 5, lang)
