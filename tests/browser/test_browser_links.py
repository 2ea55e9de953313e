"""Every URL the README shows opens its own view on a freshly started server, from the first request."""

from __future__ import annotations

import re
import urllib.parse

import pytest

from provdata.basics.i18n import t
from provdata.ui.nav import PAGES
from tests.conftest import ROOT, serving, wait_for_app

pytestmark = pytest.mark.browser

#: `/page?key=value&…` in backticks, as the README's page table writes them
README_URL = re.compile(r"`(/(\w+)\?[^`\s]+)`")
TITLE_KEYS = {spec.url_path: spec.title_key for spec in PAGES}


def readme_urls() -> list[tuple[str, str]]:
    found = [
        (m.group(1), m.group(2))
        for m in README_URL.finditer((ROOT / "README.md").read_text(encoding="utf-8"))
    ]
    return list(dict.fromkeys(found))


def test_the_readme_shows_a_url_for_every_page():
    assert sorted({page for _url, page in readme_urls()}) == sorted(TITLE_KEYS)


@pytest.fixture
def fresh_app(real_warehouse):
    """A server started for this test alone: its first session is the deep link under test."""
    with serving(real_warehouse, "streamlit-fresh") as base:
        yield base


#: README URLs opened at once, each in a tab of its own (the fresh server serves their first sessions side by side)
AT_ONCE = 5


@pytest.mark.slow
def test_every_readme_url_opens_its_page_from_the_first_request(fresh_app, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})

    def open_tab(url: str):
        pg = context.new_page()
        errors: list[str] = []
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pings: list[str] = []  # one connection attempt: the page names the app's base (provdata/ui/head.py)
        pg.on("request", lambda r: pings.append(r.url) if "/_stcore/health" in r.url else None)
        pg.goto(fresh_app + url, wait_until="commit")  # the rest of the page loads while the next tabs open
        return pg, errors, pings

    urls = readme_urls()
    try:
        for first in range(0, len(urls), AT_ONCE):
            batch = urls[first : first + AT_ONCE]
            tabs = [open_tab(url) for url, _page_name in batch]
            for (url, page_name), (pg, errors, pings) in zip(batch, tabs, strict=True):
                wait_for_app(pg, timeout_ms=60000)
                # the first visible one: presenter mode draws every slide's title ahead, one shown at a time
                pg.wait_for_selector('[data-testid="stMain"] h1 >> visible=true', timeout=60000)
                lang = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get("lang", ["th"])[0]
                title = t(TITLE_KEYS[page_name], lang)
                # the sidebar navigation marks this page as the current one, by its registered title
                current = pg.locator('[data-testid="stSidebarNav"] a[aria-current="page"]')
                assert current.inner_text(timeout=30000).strip().endswith(title), (url, current.inner_text())
                assert urllib.parse.urlsplit(pg.url).path == f"/{page_name}", (url, pg.url)
                assert pg.get_by_text("Page not found").count() == 0, url
                assert pg.locator('[data-testid="stException"]').count() == 0, url
                # the tab carries the page's registered title; the page draws its own heading
                assert pg.title() == f"{title} — {t('app.title', lang)}", (url, pg.title())
                assert pg.locator('[data-testid="stMain"] h1').first.inner_text().strip(), url
                assert pings == [f"{fresh_app}/_stcore/health"], (url, pings)
                assert errors == [], (url, errors)
                pg.close()
    finally:
        context.close()


def test_the_app_root_forwards_to_the_profile_with_its_parameters(served_app, page):
    page.goto(f"{served_app}/?province=62&lang=en&era=ce")
    wait_for_app(page)
    page.get_by_role("heading", name="Kamphaeng Phet", exact=True).wait_for(timeout=30000)
    page.wait_for_function("() => location.pathname === '/profile'", timeout=10000)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert (query["province"], query["lang"], query["era"]) == (["62"], ["en"], ["ce"])
    assert page.title() == "Province profile — provdata — Thai provincial statistics"
