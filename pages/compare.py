"""Compare: chosen provinces × a theme's indicators — scores that respect direction, ranks, values, and
the provinces most like a chosen one."""

import streamlit as st

from provdata.basics.i18n import t
from provdata.reports import deck
from provdata.reports.slides import comparison_slides
from provdata.ui import cached, frame
from provdata.ui.widgets import choice, download_button, downloads, draw, multi_choice, province_picker
from provdata.views import figures
from provdata.views.exports import About, about_sources

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
view = cached.compare_view(build, theme, tuple(codes), lang, era)
sources = cached.sources(build)
used = view["used"]

# Display
if not codes:
    st.info(t("views.pick_provinces", lang))
    st.stop()
if view["cells"].empty:
    st.info(t("compare.no_data", lang))
    st.stop()
draw(view["heatmap"], key="compare_heatmap")
st.caption(t("compare.score_rule", lang))
st.caption(
    t(
        "views.source_caption", lang,
        sources=", ".join(sorted(set(sources.loc[sources.id.isin(used), f"agency_short_{lang}"]))),
        years=", ".join(sorted(set(view["cells"].year_label))), era=t(f"app.era_{era}", lang),
        license="; ".join(sorted(set(sources.loc[sources.id.isin(used), "license"]))),
    )
)  # fmt: skip
if view["targets_table"] is not None:
    st.header(t("chart.target_title", lang))
    st.dataframe(view["targets_table"], hide_index=True, key="compare_targets")
st.header(t("compare.ranks_title", lang))
st.dataframe(view["ranks_table"], hide_index=True, key="compare_ranks")
st.header(t("compare.values_title", lang))
st.dataframe(view["values_table"], hide_index=True, key="compare_values")
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

st.header(t("compare.similar_title", lang))
st.caption(t("compare.similar_intro", lang))
mine = province_picker(provinces, key="province")
st.dataframe(cached.similar_provinces(build, theme_ids, mine, lang), hide_index=True, key="similar_table")
