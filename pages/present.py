"""Presenter mode: full screen, large numbers and charts, no sidebar or chrome; ◀ ▶ through the slides of
a province (?province=60&slide=3) or of a comparison (?theme=economy&provinces=14,60&slide=2)."""

import streamlit as st

from provdata import views
from provdata.charts import bars, series_line
from provdata.i18n import t
from provdata.slides import comparison_slides, province_slides
from provdata.ui import cached, frame, state

lang, era, build = frame.start()
frame.hide_chrome()

# Selection
provinces = cached.provinces(build)
codes = provinces.code.tolist()
state.seed_from_url("province", codes, codes[0])
code = st.session_state["province"] if st.session_state["province"] in codes else codes[0]

indicators = cached.indicators(build)
themes = dict(zip(indicators.theme, indicators[f"theme_{lang}"], strict=False))
theme = st.query_params.get("theme")
chosen = [c for c in (st.query_params.get("provinces") or "").split(",") if c in codes]

# Data
all_ids = tuple(indicators["id"])
if theme in themes and chosen:
    names = views.area_names(provinces, lang)
    theme_ids = tuple(indicators.loc[indicators.theme == theme, "id"])
    slides = comparison_slides(themes[theme], chosen, names, cached.level_series(build, theme_ids, "province"),
                               indicators, lang, era)  # fmt: skip
else:
    province = provinces.set_index("code").loc[code].to_dict()
    slides = province_slides(province, cached.headlines(build, code, all_ids), indicators,
                             cached.series(build, all_ids, (code,)), lang, era)  # fmt: skip
options = [str(i) for i in range(1, len(slides) + 1)]
state.seed_from_url("slide", options, "1")
n = int(st.session_state["slide"]) if st.session_state["slide"] in options else 1
slide = slides[n - 1]

# Display
left, mid, right = st.columns([1, 6, 1])
if left.button(t("present.previous", lang), key="prev", disabled=n == 1, width="stretch"):
    st.session_state["slide"] = str(n - 1)
    st.rerun()
if right.button(t("present.next", lang), key="next", disabled=n == len(slides), width="stretch"):
    st.session_state["slide"] = str(n + 1)
    st.rerun()
with mid:
    st.title(slide.title)
    if slide.big:
        st.markdown(
            f"<div style='font-size:6rem;font-weight:700;line-height:1.1'>{slide.big}</div>",
            unsafe_allow_html=True,
        )
    for line in filter(None, slide.lines):
        st.markdown(f"<div style='font-size:1.8rem'>{line}</div>", unsafe_allow_html=True)
    if slide.bars is not None:
        st.altair_chart(bars(slide.bars, slide.unit), key=f"slide_bars_{n}")
    if slide.trend is not None and len(slide.trend) > 1:
        st.altair_chart(
            series_line(slide.trend, "", slide.unit, t("profile.col_year", lang)), key=f"slide_chart_{n}"
        )
    if slide.source:
        st.caption(slide.source)
    st.caption(t("present.counter", lang, n=n, total=len(slides)))
state.keep_in_url("province", "slide")
