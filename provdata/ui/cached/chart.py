"""The statistics chart page's cached views (strategy chain and readiness) of one province."""

from __future__ import annotations

import streamlit as st

from provdata.ui.cached.base import (
    calendar,
    chain,
    chain_provinces,
    plan_status,
    provinces,
    series,
    years_present,
)
from provdata.ui.cached.convert import _arrow


@st.cache_data(show_spinner=False, max_entries=256)
def chart_view(build: str, code: str, day: str, lang: str, era: str):
    """The chart page's tables for one province (statchart.chart_view), once per build, province and language."""
    from provdata.strategy import statchart

    chain_ = chain(build, code)
    codes = chain_provinces(build)
    ids = tuple(statchart.chain_indicators(chain_))
    return statchart.chart_view(
        chain_, years_present(build, tuple(codes), ids), series(build, ids, (code,)), plan_status(build, code),
        codes, code, calendar(build, day), lang, era,
    )  # fmt: skip


@st.cache_data(show_spinner=False, max_entries=256)
def chart_shown(build: str, code: str, day: str, lang: str, era: str, version: str = "") -> dict:
    """What the chart page draws of :func:`chart_view`, made once per view: each issue's graph as DOT source
    (``graphs``: [(issue id, DOT)]),
    and as pyarrow Tables the targets (``targets``), the plan (``plan``) and the provinces × indicators grid of
    grades (``grid``); each indicator node carries its flags and open actions (the follow-up register at
    ``version``); ``overdue``: a line per agency of the datasets overdue by the release calendar on ``day``. Writing the DOT and converting the three tables were half of the page's run (py-spy)."""
    from provdata.basics.i18n import t
    from provdata.strategy import graph, statchart
    from provdata.ui.cached.follow import follow_marks
    from provdata.views import ages, figures, follow

    view = chart_view(build, code, day, lang, era)
    chain_ = chain(build, code)
    marks = {i: follow.mark_text(f, a, lang) for i, (f, a) in follow_marks(build, code, day, version).items()}
    names = figures.area_names(provinces(build), lang)
    grid = statchart.readiness_grid(view.matrix, names, statchart.chain_labels(chain_, lang)).rename_axis(
        t("views.col_area", lang)
    )
    return {
        "graphs": [
            (issue, graph.dot(rows, lang, era, marks)) for issue, rows in graph.by_issue(view.chained)
        ],
        "overdue": ages.agency_lines(view.chained, lang, era) if not view.chained.empty else [],
        "targets": _arrow(view.targets),
        "plan": None if view.plan is None else _arrow(view.plan),
        "grid": _arrow(grid),
    }


@st.cache_data(show_spinner=False, max_entries=1024)
def readiness_why(
    build: str, code: str, why_code: str, indicator_id: str, day: str, lang: str, era: str
) -> str:
    """The chart page's line saying why one dataset of province ``code``'s chain has its grade in ``why_code``
    (working it out took a quarter of the page's run)."""
    from provdata.strategy import statchart
    from provdata.views import figures

    chain_ = chain(build, code)
    ids = tuple(statchart.chain_indicators(chain_))
    return statchart.why_line(
        chain_, years_present(build, tuple(chain_provinces(build)), ids), why_code, indicator_id,
        figures.area_names(provinces(build), lang), statchart.chain_labels(chain_, lang),
        calendar(build, day), lang, era,
    )  # fmt: skip
