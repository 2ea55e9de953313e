"""Documents made from the warehouse: presenter mode's slides and the development plan PDF of a province."""

from __future__ import annotations

import streamlit as st

from provdata.ui.cached.base import calendar, headlines, indicators, province, series, warehouse
from provdata.warehouse import queries


@st.cache_data(show_spinner=False, max_entries=256)
def province_slides(build: str, code: str, lang: str, era: str, day: str):
    """Presenter mode's slides of one province (years marked out of date by the release calendar on ``day``)."""
    from provdata.reports.slides import province_slides as slides

    indicators_ = indicators(build)
    ids = tuple(indicators_["id"])
    return slides(
        province(build, code),
        headlines(build, code, ids),
        indicators_,
        series(build, ids, (code,)),
        lang,
        era,
        calendar(build, day),
    )


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
