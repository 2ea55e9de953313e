"""The data catalogue page's display: the catalogue as filtered, the download's choice of indicators (with the
button that takes the filtered ones), what the selection holds, and its files."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from provdata.basics import config
from provdata.basics.i18n import fmt_date, fmt_year, t
from provdata.ui import cached
from provdata.ui.widgets import download_button, multi_choice
from provdata.views import ages, catalog
from provdata.views.exports import About, about_sources, data_package, to_csv, to_excel, to_parquet


def catalogue(
    full: pd.DataFrame,
    shown: pd.DataFrame,
    theme: str,
    query: str,
    day: str,
    build: str,
    lang: str,
    era: str,
) -> None:
    """How many indicators the filters show, the catalogue's table of them, and how readiness is counted."""
    st.caption(t("catalog.shown", lang, shown=len(shown), total=len(full)))
    if shown.empty:
        st.info(t("catalog.none_found", lang))
    else:
        st.dataframe(
            cached.catalog_table(build, theme, query, day, lang, era), hide_index=True, key="catalog_table"
        )
    today = dt.date.fromisoformat(day)
    st.caption(
        t("catalog.readiness_note", lang, years=config.READY_MIN_CONSECUTIVE_YEARS,
          oldest=fmt_year(today.year - config.READY_MAX_AGE_YEARS, era), today=fmt_date(today, lang, era))
    )  # fmt: skip


def indicator_choice(full: pd.DataFrame, shown: pd.DataFrame, filtered: bool, lang: str) -> list[str]:
    """The indicators to download (``?indicators=``), and a button that takes the ones the filters show;
    by default the shown ones when filtered, else the first."""
    ids = full["id"].tolist()
    shown_ids = shown["id"].tolist()
    names = dict(zip(ids, full[f"theme_{lang}"] + " · " + full[f"name_{lang}"], strict=True))

    def _use_shown() -> None:
        st.session_state["indicators"] = ",".join(shown_ids)

    st.button(t("catalog.use_filtered", lang, n=len(shown_ids)), key="use_filtered", on_click=_use_shown,
              disabled=not shown_ids)  # fmt: skip
    return multi_choice(
        t("catalog.indicators", lang), ids, "indicators", shown_ids if filtered else shown_ids[:1] or ids[:1],
        names.__getitem__,
    )  # fmt: skip


def about(
    picked: list[str], cohort: str, codes: list[str], first: int, last: int, sources: pd.DataFrame, used: set,
    build: str, lang: str, day: str,
) -> About:  # fmt: skip
    """What a selection's files say they hold (and what their ``latest_year`` and ``status`` columns mean)."""
    province_filter = t("catalog.all_provinces", lang) if cohort == "all" else ",".join(codes)
    return About(
        title=t("catalog.file_title", lang),
        filters={
            t("catalog.filter_indicators", lang): ",".join(picked),
            t("catalog.filter_provinces", lang): province_filter,
            t("catalog.filter_years", lang): f"{first}–{last}",
        },
        sources=about_sources(sources, used, lang),
        build_id=build,
        notes=[ages.readme_line(cached.calendar(build, day), lang, "ce")],
    )


def selection(view: dict, first: int, last: int, lang: str, era: str) -> None:
    """What the selection holds, and its preview."""
    st.caption(
        t("catalog.selection_summary", lang, rows=f"{view['rows']:,}", indicators=view["indicators"],
          provinces=view["provinces"], first=fmt_year(first, era), last=fmt_year(last, era),
          era=t(f"app.era_{era}", lang))
    )  # fmt: skip
    st.dataframe(view["preview"], hide_index=True, key="selection_table")


def files(
    selected: tuple, about: About, stem: str, full: pd.DataFrame, picked: list[str], sources: pd.DataFrame,
    used: set, lang: str,
) -> None:  # fmt: skip
    """The selection as CSV, Excel, Parquet and a data package; its rows are read when a file is made."""

    def rows():
        """The selection's rows, read when a file is made (cached.selection_rows)."""
        return cached.selection_rows(*selected)

    b1, b2, b3, b4 = st.columns(4)
    download_button(
        b1, t("catalog.download_csv", lang), data=lambda: to_csv(rows(), about), file_name=f"{stem}.csv",
        mime="text/csv", key="dl_csv", width="stretch",
    )  # fmt: skip
    download_button(
        b2, t("catalog.download_xlsx", lang), data=lambda: to_excel(rows(), about), file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl_xlsx", width="stretch",
    )  # fmt: skip
    download_button(
        b3, t("catalog.download_parquet", lang), data=lambda: to_parquet(rows(), about), file_name=f"{stem}.parquet",
        mime="application/vnd.apache.parquet", key="dl_parquet", width="stretch",
    )  # fmt: skip
    download_button(
        b4, t("catalog.download_package", lang),
        data=lambda: data_package(
            rows(), about, catalog.indicator_metadata(full, picked), sources[sources.id.isin(used)], lang, stem
        ),
        file_name=f"{stem}.zip", mime="application/zip", key="dl_package", width="stretch",
        help=t("catalog.package_help", lang),
    )  # fmt: skip
