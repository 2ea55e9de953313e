"""Trends: several provinces on one chart — values, index or yearly change — with medians and breaks."""

import streamlit as st

from provdata.basics.i18n import fmt_year, t
from provdata.ui import cached, frame, markup
from provdata.ui.widgets import choice, downloads, draw, indicator_picker, multi_choice
from provdata.views import figures
from provdata.views.exports import About, about_sources

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
view = cached.trend_view(build, indicator_id, tuple(codes), mode, base, start, end, lang, era)
notes, y_title, used = view["notes"], view["y_title"], view["used"]
sources = cached.sources(build)

# Display
if not codes:
    st.info(t("views.pick_provinces", lang))
    st.stop()
draw(view["chart"], key="trend_chart")
for note in notes:
    st.warning(note)
st.caption(
    t(
        "views.source_caption", lang,
        sources=", ".join(sorted(set(sources.loc[sources.id.isin(used), f"agency_short_{lang}"]))),
        years=f"{fmt_year(years[0], era)}–{fmt_year(years[-1], era)}", era=t(f"app.era_{era}", lang),
        license="; ".join(sorted(set(sources.loc[sources.id.isin(used), "license"]))),
    )
)  # fmt: skip

st.header(t("trends.growth_title", lang))
if start >= end:
    st.info(t("trends.growth_same", lang))
else:
    st.dataframe(view["growth"], hide_index=True, key="growth_table")
about = About(
    title=f"{ind[f'name_{lang}']} ({y_title})"
    + ("" if mode == "absolute" else f" — {t('trends.derived', lang, mode=t(f'trends.mode_{mode}', lang))}"),
    filters={
        t("views.filter_indicator", lang): indicator_id,
        t("views.filter_provinces", lang): ",".join(codes),
        t("views.filter_mode", lang): mode + (f" {base}" if base else ""),
    },
    sources=about_sources(sources, used, lang),
    build_id=build,
    notes=notes,
)
downloads(view["table"], about, f"provdata-trends-{indicator_id}-{mode}", key="trends_dl")
