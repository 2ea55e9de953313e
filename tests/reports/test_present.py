"""Presenter mode: slides of a province, each with its own URL; next/previous."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, wait_for_app


def test_slides_step_and_keep_their_url(real_warehouse, use_warehouse):
    use_warehouse(real_warehouse)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"lang": "en", "province": "60", "slide": "2"})
    at.switch_page("pages/present.py")
    at.run()
    assert not at.exception
    assert at.title[0].value == "Gross provincial product at current market prices"
    assert "111,440.7" in " ".join(m.value for m in at.markdown)
    at.button(key="next").click().run()
    assert at.title[0].value == "GPP per capita"
    assert at.query_params["slide"] in (["3"], "3")
    at.button(key="prev").click().run()
    at.button(key="prev").click().run()
    assert at.title[0].value == "Nakhon Sawan" and at.button(key="prev").disabled


@pytest.mark.browser
def test_presenter_mode_in_chromium_has_no_sidebar_and_steps(served_app, page):
    page.goto(f"{served_app}/present?lang=th&province=60&slide=1")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="นครสวรรค์", exact=True)).to_be_visible(timeout=30000)
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    page.get_by_role("button", name="ถัดไป ▶").click()
    expect(page.get_by_role("heading", name="ผลิตภัณฑ์มวลรวมจังหวัด ณ ราคาประจำปี", exact=True)).to_be_visible(
        timeout=30000
    )
    expect(page.get_by_text("111,440.7", exact=True)).to_be_visible()
    page.wait_for_function("() => location.search.includes('slide=2')", timeout=10000)
    page.screenshot(path=str(ROOT / ".pytest_cache" / "present-60-th.png"))


def test_comparison_slides_in_presenter_mode_and_as_a_deck(real_warehouse, use_warehouse):
    import io

    from pptx import Presentation

    from provdata.reports import deck
    from provdata.reports.slides import comparison_slides
    from provdata.warehouse import queries
    from provdata.warehouse.db import Warehouse

    use_warehouse(real_warehouse)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"lang": "en", "theme": "health", "provinces": "60,61,62", "slide": "2"})
    at.switch_page("pages/present.py")
    at.run()
    assert not at.exception
    assert at.title[0].value == "Dengue haemorrhagic fever cases"
    # fewest cases in 2020 among the three (lower is better): Uthai Thani, 60
    assert "Uthai Thani" in " ".join(m.value for m in at.markdown)
    wh = Warehouse(real_warehouse)
    ind = queries.indicators(wh)
    provinces = queries.provinces(wh)
    names = dict(zip(provinces.code, provinces.name_en, strict=True))
    series = queries.level_series(wh, ind.loc[ind.theme == "health", "id"].tolist())
    slides = comparison_slides("Health", ["60", "61", "62"], names, series, ind, "en", "ce")
    deck = Presentation(io.BytesIO(deck.province_deck(slides, "en", "ce", "b")))
    assert len(deck.slides) == 4  # title + 3 health indicators
    assert deck.slides[1].shapes[1].text_frame.text.startswith("Uthai Thani\nbest: 60 cases")


def slide_in_url(pg) -> str:
    return pg.evaluate("new URLSearchParams(location.search).get('slide')")


@pytest.mark.browser
def test_keys_and_a_clicker_step_through_the_slides_and_the_url_follows(served_app, page):
    page.goto(f"{served_app}/present?lang=en&province=60&slide=1")
    # the key listener is in; it is drawn before the ◀ ▶ buttons, so the first key comes while the page is still
    # drawing, as a presenter's may
    page.wait_for_function("() => window.__provdataSlideKeys === true", timeout=30000)
    steps = [  # key → slide it leads to (a clicker sends PageDown / PageUp)
        ("ArrowRight", "2"), ("PageDown", "3"), ("PageUp", "2"), ("ArrowLeft", "1"), ("ArrowLeft", "1"),
    ]  # fmt: skip
    for key, slide in steps:
        page.keyboard.press(key)
        page.wait_for_function(
            f"() => new URLSearchParams(location.search).get('slide') === '{slide}'", timeout=30000
        )
        wait_for_app(page)
    expect(page.get_by_role("heading", name="Nakhon Sawan", exact=True)).to_be_visible()
    page.keyboard.press("End")
    page.wait_for_function("() => new URLSearchParams(location.search).get('slide') !== '1'", timeout=30000)
    wait_for_app(page)
    counter = page.get_by_text(re.compile(r"^Slide \d+ of \d+")).inner_text(timeout=30000)
    n, total = re.match(r"Slide (\d+) of (\d+)", counter).groups()
    assert n == total == slide_in_url(page) and int(total) > 3
    page.keyboard.press("Home")
    page.wait_for_function("() => new URLSearchParams(location.search).get('slide') === '1'", timeout=30000)
    expect(page.get_by_role("heading", name="Nakhon Sawan", exact=True)).to_be_visible(timeout=30000)
    page.keyboard.press("PageDown")
    expect(
        page.get_by_role("heading", name="Gross provincial product at current market prices")
    ).to_be_visible(timeout=30000)
    expect(page.get_by_text("111,440.7", exact=True)).to_be_visible()


@pytest.mark.browser
def test_the_large_figure_stays_on_one_line_on_a_narrow_screen(served_app, browser):
    context = browser.new_context(viewport={"width": 400, "height": 800})
    try:
        pg = context.new_page()
        pg.goto(f"{served_app}/present?lang=en&province=60&slide=2")
        wait_for_app(pg)
        big = pg.locator(".slide-big")
        expect(big).to_have_text("111,440.7", timeout=30000)
        box = big.evaluate(
            "e => ({height: e.getBoundingClientRect().height, line: parseFloat(getComputedStyle(e).lineHeight),"
            " fits: e.scrollWidth <= e.clientWidth})"
        )
        assert box["height"] <= 1.5 * box["line"] and box["fits"], box
        pg.screenshot(path=str(ROOT / ".pytest_cache" / "present-60-en-400px.png"), full_page=True)
    finally:
        context.close()
