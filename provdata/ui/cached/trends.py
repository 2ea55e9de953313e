"""The trends page's cached view: the lines, reference medians and growth table of a view."""

from __future__ import annotations

import streamlit as st

from provdata.ui.cached.base import calendar, indicator, level_series, provinces, series_breaks
from provdata.ui.cached.convert import _arrow, _spec


@st.cache_data(show_spinner=False, max_entries=256)
def trend_view(build: str, indicator_id: str, codes: tuple[str, ...], mode: str, base, start, end, lang: str,
               era: str, day: str) -> dict:  # fmt: skip
    """The trends page of one indicator, provinces and mode, made once per view: the chart's spec (``chart``)
    and its y title (``y_title``), the series-break ``notes``, the growth table as a pyarrow Table (``growth``),
    the lines as a table for the downloads (``table``), the source ids ``used`` and ``stale`` (a line per latest
    year of the chosen provinces that the release calendar on ``day`` calls out of date)."""
    from provdata.basics.i18n import fmt_year, t
    from provdata.views import ages, figures

    ind = indicator(build, indicator_id)
    country = level_series(build, (indicator_id,), "province")
    provs = provinces(build)
    names = figures.area_names(provs, lang)
    pilots = set(provs.loc[provs.cohort == "pilot", "code"])
    breaks = series_breaks(build)
    breaks = breaks[breaks.indicator_id == indicator_id]
    lines, refs, rules, notes = figures.trend_view(
        country, list(codes), names, pilots, mode, base, breaks, lang, era
    )
    growth = figures.growth_table(country, start, end, {c: names[c] for c in codes}, lang, era)
    y_title = {
        "absolute": ind[f"unit_{lang}"],
        "index": t("trends.y_index", lang, year=fmt_year(base, era)) if base else "",
        "change": t("trends.y_change", lang),
    }[mode]
    chart = _spec(
        "trend_chart", lines, refs, rules, t("trends.chart_title", lang, indicator=ind[f"name_{lang}"]), y_title,
        t("views.col_year", lang), t("views.col_area", lang),
    )  # fmt: skip
    chosen = country[country.area_code.isin(codes)]
    latest = chosen.groupby("area_code")["year"].max().to_dict()
    stale = ages.area_lines(indicator_id, latest, names, calendar(build, day), lang, era)
    return {
        "stale": stale,
        "survey": figures.survey_caveat(ind, lang),
        "chart": chart,
        "y_title": y_title,
        "notes": notes,
        "growth": _arrow(growth),
        "table": figures.trend_table(lines, refs, lang),
        "used": set(country.loc[country.area_code.isin(codes), "source_id"]),
    }
