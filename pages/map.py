"""Map: one indicator in one year over the 77 provinces (or the districts that have figures). A static picture
first (drawn in well under 2 s); the interactive map (hover, zoom, click opens a profile) is a switch away."""

import streamlit as st

from provdata.basics.i18n import fmt_value, fmt_year, t
from provdata.ui import cached, frame, markup
from provdata.ui.display import map as show
from provdata.ui.widgets import choice, indicator_picker, toggle
from provdata.views import figures

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
view = cached.map_view(build, indicator_id, year, level, per_capita, lang, era, interactive, cached.today())
if view["no_population"]:
    st.info(t("map.per_capita_missing", lang, year=fmt_year(year, era)))
sources = cached.sources(build)

# Display
if view["legend"] is None:
    st.info(t("map.no_figures", lang, year=fmt_year(year, era)))
    st.stop()
show.choropleth(view, interactive, level, sources, year, lang, era)
show.data_table(view, lang)
show.files(view, ind, indicator_id, year, level, sources, lang, era, build)
