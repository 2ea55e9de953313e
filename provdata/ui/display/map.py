"""The map page's display: the static picture or the interactive map with its legend, the table, the downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from provdata.basics.i18n import fmt_year, t
from provdata.ui import markup
from provdata.ui.scripts import reserve_chart_space
from provdata.ui.widgets import disclosure, downloads
from provdata.views import figures
from provdata.views.exports import About, about_sources
from provdata.views.maps import PICTURE_HEIGHT


def choropleth(
    view: dict, interactive: bool, level: str, sources: pd.DataFrame, year: int, lang: str, era: str
) -> None:
    """The map (a click on an area of the interactive one opens its province's profile), its legend and captions."""
    legend, unit, used = view["legend"], view["unit"], view["used"]
    if interactive:
        model = view["model"]
        event = st.pydeck_chart(
            model.deck, on_select="rerun", selection_mode="single-object", key="map_select", height=620
        )
        picked = (
            (event.selection.get("indices", {}) or {}).get("areas") if event and event.selection else None
        )
        if picked:
            code = model.codes[picked[0]]
            province = code if level == "province" else code[:2]
            st.switch_page("pages/profile.py", query_params={"province": province, "lang": lang, "era": era})
        key = st.container()
    else:
        reserve_chart_space({"map_picture": PICTURE_HEIGHT})  # its room before the picture is drawn (no jump)
        picture, key = st.columns([3, 2])
        picture.container(key="map_picture").image(view["picture"], alt=view["alt"])

    # st.html, not Markdown with HTML: Markdown's HTML parser is 190 KB more JavaScript before the picture is drawn
    key.html(figures.legend_html(legend, unit, lang))
    key.caption(t("map.shown_year", lang, year=view["year_text"]))
    if view["survey"]:
        key.caption(f"⚠ {view['survey']}")
    key.caption(t("map.pilots", lang))
    key.caption(figures.source_caption(sources, used, year, lang, era))
    area(
        view["areas"], level, key, lang, era
    )  # last in its column: the legend stays where the first view drew it


def area(areas: dict, level: str, where, lang: str, era: str) -> None:
    """The map's areas without a mouse: pick one (type to search) to read its figure, rank and year, with a
    link to its province's profile: what hovering and clicking the interactive map give."""
    code = where.selectbox(
        t("map.area_pick", lang), list(areas), index=None, format_func=lambda c: areas[c][0],
        placeholder=t("map.area_placeholder", lang), key=f"map_area_{level}_{lang}",
    )  # fmt: skip
    if code is None:
        return
    name, line, rank = areas[code]
    where.markdown(
        f"**{markup.literal(name)}**: {markup.literal(line)}" + (f" · {markup.literal(rank)}" if rank else "")
    )
    where.page_link(
        "pages/profile.py", label=t("map.area_profile", lang), icon=":material/location_city:",
        query_params={"province": code if level == "province" else code[:2], "lang": lang, "era": era},
    )  # fmt: skip


def data_table(view: dict, lang: str) -> None:
    """The map's rows behind a disclosure, drawn only when it is open."""
    table = disclosure(t("map.table_title", lang, n=len(view["table"])), "table")
    # drawn only when asked for: the grid's JavaScript would delay the map's first draw by 0.4 s
    if table.open:
        table.dataframe(view["table_arrow"], hide_index=True, key="map_table")


def files(
    view: dict, ind: pd.Series, indicator_id: str, year: int, level: str, sources: pd.DataFrame, lang: str,
    era: str, build: str,
) -> None:  # fmt: skip
    """The map's rows as CSV, Excel and CSV with metadata, with what they show."""
    per_capita, unit, used = view["per_capita"], view["unit"], view["used"]
    about = About(
        title=f"{ind[f'name_{lang}']} ({unit})" + (f" — {t('map.derived', lang)}" if per_capita else ""),
        filters={
            t("views.filter_indicator", lang): indicator_id,
            t("views.filter_year", lang): fmt_year(year, era),
            t("map.level", lang): level,
            t("map.per_capita", lang, unit=unit): "1" if per_capita else "0",
        },
        sources=about_sources(sources, used, lang),
        build_id=build,
    )
    downloads(view["table"], about, f"provdata-map-{indicator_id}-{year}-{level}", key="map_dl")
