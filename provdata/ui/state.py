"""Session state that lives in the URL, so that every view has a link that reproduces it.

A choice ``k`` is seeded once per session from ``?k=…`` (when the value is valid) and written back
to the URL on every run. Choices whose option labels are translated live in a plain session key
``k`` (kept across pages) and are shown by a widget keyed ``k.<lang>.<era>``: a new widget per
language and era, because a widget keeps showing its old labels when only its format_func changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from provdata.basics.i18n import LANGS, default_era


def seed_from_url(key: str, options: Sequence[str], default: str) -> str | None:
    """Put the URL's value of ``key`` (or ``default``) in session state if not there yet.

    Returns the URL's value when it was not one of ``options`` (so the page can say so).
    """
    rejected = None
    if key not in st.session_state:
        raw = st.query_params.get(key)
        if raw is not None and raw not in options:
            rejected = raw
        st.session_state[key] = raw if raw in options else default
    return rejected


def keep_in_url(*keys: str) -> None:
    """Write the current value of each key to the URL."""
    for key in keys:
        value = st.session_state.get(key)
        if value is not None and st.query_params.get(key) != str(value):
            st.query_params[key] = str(value)


def seed_language() -> None:
    seed_from_url("lang", LANGS, "th")
    seed_from_url("era", ("be", "ce"), default_era(st.session_state["lang"]))


def lang() -> str:
    return st.session_state.get("lang", "th")


def era() -> str:
    return st.session_state.get("era", default_era(lang()))


def follow_language() -> None:
    """on_change of the language switch: years follow the language (พ.ศ. in Thai, ค.ศ. in English)."""
    st.session_state["era"] = default_era(st.session_state["lang"])


def bind(key: str, options: Sequence[str], default: str) -> tuple[str, str | None]:
    """Seed ``key`` from the URL and return (widget key for the current language, rejected URL value).

    Give the widget ``key=<widget key>, on_change=state.copy_back, args=(key, <widget key>)``.
    """
    if default not in options:  # e.g. a warehouse without the usual default indicator
        default = options[0]
    rejected = seed_from_url(key, options, default)
    if st.session_state[key] not in options:
        st.session_state[key] = default
    widget_key = f"{key}.{lang()}.{era()}"
    st.session_state[widget_key] = st.session_state[key]
    return widget_key, rejected


def copy_back(key: str, widget_key: str) -> None:
    """on_change of a bound widget: the widget's value becomes the choice."""
    st.session_state[key] = st.session_state[widget_key]
