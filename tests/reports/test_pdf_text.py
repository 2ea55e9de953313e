"""The PDFs' text layer is the exact Thai shown: SARA AM (ำ) and a tone mark before it read back as typed, not
as the glyphs HarfBuzz draws (ํ + า, NIKHAHIT moved before the tone mark), through ActualText spans that nest
inside the tagged PDF's marked content."""

from __future__ import annotations

import re
import subprocess
import zlib

import pandas as pd
import pytest

from provdata.reports import pdf
from tests.reports.test_report import pdf_objects

WORDS = "น้ำ จำนวน ตาม ทำ ผู้นำ ค่ำ กำลัง ที่ กา น้ำตาล"


def pdftotext(path, *options: str) -> str:
    return subprocess.run(
        ["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def inflate(data: bytes) -> bytes:
    try:
        return zlib.decompress(data)
    except zlib.error:
        return b""


@pytest.fixture(scope="module")
def small_pdf(tmp_path_factory):
    frame = pd.DataFrame({"คำ": ["น้ำ", "จำนวน"], "ค่า": ["ตาม", "กา"]})
    html_text = pdf.document("ทำรายงาน", "th", [WORDS], ["น้ำท่วม"], frame, ["จำนวน นำร่อง"])
    path = tmp_path_factory.mktemp("pdftext") / "small.pdf"
    path.write_bytes(pdf.to_pdf(html_text))
    return path


def test_the_text_layer_reads_sara_am_and_tone_marks_exactly(small_pdf):
    text = pdftotext(small_pdf)
    assert WORDS in " ".join(text.split())
    assert (
        "ทำรายงาน" in text and "น้ำท่วม" in text and "จำนวน นำร่อง" in text and "คำ" in text
    )  # the header is bold Sarabun
    assert "\u0e4d" not in text  # no NIKHAHIT left over from ำ drawn as two glyphs
    # a า that is not part of ำ still reads า: ตาม, กา and น้ำตาล's ตาล, and nothing more
    assert text.count("\u0e32") == sum(
        s.count("\u0e32") for s in (WORDS, "ทำรายงาน", "น้ำท่วม", "นำร่อง", "ค่าน้ำตามจำนวนกา")
    )


def test_actual_text_spans_nest_inside_the_tagged_marked_content(small_pdf):
    assert (
        "Tagged:          yes"
        in subprocess.run(["pdfinfo", str(small_pdf)], capture_output=True, text=True, check=True).stdout
    )
    objects = pdf_objects(small_pdf.read_bytes())
    spans = re.findall(rb"/ActualText <FEFF([0-9A-F]+)>", objects)
    texts = {bytes.fromhex(h.decode()).decode("utf-16-be") for h in spans}
    assert texts == {"ำ", "้ำ", "่ำ"}  # only the clusters drawn as other glyphs: ำ, and ำ after a tone mark
    raw = re.findall(rb"stream\r?\n(.*?)endstream", small_pdf.read_bytes(), re.S)
    streams = [c for c in map(inflate, raw) if b"ActualText" in c]
    assert len(streams) == 1  # the one page
    for content in streams:
        marked: list[bytes] = []  # the open marked-content sequences, innermost last
        in_text, seen = False, 0
        for line in content.split(b"\n"):
            if line == b"BT":
                in_text = True
            elif line == b"ET":
                in_text = False
            elif line.endswith(b"BDC") and b"ActualText" in line:
                assert in_text and marked and marked[-1] != b"ActualText"  # inside a tagged Span, inside BT
                marked.append(b"ActualText")
                seen += 1
            elif line in (b"BDC", b"BMC"):
                marked.append(line)
            elif line == b"EMC":
                assert marked
                marked.pop()
        assert marked == [] and not in_text and seen == len(spans) == 14  # every ำ on the page


def test_a_cluster_drawn_over_two_text_operators_gets_one_span_around_both():
    # น ํ (raised) ้ า: the raised mark is its own TJ between two rises; the span opens before ํ and closes after า
    items = [b"[<0001>-5<0002>] TJ", b"-2 Ts", b"[<0003>] TJ", b"0 Ts", b"[<0004>10<0005>] TJ"]
    assert pdf._wrap_clusters(items, [(1, 4, "\u0e49\u0e33")]) == [
        b"[<0001> -5] TJ",
        b"/Span <</ActualText <FEFF0E490E33>>> BDC",
        b"[<0002>] TJ",
        b"-2 Ts",
        b"[<0003>] TJ",
        b"0 Ts",
        b"[<0004>] TJ",
        b"EMC",
        b"[10 <0005>] TJ",
    ]
    assert pdf._wrap_clusters(items, []) == [
        b"[<0001> -5 <0002>] TJ",
        b"-2 Ts",
        b"[<0003>] TJ",
        b"0 Ts",
        b"[<0004> 10 <0005>] TJ",
    ]
    assert pdf._glyphs_shown(items) == 5  # the wrapper compares it with Pango's count before wrapping


def test_thai_in_an_svg_reads_exactly_too(tmp_path):
    svg = '<svg width="300" height="60"><text x="10" y="30" font-family="Sarabun">น้ำ จำนวน ตาม</text></svg>'
    html_text = pdf.document("กราฟ", "th", [], [], pd.DataFrame(), []).replace("</h1>", f"</h1>{svg}")
    path = tmp_path / "svg.pdf"
    path.write_bytes(pdf.to_pdf(html_text))
    assert "น้ำ จำนวน ตาม" in pdftotext(path)
