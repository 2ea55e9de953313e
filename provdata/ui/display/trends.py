"""The trends page's display: the chart with its notes and sources, the growth table, the downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from provdata.basics.i18n import fmt_year, licence_text, t
from provdata.ui.widgets import downloads, draw
from provdata.views.exports import About, about_sources


def chart(view: dict, sources: pd.DataFrame, years: list, lang: str, era: str) -> None:
    """The lines (cached.trend_view's spec), a warning per series break and the sources' caption."""
    notes, used = view["notes"], view["used"]
    draw(view["chart"], key="trend_chart")
    for note in notes:
        st.warning(note)
    if view["stale"]:
        st.caption("  \n".join(f"⚠ {line}" for line in view["stale"]))
    if view["survey"]:
        st.caption(f"⚠ {view['survey']}")
    st.caption(
        t(
            "views.source_caption", lang,
            sources=", ".join(sorted(set(sources.loc[sources.id.isin(used), f"agency_short_{lang}"]))),
            years=f"{fmt_year(years[0], era)}–{fmt_year(years[-1], era)}", era=t(f"app.era_{era}", lang),
            license=licence_text("; ".join(sorted(set(sources.loc[sources.id.isin(used), "license"]))), lang),
        )
    )  # fmt: skip


def growth(view: dict, start: int, end: int, lang: str) -> None:
    """The growth table from ``start`` to ``end`` (a note instead when they are the same year)."""
    st.header(t("trends.growth_title", lang))
    if start >= end:
        st.info(t("trends.growth_same", lang))
    else:
        st.dataframe(view["growth"], hide_index=True, key="growth_table")


def files(
    view: dict, ind: pd.Series, indicator_id: str, codes: list[str], mode: str, base, sources: pd.DataFrame,
    lang: str, build: str,
) -> None:  # fmt: skip
    """The lines as CSV, Excel and CSV with metadata, with what they show."""
    notes, y_title, used = view["notes"], view["y_title"], view["used"]
    about = About(
        title=f"{ind[f'name_{lang}']} ({y_title})"
        + (
            ""
            if mode == "absolute"
            else f" — {t('trends.derived', lang, mode=t(f'trends.mode_{mode}', lang))}"
        ),
        filters={
            t("views.filter_indicator", lang): indicator_id,
            t("views.filter_provinces", lang): ",".join(codes),
            t("views.filter_mode", lang): mode + (f" {base}" if base else ""),
        },
        sources=about_sources(sources, used, lang),
        build_id=build,
        notes=[*notes, *view["stale"]],
    )
    downloads(view["table"], about, f"provdata-trends-{indicator_id}-{mode}", key="trends_dl")
