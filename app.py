"""provdata: router and frame. Pages live in pages/, registered in provdata/ui/nav.py."""

import streamlit as st

from provdata.basics import config
from provdata.basics.i18n import t
from provdata.ui import state
from provdata.ui.nav import PAGES, navigation_pages

__all__ = ["PAGES"]

state.seed_language()
# before st.navigation: a page's material icon would otherwise become the favicon, which the browser fetches
# from fonts.gstatic.com on every page (a request to Google, and a failed one offline); this file is the app's
st.set_page_config(page_icon=str(config.ROOT / "static" / "favicon.png"), layout="wide")
page = st.navigation(navigation_pages(state.lang()))
# the browser tab names the page, then the app: a bookmark or a tab says which view it is
st.set_page_config(page_title=f"{page.title} — {t('app.title', state.lang())}")
exposed = config.exposed_secret_files()
if exposed:
    st.error(t("auth.secrets_exposed", state.lang(), files=", ".join(f"`{p}`" for p in exposed)))
    st.stop()
page.run()
