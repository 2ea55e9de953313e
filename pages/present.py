"""Presenter mode: full screen, large numbers and charts, no sidebar or chrome; ◀ ▶ through the slides of
a province (?province=60&slide=3) or of a comparison (?theme=economy&provinces=14,60&slide=2)."""

import streamlit as st

from provdata.basics.i18n import t
from provdata.reports.slides import comparison_slides
from provdata.ui import cached, frame, markup, state
from provdata.ui.scripts import slide_keys
from provdata.ui.widgets import chart
from provdata.views import figures

lang, era, build = frame.start()
frame.hide_chrome()
slide_keys()

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
if theme in themes and chosen:
    names = figures.area_names(provinces, lang)
    theme_ids = tuple(indicators.loc[indicators.theme == theme, "id"])
    slides = comparison_slides(themes[theme], chosen, names, cached.level_series(build, theme_ids, "province"),
                               indicators, lang, era, cached.calendar(build, cached.today()))  # fmt: skip
else:
    slides = cached.province_slides(build, code, lang, era, cached.today())
options = [str(i) for i in range(1, len(slides) + 1)]
state.seed_from_url("slide", options, "1")
n = int(st.session_state["slide"]) if st.session_state["slide"] in options else 1
slide = slides[n - 1]

# Display
left, mid, right = st.columns([1, 6, 1])
moves = {
    "prev": (left, t("present.previous", lang), n - 1),
    "next": (right, t("present.next", lang), n + 1),
    "first": (left, t("present.first", lang), 1),  # Home and End press these hidden buttons
    "last": (right, t("present.last", lang), len(slides)),
}
for key, (column, label, target) in moves.items():
    if column.button(label, key=key, disabled=target == n or not 1 <= target <= len(slides), width="stretch"):
        st.session_state["slide"] = str(target)
        st.rerun()
with mid:
    st.title(markup.literal(slide.title))
    if slide.big:
        st.markdown(
            # one line at any width: the size follows the column (container query units), never wraps
            "<div style='container-type:inline-size'><div class='slide-big' style='font-size:min(6rem, 17cqi);"
            f"font-weight:700;line-height:1.1;white-space:nowrap'>{slide.big}</div></div>",
            unsafe_allow_html=True,
        )
    for line in filter(None, slide.lines):
        st.markdown(f"<div style='font-size:1.8rem'>{markup.literal(line)}</div>", unsafe_allow_html=True)
    if slide.bars is not None:
        chart("bars", slide.bars, slide.unit, key=f"slide_bars_{n}")
    if slide.trend is not None and len(slide.trend) > 1:
        chart("series_line", slide.trend, "", slide.unit, t("profile.col_year", lang), key=f"slide_chart_{n}")
    if slide.source:
        st.caption(slide.source)
    st.caption(t("present.counter", lang, n=n, total=len(slides)) + " · " + t("present.keys", lang))
state.keep_in_url("province", "slide")
