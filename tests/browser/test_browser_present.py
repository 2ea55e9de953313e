"""Presenter mode in Chromium at 1920×1080, as a projector shows it: every slide's visible text in both languages
(no escape characters), type sized for the back of a room, a full-screen control, and keys and a clicker
stepping through the slides in the browser (the URL follows)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import ROOT

pytestmark = pytest.mark.browser

ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")
SHOWN = ".pd-deck .pd-slide:not([hidden])"
#: every text of the shown slide and the control bar: its kind and its drawn size in CSS px (an SVG chart's text
#: scaled as the picture is drawn)
SIZES = """() => {
  const out = [];
  const add = (root) => root.querySelectorAll('*').forEach((e) => {
    const own = [...e.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim());
    if (!own || !e.getClientRects().length) return;
    let px = parseFloat(getComputedStyle(e).fontSize);
    const svg = e.closest('svg');
    if (svg) px *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const kind = e.closest('.pd-title') ? 'title' : e.closest('.pd-big') ? 'figure' : svg ? 'chart' : 'label';
    out.push([kind, e.textContent.trim().slice(0, 40), px]);
  });
  add(document.querySelector('.pd-deck .pd-slide:not([hidden])'));
  add(document.querySelector('.pd-deck .pd-bar'));
  return out;
}"""


@pytest.fixture
def room(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    yield context.new_page()
    context.close()


def open_deck(pg, url: str) -> int:
    pg.goto(url)
    pg.wait_for_selector(".pd-deck[data-wired] .pd-slide:not([hidden])", timeout=60000)
    pg.evaluate("async () => { await document.fonts.ready; }")
    return pg.locator(".pd-deck .pd-slide").count()


def shown(pg) -> str:
    return pg.evaluate("() => document.querySelector('.pd-deck').dataset.n")


def slide_in_url(pg) -> str:
    return pg.evaluate("new URLSearchParams(location.search).get('slide')")


@pytest.mark.parametrize("lang", ["th", "en"])
def test_every_slide_reads_without_escapes_in_room_sized_type_and_keys_step_through(served_app, room, lang):
    pg = room
    total = open_deck(pg, f"{served_app}/present?lang={lang}&province=60&slide=1")
    assert total == 14  # the title, 12 headline cards, the open actions of the follow-up register
    keys = ["ArrowRight", "PageDown", " "]  # what a clicker sends for "next"
    for n in range(1, total + 1):
        assert shown(pg) == str(n) and slide_in_url(pg) == str(n)
        text = pg.locator(SHOWN).inner_text()
        assert text.strip() and not ESCAPE.search(text) and "\\" not in text, text
        sizes = pg.evaluate(SIZES)
        kinds = {k for k, _t, _px in sizes}
        assert "title" in kinds and "label" in kinds
        small = [(k, t, px) for k, t, px in sizes
                 if px < {"title": 48, "figure": 120}.get(k, 24) - 0.01]  # fmt: skip
        assert not small, (n, small)
        if n > 1:
            # a figure slide has its number and its trend; the last, the open actions, has their count
            assert "figure" in kinds and ("chart" in kinds or n == total), (n, kinds)
            # the slide fits the screen above the control bar
            assert pg.evaluate(f"() => {{ const s = document.querySelector('{SHOWN}'); "
                               "return s.scrollHeight <= s.clientHeight + 1; }"), n  # fmt: skip
        if n < total:
            pg.keyboard.press(keys[n % 3])
            pg.wait_for_function(
                f"() => document.querySelector('.pd-deck').dataset.n === '{n + 1}'", timeout=5000
            )
    if lang == "th":
        expect(pg.locator(SHOWN).locator(".pd-title")).to_have_text("การดำเนินการที่เปิดอยู่ต่อตัวชี้วัดที่มีธงเตือน")
        pg.keyboard.press("Home")
        expect(pg.locator(SHOWN).locator(".pd-title")).to_have_text("นครสวรรค์")
        title = pg.locator(SHOWN).inner_text()
        assert "ภาค: ภาคกลาง" in title and "ตัวเลขปี 2558–2567" in title and "ประเด็นหารือ" in title
        pg.screenshot(path=str(ROOT / ".pytest_cache" / "present-60-th-1920.png"))


def test_clicker_keys_go_back_first_and_last_and_the_url_follows(served_app, room):
    pg = room
    total = open_deck(pg, f"{served_app}/present?lang=en&province=60&slide=3")
    assert shown(pg) == "3"
    expect(pg.locator(SHOWN).locator(".pd-title")).to_have_text("GPP per capita")
    for key, n in [("PageUp", "2"), ("ArrowLeft", "1"), ("ArrowLeft", "1"), ("End", str(total)),
                   ("PageDown", str(total)), ("Home", "1"), ("PageDown", "2")]:  # fmt: skip
        pg.keyboard.press(key)
        pg.wait_for_function(f"() => document.querySelector('.pd-deck').dataset.n === '{n}'", timeout=5000)
        assert slide_in_url(pg) == n
    expect(pg.locator(SHOWN).locator(".pd-big")).to_have_text("111,440.7")
    expect(pg.locator(".pd-count")).to_have_text(f"Slide 2 of {total}")
    pg.get_by_role("button", name="Next ▶").click()
    expect(pg.locator(".pd-count")).to_have_text(f"Slide 3 of {total}")
    pg.get_by_role("button", name="◀ Previous").click()
    pg.keyboard.press("ArrowRight")  # after a click the keys still step (the button gives the focus back)
    expect(pg.locator(".pd-count")).to_have_text(f"Slide 3 of {total}")
    # a reload opens the slide in the URL
    pg.reload()
    pg.wait_for_selector(".pd-deck[data-wired]", timeout=60000)
    assert shown(pg) == "3"
    # a slide that is not there: the nearest one, named in the URL
    for asked, n in (("99", str(total)), ("abc", "1"), ("0", "1")):
        open_deck(pg, f"{served_app}/present?lang=en&province=60&slide={asked}")
        assert shown(pg) == n and slide_in_url(pg) == n


def test_the_full_screen_control_fills_the_screen_and_leaves_it(served_app, room):
    pg = room
    open_deck(pg, f"{served_app}/present?lang=th&province=60")
    button = pg.get_by_role("button", name="เต็มจอ", exact=True)
    expect(button).to_be_visible()
    button.click()
    pg.wait_for_function("() => document.fullscreenElement === document.documentElement", timeout=5000)
    expect(pg.get_by_role("button", name="ออกจากเต็มจอ")).to_be_visible()
    pg.get_by_role("button", name="ออกจากเต็มจอ").click()
    pg.wait_for_function("() => document.fullscreenElement === null", timeout=5000)
    link = pg.get_by_role("link", name="ออกจากโหมดนำเสนอ")
    assert link.get_attribute("href") == "./?province=60&lang=th&era=be"


def test_a_comparison_is_presented_with_the_best_figure_large(served_app, room):
    pg = room
    total = open_deck(pg, f"{served_app}/present?lang=th&theme=health&provinces=60,61,62&slide=2")
    assert total == 4 and shown(pg) == "2"
    expect(pg.locator(SHOWN).locator(".pd-big")).to_have_text("60")
    expect(pg.locator(SHOWN)).to_contain_text("ดีที่สุด: อุทัยธานี")
    text = pg.locator(".pd-deck").inner_text()
    assert not ESCAPE.search(text)


def test_on_a_phone_the_figure_stays_on_one_line_and_nothing_scrolls_sideways(served_app, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        pg = context.new_page()
        open_deck(pg, f"{served_app}/present?lang=th&province=60&slide=2")
        big = pg.locator(SHOWN).locator(".pd-big")
        expect(big).to_have_text("111,440.7")
        box = big.evaluate(
            "e => ({height: e.getBoundingClientRect().height, line: parseFloat(getComputedStyle(e).lineHeight),"
            " fits: e.scrollWidth <= e.clientWidth})"
        )
        assert box["height"] <= 1.5 * box["line"] and box["fits"], box
        widths = pg.evaluate(
            "() => [document.documentElement.scrollWidth, document.querySelector('.pd-bar').scrollWidth,"
            " document.querySelector('.pd-bar').clientWidth]"
        )
        assert widths[0] <= 390 and widths[1] <= widths[2], widths
        for name in ("◀ ก่อนหน้า", "ถัดไป ▶", "เต็มจอ"):
            assert pg.get_by_role("button", name=name).bounding_box()["x"] >= 0
        pg.get_by_role("button", name="ถัดไป ▶").click()
        expect(pg.locator(".pd-count")).to_have_text("สไลด์ 3 จาก 14")
    finally:
        context.close()
