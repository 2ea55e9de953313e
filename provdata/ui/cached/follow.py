"""The follow-up page's cached view of one province: flags, actions and review lines (views.follow)."""

from __future__ import annotations

import streamlit as st

from provdata.ui.cached.base import warehouse


@st.cache_data(show_spinner=False, max_entries=16)
def agencies(build: str):
    """The reference agency list (an action's owner)."""
    from provdata.warehouse import queries

    return queries.agencies(warehouse())


def follow_version() -> str:
    """The register's fingerprint now (exchange.actions.version; not cached: a write on any host changes it)."""
    from provdata.exchange import actions

    return actions.version()


@st.cache_data(show_spinner=False, max_entries=256)
def follow_up(build: str, code: str, day: str, lang: str, era: str, version: str):
    """views.follow.follow_up, once per build, province, day, language and version of the register (``version``:
    :func:`follow_version`, so a new or changed action is shown at once on every host)."""
    import datetime as dt

    from provdata.views import follow

    return follow.follow_up(warehouse(), code, dt.date.fromisoformat(day), lang, era)


@st.cache_data(show_spinner=False, max_entries=256)
def follow_marks(build: str, code: str, day: str, version: str) -> dict[str, tuple[int, int]]:
    """indicator id → (flags, open actions) of province ``code``: the marks of the profile's cards and the chart's
    nodes."""
    from provdata.views import follow

    return follow.marks(follow_up(build, code, day, "en", "ce", version))
