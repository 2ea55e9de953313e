"""Only finite figures enter the warehouse: inf, NaN and overflowing numbers (1e400), in any spelling (Thai digits,
thousands separators, CSV text or Excel numeric cells), are rejected by row and column at every entry point —
parse_number, the command line, the Excel template, the upload wizard, the warehouse build (seed files and
replayed publications). The API's entry point is tested in tests/web/test_api.py."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from provdata.accounts import Account
from provdata.basics.errors import BuildError
from provdata.cli.main import main
from provdata.exchange import publish
from provdata.ingest import Options
from provdata.ingest.read import parse_number
from provdata.ingest.template import template_xlsx
from provdata.store import publications
from provdata.warehouse import queries
from provdata.warehouse.build import build_warehouse
from provdata.warehouse.db import Warehouse
from tests.conftest import PASSWORD, open_page, tiny_inputs

POP = "population_registered"
NON_FINITE = ["inf", "-inf", "+inf", "INF", "Infinity", "-Infinity", "nan", "NaN", "-nan", "1e400", "-1e400",
              "1E+400", "๑e๔๐๐", "1,000e400", " inf ", "1 000e400"]  # fmt: skip


@pytest.mark.parametrize("text", NON_FINITE)
def test_parse_number_refuses_every_spelling_of_a_non_finite_figure(text):
    with pytest.raises(ValueError, match=re.escape(f"{text!r} is not a finite number")):
        parse_number(text)


def test_parse_number_still_reads_finite_figures():
    assert parse_number("๑,๐๗๓,๑๔๒") == 1073142.0 and parse_number("1.7976931348623157e308") > 1e308


def _tidy_csv(held: dict) -> bytes:
    """The real held-back figure of Nakhon Sawan 2020, then one row per non-finite spelling (rows 3, 4, …)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerows(
        [
            ["province_code", "province", "year", "indicator_id", "value"],
            ["60", "นครสวรรค์", 2020, POP, f"{held['60', 2020]:.0f}"],
        ]
    )
    w.writerows(["60", "นครสวรรค์", 2019, POP, v] for v in NON_FINITE)  # a names column: "NaN" is also Nan
    return buf.getvalue().encode()


def test_cli_ingest_rejects_them_by_row_and_column(exchange_env, capsys, monkeypatch):
    monkeypatch.setenv("PROVDATA_PASSWORD", PASSWORD)
    path = exchange_env.base / "figures.csv"
    path.write_bytes(_tidy_csv(exchange_env.held_back))
    assert main(["ingest", str(path), "--steward", "dopa-steward", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert (
        out.splitlines()[0]
        == f"accepted: 1, flagged: 0, unchanged: 0, rejected: {len(NON_FINITE)}, skipped: 0"
    )
    rejected = [line for line in out.splitlines() if line.startswith("rejected: ")]
    assert [
        re.match(r"rejected: sheet 'figures.csv' row (\d+), column E “value”: ", r)[1] for r in rejected
    ] == [str(n) for n in range(3, 3 + len(NON_FINITE))]
    assert "row 3, column E “value”: 'inf': 'inf' is not a finite number (infinity, NaN or beyond" in out
    assert "row 15, column E “value”: '๑e๔๐๐': '๑e๔๐๐' is not a finite number" in out
    assert "row 4, column E “value”: '-inf': a spreadsheet formula, not a number" in out  # a leading sign


def _patched(xlsx: bytes, sheet_xml: str, values: dict[str, bytes]) -> bytes:
    """The workbook with numeric cells whose stored text is replaced (openpyxl cannot write inf or 1e400)."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == sheet_xml:
                for placeholder, value in values.items():
                    assert f"<v>{placeholder}</v>".encode() in data
                    data = data.replace(f"<v>{placeholder}</v>".encode(), b"<v>" + value + b"</v>")
            dst.writestr(info.filename, data)
    return out.getvalue()


def test_the_excel_template_with_non_finite_numeric_cells_is_rejected_cell_by_cell(exchange_env):
    wh = Warehouse(exchange_env.warehouse)
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(queries.indicators(wh), queries.provinces(wh))))
    data = book["data"]
    held = exchange_env.held_back
    # names filled in: a steward's "NaN" alone in a column would read as the province Nan (น่าน)
    name = {"60": "นครสวรรค์", "62": "กำแพงเพชร"}
    data.append(["60", name["60"], 2563, POP, held["60", 2020]])
    for n, code in enumerate(["60", "62", "62"]):
        data.append(
            [code, name[code], 2562 if code == "60" else 2563 - n % 2, POP, 910000 + n]
        )  # placeholders
    data.append(["62", name["62"], 2562, POP, "Infinity"])
    buf = io.BytesIO()
    book.save(buf)
    sheet_xml = "xl/worksheets/sheet1.xml"
    workbook = _patched(buf.getvalue(), sheet_xml, {"910000": b"1e400", "910001": b"inf", "910002": b"NaN"})
    preview = publish.check(workbook, "provdata-template.xlsx", Options(sheet="data"), wh, None)
    assert preview.counts() == {"accepted": 1, "flagged": 0, "unchanged": 0, "rejected": 4, "skipped": 0}
    assert preview.accepted.value.tolist() == [held["60", 2020]]
    rejected = preview.rejected[["row", "column", "value"]].values.tolist()
    assert rejected == [
        [3, "E “value”", "inf"],
        [4, "E “value”", "inf"],
        [5, "E “value”", "nan"],
        [6, "E “value”", "Infinity"],
    ]
    assert preview.rejected.reason.str.contains("is not a finite number").all()


def test_the_wizard_shows_them_rejected_and_publishes_only_the_finite_figure(exchange_env):
    from tests.pages.test_exchange_app import metric, sign_in

    at = open_page("pages/exchange.py", lang="en")
    sign_in(at, "dopa-steward")
    at.file_uploader(key="upload_file").upload("figures.csv", _tidy_csv(exchange_env.held_back)).run()
    assert not at.exception, at.exception
    assert (metric(at, "To publish"), metric(at, "Rejected")) == ("1", str(len(NON_FINITE)))
    rejected = next(d.value for d in at.dataframe if "reason" in d.value.columns and "value" in d.value.columns
                    and len(d.value) == len(NON_FINITE))  # fmt: skip
    assert rejected.value.tolist() == [v.strip() for v in NON_FINITE]
    signed = rejected.value.str.match(r"[-+][a-zA-Z]")  # a sign before letters reads as a formula
    assert rejected.reason[~signed].str.contains("is not a finite number").all() and (~signed).sum() == 12
    assert rejected.reason[signed].str.startswith("a spreadsheet formula, not a number").all()


@pytest.mark.parametrize("value", ["inf", "-Infinity", "nan", "1e400", "๑e๔๐๐"])
def test_a_seed_file_with_a_non_finite_figure_fails_the_build(tiny_copy, tmp_path, value):
    path = tiny_copy / "seed" / "observations.csv"
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"60,2021,{POP},{value},dopa_pop_prasertcbs\n")
    lines = path.read_text(encoding="utf-8").count("\n")
    with pytest.raises(BuildError) as err:
        build_warehouse(tmp_path / "w.duckdb", tiny_inputs(tiny_copy), log=lambda _m: None)
    assert f"observations.csv line {lines}, column value: {value!r} is not a finite number" in str(err.value)
    assert not (tmp_path / "w.duckdb").exists()


def test_a_publication_holding_a_non_finite_figure_is_refused_by_the_build(exchange_env):
    """Defence in depth: whatever reaches publish, the build that replays publications refuses inf and NaN."""
    before = exchange_env.warehouse.read_bytes()
    rows = pd.DataFrame({"province_code": ["60", "62"], "year": [2020, 2020], "indicator_id": [POP, POP],
                         "value": [float("inf"), float("nan")]})  # fmt: skip
    account = Account("dopa-steward", "dopa", False)
    with pytest.raises(BuildError, match=r"publication 101: population_registered (60|62) 2020 has the value "
                                         r"(inf|nan), not a finite number"):  # fmt: skip
        publish.publish(rows, b"x", "x.csv", account, rows_in=2, rows_rejected=0, license="CC BY 4.0",
                         inputs=exchange_env.inputs, target=exchange_env.warehouse)  # fmt: skip
    assert exchange_env.warehouse.read_bytes() == before
    assert publications.committed(exchange_env.inputs.uploads_dir) == []  # nothing half-written in the store
    uploads = exchange_env.inputs.uploads_dir
    assert not uploads.exists() or not [p for p in uploads.iterdir() if not p.name.startswith(".")]
