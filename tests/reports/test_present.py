"""Presenter mode's slides: what each says (no escape characters, in either language), the title slide's period
and things to discuss, the page that draws them all ahead, and the PowerPoint deck whose speaker notes are the
slides' text. (In Chromium: tests/browser/test_browser_present.py.)"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from pptx import Presentation

from provdata.basics import clock
from provdata.reports import deck, stage
from provdata.reports.slides import adverse_changes, comparison_slides, province_slides, slide_text
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse
from tests.conftest import open_page

#: A Markdown escape (a backslash before ASCII punctuation), as presenter mode once showed: \-4\.6\%
ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")


@pytest.fixture(scope="module")
def wh(real_warehouse) -> Warehouse:
    return Warehouse(real_warehouse)


def slides_of(wh: Warehouse, code: str, lang: str, era: str):
    ind = queries.indicators(wh)
    ids = ind.id.tolist()
    province = queries.provinces(wh).set_index("code").loc[code].to_dict()
    return province_slides(
        province,
        queries.headlines(wh, code, ids),
        ind,
        queries.series(wh, ids, [code]),
        lang,
        era,
        queries.calendar(wh, clock.today()),
    )


def health_slides(wh: Warehouse, lang: str, era: str):
    ind = queries.indicators(wh)
    provinces = queries.provinces(wh)
    names = dict(zip(provinces.code, provinces[f"name_{lang}"], strict=True))
    series = queries.level_series(wh, ind.loc[ind.theme == "health", "id"].tolist())
    theme = ind.loc[ind.theme == "health", f"theme_{lang}"].iloc[0]
    return comparison_slides(theme, ["60", "61", "62"], names, series, ind, lang, era)


class _Sections(HTMLParser):
    """The text of each ``<section class=pd-slide>`` of a deck's HTML, one string per element's text."""

    def __init__(self) -> None:
        super().__init__()
        self.slides: list[list[str]] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "section" and "pd-slide" in (dict(attrs).get("class") or ""):
            self.slides.append([])
            self.depth = 1
        elif self.depth and tag == "section":
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth and tag == "section":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and data.strip():
            self.slides[-1].append(data.strip())


@pytest.mark.parametrize(("lang", "era"), [("th", "be"), ("en", "ce")])
def test_no_slide_says_an_escape_character_in_either_language(wh, lang, era):
    for slides in (
        slides_of(wh, "60", lang, era),
        slides_of(wh, "10", lang, era),
        health_slides(wh, lang, era),
    ):
        for s in slides:
            assert not any(ESCAPE.search(x) or "\\" in x for x in slide_text(s)), slide_text(s)
        html = stage.deck_html(slides, lang, [None] * len(slides), 1, "./?province=60")
        parser = _Sections()
        parser.feed(html)
        assert len(parser.slides) == len(slides)
        for s, shown in zip(slides, parser.slides, strict=True):
            assert not any("\\" in x for x in shown), shown
            assert [x for x in slide_text(s)] == [
                x for x in shown if x in slide_text(s)
            ]  # all of it, in order
    # the lines that were shown escaped before (issue #24), now as typed
    th = slide_text(slides_of(wh, "60", "th", "be")[1])
    assert "-4.6% จากปี 2562" in th and slide_text(slides_of(wh, "60", "th", "be")[0])[2] == "ภาค: ภาคกลาง"


def test_a_province_name_with_markup_is_shown_as_typed_not_as_html(wh):
    slides = slides_of(wh, "60", "en", "ce")
    odd = [type(slides[0])(title="<b>A & B</b> \\*", lines=["x < y"]), *slides[1:]]
    html = stage.deck_html(odd, "en", [None] * len(odd), 1, "./")
    assert "&lt;b&gt;A &amp; B&lt;/b&gt; \\*" in html and "<b>A" not in html and "x &lt; y" in html


def test_the_title_slide_names_the_province_its_period_and_three_things_to_discuss(wh):
    th = slides_of(wh, "60", "th", "be")[0]
    assert th.title == "นครสวรรค์"
    # the cards' years: rice 2015 to population, poverty and waste 2024 (the 2013 poverty release, 2007, is not a card)
    assert th.lines == ["สถิติจังหวัดโดยสรุป", "ภาค: ภาคกลาง", "จังหวัดนำร่อง", "ตัวเลขปี 2558–2567"]
    # the largest changes for the worse (percent, direction respected): poverty ratio 1.3004 -> 1.8260866 % (+40.4 %),
    # rice -12.0 %, GPP -4.6 %; registered population has no better direction, dengue cases fell (lower is better)
    assert th.points == [
        "สัดส่วนคนจน (ด้านรายจ่าย): +40.4% จากปี 2566 (ปี 2567)",
        "ผลผลิตข้าวนาปี: -12.0% จากปี 2557 (ปี 2558)",
        "ผลิตภัณฑ์มวลรวมจังหวัด ณ ราคาประจำปี: -4.6% จากปี 2562 (ปี 2563)",
    ]
    en = slides_of(wh, "60", "en", "ce")[0]
    assert en.lines[-1] == "Figures of 2015–2024"
    assert en.points[0] == "Poverty headcount ratio (consumption): +40.4% on 2023 (2024)"
    assert en.note.startswith("To discuss: the 3 indicators on these slides that changed most for the worse")


def test_adverse_changes_respect_the_direction_and_leave_out_what_has_none():
    indicators = pd.DataFrame(
        {"id": ["up", "down", "size", "zero"], "higher_is_better": [True, False, None, True]}
    )
    headlines = pd.DataFrame({
        "indicator_id": ["up", "down", "size", "zero"], "value": [90.0, 130.0, 10.0, 5.0],
        "prev_value": [100.0, 100.0, 100.0, 0.0],
    })  # fmt: skip
    got = adverse_changes(headlines, indicators.astype({"higher_is_better": "boolean"}))
    assert got.indicator_id.tolist() == ["down", "up"] and got["size"].round(6).tolist() == [30.0, 10.0]
    better = headlines.assign(value=[110.0, 70.0, 10.0, 5.0])
    assert adverse_changes(better, indicators.astype({"higher_is_better": "boolean"})).empty


def test_every_figure_slide_says_its_year(wh):
    for s in slides_of(wh, "60", "th", "be")[1:]:
        assert re.search(r"· ปี 25\d\d( · ไม่เป็นปัจจุบัน: เกินกำหนดตั้งแต่ \d+ \S+ 25\d\d)?$", s.lines[0]), s.lines
    for s in health_slides(wh, "en", "ce")[1:]:
        assert re.search(r"· 20\d\d$", s.lines[0]), s.lines


def test_comparison_slide_shows_the_best_figure_large_and_names_its_province(wh):
    s = health_slides(wh, "en", "ce")[1]
    # fewest dengue cases in 2020 among the three (lower is better): Uthai Thani, 60
    assert (s.title, s.big, s.lines) == (
        "Dengue haemorrhagic fever cases",
        "60",
        ["cases · 2020", "best: Uthai Thani"],
    )


@pytest.mark.parametrize(("lang", "era"), [("th", "be"), ("en", "ce")])
def test_the_decks_speaker_notes_are_the_slides_text(wh, lang, era):
    for slides in (slides_of(wh, "60", lang, era), health_slides(wh, lang, era)):
        pptx = Presentation(io.BytesIO(deck.province_deck(slides, lang, era, "b")))
        assert len(pptx.slides) == len(slides)
        for page, s in zip(pptx.slides, slides, strict=True):
            notes = page.notes_slide.notes_text_frame.text
            assert notes == "\n".join(slide_text(s)) and "\\" not in notes
    assert pptx.slides[1].shapes[1].text_frame.text.startswith("60\n")


def test_the_chart_is_drawn_for_the_room_with_axis_labels_of_26_px(wh):
    s = slides_of(wh, "60", "en", "ce")[1]
    svg = stage.chart_svg(s, "en", "pd2-")
    sizes = {float(x) for x in re.findall(r'font-size="([\d.]+)px"', svg)} | {
        float(x) for x in re.findall(r"font-size: ?([\d.]+)px", svg)
    }
    assert sizes and min(sizes) >= 24, sizes
    assert f'width="{stage.CHART_WIDTH}"' in svg and all(
        i.startswith("pd2-") for i in re.findall(r'\bid="([^"]+)"', svg)
    )


def deck_of(at) -> str:
    (body,) = [h.value for h in at.html if "class='pd-deck'" in h.value]
    return body


def test_the_page_draws_every_slide_ahead_in_one_block(real_warehouse, use_warehouse):
    use_warehouse(real_warehouse)
    at = open_page("pages/present.py", lang="en", province="60", slide="2")
    body = deck_of(at)
    # the title, 12 headline cards and the open actions of the follow-up register (none yet: 4 flags without one)
    assert body.count("class='pd-slide") == 14 and "data-start='1'" in body
    assert "<h1 class='pd-title'>Open actions on flagged indicators</h1>" in body
    assert "4 of 4 flag(s) without an open action" in body
    assert "<h1 class='pd-title'>Gross provincial product at current market prices</h1>" in body
    assert "<p class='pd-big'>111,440.7</p>" in body and "-4.6% on 2019" in body
    assert "class='pd-full'" in body and "href='./?province=60&amp;lang=en&amp;era=ce'" in body
    assert not ESCAPE.search(body.split("<script>")[0])


def test_the_page_draws_a_comparison_and_falls_back_to_the_province_on_a_bad_theme(
    real_warehouse, use_warehouse
):
    use_warehouse(real_warehouse)
    at = open_page("pages/present.py", lang="en", theme="health", provinces="60,61,62")
    body = deck_of(at)
    assert (
        body.count("class='pd-slide") == 4
        and "<p class='pd-big'>60</p>" in body
        and "best: Uthai Thani" in body
    )
    at = open_page("pages/present.py", lang="th", theme="nonsense", provinces="60", province="99")
    assert "<h1 class='pd-title'>" in deck_of(at) and deck_of(at).count("class='pd-slide") > 1
