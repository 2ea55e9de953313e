"""Agency tables: encodings, layouts with Buddhist-era year columns, Thai digits, separators, totals."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from provdata.ingest import Options, prepare
from provdata.ingest.names import ProvinceNames
from provdata.ingest.read import UnreadableFile, parse_number, read_sheets, year_of
from tests.conftest import ROOT

REAL = pd.read_csv(ROOT / "data" / "seed" / "observations.csv", dtype={"province_code": str})


def published(code: str, year: int, indicator: str) -> float:
    return REAL[
        (REAL.province_code == code) & (REAL.year == year) & (REAL.indicator_id == indicator)
    ].value.item()


def test_numbers_and_years():
    assert (
        parse_number("1,073,142") == 1073142 and parse_number("๑,๐๗๓,๑๔๒") == 1073142
    )  # 60, 2013, as published
    assert parse_number(" - ") is None
    # "not available" in the spellings agencies use (NESDC: N/A for Bueng Kan before 2012) is no figure
    assert [parse_number(x) for x in ("N/A", "n/a", "NA", "n.a.", "N.A.")] == [None] * 5
    with pytest.raises(ValueError, match="'12a' is not a number"):
        parse_number("12a")
    assert [year_of(h) for h in ("2563", "พ.ศ. 2563", "ปี ๒๕๖๓", "2020", "จังหวัด")] == [
        2020,
        2020,
        2020,
        2020,
        None,
    ]


def test_wide_thai_csv_in_tis620_with_be_years_in_any_order():
    # every figure is the published one (data/seed/observations.csv); the total row is left blank
    pop13, pop12 = (
        published("60", 2013, "population_registered"),
        published("60", 2012, "population_registered"),
    )
    kpp13 = published("62", 2013, "population_registered")
    thai_kpp13 = f"{kpp13:,.0f}".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    text = (
        "จังหวัด,พ.ศ. 2556,พ.ศ. 2555\n"
        "ทั่วราชอาณาจักร,,\n"
        f'จังหวัดนครสวรรค์,"{pop13:,.0f}","{pop12:,.0f}"\n'
        f'KAM PHAENG PHET,"{thai_kpp13}",\n'
        f'นครสวรรค์,"{pop13:,.0f}",\n'
        f"Nakhon Sawam,{pop13:.0f},\n"
    )
    tidy = prepare(
        text.encode("cp874"), "pop.csv", Options(indicator="population_registered"), ProvinceNames(),
        {"population_registered"},
    )  # fmt: skip
    got = {(r["province_code"], r["year"]): r["value"] for r in tidy.rows}
    assert got == {("60", 2013): pop13, ("60", 2012): pop12, ("62", 2013): kpp13}
    assert [s["reason"] for s in tidy.skipped] == ["region or total row"]
    assert len(tidy.rows) == 4  # the exact duplicate row of Nakhon Sawan is dropped by validation
    assert len(tidy.rejected) == 1 and tidy.rejected[0]["row"] == 6
    assert "looks like Nakhon Sawan (60)" in tidy.rejected[0]["reason"]  # proposed, held until confirmed


def test_xlsx_with_a_title_row_and_text_in_a_number_cell():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ผลผลิตข้าวนาปี (ตัน)"])
    ws.append(["Province", "2014", "2015"])
    rice = {(c, y): published(c, y, "rice_inseason_production_t") for c in ("60", "61") for y in (2014, 2015)}
    ws.append(["Nakhon Sawan", rice["60", 2014], rice["60", 2015]])
    ws.append(["Uthai Thani", "n/a?", rice["61", 2015]])
    buf = io.BytesIO()
    wb.save(buf)
    tidy = prepare(
        buf.getvalue(), "rice.xlsx", Options(indicator="rice_inseason_production_t"), ProvinceNames(),
        {"rice_inseason_production_t"},
    )  # fmt: skip
    assert {(r["province_code"], r["year"], r["value"]) for r in tidy.rows} == {
        ("60", 2014, rice["60", 2014]), ("60", 2015, rice["60", 2015]), ("61", 2015, rice["61", 2015])
    }  # fmt: skip
    assert len(tidy.rejected) == 1
    assert tidy.rejected[0]["row"] == 4 and tidy.rejected[0]["column"] == "B “2014”"
    assert tidy.rejected[0]["reason"].startswith("'n/a?' is not a number")


def test_unreadable_files_are_named():
    with pytest.raises(UnreadableFile, match="empty"):
        read_sheets(b"", "x.csv")
    with pytest.raises(UnreadableFile, match="not a readable Excel workbook"):
        read_sheets(b"PK\x03\x04broken", "x.xlsx")
    with pytest.raises(UnreadableFile, match="use CSV, TSV, XLSX or XLS"):
        read_sheets(b"abc", "x.pdf")
    with pytest.raises(UnreadableFile, match="no column names provinces"):
        prepare(b"a,b\nc,d\n", "x.csv", Options(), ProvinceNames(), set())
