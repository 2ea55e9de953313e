"""Sign-in for every page that writes (data exchange, statistics chart): password or single sign-on, the
lockout message, the account of this session re-read on every run (so a removed or disabled account is signed
out at once), and the client's address for the audit log."""

from __future__ import annotations

import streamlit as st

from provdata import accounts
from provdata.basics.errors import ProvdataError
from provdata.basics.i18n import t
from provdata.ui import state
from provdata.ui.frame import show_error

SESSION_KEY = "account"


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file, or one Streamlit cannot read: no single sign-on
        return False


def client_address() -> str:
    """The browser's address as the server sees it ('' when unknown or local, e.g. under AppTest): the peer, or
    the client a listed proxy names (PROVDATA_TRUSTED_PROXIES, provdata/web/proxies.py)."""
    try:
        ip = st.context.ip_address
    except Exception:  # no request context
        return ""
    return ip if isinstance(ip, str) else ""  # (AppTest's context is a stand-in object)


def signed_in() -> accounts.Account | None:
    """The account of this session (password sign-in, or single sign-on mapped by e-mail), re-read now."""
    account = st.session_state.get(SESSION_KEY)
    if account is None and _oidc_configured() and getattr(st.user, "is_logged_in", False):
        account = accounts.by_email(str(st.user.get("email", "")))
    if account is None:
        return None
    try:
        return accounts.current(account)
    except accounts.WriteRefused:  # removed or disabled since sign-in
        st.session_state.pop(SESSION_KEY, None)
        return None


def role_text(account: accounts.Account, lang: str) -> str:
    if account.role == "planner":
        return t("auth.role_planner", lang, provinces=", ".join(account.provinces))
    if account.role == "admin":
        return t("auth.role_admin", lang)
    return t("auth.role_steward", lang, agency=account.agency_id)


def login_box(why_key: str) -> accounts.Account | None:
    """The signed-in account with a sign-out button, or a sign-in form (``why_key``: who needs an account)."""
    lang = state.lang()
    account = signed_in()
    if account is not None:
        left, right = st.columns([4, 1])
        left.success(t("auth.signed_in", lang, name=account.name, role=role_text(account, lang)))
        if right.button(t("auth.sign_out", lang), key="sign_out"):
            st.session_state.pop(SESSION_KEY, None)
            if _oidc_configured() and getattr(st.user, "is_logged_in", False):
                st.logout()
            st.rerun()
        return account
    st.info(t(why_key, lang))
    with st.form("login"):
        name = st.text_input(t("auth.user", lang), key="login_user", max_chars=64)
        password = st.text_input(
            t("auth.password", lang), type="password", key="login_password", max_chars=256
        )
        submitted = st.form_submit_button(t("auth.sign_in", lang), key="login_submit")
    if submitted:
        try:
            account = accounts.verify(name.strip(), password, client=client_address())
        except ProvdataError as exc:  # locked for a while
            show_error(exc)
            return None
        if account is None:
            st.error(t("auth.bad_login", lang))
        else:
            st.session_state[SESSION_KEY] = account
            st.rerun()
    if _oidc_configured():
        st.button(t("auth.sign_in_sso", lang), key="sso", on_click=st.login)
    return None
