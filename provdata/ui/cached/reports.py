"""Documents made from the warehouse: presenter mode's slides (one HTML block with every slide and its chart
drawn ahead) and the development plan PDF of a province."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from provdata.ui.cached.base import (
    calendar,
    headlines,
    indicators,
    level_series,
    province,
    provinces,
    series,
    warehouse,
)
from provdata.warehouse import queries


@st.cache_data(show_spinner=False, max_entries=256)
def province_slides(build: str, code: str, lang: str, era: str, day: str, version: str = ""):
    """Presenter mode's slides of one province (years marked out of date by the release calendar on ``day``),
    and for a province with a statistics chart one slide of its open actions (the follow-up register at
    ``version``)."""
    from provdata.reports.slides import actions_slide
    from provdata.reports.slides import province_slides as slides
    from provdata.ui.cached.base import chain
    from provdata.ui.cached.follow import follow_up

    indicators_ = indicators(build)
    ids = tuple(indicators_["id"])
    out = slides(
        province(build, code),
        headlines(build, code, ids),
        indicators_,
        series(build, ids, (code,)),
        lang,
        era,
        calendar(build, day),
    )
    if not chain(build, code).empty:
        out.append(actions_slide(follow_up(build, code, day, lang, era, version), lang, era))
    return out


def _deck(slides, lang: str, exit_url: str) -> str:
    from provdata.reports import stage

    charts = [stage.chart_svg(s, lang, f"pd{i}-") for i, s in enumerate(slides, 1)]
    return stage.deck_html(slides, lang, charts, 1, exit_url)


@st.cache_data(show_spinner=False, max_entries=64)
def province_deck(build: str, code: str, lang: str, era: str, day: str, version: str = "") -> str:
    """Presenter mode's slides of one province as one HTML block; "leave" goes to the province's profile."""
    return _deck(
        province_slides(build, code, lang, era, day, version),
        lang,
        "./?" + urlencode({"province": code, "lang": lang, "era": era}),
    )


@st.cache_data(show_spinner=False, max_entries=64)
def comparison_deck(build: str, theme: str, codes: tuple[str, ...], lang: str, era: str, day: str) -> str:
    """Presenter mode's slides of a comparison (a theme, some provinces); "leave" goes back to the comparison."""
    from provdata.reports.slides import comparison_slides
    from provdata.views.figures import area_names

    ind = indicators(build)
    theme_name = dict(zip(ind.theme, ind[f"theme_{lang}"], strict=False))[theme]
    ids = tuple(ind.loc[ind.theme == theme, "id"])
    slides = comparison_slides(
        theme_name, list(codes), area_names(provinces(build), lang), level_series(build, ids, "province"), ind,
        lang, era, calendar(build, day),
    )  # fmt: skip
    query = {"theme": theme, "provinces": ",".join(codes), "lang": lang, "era": era}
    return _deck(slides, lang, "./compare?" + urlencode(query))


@st.cache_data(show_spinner=False, max_entries=32)
def plan_pdf(build: str, code: str, day: str, lang: str, era: str) -> bytes:
    """The development plan PDF of a province (rebuilt when the warehouse changes)."""
    import datetime as dt

    from provdata.basics.i18n import t
    from provdata.reports.plan import plan_pdf as plan_document
    from provdata.strategy import statchart

    wh = warehouse()
    cal = queries.calendar(wh, dt.date.fromisoformat(day))
    chain = queries.chain(wh, code)
    years = queries.years_present(wh, [code], statchart.chain_indicators(chain))
    chained = statchart.with_readiness(chain, years, code, cal)
    plan = statchart.development_plan(chained, lang, era, cal, queries.plan_status(wh, code))
    name = queries.provinces(wh).set_index("code").loc[code, f"name_{lang}"]
    rule = statchart.rule_text(cal, lang, era)
    example = t("chart.example", lang, province=name) if chain.example.any() else None
    return plan_document(plan, name, lang, rule, example, build)


@st.cache_resource(show_spinner=False)
def report_queue():
    """The process's report makers: a bounded pool, a line with places, and the made reports kept per build and
    request (provdata/reports/queue.py)."""
    from provdata.reports.queue import from_config

    return from_config()
