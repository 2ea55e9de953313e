"""The annual report: exact published figures, computed sentences, Thai PDF with Sarabun embedded, the CLI
and the Reports page."""

from __future__ import annotations

import subprocess

import pytest
from streamlit.testing.v1 import AppTest

from provdata import report
from provdata.__main__ import main
from provdata.db import Warehouse
from tests.conftest import ROOT


def thai_text(raw: str) -> str:
    """Text to compare with pdftotext's output. Sarabun draws sara am (ำ) as nikhahit + the sara aa (า)
    glyph, so pdftotext gives back either form for both letters; fold all of them to sara aa."""
    return " ".join(raw.replace("\u0e4d\u0e32", "\u0e32").replace("\u0e33", "\u0e32").split())


@pytest.fixture(scope="module")
def pdf_60_th(real_warehouse, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "r60.pdf"
    path.write_bytes(report.build_pdf(Warehouse(real_warehouse), "60", 2020, "th"))
    return path


def test_html_in_english_has_exact_figures_and_computed_sentences(real_warehouse):
    steps = []
    html = report.build_html(Warehouse(real_warehouse), "60", 2020, "en", lambda f, part: steps.append(part))
    assert steps == ["overview", "themes", "issues", "plan", "appendix", "done"]
    assert "Provincial statistics report: Nakhon Sawan, 2020" in html
    assert "111,440.702788" in html and "1,040,308" in html
    assert "GPP per capita fell 3.7% in 2020, 8th of the 10 pilot provinces." in html
    assert (
        "Gross provincial product at current market prices fell 4.6% in 2020, 3rd of the 10 pilot provinces."
        in html
    )
    assert "EXAMPLE chain" in html and "Part 4. Data gaps and the statistics development plan" in html


def test_report_year_limits_the_figures(real_warehouse):
    html = report.build_html(Warehouse(real_warehouse), "60", 2015, "en")
    assert "Provincial statistics report: Nakhon Sawan, 2015" in html
    assert "111,440.702788" not in html  # the 2020 figure is after the report year


def test_thai_pdf_text_fonts_and_pages(pdf_60_th, tmp_path):
    raw = subprocess.run(
        ["pdftotext", str(pdf_60_th), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = thai_text(raw)
    assert thai_text("รายงานสถิติจังหวัดนครสวรรค์ ปี 2563") in text
    assert "111,440.702788" in text and "1,040,308" in text
    assert "ลดลงร้อยละ 4.6 ในปี 2563" in text  # the computed sentence (checked whole in the HTML test)
    fonts = subprocess.run(["pdffonts", str(pdf_60_th)], capture_output=True, text=True, check=True).stdout
    families = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:] if line.strip()}
    assert families and all(f.startswith("Sarabun") for f in families), families  # no fallback font for Thai
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf_60_th), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) >= 5


def test_cli_writes_a_report_and_refuses_an_unknown_province(real_warehouse, use_warehouse, tmp_path, capsys):
    use_warehouse(real_warehouse)
    out = tmp_path / "r.html"
    assert (
        main(
            [
                "report",
                "--province",
                "61",
                "--year",
                "2019",
                "--lang",
                "th",
                "--format",
                "html",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert "รายงานสถิติจังหวัดอุทัยธานี ปี 2562" in out.read_text(encoding="utf-8")
    assert main(["report", "--province", "99", "--year", "2019", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "--province '99' is not a province code" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_reports_page_makes_a_report(real_warehouse, use_warehouse):
    use_warehouse(real_warehouse)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"lang": "en", "province": "62", "format": "html", "year": "2019"})
    at.switch_page("pages/reports.py")
    at.run()
    at.button(key="make_report").click().run()
    assert not at.exception
    assert "The report of Kamphaeng Phet is ready" in at.success[0].value


def test_pptx_deck_opens_with_expected_slides_and_thai_on_the_complex_script_slot(real_warehouse, tmp_path):
    import io

    from pptx import Presentation
    from pptx.oxml.ns import qn

    data = report.make(Warehouse(real_warehouse), "60", 2020, "th", "pptx")
    prs = Presentation(io.BytesIO(data))
    assert len(prs.slides) == 9  # title + 8 key indicators
    texts = [[sh.text_frame.text for sh in s.shapes if sh.has_text_frame] for s in prs.slides]
    assert texts[0][0] == "นครสวรรค์"
    assert texts[1][0] == "ผลิตภัณฑ์มวลรวมจังหวัด ณ ราคาประจำปี" and texts[1][1].startswith(
        "111,440.7\nล้านบาท · 2563"
    )
    assert "ที่มา: สศช." in texts[1][-1] and "จังหวัดรหัส 60 ตัวเลขถึงปี 2563" in texts[1][-1]
    assert sum(1 for s in prs.slides for sh in s.shapes if sh.shape_type == 13) == 8  # a trend picture each
    run = prs.slides[1].shapes[0].text_frame.paragraphs[0].runs[0]
    assert run._r.rPr.find(qn("a:cs")).get("typeface") == "Sarabun"


def test_libreoffice_converts_the_deck_when_it_is_installed(real_warehouse, tmp_path):
    import shutil

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (optional: apt-get install libreoffice-impress)")
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(report.make(Warehouse(real_warehouse), "60", 2020, "th", "pptx"))
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
        check=True,
        timeout=180,
    )
    assert (tmp_path / "deck.pdf").stat().st_size > 10_000


def test_a_report_being_made_does_not_hold_up_another_session(real_warehouse, use_warehouse):
    """Another user's page finishes while a PDF is still being made (sessions are threads)."""
    import threading
    import time

    use_warehouse(real_warehouse)
    finished = {}
    wh = Warehouse(real_warehouse)
    worker = threading.Thread(
        target=lambda: (
            report.make(wh, "60", 2020, "th", "pdf"),
            finished.setdefault("report", time.monotonic()),
        )
    )
    worker.start()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["province"] = "61"
    at.run()
    finished["page"] = time.monotonic()
    worker.join()
    assert not at.exception and at.title[0].value == "อุทัยธานี"
    assert finished["page"] < finished["report"]
