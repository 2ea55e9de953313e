"""Trends: several provinces on one chart — values, index or yearly change — with medians and breaks."""

import streamlit as st

from provdata.basics.i18n import fmt_year, t
from provdata.ui import cached, frame, markup
from provdata.ui.display import trends as show
from provdata.ui.widgets import choice, indicator_picker, multi_choice
from provdata.views import figures

lang, era, build = frame.start()
st.title(t("trends.title", lang))
st.caption(t("trends.intro", lang))

# Selection
indicators = cached.indicators(build)
provinces = cached.provinces(build)
names = figures.area_names(provinces, lang)
pilots = set(provinces.loc[provinces.cohort == "pilot", "code"])
left, right = st.columns([2, 3])
with left:
    indicator_id = indicator_picker(indicators, key="indicator", default=figures.MAP_INDICATOR)
with right:
    codes = multi_choice(
        t("views.provinces", lang), provinces.code.tolist(), "provinces", sorted(pilots),
        lambda c: f"{names[c]} ({c})",
    )  # fmt: skip
ind = cached.indicator(build, indicator_id)
years = cached.indicator_years(build, indicator_id, "province")["year"].tolist()
if not years:  # an indicator added to the catalog whose figures are not published yet
    st.info(t("trends.no_figures_yet", lang, indicator=markup.literal(ind[f"name_{lang}"])))
    st.stop()
c1, c2, c3, c4 = st.columns(4)
with c1:
    mode = choice(t("trends.mode", lang), ["absolute", "index", "change"], "mode", "absolute",
                  lambda m: t(f"trends.mode_{m}", lang))  # fmt: skip
with c2:
    base = (
        choice(t("trends.base_year", lang), years, "base", years[0], lambda y: fmt_year(y, era))
        if mode == "index"
        else None
    )
with c3:
    start = choice(t("trends.growth_from", lang), years, "from", years[0], lambda y: fmt_year(y, era))
with c4:
    end = choice(t("trends.growth_to", lang), years, "to", years[-1], lambda y: fmt_year(y, era))

# Data
view = cached.trend_view(build, indicator_id, tuple(codes), mode, base, start, end, lang, era, cached.today())
sources = cached.sources(build)

# Display
if not codes:
    st.info(t("views.pick_provinces", lang))
    st.stop()
show.chart(view, sources, years, lang, era)
show.growth(view, start, end, lang)
show.files(view, ind, indicator_id, codes, mode, base, sources, lang, build)
