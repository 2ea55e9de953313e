"""Widgets shared by pages. Each choice is kept in the URL and across pages (see state.bind)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from provdata.i18n import t
from provdata.ui import state


def province_picker(provinces: pd.DataFrame, key: str = "province") -> str:
    """Pick one of the 77 provinces (pilots first, marked ★); kept in ``?province=``.

    The widget's key is ``province.th`` or ``province.en``.
    """
    lang = state.lang()
    codes = provinces["code"].tolist()
    names = dict(zip(codes, provinces[f"name_{lang}"], strict=True))
    pilots = set(provinces.loc[provinces.cohort == "pilot", "code"])
    widget_key, rejected = state.bind(key, codes, codes[0])
    st.selectbox(
        t("profile.province", lang),
        options=codes,
        format_func=lambda c: f"{'★ ' if c in pilots else ''}{names[c]} ({c})",
        key=widget_key,
        on_change=state.copy_back,
        args=(key, widget_key),
    )
    choice = st.session_state[key]
    if rejected is not None:
        st.warning(t("app.bad_param", lang, param=key, value=rejected, used=names[choice]))
    state.keep_in_url(key)
    return choice


def indicator_picker(indicators: pd.DataFrame, key: str = "indicator", default: str | None = None) -> str:
    """Pick one indicator (theme · name); kept in ``?<key>=``; widget key ``<key>.<lang>``."""
    lang = state.lang()
    ids = indicators["id"].tolist()
    labels = dict(zip(ids, indicators[f"theme_{lang}"] + " · " + indicators[f"name_{lang}"], strict=True))
    widget_key, rejected = state.bind(key, ids, default or ids[0])
    st.selectbox(
        t("profile.history_indicator", lang),
        options=ids,
        format_func=labels.__getitem__,
        key=widget_key,
        on_change=state.copy_back,
        args=(key, widget_key),
    )
    choice = st.session_state[key]
    if rejected is not None:
        st.warning(t("app.bad_param", lang, param=key, value=rejected, used=labels[choice]))
    state.keep_in_url(key)
    return choice
