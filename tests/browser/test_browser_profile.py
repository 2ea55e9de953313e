"""The profile in a real browser (Chromium): Thai text drawn in Sarabun, published figures on screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import ROOT, wait_for_app

pytestmark = pytest.mark.browser


def test_nakhon_sawan_profile_in_thai_shows_name_and_published_figures(served_app, page):
    page.goto(f"{served_app}/?province=60&lang=th&indicator=population_registered")
    wait_for_app(page)
    page.get_by_role("heading", name="นครสวรรค์", exact=True).wait_for(timeout=30000)
    main = page.locator('[data-testid="stMain"]')
    # GPP 2020 at current prices, as published by NESDC: 111,440.702788 million baht
    gpp_card = page.locator(".st-key-card_gpp_current_mb")
    expect(gpp_card.locator('[data-testid="stMetricValue"]')).to_have_text("111,440.7", timeout=30000)
    expect(gpp_card).to_contain_text("ที่มา: สศช.")
    # registered population 2013 (พ.ศ. 2556) as published: 1,073,142
    table = main.locator('[data-testid="stTable"]')
    expect(table.locator("tr", has_text="2556")).to_contain_text("1,073,142")
    # Thai glyphs come from Sarabun, not a fallback box font
    assert page.evaluate(
        "async () => { await document.fonts.ready; return document.fonts.check('16px Sarabun', 'นครสวรรค์'); }"
    )
    # the chart is drawn
    expect(page.locator('[data-testid="stVegaLiteChart"] svg.marks').first).to_be_visible()
    page.screenshot(path=str(ROOT / ".pytest_cache" / "profile-60-th.png"), full_page=True)


def test_deep_link_in_english_with_common_era_and_language_switch(served_app, page):
    page.goto(f"{served_app}/?province=62&lang=en&era=ce")
    wait_for_app(page)
    page.get_by_role("heading", name="Kamphaeng Phet", exact=True).wait_for(timeout=30000)
    expect(page.locator(".st-key-card_gpp_current_mb")).to_contain_text("2020 · rank")
    page.get_by_text("ไทย", exact=True).click()
    page.get_by_role("heading", name="กำแพงเพชร", exact=True).wait_for(timeout=30000)
    assert "lang=th" in page.url and "province=62" in page.url
