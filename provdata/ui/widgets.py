"""Widgets shared by pages, each keyed and kept in the URL."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from provdata.i18n import t
from provdata.ui import state


def province_picker(provinces: pd.DataFrame, key: str = "province") -> str:
    """Pick one of the 77 provinces (pilots first, marked ★); the choice is kept in ``?province=``."""
    lang = state.lang()
    codes = provinces["code"].tolist()
    names = dict(zip(codes, provinces[f"name_{lang}"], strict=True))
    pilots = set(provinces.loc[provinces.cohort == "pilot", "code"])
    rejected = state.seed_from_url(key, codes, codes[0])
    choice = st.selectbox(
        t("profile.province", lang),
        options=codes,
        format_func=lambda c: f"{'★ ' if c in pilots else ''}{names[c]} ({c})",
        key=key,
    )
    if rejected is not None:
        st.warning(t("app.bad_param", lang, param=key, value=rejected, used=names[choice]))
    state.keep_in_url(key)
    return choice


def indicator_picker(indicators: pd.DataFrame, key: str = "indicator", default: str | None = None) -> str:
    """Pick one indicator (grouped by theme in the label); the choice is kept in ``?<key>=``."""
    lang = state.lang()
    ids = indicators["id"].tolist()
    labels = {row.id: f"{row[f'theme_{lang}']} · {row[f'name_{lang}']}" for _, row in indicators.iterrows()}
    rejected = state.seed_from_url(key, ids, default or ids[0])
    choice = st.selectbox(
        t("profile.history_indicator", lang), options=ids, format_func=labels.__getitem__, key=key
    )
    if rejected is not None:
        st.warning(t("app.bad_param", lang, param=key, value=rejected, used=labels[choice]))
    state.keep_in_url(key)
    return choice
