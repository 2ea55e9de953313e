"""The profile page's cached views: the cards, sparklines and table of a province, and one indicator's history."""

from __future__ import annotations

import streamlit as st

from provdata.ui.cached.base import (
    calendar,
    chain,
    headlines,
    indicator,
    indicators,
    province,
    series,
    sources,
)
from provdata.ui.cached.convert import _arrow, _spec


@st.cache_data(show_spinner=False, max_entries=256)
def profile_view(build: str, code: str, lang: str, era: str, day: str):
    """The profile page of one province apart from its history section: (profile.ProfileView, the cards'
    sparklines by indicator id as (SVG, text alternative), the all-indicators table as a pyarrow Table). Every
    frame the page would otherwise filter, sort and convert on each run (a third of its run, py-spy) is made
    here once."""
    from provdata.basics.i18n import t
    from provdata.strategy import statchart
    from provdata.views import charts
    from provdata.views.exports import about_sources
    from provdata.views.profile import ProfileView, headline_cards, headline_ids, indicator_table

    indicators_ = indicators(build)
    all_ids = tuple(indicators_["id"])
    headlines_ = headlines(build, code, all_ids)
    card_ids = headline_ids(indicators_, headlines_)
    series_ = series(build, all_ids, (code,))
    cal = calendar(build, day)
    cards = headline_cards(headlines_, indicators_, series_, province(build, code), lang, era, card_ids, cal)
    table = indicator_table(headlines_, indicators_, lang, era, cal)
    view = ProfileView(
        cards=cards,
        table=table,
        targets=statchart.target_progress(chain(build, code), series_, code, cal),
        first_card=card_ids[0],
        sources=about_sources(sources(build), set(series_.source_id), lang),
        agencies=", ".join(sorted(set(indicators_[f"agency_short_{lang}"]))),
    )
    sparks = {
        card.indicator_id: (
            charts.sparkline(card.trend),
            t("profile.sparkline", lang, indicator=card.label, n=len(card.trend), year=card.year),
        )
        for card in cards
        if len(card.trend) > 1
    }
    return view, sparks, _arrow(table)


@st.cache_data(show_spinner=False, max_entries=512)
def profile_history(build: str, code: str, indicator_id: str, lang: str, era: str, day: str):
    """The profile's history of one indicator: (profile.History, its line chart's spec), or None when the
    province has no figure of it. Its caption ends with "out of date: …" when the release calendar on ``day``
    expects a figure after the latest one."""
    import dataclasses

    from provdata.basics.i18n import fmt_year, t
    from provdata.views import ages
    from provdata.views.profile import history

    indicators_ = indicators(build)
    series_ = series(build, tuple(indicators_["id"]), (code,))
    one = history(
        series_[series_.indicator_id == indicator_id],
        indicator(build, indicator_id),
        sources(build),
        province(build, code)[f"name_{lang}"],
        lang,
        era,
    )
    if one is None:
        return None
    latest = int(series_[series_.indicator_id == indicator_id]["year"].max())
    stale = ages.mark(ages.status(calendar(build, day), indicator_id, latest), lang, era)
    if stale:
        one = dataclasses.replace(one, caption=f"{one.caption} ⚠ {fmt_year(latest, era)}: {stale}")
    return one, _spec("series_line", one.chart_frame, one.chart_title, one.unit, t("profile.col_year", lang))
