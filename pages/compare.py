"""Compare: chosen provinces × a theme's indicators — scores that respect direction, ranks, values, and
the provinces most like a chosen one."""

import streamlit as st

from provdata.basics.i18n import t
from provdata.ui import cached, frame
from provdata.ui.display import compare as show
from provdata.ui.widgets import choice, multi_choice, province_picker
from provdata.views import figures

lang, era, build = frame.start()
st.title(t("compare.title", lang))
st.caption(t("compare.intro", lang))

# Selection
indicators = cached.indicators(build)
provinces = cached.provinces(build)
names = figures.area_names(provinces, lang)
pilots = sorted(provinces.loc[provinces.cohort == "pilot", "code"])
themes = indicators.drop_duplicates("theme")[["theme", f"theme_{lang}"]]
theme_names = dict(zip(themes.theme, themes[f"theme_{lang}"], strict=True))
left, right = st.columns([1, 3])
with left:
    theme = choice(t("compare.theme", lang), list(theme_names), "theme", "economy", theme_names.__getitem__)
with right:
    codes = multi_choice(t("views.provinces", lang), provinces.code.tolist(), "provinces", pilots,
                         lambda c: f"{names[c]} ({c})")  # fmt: skip

# Data
theme_ids = tuple(indicators.loc[indicators.theme == theme, "id"])
view = cached.compare_view(build, theme, tuple(codes), lang, era, cached.today())
sources = cached.sources(build)

# Display
if not codes:
    st.info(t("views.pick_provinces", lang))
    st.stop()
if view["cells"].empty:
    st.info(t("compare.no_data", lang))
    st.stop()
show.heatmap(view, sources, lang, era)
show.tables(view, lang)
show.files(view, theme, theme_names, theme_ids, codes, names, indicators, sources, lang, era, build)

st.header(t("compare.similar_title", lang))
st.caption(t("compare.similar_intro", lang))
mine = province_picker(provinces, key="province")
st.dataframe(cached.similar_provinces(build, theme_ids, mine, lang), hide_index=True, key="similar_table")
