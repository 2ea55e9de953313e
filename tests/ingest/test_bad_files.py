"""A corpus of bad agency files: each gets a clear message naming what is wrong (and where), and the
warehouse stays byte-identical. Each file is fed to the real command line as a steward publishing it."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import zipfile

import openpyxl
import pytest

from provdata import accounts
from provdata.cli.main import main

PASSWORD = "a-long-test-password"
POP = "population_registered"  # DOPA's indicator; the steward below is DOPA's


def xlsx(rows: list[list], sheet: str = "Sheet1") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def zip_bomb() -> bytes:
    """A well-formed zip named .xlsx whose one entry expands to 50 MB of zeros (limit here: 10 MB)."""
    buf = io.BytesIO()
    with (
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf,
        zf.open("xl/worksheets/sheet1.xml", "w") as fh,
    ):
        for _ in range(50):
            fh.write(b"<x/>" * 250_000)  # 1 MB of tags
    return buf.getvalue()


def truncated_xlsx() -> bytes:
    return xlsx([["จังหวัด", "2563"], ["นครสวรรค์", 1]])[:700]


# (file name, content, extra CLI arguments, what the message must say)
CORPUS = [
    ("utf16.csv", "จังหวัด,2563\nนครสวรรค์,1\n".encode("utf-16"), [], "neither UTF-8 nor TIS-620"),
    ("empty.csv", b"", [], "is empty"),
    ("header_only.csv", b"province_code,province,year,indicator_id,value\n", [], "has a header but no rows"),
    ("conflicting_duplicates.csv",
     f"province_code,year,indicator_id,value\n60,2020,{POP},1\n60,2020,{POP},2\n".encode(), [],
     "conflicting duplicate, group 1: different figures for 60 2020 in rows 2, 3: keep one row"),
    ("unknown_provinces.csv", "จังหวัด,2563\nนครสวรรค,1\nNakhon Sawam,2\n".encode(), ["--indicator", POP],
     "province name not confirmed: .นครสวรรค. looks like นครสวรรค์ \\(60\\); confirm it"),
    ("text_in_numbers.csv", "จังหวัด,2563\nนครสวรรค์,หนึ่งพัน\n".encode(), ["--indicator", POP],
     "'หนึ่งพัน' is not a number"),
    ("value_with_unit.csv", "จังหวัด,2563\nนครสวรรค์,12 คน\n".encode(), ["--indicator", POP], "'12 คน' is not a number"),
    ("be_year_in_ce_column.csv", f"province,year (C.E.),{POP}\n60,2563,1\n".encode(), [],
     "year 2563 is in the future .*subtract 543"),
    ("ce_year_in_be_column.csv", f"จังหวัด,ปี พ.ศ.,{POP}\nนครสวรรค์,2020,1\n".encode(), [],
     "year 1477 is before 1900: a Gregorian year in a พ.ศ."),
    ("negative_population.csv", "จังหวัด,2563,2562\nนครสวรรค์,-5,-7\n".encode(), ["--indicator", POP],
     "row 2, column B “2563”: '-5': negative stock: a stock cannot be below zero"),
    ("admin_negative_counts.csv", "จังหวัด,2563\nนครสวรรค์,-274\n".encode(), ["--indicator", "dhf_cases"],
     "negative count: a count cannot be below zero"),
    ("future_years.csv", "จังหวัด,2031\nนครสวรรค์,5\n".encode(), ["--indicator", POP], "year 2031 is in the future"),
    ("formula_value.csv", 'จังหวัด,2563\nนครสวรรค์,"=HYPERLINK(""http://x"",""1"")"\n'.encode(), ["--indicator", POP],
     "a spreadsheet formula, not a number"),
    ("formula_name.csv", 'จังหวัด,2563\n"=HYPERLINK(""http://x"",""นครสวรรค์"")",5\n'.encode(), ["--indicator", POP],
     "it is a spreadsheet formula, not a name"),
    ("oversize.csv", b"province_code,year,indicator_id,value\n" + b"60,2020,x,1\n" * 100_000, [],
     "MB; the limit is 1 MB: split it"),
    ("truncated.xlsx", truncated_xlsx(), [], "is not a readable Excel workbook"),
    ("zip_bomb.xlsx", zip_bomb(), [], "expands to more than 10 MB when unzipped \\(the limit; part xl/worksheets/sheet1.xml"),
    ("html_saved_as.xls", b"<html><body><table><tr><td>x</td></tr></table></body></html>", [],
     "is not a readable Excel workbook"),
    ("missing_sheet.xlsx", xlsx([["จังหวัด", "2563"], ["นครสวรรค์", 5]], "ข้อมูล"), ["--sheet", "Data", "--indicator", POP],
     "--sheet 'Data' is not in missing_sheet.xlsx; its sheets are: 'ข้อมูล'"),
    ("unknown_indicator_option.csv", "จังหวัด,2563\nนครสวรรค์,5\n".encode(), ["--indicator", "population"],
     "--indicator 'population' is not an indicator id"),
    ("unknown_indicator_in_file.csv", b"province_code,year,indicator_id,value\n60,2020,pop_total,5\n", [],
     "indicator 'pop_total' is not in the catalog"),
    ("map_unknown_column.csv", "จังหวัด,ประชากร\nนครสวรรค์,5\n".encode(), ["--map", "Population=" + POP, "--year", "2563"],
     "column 'Population' is not in sheet .*its columns are: A “จังหวัด”, B “ประชากร”"),
    ("no_province_column.csv", b"a,b\n1,2\n3,4\n", [], "no column names provinces"),
    ("wrong_type.pdf", b"%PDF-1.4 ...", [], "use CSV, TSV, XLSX or XLS"),
    ("another_agencys_indicator.csv", "จังหวัด,2563\nนครสวรรค์,5\n".encode(), ["--indicator", "gpp_current_mb"],
     "belongs to agency nesdc, not dopa"),
    ("years_without_indicator.csv", "จังหวัด,2563,2562\nนครสวรรค์,5,6\n".encode(), [],
     "which indicator the year columns hold"),
    ("no_year_anywhere.csv", f"จังหวัด,{POP}\nนครสวรรค์,5\n".encode(), [], "which year sheet .* holds: --year"),
    ("only_totals.csv", "จังหวัด,2563\nทั่วราชอาณาจักร,66000000\nภาคเหนือ,12000000\n".encode(), ["--indicator", POP],
     "no province rows with figures: every row was skipped \\(region or total row\\)"),
    ("png_named_csv.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", [], "neither UTF-8 nor TIS-620"),
]  # fmt: skip


@pytest.fixture(scope="module")
def steward_env(tmp_path_factory, real_warehouse):
    base = tmp_path_factory.mktemp("bad")
    target = base / "warehouse.duckdb"
    shutil.copy(real_warehouse, target)
    mp = pytest.MonkeyPatch()
    mp.setenv("PROVDATA_WAREHOUSE", str(target))
    mp.setenv("PROVDATA_STATE", str(base / "state"))
    mp.setenv("PROVDATA_PASSWORD", PASSWORD)
    mp.setenv("PROVDATA_UPLOAD_MAX_MB", "1")
    mp.setenv("PROVDATA_UPLOAD_MAX_UNZIPPED_MB", "10")
    accounts.add("dopa-steward", PASSWORD, "dopa")
    accounts.add("admin", PASSWORD, "nso", admin=True)
    yield base, target
    mp.undo()


def test_the_corpus_has_at_least_25_files():
    assert len(CORPUS) >= 25 and len({name for name, *_ in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize(("name", "content", "args", "message"), CORPUS, ids=[c[0] for c in CORPUS])
def test_bad_file_is_refused_with_a_clear_message(steward_env, capsys, name, content, args, message):
    base, target = steward_env
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    path = base / name
    path.write_bytes(content)
    steward = "admin" if name.startswith("admin_") else "dopa-steward"
    code = main(["ingest", str(path), "--steward", steward, *args])
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == 2 or "nothing to publish" in text, text
    assert re.search(message, text), text
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    assert not (base / "state" / "uploads").exists() or not any(
        p.name[0].isdigit() or p.name.startswith(".pending") for p in (base / "state" / "uploads").iterdir()
    )
