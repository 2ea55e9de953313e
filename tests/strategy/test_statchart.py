"""The statistics chart: example chains load, readiness per pilot, the plan, the graph, chain validation."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from provdata.basics.errors import BuildError
from provdata.reports.plan import plan_pdf
from provdata.strategy import graph, statchart
from provdata.warehouse import queries
from provdata.warehouse.build import build_warehouse
from provdata.warehouse.db import Warehouse
from tests.conftest import ROOT, tiny_inputs

PILOTS = ["14", "15", "16", "17", "18", "25", "26", "60", "61", "62"]


def chained(wh, code):
    ch = queries.chain(wh, code)
    years = queries.years_present(wh, [code], sorted(set(ch.indicator_id.dropna())))
    return statchart.with_readiness(ch, years, code, calendar(wh))


def calendar(wh, day=dt.date(2026, 12, 6)):
    return queries.calendar(wh, day)


def test_every_pilot_has_an_example_chain_whose_indicators_exist(real_warehouse):
    wh = Warehouse(real_warehouse)
    assert queries.chain_provinces(wh) == PILOTS
    known = set(queries.indicators(wh).id)
    for code in PILOTS:
        ch = queries.chain(wh, code)
        assert ch.example.all()
        assert set(ch.indicator_id.dropna()) <= known
        assert (ch.role == "key").sum() >= 2 * ch.issue_id.nunique()
        # needed-but-missing indicators are named, never given figures
        missing = ch[ch.indicator_id.isna()]
        assert set(missing.indicator_en) == {
            "Annual mean PM2.5 concentration",
            "Road traffic deaths",
        }  # poverty and net farm income now point to indicators of data/recipes/


def test_readiness_of_nakhon_sawan(real_warehouse):
    r = chained(Warehouse(real_warehouse), "60").set_index("indicator_id")
    # Was judged against the warehouse's latest year (2023, the NSO SES debt round), which made GPP to 2020 "A".
    # Now against today (6 Dec 2026): NESDC's release lag is not known, so by age: 2020 is older than 2021.
    assert r.loc["gpp_per_capita_baht", "grade"] == "B"  # 1995-2020
    assert (r.loc["gpp_per_capita_baht", "reasons"], r.loc["gpp_per_capita_baht", "fresh"]) == (
        "stale",
        "no_schedule",
    )
    assert r.loc["rice_inseason_production_t", "grade"] == "B"  # ends 2015: older than 2021
    assert r.loc["rice_inseason_production_t", "reasons"] == "stale"
    # poverty: NESDC's edition 260205 holds 2000, 2002, 2004 and 2006-2024; its lag seen in that edition (5 months)
    # says the 2025 figure was due by 31 May 2026
    assert r.loc["poverty_ratio_pct", "reasons"] == "overdue,gaps"
    assert r.loc["poverty_ratio_pct", "overdue_since"] == dt.date(2026, 6, 1)
    assert r.loc["poverty_ratio_pct", "missing"] == "2025"
    # tourism: 2019-2022 published by MOTS, 2023 summed from its monthly tables (monthly, lag at most 4 months):
    # the 2024 figure was due by 30 April 2025, so the series is out of date (it was "A", unscheduled, before)
    assert r.loc["tourism_receipts_mb", "grade"] == "B"
    assert (r.loc["tourism_receipts_mb", "first"], r.loc["tourism_receipts_mb", "latest"]) == (2019, 2023)
    assert r.loc["tourism_receipts_mb", "reasons"] == "overdue"
    assert r.loc["tourism_receipts_mb", "overdue_since"] == dt.date(2025, 5, 1)
    assert r.loc["tourism_receipts_mb", "missing"] == "2024,2025"
    assert r.loc["hotel_occupancy_rate_pct", "grade"] == "A"  # MOTS's annual rate 2019-2022; lag not known
    summary = statchart.issues(r.reset_index(), "en").set_index("issue_id")
    assert summary.loc["agri", "decision_ready"] == False  # noqa: E712 - numpy bool
    assert summary.loc["tourism", "decision_ready"] == False  # noqa: E712 - visitors and receipts overdue


def test_plan_lines_come_from_b_and_c_key_cells(real_warehouse):
    r = chained(Warehouse(real_warehouse), "60")
    plan = statchart.development_plan(r, "en", "ce", calendar(Warehouse(real_warehouse)))
    key_gaps = r[(r.role == "key") & (r.grade != "A")]
    assert len(plan) == len(key_gaps) == 10  # 8, and the two overdue tourism series (visitors, receipts)
    visitors = plan[plan["Indicator"] == "Number of visitors"].iloc[0]
    assert (visitors["Agency"], visitors["Latest year"], visitors["Status"]) == (
        "MOTS", "2023", "open — overdue since 1 May 2025"
    )  # fmt: skip
    assert (
        visitors["What to do"]
        == "Complete and update the series: Tourism statistics by province (2024–2025 missing)"
    )
    pm = plan[plan["Indicator"] == "Annual mean PM2.5 concentration"].iloc[0]
    # Was 2023 (the warehouse's latest year + 1), already past in December 2026: now today's year + 1.
    assert (pm["Readiness"], pm["Agency"], pm["Priority"], pm["Target year"]) == ("C", "PCD", "high", "2027")
    assert pm["Status"] == "open"
    rice = plan[plan["Indicator"] == "In-season (major) rice production"].iloc[0]
    assert rice["Why"] == (
        "the latest figure is 2015, older than 2021 (the source's release calendar is not known, so judged by age)"
    )
    assert (
        rice["What to do"]
        == "Complete and update the series: In-season rice by province (figures after 2015 missing)"
    )
    assert (rice["Priority"], rice["Target year"], rice["Latest year"]) == ("medium", "2028", "2015")
    poverty = plan[plan["Indicator"] == "Poverty headcount ratio (consumption)"].iloc[0]
    assert poverty["What to do"].endswith("(2025 missing)")
    # its first missing figure (2025) was due by 31 May 2026: the line's target year is 2026, not yet past
    assert (poverty["Target year"], poverty["Status"]) == ("2026", "open")


def test_graph_one_per_issue_names_every_node_and_colours_by_grade(real_warehouse):
    r = chained(Warehouse(real_warehouse), "60")
    issues = graph.by_issue(r)
    assert [i for i, _rows in issues] == ["agri", "tourism", "life"]
    dots = {issue: graph.dot(rows, "th", "be") for issue, rows in issues}
    agri = dots["agri"]
    assert agri.startswith("digraph chart {") and agri.rstrip().endswith("}")
    # the issue is the heading above its graph; its factors, indicators and datasets with their agency are boxes
    assert "เพิ่มมูลค่าการเกษตร" not in agri
    assert '[label="ผลผลิตข้าวต่อไร่สูงขึ้น"' in agri
    assert '[label="ข้าวนาปี รายจังหวัด\nสศก."' in agri
    assert '"ผลผลิตข้าวนาปี\nB · หลัก · 2558"' in agri
    assert "ครัวเรือนผู้ปลูก" not in dots["tourism"]
    # boxes sized from the font (Graphviz in the browser guessed Thai three times too wide); text at 14 pt
    assert "fontsize=14" in agri and 'fixedsize="true"' in agri
    assert "#d73027" in dots["life"] and "#1a9850" in dots["tourism"] and "#f4a742" in agri


def test_graph_box_fits_its_longest_line():
    wide, narrow = graph._size("การสำรวจภาวะเศรษฐกิจสังคมครัวเรือนเกษตร"), graph._size("สศก.")
    assert float(wide["width"]) > 2 * float(narrow["width"])
    assert float(graph._size("a\nb")["height"]) > float(graph._size("a")["height"])


@pytest.mark.parametrize(
    ("file", "line_no", "new", "expected"),
    [
        ("links.csv", 2, "60,agri,agri.yield,no_such_id,,,key,x,x,oae", "'no_such_id' is not an indicator"),
        ("links.csv", 2, "60,agri,agri.yield,,,,key,x,x,oae", "needs its Thai and English name"),
        (
            "links.csv",
            2,
            "60,agri,agri.yield,gpp_current_mb,,,main,x,x,nesdc",
            "'main' must be key or supporting",
        ),
        ("issues.csv", 2, "60,agri,,Agriculture,,,true", "needs a Thai and an English title"),
        ("issues.csv", 2, "99,agri,ก,A,,,true", "'99' is not a province code"),
    ],
)
def test_bad_chain_rows_fail_the_build_with_file_line_and_column(
    tiny_copy, tmp_path, file, line_no, new, expected
):
    path = tiny_copy / "strategy" / file
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[line_no - 1] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build_warehouse(tmp_path / "wh.duckdb", tiny_inputs(tiny_copy), log=lambda _m: None)
    assert f"{file} line {line_no}" in str(err.value) and expected in str(err.value)


def test_duplicate_issue_is_rejected(tiny_copy, tmp_path):
    path = tiny_copy / "strategy" / "issues.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(BuildError, match="appears twice"):
        build_warehouse(tmp_path / "wh.duckdb", tiny_inputs(tiny_copy), log=lambda _m: None)


def test_chart_page_in_thai(real_warehouse, use_warehouse):
    use_warehouse(real_warehouse)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"lang": "th", "province": "60"})
    at.switch_page("pages/chart.py")
    at.run()
    assert not at.exception
    assert "ผังตัวอย่าง" in at.warning[0].value
    text = " ".join(m.value for m in at.markdown)
    assert "การท่องเที่ยวและการลงทุน" in [h.value for h in at.subheader]
    assert ":orange-badge[ยังไม่พร้อมใช้ตัดสินใจ · ตัวชี้วัดหลักพร้อม (A) 1 จาก 3]" in text
    # each issue's chain as a list too (on a phone instead of its graph; for screen readers): factor, indicator
    # with its grade, role and latest year, dataset and agency
    assert len(at.get("graphviz_chart")) == 3
    assert (
        "- **ผลผลิตข้าวต่อไร่สูงขึ้น**\n  - ผลผลิตข้าวนาปีต่อไร่เก็บเกี่ยว — B · หลัก · 2558 — ข้าวนาปี รายจังหวัด (สศก\\.)"
        in text
    )
    targets = at.dataframe[0].value
    # Was ["ไม่ตามเป้า", "ตามเป้า", "ไม่ตามเป้า"]: dengue 274 (2020) read "on track" for "≤ 200 by 2022" from a
    # projection. On 6 Dec 2026 all three deadlines (2022, 2022, 2023) have passed and no figure exists for them.
    assert targets["สถานะ"].tolist() == [
        "ไม่บรรลุ — ไม่มีตัวเลขของปี 2565 ซึ่งเป็นปีเป้าหมาย",
        "ไม่บรรลุ — ไม่มีตัวเลขของปี 2565 ซึ่งเป็นปีเป้าหมาย",
        "ไม่บรรลุ — ไม่มีตัวเลขของปี 2566 ซึ่งเป็นปีเป้าหมาย",
    ]
    assert targets["ตัวเลขล่าสุด"].tolist() == ["121,070.3 (2563)", "274 (2563)", "0.6205 (2564)"]
    assert targets["ตัวเลขของปีเป้าหมาย"].tolist() == ["–", "–", "–"]
    assert targets["หมายเหตุ"].str.contains("ตัวอย่างเป้าหมายเพื่อสาธิต").all()
    plan = at.dataframe[1].value
    assert len(plan) == 10  # with visitors and receipts, overdue since 1 May 2025 (the 2024 figure)
    assert "ขาดปี 2567–2568" in plan.set_index("ตัวชี้วัด").loc["จำนวนผู้เยี่ยมเยือนทั้งหมด", "สิ่งที่ต้องทำ"]
    assert "ขาดปี 2568" in plan.set_index("ตัวชี้วัด").loc["สัดส่วนคนจน (ด้านรายจ่าย)", "สิ่งที่ต้องทำ"]
    grid = at.dataframe[2].value  # the ten chain provinces × the chain's 19 indicators, named in Thai
    assert grid.shape == (10, 19) and grid.index.name == "พื้นที่"
    # Was A (judged against 2023, the warehouse's latest year): dengue ends 2020, older than 2021 on 6 Dec 2026
    assert grid.loc["พระนครศรีอยุธยา", "ผู้ป่วยไข้เลือดออก (DHF)"] == "B"
    assert at.info[-1].value.startswith("คำขอรับการส่งเสริมการลงทุน (BOI): มูลค่าเงินลงทุน ของนครสวรรค์: A — ")
    at.selectbox(key="why_indicator.th.be").set_value("rice_inseason_production_t").run()
    assert "ตัวเลขล่าสุดเป็นปี 2558 เก่ากว่าปี 2564" in at.info[-1].value  # 5 years before 2569 (today's year)
    # a province without a chain says so
    at.selectbox(key="province.th.be").set_value("10").run()
    assert "ยังไม่มีผังสถิติทางการ" in at.info[0].value


def test_plan_pdf_in_thai_holds_the_province_and_its_plan_lines(real_warehouse, tmp_path):
    import subprocess

    r = chained(Warehouse(real_warehouse), "60")
    plan = statchart.development_plan(r, "th", "be", calendar(Warehouse(real_warehouse)))
    pdf = plan_pdf(plan, "นครสวรรค์", "th", "rule", "ผังตัวอย่าง", "build-x")
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "แผนพัฒนาสถิติระดับจังหวัด — นครสวรรค์" in text
    assert "PM2.5" in text and "build-x" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Sarabun" in fonts and "yes" in fonts  # embedded
    from provdata.reports import pdf as pdfmod
    from tests.reports.test_report import pdf_objects, thai_words, words_found

    html_text = pdfmod.document("แผนพัฒนาสถิติระดับจังหวัด — นครสวรรค์", "th", ["x"], ["ผังตัวอย่าง"], plan, ["rule"])
    assert words_found(thai_words(html_text), path) >= 0.99
    assert "จัดทำด้วย provdata" in text and "\u0e4d" not in text  # ทำ reads ทำ, not ท + ํ + า
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info and "Title:           แผนพัฒนาสถิติระดับจังหวัด — นครสวรรค์" in info
    assert b"/Lang (th)" in pdf_objects(pdf)
