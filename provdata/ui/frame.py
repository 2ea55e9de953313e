"""The frame around every page: language and year switches, data build, errors.

Every page calls :func:`start` first. The switches are drawn from inside the page run, not from
app.py: AppTest drops elements that the entry script draws around ``page.run()`` on a rerun.
"""

from __future__ import annotations

import streamlit as st

from provdata.basics.errors import ProvdataError
from provdata.basics.i18n import LANG_NAMES, LANGS, strings, t
from provdata.ui import cached, markup, state
from provdata.ui.scripts import page_scripts


def show_error(exc: ProvdataError) -> None:
    """Render one of the project's errors, localised, with its technical detail folded away."""
    lang = state.lang()
    template = strings(lang)[f"errors.{exc.key}.body"]
    params = {
        # the text is the user's or a file's: escaped, or kept verbatim where the message shows it as `code`
        k: str(v).replace("`", "'") if f"`{{{k}}}`" in template else markup.literal(v)
        for k, v in {"detail": exc.detail, **exc.params}.items()
    }
    body = template.format(**params)
    st.error(body, title=t(f"errors.{exc.key}.title", lang))
    if exc.detail and "{detail}" not in template:
        with st.expander(t("app.technical_detail", lang)):
            st.code(exc.detail, language=None)


def start() -> tuple[str, str, str]:
    """Draw the switches and return (lang, era, build id); stop the page when there is no warehouse."""
    build = sidebar()
    if build is None:
        st.stop()
    return state.lang(), state.era(), build


def sidebar() -> str | None:
    """Draw the switches; return the warehouse build id, or None after showing why it is missing."""
    lang = state.lang()
    with st.sidebar:
        st.radio(
            t("app.language", lang),
            options=list(LANGS),
            format_func=LANG_NAMES.__getitem__,
            horizontal=True,
            key="lang",
            on_change=state.follow_language,
        )
        st.radio(
            t("app.era", lang),
            options=["be", "ce"],
            format_func=lambda v: t(f"app.era_{v}", lang),
            horizontal=True,
            key="era",
        )
    state.keep_in_url("lang", "era")
    page_scripts(lang)
    try:
        build = cached.build_id()
        meta = cached.meta(build)
    except ProvdataError as exc:
        show_error(exc)
        return None
    with st.sidebar:
        st.caption(t("app.sources_note", lang))
        st.caption(t("app.data_build", lang, build_id=build, built_at=f"{meta['built_at']:%Y-%m-%d %H:%M}"))
    host_banner(lang, build)
    return build


def host_banner(lang: str, build: str) -> None:
    """Say on the page when this host cannot reach its store, is not on the store it was built from, or is
    catching up (provdata/exchange/health.py); never the store's address (an administrator reads the log)."""
    from provdata.exchange import health

    status = health.recent()
    key = health.banner(status)
    if key:
        st.warning(
            t(key, lang, build_id=build, seconds=f"{status.seconds_behind:.0f}"), icon=":material/dns:"
        )


def hide_chrome() -> None:
    """Presenter mode: no sidebar, header or toolbar; the page uses the whole screen."""
    st.markdown(
        "<style>[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], header, "
        "[data-testid='stToolbar'], [data-testid='stDecoration'] "
        "{display: none !important;} "
        ".block-container, [data-testid='stMainBlockContainer'] {padding-top: 1rem; max-width: 100%;}</style>",
        unsafe_allow_html=True,
    )
