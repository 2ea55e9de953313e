"""The annual report: exact published figures, computed sentences, Thai PDF with Sarabun embedded, the CLI
and the Reports page."""

from __future__ import annotations

import html as htmlmod
import re
import subprocess
import zlib

import pytest
from streamlit.testing.v1 import AppTest

from provdata.cli.main import main
from provdata.reports import report
from provdata.warehouse.db import Warehouse
from tests.conftest import ROOT


def thai_text(raw: str) -> str:
    """Text to compare with pdftotext's output: single spaces, the characters as they are (no normalisation:
    the PDF's ActualText spans give back ำ and a tone mark before it exactly as typed)."""
    return " ".join(raw.split())


def pdf_objects(data: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated, to look for keys in it."""
    out = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            out.append(zlib.decompress(m.group(1)))
        except zlib.error:
            pass
    return b"\n".join(out)


def thai_words(html_text: str) -> list[str]:
    """The Thai words a reader sees in an HTML document: runs of Thai letters of its body text, as typed."""
    body = re.sub(r"<head>.*?</head>|<[^>]+>", " ", html_text, flags=re.S)
    return re.findall(r"[\u0e01-\u0e4e]+", htmlmod.unescape(body))


def words_found(words: list[str], pdf_path) -> float:
    raw = subprocess.run(
        ["pdftotext", "-raw", str(pdf_path), "-"], capture_output=True, text=True, check=True
    )
    flat = "".join(thai_text(raw.stdout).split())  # a word wrapped over two lines is still the word
    return sum(w in flat for w in words) / len(words)


@pytest.fixture(scope="module")
def pdf_60_th(real_warehouse, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "r60.pdf"
    path.write_bytes(report.build_pdf(Warehouse(real_warehouse), "60", 2020, "th"))
    return path


def test_html_in_english_has_exact_figures_and_computed_sentences(real_warehouse):
    steps = []
    html = report.build_html(Warehouse(real_warehouse), "60", 2020, "en", lambda f, part: steps.append(part))
    assert steps == ["overview", "themes", "issues", "plan", "follow", "appendix", "done"]
    assert "Provincial statistics report: Nakhon Sawan, 2020" in html
    assert "111,440.702788" in html and "1,040,308" in html
    assert "GPP per capita fell 3.7% in 2020, 8th of the 10 pilot provinces." in html
    assert (
        "Gross provincial product at current market prices fell 4.6% in 2020, 3rd of the 10 pilot provinces."
        in html
    )
    assert "EXAMPLE chain" in html and "Part 4. Data gaps and the statistics development plan" in html
    # Part 5: what was flagged, with the rule; no action recorded yet in the test's empty store
    assert "Part 5. Flags and actions" in html
    assert ("<td>Poverty headcount ratio (consumption)</td><td>Significant change</td><td>2024</td><td>1.83</td>"
            "<td>1.83 in 2024 against 1.3 in 2023: +40.4 %, a change the wrong way of at least 10 % (lower is "
            "better)</td><td>0</td>") in html  # fmt: skip
    assert "4 flag(s) have no open action: In-season (major) rice production" in html
    # each headline figure's year; a series that runs past the report's year names its latest figure and is
    # judged on it: "out of date" where the release calendar expects a later one (6 Dec 2026)
    assert (
        "<td>2020 · latest figure: 2024 · out of date</td>" in html
    )  # DOPA's 2025 figure was due 1 Feb 2026
    assert "<td>2019 · latest figure: 2023</td>" in html  # SES income: the 2025 survey is not due yet
    assert "<td>2015</td>" in html and html.count(" · out of date</td>") == 4
    assert (
        '<p class="sentence">• Registered population (2024): out of date: overdue since 1 Feb 2026</p>'
        in html
    )
    # ranked survey figures say so: NESDC's poverty ratio and NSO's SES income and debt, not GPP or the register
    said = re.findall(r'<p class="sentence">• ([^<:]+): sample-survey estimate', html)
    assert said == ["Poverty headcount ratio (consumption)", "Average monthly household income",
                    "Average debt per household (all households)"]  # fmt: skip


def test_html_report_marks_on_another_day(real_warehouse, today):
    today("2021-01-15")  # the 2020 registered population is current until DOPA's 2021 figure is due
    html = report.build_html(Warehouse(real_warehouse), "60", 2020, "en")
    assert " · out of date</td>" not in html and "Registered population (2020): out of date" not in html
    assert "<td>2020</td>" in html
    # the theme tables' latest figures: the police's 2011 crime figures were already late (lag 19 months)
    assert "<td>2011 · out of date: overdue since 1 Aug 2014</td>" in html


def test_report_year_limits_the_figures(real_warehouse):
    html = report.build_html(Warehouse(real_warehouse), "60", 2015, "en")
    assert "Provincial statistics report: Nakhon Sawan, 2015" in html
    assert "111,440.702788" not in html  # the 2020 figure is after the report year


@pytest.mark.slow
def test_thai_pdf_text_fonts_and_pages(pdf_60_th, tmp_path):
    raw = subprocess.run(
        ["pdftotext", str(pdf_60_th), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = thai_text(raw)
    assert thai_text("รายงานสถิติจังหวัดนครสวรรค์ ปี 2563") in text
    assert "111,440.702788" in text and "1,040,308" in text
    assert "ลดลงร้อยละ 4.6 ในปี 2563" in text  # the computed sentence (checked whole in the HTML test)
    assert thai_text("ประชากรตามทะเบียนราษฎร (2567): ไม่เป็นปัจจุบัน: เกินกำหนดตั้งแต่ 1 ก.พ. 2569") in text
    fonts = subprocess.run(["pdffonts", str(pdf_60_th)], capture_output=True, text=True, check=True).stdout
    families = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:] if line.strip()}
    assert families and all(f.startswith("Sarabun") for f in families), families  # no fallback font for Thai
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf_60_th), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) >= 5


@pytest.mark.slow
def test_the_thai_pdf_text_is_the_thai_shown_tagged_titled_and_with_alt_text(real_warehouse, pdf_60_th):
    html_text = report.build_html(Warehouse(real_warehouse), "60", 2020, "th")
    words = thai_words(html_text)
    assert len(words) > 500
    # measured: 100 % of 1,484 words exactly (Nakhon Sawan, 2020; 87.9 % before the ActualText spans)
    assert words_found(words, pdf_60_th) >= 0.99
    raw = subprocess.run(
        ["pdftotext", str(pdf_60_th), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "ตาม" in raw and "ตำม" not in raw  # sara aa is not read as sara am
    assert "จำนวน" in raw and "น้ำ" in raw and "\u0e4d" not in raw  # ำ is ำ, after a tone mark too
    body = re.sub(r"<head>.*?</head>|<[^>]+>", " ", html_text, flags=re.S)
    for char in "\u0e32\u0e33":  # า and ำ
        assert raw.count(char) >= body.count(char)
    info = subprocess.run(["pdfinfo", str(pdf_60_th)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info and "Title:           รายงานสถิติจังหวัดนครสวรรค์ ปี 2563" in info
    objects = pdf_objects(pdf_60_th.read_bytes())
    assert b"/Lang (th)" in objects
    # the locator map and a chart per key indicator of the example chain with figures (11, poverty and farm
    # income included since the recipes brought them)
    assert html_text.count("<img ") == html_text.count(' alt="') == objects.count(b"/Alt") == 12
    assert 'alt="แผนที่ประเทศไทย แสดงตำแหน่งจังหวัดนครสวรรค์ (ภาคกลาง)"' in html_text


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
    # title + 12 headline cards (data/reference/profile_indicators.csv) + Flags and actions: flagged, done, open
    assert len(prs.slides) == 16
    texts = [[sh.text_frame.text for sh in s.shapes if sh.has_text_frame] for s in prs.slides]
    assert texts[13][0] == "ธงเตือนและการดำเนินการ: ตัวชี้วัดที่ขึ้นธง" and texts[15][0].startswith("การดำเนินการที่เปิดอยู่")
    assert "สัดส่วนคนจน (ด้านรายจ่าย) — เปลี่ยนแปลงมาก: 1.83 ในปี 2567 เทียบกับ 1.3 ในปี 2566" in texts[13][1]
    assert texts[0][0] == "นครสวรรค์"
    assert texts[1][0] == "ผลิตภัณฑ์มวลรวมจังหวัด ณ ราคาประจำปี" and texts[1][1].startswith(
        "111,440.7\nล้านบาท · ปี 2563"
    )
    assert "ที่มา: สศช." in texts[1][-1] and "จังหวัดรหัส 60 ตัวเลขถึงปี 2563" in texts[1][-1]
    assert sum(1 for s in prs.slides for sh in s.shapes if sh.shape_type == 13) == 12  # a trend picture each
    # DOPA announces the registered population by the end of January: on 6 Dec 2026 its 2025 figure is overdue;
    # the deck of 2020 names the series' latest figure (2024) and judges the series on it
    assert texts[3][:2] == ["ประชากรตามทะเบียนราษฎร", texts[3][1]] and texts[3][1].startswith(
        "1,040,308\nคน · ปี 2563 · ตัวเลขล่าสุด: ปี 2567 · ไม่เป็นปัจจุบัน: เกินกำหนดตั้งแต่ 1 ก.พ. 2569\n"
    )
    assert "ไม่เป็นปัจจุบัน" not in texts[1][1]  # NESDC's GPP: when it publishes is not known, never called late
    run = prs.slides[1].shapes[0].text_frame.paragraphs[0].runs[0]
    assert run._r.rPr.find(qn("a:cs")).get("typeface") == "Sarabun"


def test_the_deck_carries_its_own_properties_languages_and_alt_text(real_warehouse):
    import datetime as dt
    import io

    from pptx import Presentation
    from pptx.oxml.ns import qn

    prs = Presentation(io.BytesIO(report.make(Warehouse(real_warehouse), "60", 2020, "th", "pptx")))
    props = prs.core_properties
    assert (props.title, props.author, props.language) == ("นครสวรรค์", "provdata — นครสวรรค์", "th-TH")
    today = dt.datetime.now(dt.UTC).date()
    assert props.created.date() == props.modified.date() == today and props.last_modified_by == "provdata"
    runs = [r for s in prs.slides for sh in s.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs
            for r in p.runs]  # fmt: skip
    assert runs and all(
        r._r.rPr.get("lang") == ("th-TH" if re.search("[ก-๛]", r.text) else "en-US") for r in runs
    )
    assert sum(r._r.rPr.get("lang") == "th-TH" for r in runs) > 30
    pictures = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == 13]
    alts = [p._element._nvXxPr.cNvPr.get("descr") for p in pictures]
    assert len(alts) == 12 and alts[0] == "กราฟเส้นของผลิตภัณฑ์มวลรวมจังหวัด ณ ราคาประจำปี (ล้านบาท) ตามปี"
    assert all(a and a != "image.png" for a in alts)
    assert all(r._r.rPr.find(qn("a:cs")).get("typeface") == "Sarabun" for r in runs)


@pytest.mark.slow
def test_libreoffice_draws_the_deck_with_each_footer_line_whole_without_sarabun(real_warehouse, tmp_path):
    import datetime as dt
    import shutil

    office = shutil.which("soffice")
    assert office, "LibreOffice Impress is needed (deploy/system-packages.sh test)"
    assert (
        "Sarabun" not in subprocess.run(["fc-list"], capture_output=True, text=True).stdout
    )  # the tester's case
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(report.make(Warehouse(real_warehouse), "60", 2020, "th", "pptx"))
    subprocess.run(
        [office, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(deck)],
        check=True, timeout=180, capture_output=True,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "deck.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:9]
    date = f"{dt.datetime.now(dt.UTC):%Y-%m-%d}"
    assert len(pages) == 9 and all(date in page for page in pages)
    for page in pages[1:]:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        foot = next(line for line in lines if date in line)
        assert foot.startswith(f"{date} · ที่มา: "), foot  # the date and the source on one line, whole
        assert any(line.startswith("provdata · จังหวัดรหัส 60 ตัวเลขถึงปี 2563 · build ") for line in lines)
        assert "ตัวเลขตามที่เผยแพร่ แหล่งข้อมูลและสัญญาอนุญาตอยู่ในภาคผนวกของรายงาน" in [thai_text(x) for x in lines]


@pytest.mark.slow
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


def test_reports_page_says_the_line_is_full_with_the_would_be_place(
    real_warehouse, use_warehouse, monkeypatch
):
    import threading

    from provdata.ui import cached

    use_warehouse(real_warehouse)
    monkeypatch.setenv("PROVDATA_REPORT_WORKERS", "1")
    monkeypatch.setenv("PROVDATA_REPORT_QUEUE", "0")
    cached.report_queue.clear()
    release = threading.Event()
    busy = cached.report_queue().submit("another request", lambda progress: release.wait(60) and b"")
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params.update({"lang": "en", "province": "62", "format": "html", "year": "2019"})
        at.switch_page("pages/reports.py")
        at.run()
        at.button(key="make_report").click().run()
        assert not at.exception and not at.success
        assert at.error[0].value.replace("\\", "") == (  # shown escaped as Markdown
            "0 reports are waiting for the 1 report worker(s) (the limit is 0 waiting, PROVDATA_REPORT_QUEUE): you "
            "would be 1 in line; ask again in about 10 s"
        )
    finally:
        release.set()
        busy.result(60)
        cached.report_queue.clear()
