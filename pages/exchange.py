"""Data exchange: stewards sign in, upload their agency's file, map it, preview and publish; everyone sees
the publications and what each changed; admins roll back."""

import streamlit as st

from provdata.basics.i18n import t
from provdata.ui import auth, frame, upload
from provdata.ui.display.owed import owed

lang, era, build = frame.start()
st.title(t("exchange.title", lang))
st.caption(t("exchange.intro", lang))

account = auth.signed_in()
tab_keys = ["exchange.tab_upload", "exchange.tab_publications", "exchange.tab_owed"] + (
    ["auth.tab_audit"] if account and account.admin else []
)
upload_tab, publications_tab, owed_tab, *audit_tab = st.tabs([t(k, lang) for k in tab_keys])
with upload_tab:
    account = auth.login_box("exchange.sign_in_needed")
    if account is not None and account.role == "planner":
        st.info(t("auth.planner_no_upload", lang))
    elif account is not None:
        if account.admin:
            upload.indicator_form(account, build)
        upload.wizard(account, build)
with publications_tab:
    upload.publications(build, account)
with owed_tab:
    owed(build, account, lang, era)
for tab in audit_tab:
    with tab:
        upload.audit_view(build)
