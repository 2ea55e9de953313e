"""The catalogue in Chromium: a deep link reproduces a download selection and the data package arrives
with its four files and the published figures unchanged."""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import pytest
from playwright.sync_api import expect

from tests.conftest import ROOT, download, wait_for_app
from tests.views.test_catalog import RECIPE_IDS

pytestmark = pytest.mark.browser


def test_catalog_downloads_the_data_package(served_app, page):
    page.goto(
        f"{served_app}/catalog?lang=en&indicators=gpp_current_mb,human_achievement_index&cohort=pilot&from=2019&to=2020"
    )
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Data catalogue and downloads", exact=True)).to_be_visible(
        timeout=30000
    )
    n = 30 + len(RECIPE_IDS)  # data/seed's and those the recipes of data/recipes/ declare
    expect(page.get_by_text(f"{n} of {n} indicators")).to_be_visible()
    expect(page.get_by_text("40 figures · 2 indicators · 10 provinces", exact=False)).to_be_visible()
    button = page.get_by_role("button", name="Download data package (zip)")
    expect(button).to_be_visible(timeout=30000)
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible(timeout=30000)
    # the grid draws its header row once its data has arrived (the screenshot shows it drawn)
    expect(page.locator('[data-testid="stDataFrame"] [role="columnheader"]').first).to_be_attached(
        timeout=30000
    )
    page.screenshot(path=str(ROOT / ".pytest_cache" / "catalog-en.png"), full_page=True)
    dl = download(page, button)
    assert dl.suggested_filename == "provdata-2-indicators-pilot-2019-2020.zip"
    with zipfile.ZipFile(dl.path()) as zf:
        files = {name: zf.read(name) for name in zf.namelist()}
    assert set(files) == {"data.csv", "datapackage.json", "README.md", "CITATION.cff"}
    data = pd.read_csv(io.BytesIO(files["data.csv"]), dtype={"province_code": str})
    assert len(data) == 40 and data.province_code.nunique() == 10
    seed = pd.read_csv(ROOT / "data" / "seed" / "observations.csv", dtype=str)
    published = seed[
        (seed.indicator_id == "human_achievement_index")
        & (seed.province_code == "60")
        & (seed.year == "2019")
    ].value.iloc[0]
    assert f"human_achievement_index,60,Nakhon Sawan,2019,{published}," in files["data.csv"].decode()
    pkg = json.loads(files["datapackage.json"])
    assert pkg["resources"][0]["path"] == "data.csv"
    assert [f["name"] for f in pkg["resources"][0]["schema"]["fields"]] == list(data.columns)
    assert {s["id"] for s in pkg["sources"]} == {"nesdc_gpp_econvis", "nesdc_hai_econvis"}
    assert "filter: " not in files["README.md"].decode() and "## How to cite" in files["README.md"].decode()
