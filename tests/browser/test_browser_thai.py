"""Thai pages in Chromium read in Thai, Streamlit's own words included (its skip link, sidebar, placeholders, the
table and chart toolbars): no English word on any page but names that are the same in both languages, and the
licences' original text beside its Thai."""

from __future__ import annotations

import re

import pytest

from provdata.ui.nav import PAGES
from tests.conftest import wait_for_app

pytestmark = pytest.mark.browser

PARAMS = {"profile": "province=60", "present": "province=60&slide=2",
          "chart": "province=60&why_province=61&why_indicator=dhf_cases",
          "compare": "theme=economy", "trends": "provinces=60,62", "map": "indicator=dhf_cases&year=2020",
          "follow": "province=60"}  # fmt: skip
#: Latin words a Thai page may carry: names, acronyms, file formats and keys, the same in both languages
NAMES = {
    "provdata", "UTC", "English", "CSV", "Excel", "Parquet", "zip", "PDF", "HTML", "PPTX", "PowerPoint", "PNG", "Vega",
    "Lite", "BOI", "HAI", "DHF", "OCHA", "HDX", "IGO", "LICENSE", "GADM", "Enter", "PageDown", "PageUp", "Home",
    "End", "Frictionless", "Data", "Package", "CC0", "GPP",
}  # fmt: skip
#: what the page shows and says to a screen reader: text (not icons' ligatures, scripts or a command line) and the
#: labels, tooltips and placeholders of its elements
SHOWN = """() => {
  const out = [];
  const skip = (e) => !e || e.closest('script, style, noscript, code, pre, svg title')
    || /Material/.test(getComputedStyle(e).fontFamily);
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const n = walk.currentNode;
    if (n.textContent.trim() && !skip(n.parentElement) && n.parentElement.getClientRects().length) out.push(n.textContent);
  }
  document.querySelectorAll('[aria-label], [title], [placeholder]').forEach((e) => {
    for (const a of ['aria-label', 'title', 'placeholder']) if (e.getAttribute(a)) out.push(e.getAttribute(a));
  });
  return out;
}"""


def english_words(texts: list[str]) -> set[str]:
    words = set()
    for text in texts:
        # a licence's original beside its Thai; a file's path (data/strategy/) reads the same in both languages
        text = re.sub(r"\(ต้นฉบับ: [^()]*(\([^()]*\))?[^()]*\)|\S+/\S*", "", text)
        words |= set(re.findall(r"\b[A-Za-z]{3,}\b", text))
    return words - NAMES


def test_english_words_are_found_on_an_english_page(served_app, page):
    page.goto(f"{served_app}/profile?lang=en&province=60")
    wait_for_app(page, 60000)
    page.wait_for_function("() => window.__provdataWordsOn", timeout=30000)
    assert {"Skip", "Sidebar", "Source"} <= english_words(page.evaluate(SHOWN))  # the check below can fail


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.url_path)
def test_a_thai_page_reads_in_thai_streamlits_own_words_included(served_app, page, spec):
    extra = PARAMS.get(spec.url_path)
    page.goto(f"{served_app}/{spec.url_path}?lang=th" + (f"&{extra}" if extra else ""))
    wait_for_app(page, 60000)
    page.wait_for_function(
        "() => document.documentElement.lang === 'th' && window.__provdataWordsOn", timeout=30000
    )
    page.wait_for_timeout(500)  # the last of the page's elements drawn after the script has run
    texts = page.evaluate(SHOWN)
    assert english_words(texts) == set()
    assert "ข้ามไปยังเนื้อหาหลัก" in texts  # Streamlit's skip link, in Thai


def test_streamlits_words_follow_the_language_switch(served_app, page):
    page.goto(f"{served_app}/profile?lang=th&province=60")
    wait_for_app(page, 60000)
    page.wait_for_function("() => window.__provdataWordsOn", timeout=30000)
    skip = page.locator("a", has_text=re.compile("^(ข้ามไปยังเนื้อหาหลัก|Skip to main content)$"))
    assert skip.first.text_content() == "ข้ามไปยังเนื้อหาหลัก"
    page.get_by_text("English", exact=True).click()
    page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=30000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('a')].some((a) => a.textContent === 'Skip to main content')",
        timeout=30000,
    )
    assert "Collapse sidebar" in page.evaluate(SHOWN)
