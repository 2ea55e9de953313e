"""The page registry: which pages exist, in which order, with which URL and title key.

Every page has its own URL (``/profile``, ``/map`` …); the app root ``/`` is a hidden default page that
forwards to the profile with the same query parameters, so that ``/profile?province=60`` is a page of its
own rather than a "Page not found" (Streamlit serves the default page only at the root).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from provdata.basics import config
from provdata.basics.i18n import t


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to the project root
    title_key: str  # locale key of the title
    url_path: str
    icon: str
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/profile.py", "nav.profile", "profile", ":material/location_city:", default=True),
    PageSpec("pages/map.py", "nav.map", "map", ":material/map:"),
    PageSpec("pages/trends.py", "nav.trends", "trends", ":material/show_chart:"),
    PageSpec("pages/compare.py", "nav.compare", "compare", ":material/compare_arrows:"),
    PageSpec("pages/chart.py", "nav.chart", "chart", ":material/account_tree:"),
    PageSpec("pages/follow.py", "nav.follow", "follow", ":material/flag:"),
    PageSpec("pages/reports.py", "nav.reports", "reports", ":material/description:"),
    PageSpec("pages/present.py", "nav.present", "present", ":material/slideshow:"),
    PageSpec("pages/catalog.py", "nav.catalog", "catalog", ":material/dataset:"),
    PageSpec("pages/exchange.py", "nav.exchange", "exchange", ":material/upload_file:"),
)


def registered_pages_only() -> None:
    """Serve only the pages registered here, from the very first request after start.

    Streamlit 1.67 decides once per process, when the first session starts, whether the app is a legacy
    multipage app: ``PagesManager.uses_pages_directory`` becomes True when a ``pages/`` folder sits beside the
    main script, and until some session has run ``st.navigation`` a deep link such as ``/map`` then runs
    ``pages/map.py`` on its own (file-name navigation, no router). The flag is only computed while it is None,
    so setting it to False before the first session (server.py does, at import) keeps ``pages/`` as the
    folder of the registered pages. ``st.navigation`` sets the same flag to False itself on every run.
    """
    PagesManager.uses_pages_directory = False


def _forward_to_default() -> None:
    """The app root: open the default page with the same query parameters (its own URL, one per view)."""
    default = next(spec for spec in PAGES if spec.default)
    st.switch_page(default.path, query_params=st.query_params.to_dict())


def navigation_pages(lang: str) -> list[st.Page]:
    default = next(spec for spec in PAGES if spec.default)
    root = st.Page(
        _forward_to_default, title=t(default.title_key, lang), icon=default.icon, default=True,
        visibility="hidden",
    )  # fmt: skip
    return [root] + [
        st.Page(
            config.ROOT / spec.path, title=t(spec.title_key, lang), url_path=spec.url_path, icon=spec.icon
        )
        for spec in PAGES
    ]
