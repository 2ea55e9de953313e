"""The data catalogue and its downloads: the catalogue frame, the selection and every file format keep
the published figures exactly (checked against data/seed/), and the page as a user drives it (AppTest)."""

from __future__ import annotations

import datetime as dt
import io
import json
import tomllib
import zipfile

import pandas as pd
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from provdata.strategy import readiness
from provdata.views import catalog
from provdata.views.exports import (
    About,
    about_sources,
    data_package,
    datapackage,
    to_csv,
    to_excel,
    to_parquet,
)
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse
from tests.conftest import ROOT

SEED = ROOT / "data" / "seed"
#: Indicators declared by the recipes of data/recipes/ (their figures come from the raw files in data/inbox/).
RECIPE_IDS = {
    i["id"]
    for p in (ROOT / "data" / "recipes").glob("*.toml")
    for i in tomllib.loads(p.read_text(encoding="utf-8")).get("indicator", [])
}
#: Seed indicators whose series a recipe extends (data/seed/indicators.csv names the recipe's source after the
#: seed's): MOTS's tourism series, 2023 summed from the monthly tables (tests/warehouse/test_recipes_tourism.py).
EXTENDED_BY = "mots_domestic_tourism_monthly_nnexttt"
EXTENDED = set(
    pd.read_csv(SEED / "indicators.csv").query("source_id.str.contains(@EXTENDED_BY)").indicator_id
)


@pytest.fixture(scope="module")
def seed() -> pd.DataFrame:
    """The published province figures as text, exactly as shipped."""
    return pd.read_csv(SEED / "observations.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def wh(real_warehouse) -> Warehouse:
    return Warehouse(real_warehouse)


@pytest.fixture(scope="module")
def full(wh) -> pd.DataFrame:
    codes = queries.provinces(wh)["code"].tolist()
    return catalog.build_catalog(
        queries.indicators(wh), queries.province_years(wh), codes, queries.calendar(wh, dt.date(2026, 12, 6))
    )


def seed_value(seed: pd.DataFrame, indicator: str, code: str, year: int) -> str:
    row = seed[(seed.indicator_id == indicator) & (seed.province_code == code) & (seed.year == str(year))]
    assert len(row) == 1
    return row.value.iloc[0]


def make_files(wh, full, ids, codes, first, last, lang="en"):
    rows = queries.selection(wh, ids, codes, first, last)
    data = catalog.tidy(rows, full, queries.provinces(wh), lang)
    sources = queries.sources(wh)
    used = set(data.source_id)
    about = About(
        title="provdata test extract",
        filters={"indicators": ",".join(ids), "provinces": ",".join(codes), "years": f"{first}–{last}"},
        sources=about_sources(sources, used, lang),
        build_id="TESTBUILD",
    )
    return data, about, catalog.indicator_metadata(full, ids), sources[sources.id.isin(used)]


def unzip(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


# --- the catalogue frame ---


def test_catalog_lists_every_indicator_of_the_seed(full):
    shipped = pd.read_csv(SEED / "indicators.csv")
    assert len(full) == len(shipped) + len(RECIPE_IDS) == 30 + len(RECIPE_IDS)
    assert set(full.id) == set(shipped.indicator_id) | RECIPE_IDS
    assert full.name_th.str.len().gt(0).all() and full.definition_th.str.len().gt(0).all()


def test_coverage_and_years_match_the_seed(full, seed):
    by_id = full.set_index("id")
    # population_registered: DOPA's December files (recipe dopa_population_houses_psitthirat) extend it to 2024
    extended = {"population_registered": 2024}
    for iid, rows in seed.groupby("indicator_id"):
        years = rows.year.astype(int)
        if iid in EXTENDED:  # a recipe extends the seed's series: 2023 from MOTS's monthly tables
            years = pd.concat([years, pd.Series([2023])])
        assert by_id.loc[iid, "first_year"] == years.min(), iid
        assert by_id.loc[iid, "last_year"] == extended.get(iid, years.max()), iid
        assert by_id.loc[iid, "n_provinces"] == rows.province_code.nunique(), iid
    assert by_id.loc["rice_offseason_yield_kg_per_rai", "n_provinces"] == 74
    assert by_id.loc["hotel_occupancy_rate_pct", "last_year"] == 2022  # a rate: never summed from the months


def test_readiness_counts_are_the_readiness_rule_over_77_provinces(full, seed, wh):
    # Was judged against the latest year of any figure (2022); now on today's date through the release calendar
    calendar = queries.calendar(wh, dt.date(2026, 12, 6))
    codes = pd.read_csv(SEED / "provinces.csv", dtype=str).province_code.tolist()
    assert len(codes) == 77
    assert (full.ready_a + full.ready_b + full.ready_c == 77).all()
    for iid in ("boi_applications_investment_mb", "rice_offseason_yield_kg_per_rai", "gpp_current_mb"):
        rows = seed[seed.indicator_id == iid]
        grades = [
            readiness.assess(
                rows[rows.province_code == c].year.astype(int).tolist(),
                calendar.schedule(iid),
                calendar.today,
            ).grade
            for c in codes
        ]
        got = full.set_index("id").loc[iid]
        assert (got.ready_a, got.ready_b, got.ready_c) == tuple(grades.count(g) for g in "ABC"), iid
    gpp = full.set_index("id").loc["gpp_current_mb"]
    # Was (77, 0, 0): GPP ends 2020, older than 2021 on 6 Dec 2026 (NESDC's release lag is not known: by age)
    assert (gpp.ready_a, gpp.ready_b, gpp.ready_c) == (0, 77, 0)
    rice = full.set_index("id").loc["rice_offseason_yield_kg_per_rai"]
    assert rice.ready_c == 3  # 74 provinces have a figure


def test_theme_filter_and_search(full):
    shipped = pd.read_csv(SEED / "indicators.csv")
    agri = catalog.filter_catalog(full, "agriculture")
    # 8 from the seed, and the number of farms (OAE land-use recipes)
    assert len(agri) == (shipped.theme == "agriculture").sum() + 1 == 9
    assert "farm_holdings" in set(agri.id)
    rice = catalog.filter_catalog(full, "all", "rice")
    assert set(rice.id) == {i for i in full.id if i.startswith("rice_")}  # "prices" is not "rice"
    assert set(catalog.filter_catalog(full, "all", "ข้าว").id) >= set(rice.id)  # Thai names
    assert set(catalog.filter_catalog(full, "all", "OFF-SEASON yield").id) == {
        "rice_offseason_yield_kg_per_rai"
    }
    assert catalog.filter_catalog(full, "health", "rice").empty
    assert len(catalog.filter_catalog(full, "all", "")) == 30 + len(RECIPE_IDS)


def test_catalog_table_in_each_language_and_era(full):
    en = catalog.catalog_table(full, "en", "ce").set_index("Id")
    assert en.loc["gpp_current_mb", "Indicator"] == "Gross provincial product at current market prices"
    assert en.loc["gpp_current_mb", "Years"] == "1995–2020"
    assert en.loc["gpp_current_mb", "Licence (as stated upstream)"].startswith("CC0-1.0")
    th = catalog.catalog_table(full, "th", "be").set_index("รหัส")
    assert th.loc["gpp_current_mb", "ตัวชี้วัด"] == "ผลิตภัณฑ์มวลรวมจังหวัด ณ ราคาประจำปี"
    assert th.loc["gpp_current_mb", "ปี"] == "2538–2563"
    assert th.loc["dhf_cases", "จำนวนจังหวัดที่มีข้อมูล"] == 77
    # the licence as stated upstream, in Thai with the original beside it
    assert th.loc["gpp_current_mb", "สัญญาอนุญาต (ตามที่ต้นทางระบุ)"] == (
        "CC0-1.0 สละสิทธิ์ทั้งหมด (ตามไฟล์ LICENSE.md ของคลังข้อมูล) (ต้นฉบับ: CC0-1.0 (LICENSE.md of the repository))"
    )
    assert th.loc["dhf_cases", "สัญญาอนุญาต (ตามที่ต้นทางระบุ)"] == "ไม่ได้ระบุสัญญาอนุญาต (ต้นฉบับ: none stated)"


# --- the selection and its files: exact figures ---


def test_every_published_figure_survives_the_data_package_unchanged(wh, full, seed):
    ids = [i for i in full.id if i not in RECIPE_IDS]  # the seed's; test_recipes checks the recipes' figures
    codes = queries.provinces(wh).code.tolist()
    data, about, meta, sources = make_files(wh, full, ids, codes, 1900, 2100)
    # the seed's rows, registered population 2021-2024 of the 77 provinces from DOPA's December files (its
    # 2014-2020 figures there are the seed's, to the unit: test_recipes_dopa), and 2023 of the extended tourism series
    assert len(data) == len(seed) + 77 * 4 + 77 * len(EXTENDED) == 26418 + 308 + 77 * 7
    files = unzip(data_package(data, about, meta, sources, "en", "provdata-all"))
    out = pd.read_csv(io.BytesIO(files["data.csv"]), dtype={"province_code": str})
    extended = out.source_id == EXTENDED_BY
    assert set(out[extended].year) == {2023} and set(out[extended].indicator_id) == EXTENDED
    out = out[~extended]
    merged = seed.merge(
        out, left_on=["indicator_id", "province_code", "year"],
        right_on=["indicator_id", "province_code", out.year.astype(str)], how="outer", indicator=True,
    )  # fmt: skip
    extra = merged[merged["_merge"] == "right_only"]
    assert set(extra.indicator_id) == {"population_registered"}
    assert sorted(set(extra.year_y)) == [2021, 2022, 2023, 2024]
    merged = merged[merged["_merge"] != "right_only"]
    assert (merged["_merge"] == "both").all()
    assert (merged.value_x.astype(float) == merged.value_y).all()  # every value exactly as published


def test_csv_excel_parquet_and_package_keep_an_exact_value(wh, full, seed):
    published = seed_value(seed, "human_achievement_index", "60", 2019)
    assert published == "0.623759289"
    data, about, meta, sources = make_files(
        wh, full, ["human_achievement_index", "gpp_current_mb"], ["60", "62"], 2019, 2020
    )
    row = data[
        (data.indicator_id == "human_achievement_index") & (data.province_code == "60") & (data.year == 2019)
    ]
    assert row.value.iloc[0] == float(published)
    assert row.province_name.iloc[0] == "Nakhon Sawan" and row.unit.iloc[0] == "index (0-1)"

    csv_bytes = to_csv(data, about)
    assert csv_bytes.startswith(
        b"\xef\xbb\xbfindicator_id,province_code,province_name,year,value,unit,source_id\r\n"
    )
    csv_text = csv_bytes.decode("utf-8-sig")
    assert f",{published}," in csv_text and ",111440.702788," in csv_text
    assert "#" not in csv_text and "TESTBUILD" not in csv_text  # the metadata is beside the table
    back = pd.read_csv(io.BytesIO(csv_bytes), dtype={"province_code": str})  # pandas defaults
    pd.testing.assert_frame_equal(back, data)

    book = pd.read_excel(
        io.BytesIO(to_excel(data, about)), sheet_name=None, dtype={"province_code": str}, engine="openpyxl"
    )
    assert book["data"]["value"].tolist() == data["value"].tolist()

    pq = pd.read_parquet(io.BytesIO(to_parquet(data, about)))
    pd.testing.assert_frame_equal(pq, data)
    about_rows = dict(map(tuple, pq.attrs["about"]))
    assert about_rows["warehouse build"] == "TESTBUILD" and about_rows["filter: provinces"] == "60,62"
    assert any("NESDC" in s for k, s in pq.attrs["about"] if k == "source")

    files = unzip(data_package(data, about, meta, sources, "en", "provdata test"))
    assert set(files) == {"data.csv", "datapackage.json", "README.md", "CITATION.cff"}
    assert files["data.csv"].startswith(b"\xef\xbb\xbfindicator_id,")  # a BOM: spreadsheets read the Thai
    assert (
        f"human_achievement_index,60,Nakhon Sawan,2019,{published},index (0-1)," in files["data.csv"].decode()
    )


def test_datapackage_json_follows_the_frictionless_descriptor(wh, full):
    data, about, meta, sources = make_files(wh, full, ["gpp_current_mb", "dhf_cases"], ["60"], 2019, 2020)
    files = unzip(data_package(data, about, meta, sources, "en", "provdata test/extract"))
    pkg = json.loads(files["datapackage.json"])
    assert pkg["name"] == "provdata-test-extract" and pkg["title"] == "provdata test extract"
    res = pkg["resources"][0]
    assert res["path"] == "data.csv" and res["profile"] == "tabular-data-resource"
    fields = {f["name"]: f for f in res["schema"]["fields"]}
    assert list(fields) == list(catalog.TIDY_COLUMNS)
    assert fields["value"]["type"] == "number" and fields["year"]["type"] == "integer"
    assert fields["province_code"]["type"] == "string" and all(f["description"] for f in fields.values())
    assert {s["id"] for s in pkg["sources"]} == {"nesdc_gpp_econvis", "boe_dengue_senior_spatial"}
    assert all(s["title"] for s in pkg["sources"])
    gpp_src = next(s for s in pkg["sources"] if s["id"] == "nesdc_gpp_econvis")
    assert gpp_src["path"] == "https://github.com/phat-ap/econvis"
    # only the stated licence with an identifier becomes a licence; "none stated" stays on its source
    assert [lic["name"] for lic in pkg["licenses"]] == ["CC0-1.0"]
    assert (
        next(s for s in pkg["sources"] if s["id"] == "boe_dengue_senior_spatial")["license"] == "none stated"
    )
    assert [i["id"] for i in pkg["indicators"]] == ["gpp_current_mb", "dhf_cases"]
    gpp = pkg["indicators"][0]
    assert gpp["name_th"] == "ผลิตภัณฑ์มวลรวมจังหวัด ณ ราคาประจำปี" and gpp["first_year"] == 1995
    assert gpp["license"].startswith("CC0-1.0") and gpp["source_ids"] == ["nesdc_gpp_econvis"]

    readme = files["README.md"].decode()
    assert "# provdata test extract" in readme and "How to cite" in readme and "TESTBUILD" in readme
    assert "none stated" in readme and "ask the agency" in readme
    cff = yaml.safe_load(files["CITATION.cff"])
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset" and cff["version"] == "TESTBUILD"
    assert {a["name"] for a in cff["authors"]} == {
        "Office of the National Economic and Social Development Council",
        "Department of Disease Control (Division of Epidemiology)",
    }
    assert "license" not in cff  # one source states no licence
    readme_th = unzip(data_package(data, about, meta, sources, "th", "provdata test/extract"))[
        "README.md"
    ].decode()
    assert "- boe_dengue_senior_spatial: ไม่ได้ระบุสัญญาอนุญาต (ต้นฉบับ: none stated)" in readme_th
    # the machine-readable licence stays as stated
    th_pkg = json.loads(unzip(data_package(data, about, meta, sources, "th", "x"))["datapackage.json"])
    assert (
        next(s for s in th_pkg["sources"] if s["id"] == "boe_dengue_senior_spatial")["license"]
        == "none stated"
    )


def test_a_package_of_only_stated_licences_names_them(wh, full):
    data, about, meta, sources = make_files(wh, full, ["gpp_current_mb"], ["60"], 2020, 2020, lang="th")
    pkg = datapackage(data, about, meta, sources, "th", "x")
    assert pkg["licenses"] == [
        {"name": "CC0-1.0", "path": "https://creativecommons.org/publicdomain/zero/1.0/", "title": "CC0-1.0"}
    ]
    files = unzip(data_package(data, about, meta, sources, "th", "x"))
    assert yaml.safe_load(files["CITATION.cff"])["license"] == ["CC0-1.0"]
    readme = files["README.md"].decode()
    assert "วิธีอ้างอิง" in readme and "สำนักงานสภาพัฒนาการเศรษฐกิจและสังคมแห่งชาติ" in readme
    assert "นครสวรรค์,2020,111440.702788,ล้านบาท" in files["data.csv"].decode()


def test_preview_shows_the_published_text_of_every_figure(wh, full, seed):
    data, *_ = make_files(wh, full, ["gpp_current_mb", "population_registered", "human_achievement_index"],
                          ["14", "60"], 2015, 2020)  # fmt: skip
    shown = catalog.preview(data).merge(
        seed.astype({"year": int}), left_on=["indicator_id", "province_code", "year"],
        right_on=["indicator_id", "province_code", "year"],
    )  # fmt: skip
    assert len(shown) == len(data) == 2 * 3 * 6  # every year 2015-2020 is published for both provinces
    assert (shown.value_x == shown.value_y).all()
    assert catalog.exact_text(405464.270514) == "405464.270514" and catalog.exact_text(1073495.0) == "1073495"


def test_selection_years_span_the_chosen_indicators(full):
    assert catalog.selection_years(full, ["tourism_receipts_mb"]) == [2019, 2020, 2021, 2022, 2023]
    assert catalog.selection_years(full, ["gpp_current_mb", "tourism_receipts_mb"])[::27] == [1995, 2022]
    assert catalog.selection_years(full, []) == []


# --- the page (AppTest, real warehouse) ---


@pytest.fixture
def real(real_warehouse, use_warehouse):
    use_warehouse(real_warehouse)


def open_catalog(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page("pages/catalog.py")
    at.run()
    assert not at.exception, at.exception
    return at


def param(at: AppTest, key: str):
    value = at.query_params[key]
    return value[0] if isinstance(value, list) else value


def test_page_lists_every_indicator_with_exact_counts(real):
    n = len(pd.read_csv(SEED / "indicators.csv")) + len(RECIPE_IDS)
    at = open_catalog(lang="en")
    table = at.dataframe[0].value
    assert len(table) == n == 30 + len(RECIPE_IDS)
    assert f"{n} of {n} indicators" in [c.value for c in at.caption]
    gpp = table.set_index("Id").loc["gpp_current_mb"]
    # Was "A ready" 77 (judged against the warehouse's latest year): on 6 Dec 2026 GPP to 2020 is older than 2021
    assert gpp["Provinces covered"] == 77 and gpp["B partial"] == 77 and gpp["Years"] == "1995–2020"
    assert gpp["Release calendar"] == (
        "latest figure 2020 · annual; when it is published is not known: never called overdue"
    )
    pop = table.set_index("Id").loc["population_registered"]
    # was "overdue since 1 Feb 2022 (2021–2025 missing)" before DOPA's December files brought it to 2024
    assert pop["Release calendar"] == (
        "latest figure 2024 · overdue since 1 Feb 2026 (2025 missing); annual, usually out 1 month after the "
        "year ends: next figure 2026, due by 31 Jan 2027"
    )
    rice = table.set_index("Id").loc["rice_offseason_yield_kg_per_rai"]
    assert rice["Provinces covered"] == 74 and rice["C none"] == 3


def test_theme_search_and_the_shown_indicators_become_the_selection(real):
    at = open_catalog(lang="en")
    at.selectbox(key="theme.en.ce").set_value("agriculture").run()
    assert len(at.dataframe[0].value) == 9  # 8 seed indicators and the number of farms (OAE land use)
    at.text_input(key="q.en.ce").set_value("off-season").run()
    shown = at.dataframe[0].value["Id"].tolist()
    assert len(shown) == 4 and all(i.startswith("rice_offseason") for i in shown)
    assert param(at, "theme") == "agriculture" and param(at, "q") == "off-season"
    at.button(key="use_filtered").click().run()
    assert at.multiselect(key="indicators.en.ce").value == shown
    assert param(at, "indicators") == ",".join(shown)
    # the selection of all 77 provinces over the indicators' years, exact figures
    data = at.dataframe[1].value
    assert set(data.indicator_id) == set(shown) and data.province_code.nunique() == 75
    assert param(at, "from") == "2002" and param(at, "to") == "2016"


def test_language_switch_shows_english_names(real):
    at = open_catalog(lang="th")
    table = at.dataframe[0].value
    assert "ผลิตภัณฑ์มวลรวมจังหวัด ณ ราคาประจำปี" in table["ตัวชี้วัด"].tolist()
    assert table.set_index("รหัส").loc["gpp_current_mb", "ปี"] == "2538–2563"
    at.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Data catalogue and downloads"
    table = at.dataframe[0].value
    assert "Gross provincial product at current market prices" in table["Indicator"].tolist()
    assert table.set_index("Id").loc["gpp_current_mb", "Years"] == "1995–2020"


def test_deep_link_reproduces_a_download_selection(real, seed):
    at = open_catalog(
        lang="en", indicators="gpp_current_mb,nope", cohort="pilot", **{"from": "2020", "to": "2020"}
    )
    assert any("indicators=nope" in w.value for w in at.warning)
    assert at.radio(key="cohort.en.ce").value == "pilot"
    data = at.dataframe[1].value
    assert len(data) == 10 and set(data.province_code) == {
        "14",
        "15",
        "16",
        "17",
        "18",
        "25",
        "26",
        "60",
        "61",
        "62",
    }
    row = data[data.province_code == "60"].iloc[0]
    assert row["value"] == seed_value(seed, "gpp_current_mb", "60", 2020) == "111440.702788"  # as published
    assert data[data.province_code == "14"].iloc[0]["value"] == seed_value(seed, "gpp_current_mb", "14", 2020)
    assert "10 figures · 1 indicators · 10 provinces · 2020–2020" in " ".join(c.value for c in at.caption)


def test_no_indicator_picked_asks_for_one(real):
    at = open_catalog(lang="en", indicators="gpp_current_mb")
    at.multiselect(key="indicators.en.ce").set_value([]).run()
    assert not at.exception
    assert "Pick at least one indicator" in at.info[0].value
