"""Data catalogue and downloads: every indicator with its metadata and readiness; any selection as files."""

import streamlit as st

from provdata.basics import config
from provdata.basics.i18n import fmt_year, t
from provdata.ui import cached, frame
from provdata.ui.display import catalog as show
from provdata.ui.widgets import choice, text_filter
from provdata.views import catalog

lang, era, build = frame.start()
st.title(t("catalog.title", lang))
st.caption(t("catalog.intro", lang))

# Selection: the catalogue's filters
day = cached.today()
full = cached.catalog(build, day)
themes = catalog.themes(full, lang)
left, right = st.columns([1, 2])
with left:
    theme = choice(t("catalog.theme", lang), ["all", *themes], "theme", "all",
                   lambda v: t("catalog.theme_all", lang) if v == "all" else themes[v])  # fmt: skip
with right:
    query = text_filter(t("catalog.search", lang), "q", t("catalog.search_placeholder", lang))

# Data
shown = catalog.filter_catalog(full, theme, query)

# Display: the catalogue
show.catalogue(full, shown, theme, query, day, build, lang, era)

# Selection: what to download
st.header(t("catalog.download_title", lang))
st.caption(t("catalog.download_intro", lang))
filtered = theme != "all" or bool(query.strip())
picked = show.indicator_choice(full, shown, filtered, lang)
if not picked:
    st.info(t("catalog.pick_indicators", lang))
    st.stop()
provinces = cached.provinces(build)
c1, c2, c3 = st.columns([2, 1, 1])
with c1:
    cohort = choice(t("catalog.provinces", lang), ["all", "pilot"], "cohort", "all",
                    lambda v: t(f"catalog.provinces_{v}", lang), kind="radio")  # fmt: skip
years = catalog.selection_years(full, picked)
with c2:
    first = choice(t("catalog.year_from", lang), years, "from", years[0], lambda y: fmt_year(y, era))
with c3:
    last = choice(t("catalog.year_to", lang), years, "to", years[-1], lambda y: fmt_year(y, era))
first, last = min(first, last), max(first, last)
codes = provinces["code"].tolist() if cohort == "all" else list(config.PILOT_PROVINCES)

# Data: the selection (its rows are read only when a file is made: cached.selection_rows)
selected = (build, tuple(picked), tuple(codes), first, last, lang, cached.today())
view = cached.selection_view(*selected)
sources = cached.sources(build)
about = show.about(picked, cohort, codes, first, last, sources, view["used"], build, lang, selected[-1])
stem = f"provdata-{len(picked)}-indicators-{cohort}-{first}-{last}"

# Display: the selection and its files
if not view["rows"]:
    st.info(t("catalog.no_rows", lang))
    st.stop()
show.selection(view, first, last, lang, era)
show.files(selected, about, stem, full, picked, sources, view["used"], lang)
