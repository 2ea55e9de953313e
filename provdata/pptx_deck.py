"""PowerPoint decks (python-pptx): one chart or table per slide with title, source and date. Thai is set on
the complex-script (``<a:cs>``) slot of every run as well as the Latin one, so PowerPoint and LibreOffice
draw it in Sarabun."""

from __future__ import annotations

import datetime as dt
import io

from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from provdata.i18n import t
from provdata.slides import Slide

FONT = "Sarabun"


def _font(run, size: int, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT
    rpr = run._r.get_or_add_rPr()
    for tag in ("a:latin", "a:ea", "a:cs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = rpr.makeelement(qn(tag), {})
            rpr.append(el)
        el.set("typeface", FONT)


def _text(slide, left, top, width, height, lines: list[tuple[str, int, bool]]) -> None:
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, (text, size, bold) in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = text
        _font(run, size, bold)


def deck(slides: list[Slide], lang: str, footer: str, chart_png=None) -> bytes:
    """A 16:9 deck of ``slides``; ``chart_png(slide) -> bytes | None`` draws each trend."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]
    made = f"{footer} · {dt.datetime.now(dt.UTC):%Y-%m-%d}"
    for s in slides:
        page = prs.slides.add_slide(blank)
        _text(page, Inches(0.6), Inches(0.4), Inches(12), Inches(1.0), [(s.title, 34, True)])
        body = [(s.big, 60, True)] if s.big else []
        body += [(line, 20, False) for line in s.lines if line]
        _text(page, Inches(0.6), Inches(1.5), Inches(5.4), Inches(4.8), body)
        drawable = (s.trend is not None and len(s.trend) > 1) or s.bars is not None
        png = chart_png(s) if chart_png and drawable else None
        if png:
            page.shapes.add_picture(io.BytesIO(png), Inches(6.2), Inches(1.5), width=Inches(6.6))
        foot = " · ".join(x for x in (s.source, made) if x)
        _text(
            page,
            Inches(0.6),
            Emu(prs.slide_height - Inches(0.8)),
            Inches(12),
            Inches(0.5),
            [(foot, 11, False)],
        )
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def province_deck(slides: list[Slide], lang: str, era: str, build_id: str, filters: str = "") -> bytes:
    """A deck of province or comparison slides, each trend or bar chart drawn as a picture."""
    from provdata.charts import bars, series_line
    from provdata.report import _png_bytes

    def chart(s: Slide) -> bytes:
        if s.bars is not None:
            return _png_bytes(bars(s.bars, s.unit).properties(width=520))
        return _png_bytes(
            series_line(s.trend, "", s.unit, t("profile.col_year", lang)).properties(width=520, height=300)
        )

    footer = " · ".join(
        x for x in ("provdata", filters, f"build {build_id}", t("report.licence_short", lang)) if x
    )
    return deck(slides, lang, footer, chart)
