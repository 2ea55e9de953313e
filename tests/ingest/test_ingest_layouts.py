"""Agency layouts: a sheet per year, two-line headers with units, codes of another numbering, long tables with
--where, the template, TSV with a BOM, float noise; the CLI's --dry-run --out gives the app's tidy rows."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from provdata.cli.main import main
from provdata.exchange import publish
from provdata.ingest import MappingError, Options, ProvinceNames, prepare, tables
from provdata.ingest.template import template_csv
from provdata.warehouse.db import Warehouse
from tests.conftest import ROOT

REAL = pd.read_csv(ROOT / "data" / "seed" / "observations.csv", dtype={"province_code": str})
IDS = set(pd.read_csv(ROOT / "data" / "seed" / "indicators.csv").indicator_id)
NAMES = ProvinceNames()


def published(code: str, year: int, indicator: str) -> float:
    hit = REAL[(REAL.province_code == code) & (REAL.year == year) & (REAL.indicator_id == indicator)]
    return hit.value.item()


def rice_workbook() -> bytes:
    """OAE-style: one sheet per Buddhist year, a title, two header lines (names, then units), a row number
    column (1, 2, 3 …: another numbering), a regional total, published figures."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for be in (2557, 2558):
        ws = wb.create_sheet(f"ปี {be}")
        ws.append([f"ตารางที่ 3 ข้าวนาปี รายจังหวัด ปีเพาะปลูก {be}"])
        ws.append([])
        ws.append(["ลำดับ", "จังหวัด", "เนื้อที่เพาะปลูก", "ผลผลิต"])
        ws.append(["", "", "(ไร่)", "(ตัน)"])
        ws.append(["", "ภาคเหนือ", "", ""])
        for i, code in enumerate(("62", "60", "61"), start=1):
            y = be - 543
            name = NAMES.display[
                next(k for k, v in NAMES.lookup.items() if v == code and "\u0e00" <= k[0] <= "\u0e7f")
            ]
            ws.append([i, name, published(code, y, "rice_inseason_planted_area_rai"),
                       published(code, y, "rice_inseason_production_t")])  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_sheet_per_year_with_two_line_headers_and_row_numbers():
    data = rice_workbook()
    found = tables(data, "oae.xlsx", Options(), NAMES, IDS)
    assert [t.sheet for t in found] == ["ปี 2557", "ปี 2558"]
    t0 = found[0]
    assert t0.sheet_year == 2014 and t0.header_rows == [2, 3]
    cols = {c.letter: (c.label, c.unit, c.role) for c in t0.columns}
    assert cols["A"] == ("ลำดับ", "", "skip") and cols["B"][2] == "province"
    assert cols["C"] == ("เนื้อที่เพาะปลูก", "ไร่", None) and cols["D"] == ("ผลผลิต", "ตัน", None)
    with pytest.raises(MappingError, match=r"which indicator column C “เนื้อที่เพาะปลูก” holds"):
        prepare(data, "oae.xlsx", Options(), NAMES, IDS)
    options = Options(
        maps=(("เนื้อที่เพาะปลูก", "rice_inseason_planted_area_rai"), ("D", "rice_inseason_production_t"))
    )
    tidy = prepare(data, "oae.xlsx", options, NAMES, IDS)
    got = {(r["province_code"], r["year"], r["indicator_id"]): r["value"] for r in tidy.rows}
    assert len(got) == 12
    assert got["60", 2015, "rice_inseason_production_t"] == published(
        "60", 2015, "rice_inseason_production_t"
    )
    assert got["61", 2014, "rice_inseason_planted_area_rai"] == published(
        "61", 2014, "rice_inseason_planted_area_rai"
    )
    assert [s["reason"] for s in tidy.skipped] == ["region or total row"] * 2
    assert any("another numbering scheme (row 6: '1' for กำแพงเพชร = DOPA 62)" in n for n in tidy.notes)


def test_a_code_column_of_another_scheme_is_never_taken_for_dopa_codes():
    # NSO-style sequence codes 01..: '60' here is Kamphaeng Phet's position, not Nakhon Sawan's DOPA code
    pop = published("62", 2020, "population_registered")
    text = f"รหัส,จังหวัด,2563\n60,กำแพงเพชร,{pop:.0f}\n"
    tidy = prepare(text.encode(), "x.csv", Options(indicator="population_registered"), NAMES, IDS)
    assert [(r["province_code"], r["year"], r["value"]) for r in tidy.rows] == [("62", 2020, pop)]


def test_codes_only_and_english_headers_with_float_noise_in_a_tsv_with_bom():
    v = published("60", 2020, "gpp_per_capita_baht")
    text = f"Province code\tYear\tIndicator_ID\tValue\n60\t2020\tgpp_per_capita_baht\t{v + 1e-11!r}\n"
    tidy = prepare(("\ufeff" + text).encode("utf-8"), "g.tsv", Options(), NAMES, IDS)
    assert [(r["province_code"], r["year"], r["indicator_id"], r["value"]) for r in tidy.rows] == [
        ("60", 2020, "gpp_per_capita_baht", v)
    ]


def test_long_table_filtered_with_where():
    pop = published("60", 2020, "population_registered")
    text = (
        f"Province,Year (B.E.),Sex,Population\nNakhon Sawan,2563,Total,{pop:.0f}\nNakhon Sawan,2563,Male,1\n"
    )
    options = Options(indicator="population_registered", where=(("Sex", "Total"),))
    tidy = prepare(text.encode(), "p.csv", options, NAMES, IDS)
    assert [(r["province_code"], r["year"], r["value"]) for r in tidy.rows] == [("60", 2020, pop)]
    assert tidy.skipped[0]["reason"] == "left out by --where"


def test_the_template_is_recognised_without_any_mapping():
    header = template_csv().decode("utf-8-sig").strip()
    v = published("15", 2019, "dhf_cases")
    text = f"{header}\n15,อ่างทอง,2562,dhf_cases,{v:.0f}\n"
    tidy = prepare(text.encode(), "t.csv", Options(), NAMES, IDS)
    assert [(r["province_code"], r["year"], r["indicator_id"], r["value"]) for r in tidy.rows] == [
        ("15", 2019, "dhf_cases", v)
    ]


def test_cli_dry_run_writes_the_same_tidy_rows_as_the_app(tmp_path, real_warehouse, use_warehouse, capsys):
    use_warehouse(real_warehouse)
    before = real_warehouse.read_bytes()
    path = tmp_path / "oae.xlsx"
    path.write_bytes(rice_workbook())
    out = tmp_path / "tidy.csv"
    argv = ["ingest", str(path), "--map", "เนื้อที่เพาะปลูก=rice_inseason_planted_area_rai", "--map",
            "D=rice_inseason_production_t", "--dry-run", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    printed = capsys.readouterr().out
    # the figures are the published ones: nothing to publish, every row reported unchanged
    assert "accepted: 0, flagged: 0, unchanged: 12, rejected: 0, skipped: 2" in printed
    options = Options(
        maps=(("เนื้อที่เพาะปลูก", "rice_inseason_planted_area_rai"), ("D", "rice_inseason_production_t"))
    )
    preview = publish.check(path.read_bytes(), "oae.xlsx", options, Warehouse(real_warehouse), None)
    assert out.read_bytes() == preview.tidy_csv()
    report = pd.read_csv(tmp_path / "tidy.report.csv", comment="#")
    assert sorted(report.outcome.unique()) == ["skipped", "unchanged"] and len(report) == 14
    assert real_warehouse.read_bytes() == before


def test_a_legacy_xls_workbook_with_thai_names_and_buddhist_years():
    """A genuine BIFF8 .xls (written with xlwt, as old agency systems export), read through python-calamine."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("ประชากร")
    for col, text in enumerate(["จังหวัด", "พ.ศ. 2562", "พ.ศ. 2563"]):
        sheet.write(0, col, text)
    for row, code in enumerate(("60", "61"), start=1):
        sheet.write(row, 0, {"60": "นครสวรรค์", "61": "อุทัยธานี"}[code])
        sheet.write(row, 1, published(code, 2019, "population_registered"))
        sheet.write(row, 2, published(code, 2020, "population_registered"))
    buf = io.BytesIO()
    book.save(buf)
    assert buf.getvalue()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # an OLE2 compound file, not XLSX
    tidy = prepare(buf.getvalue(), "pop.xls", Options(indicator="population_registered"), NAMES, IDS)
    assert {(r["province_code"], r["year"]): r["value"] for r in tidy.rows} == {
        (c, y): published(c, y, "population_registered") for c in ("60", "61") for y in (2019, 2020)
    }


def test_a_measure_merged_over_a_years_row_under_a_title():
    """Title, then each measure written once over its years (a merged cell shows in its first column only),
    then the years row 2557 2558 …: --map by measure takes every year column of it; unmapped are asked."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ข้าวนาปี รายจังหวัด ปีเพาะปลูก 2557-2558"])
    ws.append(["จังหวัด", "เนื้อที่เพาะปลูก (ไร่)", "", "ผลผลิต (ตัน)", ""])
    ws.append(["", "2557", "2558", "2557", "2558"])
    ws.append(["ภาคเหนือ", "", "", "", ""])
    for code, name in (("62", "กำแพงเพชร"), ("60", "นครสวรรค์")):
        ws.append([name, *(published(code, y, i) for i in ("rice_inseason_planted_area_rai",
                                                              "rice_inseason_production_t") for y in (2014, 2015))])  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    with pytest.raises(MappingError, match=r"which indicator the columns of 'ผลผลิต \(ตัน\)' hold \(2\)"):
        prepare(data, "rice.xlsx", Options(), NAMES, IDS)
    maps = (
        ("เนื้อที่เพาะปลูก (ไร่)", "rice_inseason_planted_area_rai"),
        ("ผลผลิต (ตัน)", "rice_inseason_production_t"),
    )
    tidy = prepare(data, "rice.xlsx", Options(maps=maps), NAMES, IDS)
    got = {(r["province_code"], r["year"], r["indicator_id"]): r["value"] for r in tidy.rows}
    assert len(got) == 8
    for (code, year, indicator), v in got.items():
        assert v == published(code, year, indicator)
    assert [s["reason"] for s in tidy.skipped] == ["region or total row"]
    (table,) = tables(data, "rice.xlsx", Options(), NAMES, IDS)
    assert [(c.label, c.year, c.measure) for c in table.columns[1:3]] == [
        ("เนื้อที่เพาะปลูก (ไร่) 2557", 2014, "เนื้อที่เพาะปลูก (ไร่)"),
        ("เนื้อที่เพาะปลูก (ไร่) 2558", 2015, "เนื้อที่เพาะปลูก (ไร่)"),
    ]


# ------------------------------------------- a crop year in the file or sheet name ("จังหวัด 54-55.xls")


def farm_workbook(sheet: str = "ก.") -> bytes:
    """A small OAE-style table whose title and columns say no year (the year is only in the file's name)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(["ก. สรุปรายได้ - รายจ่าย ของครัวเรือนเกษตร"])
    ws.append([])
    ws.append(["จังหวัด", "รายได้เงินสดเกษตร", "รายจ่ายเงินสดเกษตร"])
    ws.append(["ระดับประเทศ", 200000, 100000])
    ws.append(["นครสวรรค์", 180001.5, 90001])
    ws.append(["ชัยนาท", 150002, 70002])
    ws.append(["อุทัยธานี", 120003, 60003])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


FARM_OPTIONS = Options(maps=(("B", "gpp_current_mb"),), skip_unmapped=True)


@pytest.mark.parametrize(
    ("file_name", "year"),
    [("จังหวัด 54-55.xlsx", 2011), ("53-54(จังหวัด).xlsx", 2010), ("ครัวเรือนเกษตร ปี 2550-51.xlsx", 2007)],
)
def test_a_crop_year_in_the_file_name_gives_the_year_when_the_table_says_none(file_name, year):
    out = prepare(farm_workbook(), file_name, FARM_OPTIONS, NAMES, IDS)
    assert sorted((r["province_code"], r["year"], r["value"]) for r in out.rows) == [
        ("18", year, 150002.0),
        ("60", year, 180001.5),
        ("61", year, 120003.0),
    ]
    short = file_name.split("ปี ")[-1][:7] if "ปี " in file_name else file_name.split("(")[0].split()[-1][:5]
    assert (
        f"sheet 'ก.': year {year} from the file name ({short!r}: a crop year is its planting year)"
        in out.notes
    )


def test_a_crop_year_in_the_sheet_name_comes_before_the_file_name():
    out = prepare(farm_workbook(sheet="53-54"), "จังหวัด 54-55.xlsx", FARM_OPTIONS, NAMES, IDS)
    assert {r["year"] for r in out.rows} == {2010}
    assert (
        "sheet '53-54': year 2010 from the sheet name ('53-54': a crop year is its planting year)"
        in out.notes
    )


def test_the_steward_s_year_overrides_the_file_name():
    options = Options(maps=FARM_OPTIONS.maps, skip_unmapped=True, year=2012)
    out = prepare(farm_workbook(), "จังหวัด 54-55.xlsx", options, NAMES, IDS)
    assert {r["year"] for r in out.rows} == {2012}
    assert not any("from the file name" in n for n in out.notes)


@pytest.mark.parametrize(
    "file_name",
    [
        "farm.xlsx",
        "ชลประทานนาปี 45-58.xlsx",
        "เนื้อที่ปี 2536-2557.xlsx",
        "farm 2010-11.xlsx",
        "up_2013_05_06_12.xlsx",
    ],
)
def test_a_span_a_month_or_a_time_stamp_is_no_crop_year_and_the_year_is_asked(file_name):
    with pytest.raises(MappingError) as err:
        prepare(farm_workbook(), file_name, FARM_OPTIONS, NAMES, IDS)
    assert "--year" in str(err.value)


@pytest.mark.parametrize(
    ("file_name", "sheet", "year", "nakhon_sawan"),
    [
        ("จังหวัด 54-55.xls", "ก.", 2011, 177898),  # PROVENANCE spot figure: net cash family income 2554/55
        ("53-54(จังหวัด).xls", "10.4", 2010, 182.99),  # farm wage, men, 2553/54
        ("จังหวัด51-52..xls", "10.4", 2008, 158),  # PROVENANCE spot figure: farm wage, men, 2551/52
    ],
)
def test_the_real_oae_workbooks_take_their_crop_year_from_the_file_name(file_name, sheet, year, nakhon_sawan):
    data = (ROOT / "data/inbox/oae_farm_household_socio_oui121" / file_name).read_bytes()
    ref = "5. รายได้เงินสดสุทธิครัวเรือน(Net cash family income)" if sheet == "ก." else "R8"
    options = Options(sheet=sheet, maps=((ref, "gpp_current_mb"),), skip_unmapped=True)
    out = prepare(data, file_name, options, NAMES, IDS)
    rows = {(r["province_code"], r["year"]): r["value"] for r in out.rows}
    assert {y for _, y in rows} == {year}
    assert rows[("60", year)] == nakhon_sawan
    assert any(n.startswith(f"sheet {sheet!r}: year {year} from the file name") for n in out.notes)
