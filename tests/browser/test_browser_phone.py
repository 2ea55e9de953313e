"""Issue #24 in Chromium: every page on a 390×844 phone without sideways scrolling of the page, the chart's graph
text at least 12 px at 1366 px wide, a visible focus ring, and the map's areas read from the keyboard."""

from __future__ import annotations

import pytest

from provdata.ui.nav import PAGES
from provdata.ui.style import FOCUS_WIDTH
from tests.browser.test_browser_a11y import PARAMS, settle

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
#: how far each page, and Streamlit's own scrolling column, reaches past the screen's width (px): against the
#: screen's 390 px, not innerWidth, which a mobile viewport widens to whatever overflows
OVERFLOW = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    return {page: document.documentElement.scrollWidth - 390,
            main: main ? main.scrollWidth - main.clientWidth : 0};
}"""
#: each graph's text drawn size: its font size (SVG user units) × the SVG's drawn width ÷ its viewBox width
GRAPH_TEXT = """() => [...document.querySelectorAll('[data-testid="stGraphVizChart"] svg')].map(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * scale);
})"""
#: the focused element's, or its nearest drawn box's, outline: [style, width px, colour]
RING = """() => {
    let e = document.activeElement;
    if (e.tagName === 'INPUT' && /radio|checkbox/.test(e.type)) e = e.closest('label');
    else if (e.tagName === 'INPUT' || e.tagName === 'TEXTAREA') e = e.parentElement;
    const s = getComputedStyle(e);
    return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor];
}"""


def contrast_on_white(rgb: str) -> float:
    """WCAG contrast ratio of an ``rgb(r, g, b)`` colour on white."""

    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(x) for x in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3])
    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (lum + 0.05)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def test_every_page_fits_a_phone_in_both_languages(served_app, phone):
    wide = {}
    for spec in PAGES:
        for lang in ("th", "en"):
            extra = PARAMS.get(spec.url_path)
            # view=full: the Streamlit page, as a phone opens it from the phone page's link (a phone opening
            # /profile or /map gets the phone page first: tests/browser/test_browser_lite.py)
            phone.goto(f"{served_app}/{spec.url_path}?lang={lang}&view=full" + (f"&{extra}" if extra else ""))
            settle(phone)
            over = phone.evaluate(OVERFLOW)
            if over["page"] > 0 or over["main"] > 0:
                wide[f"{spec.url_path} ({lang})"] = over
            if spec.url_path == "compare":  # the heatmap keeps readable cells and scrolls in its own box
                box = phone.locator(".st-key-compare_heatmap_box")
                box.locator("svg text").first.wait_for(timeout=30000)  # the heatmap drawn, not only its box
                assert box.evaluate("b => b.scrollWidth > b.clientWidth && getComputedStyle(b).overflowX")
                sizes = box.locator("svg text").evaluate_all(
                    "ts => ts.map(t => parseFloat(getComputedStyle(t).fontSize))"
                )
                assert min(sizes) >= 12
            if spec.url_path == "chart":  # on a phone each issue's chain is a list, its graph is not shown
                lists = phone.locator('[class*="st-key-chart_list_"]')
                lists.first.wait_for(timeout=30000)
                assert lists.count() == 3 and all(lists.nth(i).is_visible() for i in range(3))
                first = lists.first.locator("li").first.inner_text()
                assert phone.locator('[data-testid="stGraphVizChart"]:visible').count() == 0
                assert first.startswith("ผลผลิตข้าวต่อไร่สูงขึ้น" if lang == "th" else "Higher rice yield")
    assert not wide, f"pages wider than a 390 px phone (px past the edge): {wide}"


@pytest.mark.parametrize("lang", ["th", "en"])
def test_chart_graph_text_is_at_least_12px_at_1366_wide(served_app, browser, lang):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    pg = context.new_page()
    try:
        pg.goto(f"{served_app}/chart?lang={lang}&province=60")
        settle(pg)
        pg.wait_for_function(
            "() => document.querySelectorAll('[data-testid=\"stGraphVizChart\"] svg text').length > 60",
            timeout=30000,
        )
        sizes = pg.evaluate(GRAPH_TEXT)
        assert len(sizes) == 3  # one graph per strategic issue of Nakhon Sawan's example chain
        assert min(min(s) for s in sizes) >= 12, [round(min(s), 1) for s in sizes]
    finally:
        context.close()


def test_the_keyboard_reaches_an_area_figure_on_the_map_with_a_visible_focus_ring(served_app, page):
    page.goto(f"{served_app}/map?lang=th")
    settle(page)
    rings = {}
    for _ in range(40):  # Tab from the top of the page to the area picker beside the map
        page.keyboard.press("Tab")
        kind = page.evaluate(
            "() => { const e = document.activeElement; return e.type === 'radio' ? 'radio' : "
            "e.closest('[data-testid=\"stSelectbox\"]') ? 'select' : e.tagName.toLowerCase(); }"
        )
        rings.setdefault(kind, page.evaluate(RING))
        if page.evaluate("() => !!document.activeElement.closest('[class*=\"st-key-map_area_\"]')"):
            break
    else:
        pytest.fail(f"40 Tab presses did not reach the area picker; focused on the way: {sorted(rings)}")
    # every kind of control on the way: a link, a radio, a select box, a button, with a ring ≥ 2 px at ≥ 3:1
    assert {"a", "radio", "select", "button"} <= set(rings)
    for kind, (style, width, colour) in rings.items():
        if kind in ("a", "radio", "select", "button"):
            assert style == "solid" and width >= 2 and width == FOCUS_WIDTH, (kind, style, width)
            assert contrast_on_white(colour) >= 3, (kind, colour)
    page.keyboard.type("นครสวรรค์")
    page.keyboard.press("Enter")
    figure = page.get_by_text("นครสวรรค์: 121,070.3 บาทต่อคน · 2563 · อันดับ 34 จาก 77", exact=True)
    figure.wait_for(timeout=30000)
    for _ in range(3):  # on to its province's profile (past the picker's clear button)
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent").endswith("เปิดข้อมูลจังหวัดของพื้นที่นี้"):
            break
    else:
        pytest.fail("the link to the area's profile is not the next control after the picker")
    page.keyboard.press("Enter")
    page.wait_for_url("**/profile?province=60*", timeout=30000)
