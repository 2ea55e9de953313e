"""The first view: the page's figures in the HTML the server sends, the same as Streamlit then draws, readable
without JavaScript, escaped, and gone once Streamlit has drawn the page (provdata/views/firstview.py, ui/first.py)."""

from __future__ import annotations

import re
import urllib.request
from html import unescape

import pytest
from playwright.sync_api import expect

from provdata.views import firstview
from tests.conftest import wait_for_app

CARD_VALUES = '[...document.querySelectorAll("#pd-first .card .value")].map(e => e.textContent)'
ST_VALUES = (
    '[...document.querySelectorAll("[data-testid=stMain] [data-testid=stMetricValue]")].map(e => e.innerText)'
)
PROFILE = "/profile?province=60&lang=th"
DISTRICTS = "/map?lang=th&indicator=rice_inseason_production_t&year=2015&level=district"


def html_of(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as resp:
        assert resp.headers["Cache-Control"] == "no-cache"
        return resp.read().decode("utf-8")


def first_view(html: str) -> str:
    match = re.search(r'<div id="pd-first">(.*?)</div><script>', html, re.S)
    assert match, "the page has no first view"
    return match.group(1)


def test_the_first_views_page_list_has_the_registrys_length():
    """The first view keeps the room of Streamlit's page list (a link more, 34 px more): a page added to the
    registry without NAV_LINKS would move every note below it when Streamlit takes over."""
    from provdata.ui.nav import PAGES

    assert firstview.NAV_LINKS == len(PAGES) == 10
    assert f"nav {{height: {34 * len(PAGES) + 19}px;}}" in firstview.CSS


def test_profile_html_carries_the_published_figures_in_the_pages_language(served_app):
    html = html_of(f"{served_app}{PROFILE}")
    assert '<html lang="th">' in html  # a screen reader picks the Thai voice before any script has run
    view = first_view(html)
    assert "<h1>นครสวรรค์</h1>" in view
    # GPP 2020 at current prices as NESDC publishes it: 111,440.702788 million baht; registered population
    # December 2024: 1,014,401 (DOPA's December file; was 2020's 1,040,308 before it was shipped)
    values = re.findall(r'<p class="value">([^<]+)</p>', view)
    assert values[:3] == ["111,440.7", "121,070.3", "1,014,401"] and len(values) == 12  # 12 headline cards
    # DOPA's 2025 figure was due by the end of January 2026: the 2024 figure says it is out of date
    assert "⚠ ไม่เป็นปัจจุบัน: เกินกำหนดตั้งแต่ 1 ก.พ. 2569" in unescape(view)
    assert "ล้านบาท · ปี 2563 · อันดับ 24 จาก 77 จังหวัด" in unescape(view)
    assert (
        '<a href="./map?lang=th&amp;era=be">แผนที่</a>' in view
    )  # the pages are links that work without scripts
    assert 'aria-current="page">ข้อมูลจังหวัด</a>' in view
    # every sparkline picture has its text alternative
    assert view.count('<img src="data:image/svg+xml,%3Csvg') == len(re.findall(r'alt="[^"]+"', view)) == 12
    english = html_of(f"{served_app}/profile?province=60&lang=en&era=ce")
    assert '<html lang="en">' in english
    assert "Nakhon Sawan" in first_view(english) and "2020 · rank 24 of 77 provinces" in unescape(english)


def test_a_link_the_page_would_refuse_gets_no_first_view(served_app):
    """The page says what it refused above its figures: a first view without that would not be the page."""
    for query in ("province=99", "province=%3Cscript%3Ealert(1)%3C%2Fscript%3E"):
        html = html_of(f"{served_app}/profile?{query}&lang=en")
        assert 'id="pd-first"' not in html and "<script>alert" not in html and '<html lang="en">' in html
    for query in ("indicator=nope", "year=1900", "level=tambon", "percap=2"):
        assert 'id="pd-first"' not in html_of(f"{served_app}/map?{query}")
    # an unknown language or era is not refused on the page: Thai and its era, as the app picks
    html = html_of(f"{served_app}/profile?province=60&lang=xx&era=zz")
    assert '<html lang="th">' in html and "<h1>นครสวรรค์</h1>" in first_view(html) and "ปี 2563" in html


def test_the_map_html_carries_its_picture_key_and_sources(served_app):
    view = first_view(html_of(f"{served_app}{DISTRICTS}"))
    assert "<h1>แผนที่</h1>" in view
    # the picture's size is on the <img>: its room is kept before it is decoded (no layout shift on a phone)
    found = re.search(
        r'<img src="data:image/svg\+xml,%3Csvg[^"]+" width="([\d.]+)" height="640" alt="([^"]+)"', view
    )
    assert found and float(found.group(1)) > 100
    alt = unescape(found.group(2))
    assert alt.startswith("แผนที่") or "อำเภอ" in alt
    # the level and the year as the page picks them (the level was "อำเภอ (จังหวัดนำร่อง)" before registered
    # population came for all 928 districts)
    assert 'aria-checked="true" aria-disabled="true"><span class="dot"></span>อำเภอ</span>' in view
    assert "2558" in view
    assert "ที่มา:" in unescape(view) and "ไม่มีข้อมูล" in view
    # switches as the URL sets them: GPP per head of the registered population, on
    percap = first_view(html_of(f"{served_app}/map?lang=en&indicator=gpp_current_mb&year=2020&percap=1"))
    assert '<div class="switch on">' in percap and '<div class="switch">Interactive map</div>' in percap
    # the interactive map has no first view (its picture is not the one the page shows)
    assert 'id="pd-first"' not in html_of(f"{served_app}{DISTRICTS}&interactive=1")


def test_names_and_figures_are_escaped():
    card = firstview.Card("<b>x</b>", "1 & 2", "+1%", "up", ["<script>"], ('<svg xmlns="x"/>', 'a "q"'))
    html = firstview.profile(("P", "<i>"), "<h1>", (None, "r<"), "i>", ("./present?a=1&b=2", "<x>"), [card])
    assert "<b>" not in html and "<script>" not in html and "<i>" not in html and "<x>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "1 &amp; 2" in html and 'alt="a &quot;q&quot;"' in html
    assert 'href="./present?a=1&amp;b=2"' in html
    side = firstview.sidebar([('./x?"', "<t>", True)], [("L", [("<o>", True)])], ["<n>"])
    assert 'href="./x?&quot;"' in side and "&lt;t&gt;" in side and "&lt;n&gt;" in side
    assert 'aria-checked="true" aria-disabled="true"><span class="dot"></span>&lt;o&gt;</span>' in side


@pytest.mark.browser
def test_without_javascript_the_figures_and_the_map_are_on_screen(served_app, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{served_app}{PROFILE}")
        expect(page.get_by_role("heading", name="นครสวรรค์", exact=True)).to_be_visible()
        expect(page.locator("#pd-first .card").first).to_contain_text("111,440.7")
        sparklines = (
            "[...document.querySelectorAll('#pd-first img')].map(i => i.complete && i.naturalWidth > 0)"
        )
        assert page.evaluate(sparklines) == [True] * 12  # the data URIs decode
        assert page.evaluate(
            "async () => { await document.fonts.ready; return document.fonts.check('16px Sarabun', 'นครสวรรค์'); }"
        )
        page.get_by_role("link", name="แผนที่", exact=True).click()
        page.wait_for_url("**/map?lang=th&era=be")
        picture = page.locator("#pd-first .picture img")
        expect(picture).to_be_visible()
        assert page.evaluate("img => img.complete && img.naturalWidth > 100", picture.element_handle())
    finally:
        context.close()


class ScriptGate:
    """Holds Streamlit's scripts (static/js) on their way to the page while closed, so the first view stays in
    place, however quick the machine, until the test has looked at it; opening lets them through."""

    def __init__(self, page):
        self.closed = False
        self.held = []
        page.route("**/static/js/**", self._request)

    def _request(self, route) -> None:
        if self.closed:
            self.held.append(route)
        else:
            route.continue_()

    def close(self) -> None:
        self.closed = True

    def open(self) -> None:
        self.closed = False
        held, self.held = self.held, []
        for route in held:
            route.continue_()


@pytest.mark.browser
def test_the_first_view_shows_what_streamlit_then_draws_and_gives_way_to_it(served_app, page):
    gate = ScriptGate(page)
    gate.close()
    page.goto(f"{served_app}{PROFILE}", wait_until="commit")
    page.wait_for_selector("#pd-first .card .value", state="attached")
    first = page.evaluate(CARD_VALUES)
    # meanwhile Streamlit's page is drawn under it, out of sight and out of reach of keyboard and screen reader
    root = "(() => { const r = document.getElementById('root'); return [r.inert, getComputedStyle(r).visibility]; })()"
    assert page.evaluate(root) == [True, "hidden"]
    gate.open()
    wait_for_app(page)
    assert page.evaluate(root) == [False, "visible"]
    assert page.locator("#pd-first").count() == 0
    assert page.locator("h1").count() == 1  # one page, not two
    expect(page.locator('[data-testid="stMain"] [data-testid="stMetricValue"]')).to_have_count(12)
    assert page.evaluate(ST_VALUES) == first
    # the sidebar's notes and the page's title sit where the first view had them (no jump when it goes)
    gate.close()
    page.goto(f"{served_app}{PROFILE}", wait_until="commit")
    page.wait_for_selector("#pd-first h1", state="attached")
    page.evaluate("async () => { await document.fonts.ready; }")
    boxes = page.evaluate(
        "() => ['#pd-first h1', '#pd-first .side p.cap'].map(s => { const r = document.querySelector(s)"
        ".getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })"
    )
    gate.open()
    wait_for_app(page)
    drawn = page.evaluate(
        "() => ['[data-testid=stMain] h1', '[data-testid=stSidebar] [data-testid=stCaptionContainer] p']"
        ".map(s => { const r = document.querySelector(s).getBoundingClientRect(); "
        "return [r.left, r.top, r.width, r.height]; })"
    )
    for box, real in zip(boxes, drawn, strict=True):
        assert all(abs(a - b) <= 2 for a, b in zip(box, real, strict=True)), (box, real)


@pytest.mark.browser
def test_the_map_picture_of_the_first_view_is_the_one_the_page_draws(served_app, page):
    gate = ScriptGate(page)
    gate.close()
    page.goto(f"{served_app}{DISTRICTS}", wait_until="commit")
    page.wait_for_selector("#pd-first .picture img", state="attached")
    page.evaluate("async () => { await document.fonts.ready; }")
    alt = page.get_attribute("#pd-first .picture img", "alt")
    box = page.locator("#pd-first .picture img").bounding_box()
    gate.open()
    wait_for_app(page)
    real = page.locator('[data-testid="stMain"] [data-testid="stImage"] img')
    expect(real).to_have_attribute("alt", alt)
    drawn = real.bounding_box()
    assert abs(box["width"] - drawn["width"]) <= 2 and abs(box["height"] - drawn["height"]) <= 2
    assert abs(box["x"] - drawn["x"]) <= 2 and abs(box["y"] - drawn["y"]) <= 2


@pytest.mark.browser
@pytest.mark.parametrize("path", [PROFILE, "/profile?province=14&lang=en", DISTRICTS, "/map?lang=en"])
def test_the_first_view_passes_axe_while_it_is_all_there_is(served_app, browser, path):
    """What a screen-reader user meets before Streamlit's scripts have come (here: they never come)."""
    from tests.browser.test_browser_a11y import axe_violations

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.route("**/static/js/**", lambda route: route.abort())
        page.goto(f"{served_app}{path}")
        page.evaluate("async () => { await document.fonts.ready; }")
        expect(page.locator("#pd-first h1")).to_be_visible()
        serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
        assert not serious, serious
    finally:
        context.close()


def test_a_first_view_that_fails_leaves_the_page_as_streamlit_serves_it(monkeypatch, caplog):
    from starlette.requests import Request

    from provdata.ui import head

    def broken(*_args):
        raise RuntimeError("a bug in the first view")

    monkeypatch.setattr(head, "first_view", broken)
    scope = {"type": "http", "method": "GET", "path": "/profile", "query_string": b"province=60&lang=en",
             "headers": [], "scheme": "http", "server": ("127.0.0.1", 8501)}  # fmt: skip
    response = head._page(Request(scope))
    html = response.body.decode("utf-8")
    assert response.status_code == 200
    assert 'id="pd-first"' not in html and '<div id="root"></div>' in html
    assert '<html lang="en">' in html and "<title>Province profile — provdata" in html
    assert "a bug in the first view" in caplog.text
