"""provdata: router and frame. Pages live in app_pages/, registered in provdata/ui/nav.py."""

import streamlit as st

from provdata.i18n import t
from provdata.ui import state
from provdata.ui.nav import PAGES, navigation_pages

__all__ = ["PAGES"]

state.seed_language()
st.set_page_config(page_title=t("app.title", state.lang()), page_icon=":material/query_stats:", layout="wide")
st.navigation(navigation_pages(state.lang())).run()
