"""The compare page's display: the score heatmap and its sources, the tables, the downloads and slides."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from provdata.basics.i18n import fmt_year, licence_text, t
from provdata.reports import deck
from provdata.reports.slides import comparison_slides
from provdata.ui import cached
from provdata.ui.widgets import download_button, downloads, draw
from provdata.views.exports import About, about_sources


def heatmap(view: dict, sources: pd.DataFrame, lang: str, era: str) -> None:
    """The provinces × indicators heatmap of scores (cached.compare_view's spec), its rule and its sources."""
    used = view["used"]
    # its box scrolls sideways on a phone (provdata/ui/style.py): the cells keep their size, the page its width
    draw(view["heatmap"], st.container(key="compare_heatmap_box"), key="compare_heatmap", width="content")
    st.caption(t("compare.score_rule", lang))
    if view["stale"]:
        st.caption("  \n".join(f"⚠ {line}" for line in view["stale"]))
    if view["survey"]:
        st.caption("  \n".join(f"⚠ {line}" for line in view["survey"]))
    st.caption(
        t(
            "views.source_caption", lang,
            sources=", ".join(sorted(set(sources.loc[sources.id.isin(used), f"agency_short_{lang}"]))),
            years=", ".join(sorted({fmt_year(y, era) for y in view["cells"].year})), era=t(f"app.era_{era}", lang),
            license=licence_text("; ".join(sorted(set(sources.loc[sources.id.isin(used), "license"]))), lang),
        )
    )  # fmt: skip


def tables(view: dict, lang: str) -> None:
    """The targets (when the provinces' chains have any), ranks and latest values."""
    if view["targets_table"] is not None:
        st.header(t("chart.target_title", lang))
        st.dataframe(view["targets_table"], hide_index=True, key="compare_targets")
    st.header(t("compare.ranks_title", lang))
    st.dataframe(view["ranks_table"], hide_index=True, key="compare_ranks")
    st.header(t("compare.values_title", lang))
    st.dataframe(view["values_table"], hide_index=True, key="compare_values")


def files(
    view: dict, theme: str, theme_names: dict, theme_ids: tuple[str, ...], codes: list[str], names: dict,
    indicators: pd.DataFrame, sources: pd.DataFrame, lang: str, era: str, build: str,
) -> None:  # fmt: skip
    """The values as files, the comparison as PowerPoint slides, and a link to present it."""
    used = view["used"]
    about = About(
        title=f"{t('compare.title', lang)}: {theme_names[theme]}",
        filters={t("compare.theme", lang): theme, t("views.filter_provinces", lang): ",".join(codes)},
        sources=about_sources(sources, used, lang),
        build_id=build,
    )
    downloads(view["values"], about, f"provdata-compare-{theme}", key="compare_dl")
    left, right = st.columns(2)
    download_button(
        left,
        t("compare.pptx", lang),
        data=lambda: deck.province_deck(
            comparison_slides(
                theme_names[theme],
                codes,
                names,
                cached.level_series(build, theme_ids, "province"),
                indicators,
                lang,
                era,
                cached.calendar(build, cached.today()),
            ),
            lang,
            era,
            build,
            f"{theme} · {','.join(codes)}",
        ),
        file_name=f"provdata-compare-{theme}-{lang}.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        key="compare_pptx",
        width="stretch",
    )
    with right:
        st.page_link(
            "pages/present.py", label=t("nav.present", lang), icon=":material/slideshow:",
            query_params={"theme": theme, "provinces": ",".join(codes), "slide": "1", "lang": lang, "era": era},
        )  # fmt: skip
