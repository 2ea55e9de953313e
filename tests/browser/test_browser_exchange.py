"""The upload wizard in Chromium, in Thai: a steward signs in, uploads a wide Thai workbook (12 provinces × 8
Buddhist-era year columns, DOPA's registered population), says which indicator it is, sees the preview,
downloads the tidy rows, publishes, and the profile shows the new figure; the same server answers the API."""

from __future__ import annotations

import io
import json
import re
import urllib.request

import openpyxl
import pandas as pd
import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, ROOT, download, make_exchange_env, serving, wait_for_app

pytestmark = pytest.mark.browser
POP = "population_registered"


def wide_thai_workbook(warehouse_codes: list[str], held: dict) -> bytes:
    """Registered population 2556–2563 for every province of the test warehouse, as DOPA lays it out; the
    figures are the published ones (data/seed), so only the four held back are new."""
    seed = pd.read_csv(ROOT / "data" / "seed" / "observations.csv", dtype={"province_code": str})
    pop = seed[(seed.indicator_id == POP) & seed.year.between(2013, 2020)]
    names = pd.read_csv(ROOT / "geo" / "provinces.csv", dtype={"province_code": str}).set_index(
        "province_code"
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ประชากรรายจังหวัด"
    ws.append(["จำนวนประชากรตามหลักฐานการทะเบียนราษฎร (คน)"])
    ws.append(["จังหวัด", *[f"พ.ศ. {y + 543}" for y in range(2013, 2021)]])
    ws.append(["ทั่วราชอาณาจักร", *[None] * 8])
    for code in warehouse_codes:
        by_year = pop[pop.province_code == code].set_index("year").value
        ws.append([f"จังหวัด{names.loc[code, 'name_th']}", *[f"{by_year[y]:,.0f}" for y in range(2013, 2021)]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def exchange_app(tmp_path, monkeypatch):
    env = make_exchange_env(tmp_path)
    for k, v in env.env().items():
        monkeypatch.setenv(k, v)
    with serving(env.warehouse, "exchange") as base:
        yield base, env


@pytest.mark.slow
def test_steward_uploads_a_wide_thai_workbook_and_publishes_it(exchange_app, page):
    base, env = exchange_app
    codes = ["10", "14", "15", "16", "17", "18", "25", "26", "50", "60", "61", "62"]
    data = wide_thai_workbook(codes, env.held_back)
    page.goto(f"{base}/exchange?lang=th")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="แลกเปลี่ยนข้อมูล", exact=True)).to_be_visible(timeout=30000)
    page.locator(".st-key-login_user input").fill("dopa-steward")
    page.locator(".st-key-login_password input").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ", exact=True).click()
    expect(page.get_by_text("เข้าสู่ระบบเป็น dopa-steward")).to_be_visible(timeout=30000)

    page.locator('.st-key-upload_file input[type="file"]').set_input_files(
        files=[{"name": "ประชากร 2556-2563.xlsx", "mimeType": "application/octet-stream", "buffer": data}]
    )
    alert = page.get_by_test_id("stAlertContentError")
    expect(alert).to_contain_text("which indicator the year columns hold", timeout=30000)
    wait_for_app(page)
    # the combobox itself, not the middle of its block (the help icon's tooltip can take the click)
    page.get_by_role("combobox", name="ตัวชี้วัดของทั้งตาราง").click()
    page.keyboard.type(POP)
    page.get_by_role("option", name=re.compile(re.escape(POP))).first.click()
    metrics = page.locator('[data-testid="stMetric"]')
    expect(metrics.filter(has_text="จะเผยแพร่")).to_contain_text("4", timeout=30000)
    expect(metrics.filter(has_text="ไม่เปลี่ยนแปลง")).to_contain_text("92")  # 12 × 8 − 4 already published
    expect(metrics.filter(has_text="ข้าม")).to_contain_text("1")  # the whole-kingdom row
    wait_for_app(page)
    dl = download(page, page.get_by_role("button", name="ดาวน์โหลดแถวที่จะเผยแพร่ (CSV)"))
    tidy = pd.read_csv(dl.path(), dtype={"province_code": str})
    assert list(tidy.columns) == ["province_code", "year", "indicator_id", "value"]
    assert {(r.province_code, r.year): r.value for r in tidy.itertuples()} == env.held_back
    page.screenshot(path=str(ROOT / ".pytest_cache" / "exchange-preview-th.png"), full_page=True)

    page.get_by_role("button", name="เผยแพร่ 4 แถว").click()
    expect(page.get_by_text("เผยแพร่แล้วเป็นชุดที่ 101")).to_be_visible(timeout=60000)

    page.goto(f"{base}/profile?lang=th&province=60&indicator={POP}")
    wait_for_app(page)
    table = page.locator('[data-testid="stMain"] [data-testid="stTable"]').first
    expect(table.locator("tr", has_text="2563").first).to_contain_text("1,040,308", timeout=30000)
    with urllib.request.urlopen(
        f"{base}/api/v1/observations?indicator={POP}&province=62&from=2019&to=2019"
    ) as r:
        body = json.load(r)
    assert body["data"][0]["value"] == env.held_back["62", 2019] and body["data"][0]["load_id"] == 101
