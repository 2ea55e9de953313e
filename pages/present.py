"""Presenter mode: the whole screen, large type, no sidebar or chrome; every slide of a province
(?province=60&slide=3) or of a comparison (?theme=economy&provinces=14,60&slide=2) drawn ahead in one block and
stepped in the browser (keys, a clicker, ◀ ▶), so a slide changes without a round trip to the server."""

import streamlit as st

from provdata.ui import cached, frame, state

lang, era, build = frame.start()
frame.hide_chrome()

provinces = cached.provinces(build)
codes = provinces.code.tolist()
state.seed_from_url("province", codes, codes[0])
code = st.session_state["province"] if st.session_state["province"] in codes else codes[0]
themes = set(cached.indicators(build).theme)
theme = st.query_params.get("theme")
chosen = tuple(c for c in (st.query_params.get("provinces") or "").split(",") if c in codes)

if theme in themes and chosen:
    st.html(
        cached.comparison_deck(build, theme, chosen, lang, era, cached.today()), unsafe_allow_javascript=True
    )
else:
    deck = cached.province_deck(build, code, lang, era, cached.today(), cached.follow_version())
    st.html(deck, unsafe_allow_javascript=True)
    state.keep_in_url("province")
