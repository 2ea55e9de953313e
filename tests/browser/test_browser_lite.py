"""The phone page in Chromium as a phone opens it (issue #24): 390×844, touch, a phone's User-Agent. No sideways
scrolling, axe-core without a violation, Thai drawn in Sarabun, the form works without any script, and its link
opens the interactive Streamlit page of the same province (provdata/ui/lite.py)."""

from __future__ import annotations

import pytest

from bench.serve import PHONE_UA
from tests.browser.test_browser_a11y import axe_violations
from tests.conftest import wait_for_app

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PAGES = [
    "/profile?province=60",
    "/map?indicator=dhf_cases&year=2020",
    "/map?indicator=rice_inseason_production_t&year=2015&level=district",
    "/map?indicator=gpp_million_baht&year=2020&percap=1",  # two more columns: the table scrolls in its own box
]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, user_agent=PHONE_UA)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_phone_page_fits_a_phone_and_has_no_accessibility_violation(served_app, phone, lang):
    for path in PAGES:
        phone.goto(f"{served_app}{path}&lang={lang}")
        assert phone.locator("#root").count() == 0, f"{path}: the Streamlit page, not the phone page"
        assert phone.evaluate("document.documentElement.lang") == lang
        phone.evaluate("document.fonts.ready")
        assert phone.evaluate("document.fonts.check('16px Sarabun', 'นครสวรรค์')")
        # against the screen's 390 px, not innerWidth: a phone widens its layout to what overflows and zooms out
        wide = phone.evaluate("document.documentElement.scrollWidth") - PHONE["width"]
        assert wide <= 0, f"{path}&lang={lang} scrolls sideways by {wide} px"
        assert axe_violations(phone) == [], path


def test_the_form_works_without_script_and_the_link_opens_the_interactive_page(served_app, phone):
    phone.goto(f"{served_app}/profile?province=60&lang=th")
    phone.select_option("#pd-province", "62")
    phone.get_by_role("button", name="แสดง").click()
    phone.wait_for_url("**/profile?province=62&indicator=gpp_current_mb&lang=th&era=be")
    assert phone.locator("h1").inner_text() == "กำแพงเพชร"
    phone.get_by_role("link", name="เปิดหน้าเต็ม: แผนภูมิ ดาวน์โหลด และแผนที่แบบโต้ตอบ").click()
    wait_for_app(phone, timeout_ms=60000)
    phone.wait_for_selector('[data-testid="stMain"] h1:has-text("กำแพงเพชร")', timeout=60000)
    assert "view=full" in phone.url
