"""Map: one indicator in one year over the 77 provinces (or the pilots' districts). A static picture first (drawn
in well under 2 s); the interactive map (hover, zoom, click opens a profile) is a switch away."""

import streamlit as st

from provdata.basics.i18n import fmt_value, fmt_year, t
from provdata.ui import cached, frame, markup
from provdata.ui.widgets import choice, disclosure, downloads, indicator_picker, reserve_chart_space, toggle
from provdata.views import figures
from provdata.views.exports import About, about_sources
from provdata.views.maps import PICTURE_HEIGHT

lang, era, build = frame.start()
st.title(t("map.title", lang))
st.caption(t("map.intro", lang))

# Selection
indicators = cached.indicators(build)
left, mid, right = st.columns([3, 2, 2])
with left:
    indicator_id = indicator_picker(indicators, key="indicator", default=figures.MAP_INDICATOR)
ind = cached.indicator(build, indicator_id)
levels = figures.map_levels(ind)
with mid:
    level = choice(
        t("map.level", lang), levels, "level", "province", lambda v: t(f"map.level_{v}", lang), "radio"
    )
years = cached.indicator_years(build, indicator_id, level)["year"].tolist()
if not years:  # an indicator added to the catalog whose figures are not published yet
    st.info(t("map.no_figures_yet", lang, indicator=markup.literal(ind[f"name_{lang}"])))
    st.stop()
with right:
    year = choice(t("views.year", lang), years, "year", years[-1], lambda y: fmt_year(y, era))
can_per_capita = figures.can_per_capita(ind, level)
per_capita = False
if can_per_capita:
    per_capita = toggle(
        t("map.per_capita", lang, unit=ind[f"per_capita_unit_{lang}"]),
        "percap",
        help=t("map.per_capita_help", lang, factor=fmt_value(ind["per_capita_factor"])),
    )
interactive = toggle(t("map.interactive", lang), "interactive", help=t("map.interactive_help", lang))

# Data
view = cached.map_view(build, indicator_id, year, level, per_capita, lang, era, interactive)
if view["no_population"]:
    st.info(t("map.per_capita_missing", lang, year=fmt_year(year, era)))
per_capita, unit, used = view["per_capita"], view["unit"], view["used"]
sources = cached.sources(build)

# Display
legend = view["legend"]
if legend is None:
    st.info(t("map.no_figures", lang, year=fmt_year(year, era)))
    st.stop()
if interactive:
    model = view["model"]
    event = st.pydeck_chart(
        model.deck, on_select="rerun", selection_mode="single-object", key="map_select", height=620
    )
    picked = (event.selection.get("indices", {}) or {}).get("areas") if event and event.selection else None
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
key.caption(t("map.pilots", lang))
key.caption(figures.source_caption(sources, used, year, lang, era))

table = disclosure(t("map.table_title", lang, n=len(view["table"])), "table")
if table.open:  # drawn only when asked for: the grid's JavaScript would delay the map's first draw by 0.4 s
    table.dataframe(view["table_arrow"], hide_index=True, key="map_table")
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
