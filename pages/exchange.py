"""Data exchange: stewards sign in, upload their agency's file, map it, preview and publish; everyone sees
the publications and what each changed; admins roll back."""

import streamlit as st

from provdata.i18n import t
from provdata.ui import frame, upload

lang, era, build = frame.start()
st.title(t("exchange.title", lang))
st.caption(t("exchange.intro", lang))

upload_tab, publications_tab = st.tabs([t("exchange.tab_upload", lang), t("exchange.tab_publications", lang)])
with upload_tab:
    account = upload.login_box()
    if account is not None:
        if account.admin:
            upload.indicator_form(account, build)
        upload.wizard(account, build)
with publications_tab:
    upload.publications(build, upload.signed_in())
