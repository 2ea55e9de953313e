"""Uploads with bounded cost: validation reports that grow linearly with the file, reading limits checked while
reading (cells, rows, columns, line length, decompressed size), damaged workbooks refused with a clear message,
and an upload route that counts and times the body as it arrives."""

from __future__ import annotations

import csv
import io
import json
import re
import select
import socket
import struct
import urllib.error
import urllib.request
import zipfile
from urllib.parse import urlsplit

import pytest
import xlsxwriter

from provdata import accounts
from provdata.exchange import publish
from provdata.ingest import Options
from provdata.ingest.read import TooLarge, UnreadableFile, read_sheets
from provdata.warehouse.db import Warehouse
from tests.conftest import TINY, make_exchange_env, serving

POP = "population_registered"


def real_population_figures() -> list[str]:
    """Registered-population figures as the tiny seed publishes them (real values, of many provinces and years)."""
    with (TINY / "seed" / "observations.csv").open(encoding="utf-8") as fh:
        return [r["value"] for r in csv.DictReader(fh) if r["indicator_id"] == POP]


def test_conflicting_duplicates_are_described_once_per_group_and_the_report_grows_linearly(exchange_env):
    """15,000 rows giving different (real) figures for one province-year: one group, its rows listed once and
    capped; each other row refers to the group. Before, every row repeated the whole list (94 MB answers)."""
    figures = real_population_figures()
    n = 15_000
    lines = ["province_code,year,indicator_id,value"]
    lines += [f"60,2020,{POP},{figures[i % len(figures)]}" for i in range(n)]
    lines += [f"62,2020,{POP},{figures[0]}", f"62,2020,{POP},{figures[1]}"]  # a second group, of two rows
    data = ("\n".join(lines) + "\n").encode()
    preview = publish.check(data, "dups.csv", Options(), Warehouse(exchange_env.warehouse), None)
    assert preview.counts()["rejected"] == n + 2 and preview.counts()["accepted"] == 0
    reasons = preview.rejected.set_index("row").reason
    assert reasons[2] == (
        "conflicting duplicate, group 1: different figures for 60 2020 in rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 … and "
        "14,990 more: keep one row"
    )
    assert (
        reasons[3]
        == reasons[15_001]
        == "conflicting duplicate: different figures for 60 2020, see group 1 (row 2)"
    )
    assert reasons[15_002] == (
        "conflicting duplicate, group 2: different figures for 62 2020 in rows 15002, 15003: keep one row"
    )
    assert reasons[15_003] == "conflicting duplicate: different figures for 62 2020, see group 2 (row 15002)"
    report = preview.report_csv()
    assert report.count(b"in rows") == 2
    assert len(report) < 160 * (
        n + 2
    )  # linear: 1.84 MB, 122 bytes a row (before: each row held a 104 KB list)


# --- reading limits, checked while reading -----------------------------------------------------------------------


def refused(data: bytes, name: str) -> str:
    with pytest.raises(UnreadableFile) as err:
        read_sheets(data, name)
    return str(err.value)


def test_a_one_line_csv_of_6_3_million_cells_is_refused_by_its_line_length():
    """Before: 208 s, 5.3 GB and a 471 MB error body. Now the first line read passes the line-length limit."""
    data = b"1," * 3_150_000 + b"1"
    with pytest.raises(TooLarge, match=r"^one_line.csv: line 1 is 6,300,001 characters long; the limit is 200,000 "
                                       r"characters \(is it a CSV file, with one row a line\?\)$"):  # fmt: skip
        read_sheets(data, "one_line.csv")


@pytest.mark.parametrize(
    ("setting", "value", "data", "message"),
    [
        ("PROVDATA_UPLOAD_MAX_LINE_CHARS", "100", b"a,b\n" + b"x" * 150 + b"\n",
         "t.csv: line 2 is 151 characters long; the limit is 100 characters"),
        ("PROVDATA_UPLOAD_MAX_COLUMNS", "50", b",".join([b"c"] * 60) + b"\n",
         "t.csv: line 1 has 60 columns; the limit is 50 columns (split the file"),
        ("PROVDATA_UPLOAD_MAX_ROWS", "100", b"a,b\n" * 150,
         "t.csv has more than 100 rows; the limit is 100 rows (split the file"),
        ("PROVDATA_UPLOAD_MAX_CELLS", "1000", b"a,b,c\n" * 400,
         "t.csv has more than 1,000 cells (line 334 passes the limit of 1,000 cells) (split the file"),
    ],
)  # fmt: skip
def test_csv_limits_name_the_limit_the_files_value_and_the_limit(monkeypatch, setting, value, data, message):
    monkeypatch.setenv(setting, value)
    with pytest.raises(TooLarge) as err:
        read_sheets(data, "t.csv")
    assert str(err.value).startswith(message), str(err.value)


def sheet_xml(rows: int) -> bytes:
    """A worksheet of ``rows`` rows holding their own row number (labels, not figures)."""
    body = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(1, rows + 1))
    return (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<sheetData>" + body + b"</sheetData></worksheet>")  # fmt: skip


def workbook(parts: dict[str, bytes] | None = None) -> bytes:
    """A small real workbook (xlsxwriter, shared strings) with some of its parts replaced."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["จังหวัด", "2563"])
    sheet.write_row(1, 0, ["นครสวรรค์", "-"])
    book.close()
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, (parts or {}).get(info.filename, src.read(info.filename)))
    return out.getvalue()


def falsified(data: bytes, part: str, claimed: int) -> bytes:
    """The zip with ``part``'s uncompressed size rewritten to ``claimed`` in its local and central headers."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    info = zf.getinfo(part)
    out = bytearray(data)
    struct.pack_into("<L", out, info.header_offset + 22, claimed)
    central = data.index(b"PK\x01\x02")
    while True:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_len].decode() == part:
            struct.pack_into("<L", out, central + 24, claimed)
            return bytes(out)
        extra, comment = struct.unpack_from("<HH", data, central + 30)
        central += 46 + name_len + extra + comment


def test_a_workbook_of_1_048_576_rows_is_refused_while_it_is_decompressed():
    """Before: 9 GB. The rows are counted in the decompressed stream, before the Excel reader builds the sheet."""
    data = workbook({"xl/worksheets/sheet1.xml": sheet_xml(1_048_576)})
    assert len(data) < 20_000_000
    assert re.match(r"rows.xlsx, sheet 'sheet1.xml' has at least 5\d\d,\d\d\d rows; the limit is 500,000 rows \(split",
                    refused(data, "rows.xlsx"))  # fmt: skip


def test_a_sparse_sheet_spanning_the_whole_grid_is_refused_by_its_shape():
    xml = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
           b"</sheetData></worksheet>")  # fmt: skip
    assert refused(workbook({"xl/worksheets/sheet1.xml": xml}), "sparse.xlsx").startswith(
        "sparse.xlsx, sheet 'sheet1.xml' has at least 1,048,576 rows; the limit is 500,000 rows"
    )


def test_a_zip_bomb_with_falsified_sizes_is_measured_from_its_real_stream():
    tags = b"<x/>" * 37_500_000  # 150 MB of tags: compresses like zeros, and no cell is long
    bomb = falsified(workbook({"xl/worksheets/sheet1.xml": tags}), "xl/worksheets/sheet1.xml", 1_000)
    assert zipfile.ZipFile(io.BytesIO(bomb)).getinfo("xl/worksheets/sheet1.xml").file_size == 1_000
    assert refused(bomb, "bomb.xlsx").startswith(
        "bomb.xlsx expands to more than 100 MB when unzipped (the limit; part xl/worksheets/sheet1.xml alone"
    )


def test_one_huge_cell_is_refused_from_the_stream_before_the_reader_builds_it():
    cell = (b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>' + b"x" * 90_000_000
            + b"</t></is></c></row></sheetData></worksheet>")  # fmt: skip
    assert refused(workbook({"xl/worksheets/sheet1.xml": cell}), "cell.xlsx") == (
        "cell.xlsx: part xl/worksheets/sheet1.xml holds a cell of more than 200,000 characters (the limit)"
    )


def test_a_part_whose_real_size_differs_from_its_header_is_damaged():
    data = falsified(workbook(), "xl/sharedStrings.xml", 12)
    assert re.match(r"damaged.xlsx is damaged: its part xl/sharedStrings.xml says it holds 12 bytes but holds "
                    r"\d{3} ; open it in Excel and save it again".replace(" ;", ";"), refused(data, "damaged.xlsx"))  # fmt: skip


def test_a_damaged_shared_string_table_is_a_clear_message_not_a_crash():
    """Before: the sheet was read outside the error handling (a 500 from the API, a traceback in the wizard)."""
    sst = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           b"<si><t>x</t></si></sst>")  # fmt: skip
    assert refused(workbook({"xl/sharedStrings.xml": sst}), "strings.xlsx") == (
        "strings.xlsx is not a readable Excel workbook (Cell string index not found in shared strings table): "
        "open it in Excel and save it again"
    )


@pytest.mark.parametrize("case", ["shared_strings", "one_line"])
def test_the_wizard_shows_the_message_never_a_traceback_or_server_path(exchange_env, case):
    from tests.conftest import open_page
    from tests.pages.test_exchange_app import sign_in

    sst = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>x</t></si></sst>'
    name, data, message = {
        "shared_strings": ("strings.xlsx", workbook({"xl/sharedStrings.xml": sst}),
                           "strings.xlsx is not a readable Excel workbook (Cell string index not found in shared "
                           "strings table): open it in Excel and save it again"),
        "one_line": ("one_line.csv", b"1," * 150_000, "one_line.csv: line 1 is 300,000 characters long; the limit "
                     "is 200,000 characters (is it a CSV file, with one row a line?)"),
    }[case]  # fmt: skip
    at = open_page("pages/exchange.py", lang="en")
    sign_in(at, "dopa-steward")
    at.file_uploader(key="upload_file").upload(name, data).run()
    assert not at.exception, at.exception
    # the message's Markdown escapes the file's own text (see provdata/ui/markup.py); read as shown:
    assert [re.sub(r"\\(.)", r"\1", e.value) for e in at.error] == [message]
    assert not at.expander and not at.code  # no technical detail folded away: the message is the whole story


# --- the upload route: the body counted and timed as it arrives ---------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """server.py over a tiny warehouse with a 1 MB upload limit and a 3 s body timeout; yields (port, token)."""
    env = make_exchange_env(tmp_path_factory.mktemp("limits"))
    # 45 stalled uploads from one token: more than one account's share (tests/web/test_bounds_server.py tests that)
    settings = {
        **env.env(),
        "PROVDATA_UPLOAD_MAX_MB": "1",
        "PROVDATA_UPLOAD_TIMEOUT_S": "3",
        "PROVDATA_UPLOADS_PER_ACCOUNT": "50",
        "PROVDATA_UPLOADS_AT_ONCE": "50",
    }
    with pytest.MonkeyPatch.context() as mp:
        for k, v in settings.items():
            mp.setenv(k, v)
        token = accounts.new_token("dopa-steward")
        with serving(env.warehouse, "limits") as base:
            yield urlsplit(base).port, token


def open_upload(port: int, token: str, length_header: bytes, name: str = "x.csv") -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(b"POST /api/v1/uploads?filename=%s&dry_run=true HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 b"Authorization: Bearer %s\r\n%s\r\n\r\n" % (name.encode(), token.encode(), length_header))  # fmt: skip
    return sock


def answer(sock: socket.socket) -> bytes:
    """The answer's head and its Content-Length body (the connection may stay open after it)."""
    out = b""
    try:
        for _ in range(1000):  # bounded
            head, sep, body = out.partition(b"\r\n\r\n")
            length = re.search(rb"(?i)content-length: (\d+)", head)
            if sep and length and len(body) >= int(length[1]):
                break
            piece = sock.recv(65536)
            if not piece:
                break
            out += piece
    except ConnectionResetError:
        pass
    sock.close()
    return out


@pytest.mark.slow
def test_45_stalled_uploads_hold_no_worker_thread_and_each_gets_408(server):
    """Before: each stalled upload held one of the 40 worker threads and the read API timed out for everyone."""
    port, token = server
    stalled = []
    for _ in range(45):
        sock = open_upload(port, token, b"Content-Length: 100000")
        sock.sendall(b"province")
        stalled.append(sock)
    url = f"http://127.0.0.1:{port}/api/v1/observations?indicator={POP}&province=60&from=2018&to=2018"
    with urllib.request.urlopen(url, timeout=10) as r:  # answered while all 45 still wait
        assert r.status == 200 and json.loads(r.read())["data"][0]["value"] == 1063964
    for sock in stalled:
        got = answer(sock)
        assert got.startswith(b"HTTP/1.1 408 "), got[:200]
        assert (
            b"the upload stalled: no part of the body arrived for 3 s (after 8 bytes); send the file again"
            in got
        )


@pytest.mark.slow
def test_a_chunked_300_mb_body_is_cut_at_the_limit(server):
    """Before: the whole body was read into memory before the limit answered 413."""
    port, token = server
    sock = open_upload(port, token, b"Transfer-Encoding: chunked")
    piece = b"x" * 65536
    frame = b"%x\r\n%s\r\n" % (len(piece), piece)
    sent = 0
    pending = b""
    for _ in range(100_000):  # bounded: 300 MB is 4,578 frames
        readable, writable, _ = select.select([sock], [sock], [], 10)
        if readable or (not writable and not readable) or sent >= 300_000_000:
            break  # the server answered (or stopped reading)
        pending = pending or frame
        try:
            n = sock.send(pending)
        except (BrokenPipeError, ConnectionResetError):
            break
        pending = pending[n:]
        sent += n
    got = answer(sock)
    assert got.startswith(b"HTTP/1.1 413 ") and b"the file is more than 1 MB; the limit is 1 MB" in got, got[
        :300
    ]
    assert sent < 30_000_000  # read and dropped up to 4 × the limit, then answered (plus socket buffers)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "status", "message"),
    [
        (
            "one_line.csv",
            413,
            "one_line.csv: line 1 is 300,000 characters long; the limit is 200,000 characters",
        ),
        ("strings.xlsx", 422, "strings.xlsx is not a readable Excel workbook (Cell string index not found"),
    ],
)
def test_the_api_answers_413_for_a_reading_limit_and_422_for_a_damaged_workbook(
    server, name, status, message
):
    port, token = server
    sst = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>x</t></si></sst>'
    data = b"1," * 150_000 if name.endswith(".csv") else workbook({"xl/sharedStrings.xml": sst})
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/uploads?filename={name}&dry_run=true", data=data,
                                 headers={"Authorization": f"Bearer {token}"}, method="POST")  # fmt: skip
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=60)
    body = json.loads(err.value.read())
    assert err.value.code == status and body["error"]["message"].startswith(message) and "/" not in message
