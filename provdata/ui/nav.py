"""The page registry: which pages exist, in which order, with which URL and title key."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from provdata import config
from provdata.i18n import t


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to the project root
    title_key: str  # locale key of the title
    url_path: str
    icon: str
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec("app_pages/profile.py", "nav.profile", "profile", ":material/location_city:", default=True),
    PageSpec("app_pages/map.py", "nav.map", "map", ":material/map:"),
    PageSpec("app_pages/trends.py", "nav.trends", "trends", ":material/show_chart:"),
    PageSpec("app_pages/compare.py", "nav.compare", "compare", ":material/compare_arrows:"),
    PageSpec("app_pages/chart.py", "nav.chart", "chart", ":material/account_tree:"),
    PageSpec("app_pages/reports.py", "nav.reports", "reports", ":material/description:"),
    PageSpec("app_pages/present.py", "nav.present", "present", ":material/slideshow:"),
    PageSpec("app_pages/catalog.py", "nav.catalog", "catalog", ":material/dataset:"),
    PageSpec("app_pages/exchange.py", "nav.exchange", "exchange", ":material/upload_file:"),
)


def navigation_pages(lang: str) -> list[st.Page]:
    return [
        st.Page(
            config.ROOT / spec.path,
            title=t(spec.title_key, lang),
            url_path=spec.url_path,
            icon=spec.icon,
            default=spec.default,
        )
        for spec in PAGES
    ]
