"""Map, trends and compare in Chromium: the map canvas and charts are drawn, deep links reproduce the
view, downloads arrive with the right rows and their sources."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from urllib.parse import urlsplit

import pandas as pd
import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.conftest import ROOT, download, wait_for_app

pytestmark = pytest.mark.browser


def distinct_colours(png: bytes) -> int:
    img = Image.open(io.BytesIO(png)).convert("RGB").resize((200, 200))
    return len(img.getcolors(maxcolors=200 * 200) or [])


def painted(element, colours: int, timeout: float = 30) -> bytes:
    """Screenshots of ``element`` until one shows more than ``colours`` colours (or ``timeout`` s have passed);
    the last one."""
    deadline = time.monotonic() + timeout
    while True:
        png = element.screenshot()
        if distinct_colours(png) > colours or time.monotonic() > deadline:
            return png
        time.sleep(0.2)


def test_map_deep_link_draws_the_map_and_downloads_its_rows(served_app, page):
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    page.goto(f"{served_app}/map?lang=th&indicator=gpp_current_mb&year=2020")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="แผนที่", exact=True)).to_be_visible(timeout=30000)
    # first the static picture, with its text alternative
    picture = page.get_by_role("img", name="แผนที่ผลิตภัณฑ์มวลรวมจังหวัด", exact=False)
    expect(picture).to_be_visible(timeout=30000)
    assert picture.evaluate("img => img.complete && img.naturalWidth") == 347
    png = picture.screenshot()
    (ROOT / ".pytest_cache" / "map-gpp-2020-th-picture.png").write_bytes(png)
    assert distinct_colours(png) > 5, "the choropleth picture is drawn"
    # the figures behind it open on request, and the URL keeps them open
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(0)
    page.get_by_text("ตัวเลขเบื้องหลังแผนที่: 77 พื้นที่", exact=True).click()
    expect(page.locator('[data-testid="stDataFrame"]')).to_be_visible(timeout=30000)
    expect(page).to_have_url(re.compile(r"[?&]table=1"))
    # then the interactive map, a switch away, drawn by WebGL
    page.get_by_text("แผนที่แบบโต้ตอบ", exact=True).click()
    chart = page.locator('[data-testid="stDeckGlJsonChart"]')
    expect(chart.locator("canvas").first).to_be_visible(timeout=30000)
    expect(picture).to_have_count(0)
    png = painted(chart, colours=20)  # WebGL paints after the element appears
    (ROOT / ".pytest_cache" / "map-gpp-2020-th.png").write_bytes(png)
    assert distinct_colours(png) > 20, "the choropleth is drawn, not a blank canvas"
    assert "interactive=1" in page.url
    # no basemap: with a pydeck map_style of None Streamlit fetches Carto's style and tiles from the internet
    assert hosts == {"127.0.0.1"}, f"the map page asked other hosts: {sorted(hosts - {'127.0.0.1'})}"
    # the deep link reproduced the selection
    expect(page.get_by_text("ปี: 2563 (พ.ศ.)", exact=False)).to_be_visible()
    dl = download(page, page.get_by_role("button", name="ดาวน์โหลด CSV"))
    data = pd.read_csv(dl.path(), dtype={"รหัส": str})  # a plain table: pandas defaults read it
    assert len(data) == 77
    row = data[data["รหัส"] == "60"].iloc[0]
    assert row["ค่า (ล้านบาท)"] == 111440.702788 and row["อันดับ"] == 24
    assert (row["year"], row["ปี พ.ศ."]) == (2020, 2563)
    # the sources travel beside the table, in the CSV-with-metadata zip
    with zipfile.ZipFile(
        download(page, page.get_by_role("button", name="CSV พร้อมคำอธิบายข้อมูล (zip)")).path()
    ) as zf:
        assert zf.read("data.csv") == open(dl.path(), "rb").read()
        meta = json.loads(zf.read("metadata.json"))
    assert any("สศช." in s for s in meta["sources"])


def test_trends_deep_link_reproduces_provinces_and_draws_the_chart(served_app, page):
    page.goto(f"{served_app}/trends?lang=en&indicator=lfs_q4_unemployed&provinces=60,62&mode=index&base=2014")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Trends", exact=True)).to_be_visible(timeout=30000)
    picked = page.locator('[data-testid="stMultiSelect"]')
    expect(picked).to_contain_text("Nakhon Sawan (60)")
    expect(picked).to_contain_text("Kamphaeng Phet (62)")
    expect(page.locator('[data-testid="stVegaLiteChart"] svg.marks').first).to_be_visible(timeout=30000)
    expect(page.get_by_text("Series break between 2013 and 2014", exact=False)).to_be_visible()
    book = pd.read_excel(download(page, page.get_by_role("button", name="Download Excel")).path(), sheet_name=None,
                         engine="openpyxl")  # fmt: skip
    assert set(book) == {"data", "about"}
    about = dict(zip(book["about"]["field"], book["about"]["value"], strict=True))
    assert about["filter: provinces"] == "60,62" and about["filter: mode"] == "index 2014"


def test_compare_heatmap_is_drawn_in_thai(served_app, page):
    page.goto(f"{served_app}/compare?lang=th&theme=health")
    wait_for_app(page)
    expect(page.locator('[data-testid="stVegaLiteChart"] svg.marks').first).to_be_visible(timeout=30000)
    expect(page.get_by_text("สาธารณสุข: คะแนนของจังหวัดที่เลือก")).to_be_visible()
    assert page.evaluate(
        "async () => { await document.fonts.ready; return document.fonts.check('16px Sarabun', 'สาธารณสุข'); }"
    )


def test_statistics_chart_graph_is_drawn_in_thai(served_app, page):
    page.goto(f"{served_app}/chart?lang=th&province=60")
    wait_for_app(page)
    graphs = page.locator('[data-testid="stGraphVizChart"] svg')
    expect(graphs.first).to_be_visible(timeout=30000)
    expect(graphs).to_have_count(3)  # one per strategic issue, each under its heading
    expect(graphs.first).to_contain_text("ผลผลิตข้าวต่อไร่สูงขึ้น")
    expect(page.get_by_role("heading", name="การท่องเที่ยวและการลงทุน")).to_be_visible()
    expect(page.get_by_text("ผังตัวอย่าง", exact=False)).to_be_visible()
    page.screenshot(path=str(ROOT / ".pytest_cache" / "chart-60-th.png"), full_page=True)
    plan = pd.read_excel(download(page, page.get_by_role("button", name="ดาวน์โหลด Excel")).path(), sheet_name="data",
                         engine="openpyxl")  # fmt: skip
    # 10 rows: MOTS's visitors and receipts are overdue since 1 May 2025 (its monthly file stops in September 2024)
    assert len(plan) == 10 and set(plan["ความพร้อม"]) == {
        "B",
        "C",
    }  # judged on 6 Dec 2026 by the release calendar
