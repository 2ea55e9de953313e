"""PowerPoint decks (python-pptx): one chart or table per slide with title, source and date. Thai is set on
the complex-script (``<a:cs>``) slot of every run as well as the Latin one, so PowerPoint and LibreOffice
draw it in Sarabun, and each run says its language (``th-TH`` for Thai text, else ``en-US``). The file's
properties are the deck's (title, author ``provdata — <subject>``, dates now, language), not python-pptx's
template's; every picture has alt text; the footer's lines never wrap, even in a wider fallback font. Each slide's
speaker notes are the text presenter mode shows on it (slides.slide_text)."""

from __future__ import annotations

import datetime as dt
import io
import re

from pptx import Presentation
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from provdata.basics.i18n import t
from provdata.reports.slides import Slide, slide_text

FONT = "Sarabun"
THAI = re.compile(r"[\u0e00-\u0e7f]")


def run_lang(text: str) -> str:
    return "th-TH" if THAI.search(text) else "en-US"


def _font(run, size: int, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", run_lang(run.text))
    if THAI.search(run.text):
        rpr.set("altLang", "en-US")
    for tag in ("a:latin", "a:ea", "a:cs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = rpr.makeelement(qn(tag), {})
            rpr.append(el)
        el.set("typeface", FONT)


def _text(slide, left, top, width, height, lines: list[tuple[str, int, bool]], wrap: bool = True) -> None:
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = wrap
    frame.auto_size = MSO_AUTO_SIZE.NONE
    for i, (text, size, bold) in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = text
        _font(run, size, bold)


def _properties(prs, title: str, subject: str, lang: str, now: dt.datetime) -> None:
    """The file's own properties instead of the python-pptx template's (author, 2013 dates, en-US)."""
    props = prs.core_properties
    props.title = title
    props.subject = subject
    props.author = f"provdata — {subject}"
    props.last_modified_by = "provdata"
    props.created = props.modified = now
    props.last_printed = now
    props.revision = 1
    props.language = "th-TH" if lang == "th" else "en-US"
    props.keywords = "provdata; statistics; Thailand"
    props.comments = ""
    props.category = ""


def deck(
    slides: list[Slide], lang: str, footer: str, chart_png=None, title: str = "", subject: str = ""
) -> bytes:
    """A 16:9 deck of ``slides``; ``chart_png(slide) -> bytes | None`` draws each trend.

    The footer is three short lines that never wrap: date and source; ``footer``'s first part; the rest.
    """
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    subject = subject or (slides[0].title if slides else "provdata")
    _properties(prs, title or subject, subject, lang, now)
    parts = footer.split(" · ")
    foot_lines = [" · ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else [footer]
    for s in slides:
        page = prs.slides.add_slide(blank)
        _text(page, Inches(0.6), Inches(0.4), Inches(12), Inches(1.0), [(s.title, 34, True)])
        body = [(s.big, 60, True)] if s.big else []
        body += [(line, 20, False) for line in s.lines if line]
        body += [(f"{i}. {point}", 20, False) for i, point in enumerate(s.points, 1)]
        body += [(s.note, 12, False)] if s.note else []
        _text(page, Inches(0.6), Inches(1.5), Inches(5.4), Inches(4.8), body)
        drawable = (s.trend is not None and len(s.trend) > 1) or s.bars is not None
        png = chart_png(s) if chart_png and drawable else None
        if png:
            pic = page.shapes.add_picture(io.BytesIO(png), Inches(6.2), Inches(1.5), width=Inches(6.6))
            kind = "deck_bars_alt" if s.bars is not None else "deck_chart_alt"
            alt = t(f"report.{kind}", lang, title=s.title, unit=s.unit)
            pic._element._nvXxPr.cNvPr.set("descr", alt)
            pic._element._nvXxPr.cNvPr.set("name", alt[:60])
        page.notes_slide.notes_text_frame.text = "\n".join(slide_text(s))  # what presenter mode shows
        first = " · ".join(x for x in (f"{now:%Y-%m-%d}", s.source) if x)
        _text(
            page,
            Inches(0.4),
            Emu(prs.slide_height - Inches(0.95)),
            Inches(12.5),
            Inches(0.85),
            [(line, 9, False) for line in (first, *foot_lines) if line],
            wrap=False,
        )
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def province_deck(slides: list[Slide], lang: str, era: str, build_id: str, filters: str = "") -> bytes:
    """A deck of province or comparison slides, each trend or bar chart drawn as a picture."""
    from provdata.reports.pictures import png_bytes
    from provdata.views.charts import bars, series_line

    def chart(s: Slide) -> bytes:
        if s.bars is not None:
            return png_bytes(bars(s.bars, s.unit).properties(width=520))
        return png_bytes(
            series_line(s.trend, "", s.unit, t("profile.col_year", lang)).properties(width=520, height=300)
        )

    footer = " · ".join(
        x for x in ("provdata", filters, f"build {build_id}", t("report.licence_short", lang)) if x
    )
    return deck(slides, lang, footer, chart, subject=slides[0].title if slides else "")
