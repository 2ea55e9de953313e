"""PDF documents in Thai and English with WeasyPrint and Sarabun (embedded), which shapes Thai correctly
(stacked vowels and tone marks), whose text layer is the Thai shown, tagged (PDF/UA-1), with a title and a
language.

The text layer: WeasyPrint maps each glyph of the subset font to the text of the first cluster it was drawn
in. HarfBuzz draws SARA AM (ำ) as two glyphs, NIKHAHIT + SARA AA, in one cluster, so the SARA AA glyph was
mapped to "ำ" and every later า read as ำ ("ตำม" for "ตาม"). :func:`_true_glyph_text` maps every glyph back to
its own character (the font's cmap, or the base character of a GSUB alternate such as ี.narrow). A glyph map
cannot say "two glyphs, one character", and HarfBuzz also moves NIKHAHIT before a tone mark ("น้ำ" is drawn
น ํ ้ า), so :func:`_actual_text_spans` wraps the glyphs of every cluster whose glyphs' own texts differ from
the cluster's text in a ``/Span <</ActualText (text)>> BDC … EMC`` marked-content sequence (nested in the
tagged ``/Span <</MCID n>>`` of the text), which poppler's pdftotext and Acrobat read instead of the glyphs:
ำ reads as ำ, น้ำ as น้ำ, and a lone า as า. (pdf.js's text layer ignored ActualText; mozilla/pdf.js pull
request 20014, open in 2025, adds it: not checked here.)
"""

from __future__ import annotations

import html
import io
import re
from functools import cache, wraps
from pathlib import Path

import fontpkg_sarabun
import pandas as pd

FONT_DIR = Path(fontpkg_sarabun.__file__).parent / "files"

CSS = f"""
@font-face {{ font-family: Sarabun; src: url("{(FONT_DIR / "Sarabun-Regular.ttf").as_uri()}"); }}
@font-face {{ font-family: Sarabun; font-weight: bold; src: url("{(FONT_DIR / "Sarabun-Bold.ttf").as_uri()}"); }}
@page {{ size: A4 landscape; margin: 14mm 12mm 16mm 12mm;
        @bottom-right {{ content: counter(page) " / " counter(pages); font: 9pt Sarabun; color: #666; }} }}
body {{ font-family: Sarabun; font-size: 10.5pt; color: #222; }}
h1 {{ font-size: 17pt; margin: 0 0 4pt 0; }}
p.meta, p.note {{ color: #555; font-size: 9pt; margin: 2pt 0; }}
p.warn {{ background: #fff4d6; padding: 4pt 6pt; font-size: 9.5pt; }}
table {{ border-collapse: collapse; width: 100%; margin-top: 8pt; }}
th, td {{ border: 0.5pt solid #bbb; padding: 3pt 4pt; vertical-align: top; text-align: left; }}
th {{ background: #eef3f8; }}
"""


def table_html(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape('' if pd.isna(v) else str(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def document(
    title: str, lang: str, meta: list[str], warnings: list[str], frame: pd.DataFrame, notes: list[str]
) -> str:
    parts = [f"<h1>{html.escape(title)}</h1>"]
    parts += [f'<p class="meta">{html.escape(m)}</p>' for m in meta]
    parts += [f'<p class="warn">{html.escape(w)}</p>' for w in warnings]
    parts.append(table_html(frame))
    parts += [f'<p class="note">{html.escape(n)}</p>' for n in notes]
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{CSS}</style></head><body>{''.join(parts)}</body></html>"
    )


@cache
def _glyph_chars(file_content: bytes, index: int) -> dict[int, str]:
    """Glyph id → the character it draws: from the cmap, then GSUB single substitutions (alternate forms)."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(file_content), fontNumber=index, lazy=True)
    order = font.getGlyphOrder()
    gid = {name: i for i, name in enumerate(order)}
    by_name: dict[str, str] = {}
    for code, name in sorted(font.getBestCmap().items()):
        by_name.setdefault(name, chr(code))
    if "GSUB" in font:
        for _round in range(2):  # alternates of alternates
            for lookup in font["GSUB"].table.LookupList.Lookup:
                for sub in lookup.SubTable:
                    if sub.LookupType == 7:  # extension
                        sub = sub.ExtSubTable
                    if getattr(sub, "LookupType", None) == 1:
                        for base, alt in sub.mapping.items():
                            if base in by_name:
                                by_name.setdefault(alt, by_name[base])
    return {gid[name]: text for name, text in by_name.items() if name in gid}


def _true_glyph_text(fonts) -> None:
    """Map each drawn glyph to its own character, not to the text of the cluster it was first seen in."""
    for font in fonts.values():
        if font.bitmap or not font.to_unicode:
            continue
        chars = _glyph_chars(bytes(font.file_content), font.index)
        for glyph_id, text in font.to_unicode.items():
            own = chars.get(glyph_id)
            if own is not None and text != own:
                font.to_unicode[glyph_id] = own


def _own_texts(font) -> dict[int, str]:
    """Glyph id → the text its ToUnicode entry will give (see :func:`_true_glyph_text`), per font object."""
    chars = getattr(font, "provdata_glyph_chars", None)
    if chars is None:
        chars = font.provdata_glyph_chars = _glyph_chars(bytes(font.file_content), font.index)
    return chars


def _clusters_to_mark(stream, textbox) -> tuple[list[tuple[int, int, str]], int]:
    """(first glyph, end glyph, text) of each cluster of the textbox's drawn line that the glyph map reads
    wrongly, glyphs counted in the order WeasyPrint draws them (a ``PANGO_GLYPH_EMPTY`` draws none); and the
    number of glyphs drawn.

    Lines in a bitmap font or right to left are left alone (none is Thai)."""
    from weasyprint.text.ffi import ffi, pango

    line, _ = textbox.pango_layout.get_first_line()
    utf8 = textbox.pango_layout.text.encode()
    marks: list[tuple[int, int, str]] = []
    drawn = 0
    run = line.runs
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        item = glyph_item.item
        font, _size = stream.add_font(item.analysis.font)
        if font.bitmap or item.analysis.level % 2:
            return [], -1
        own = _own_texts(font)
        glyphs = glyph_item.glyphs
        count = glyphs.num_glyphs
        i = 0
        while i < count:
            start_byte = glyphs.log_clusters[i]
            j, first, shown = i, drawn, []
            while j < count and glyphs.log_clusters[j] == start_byte:
                glyph_id = glyphs.glyphs[j].glyph
                if glyph_id != pango.PANGO_GLYPH_EMPTY:
                    drawn += 1
                    if glyph_id & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                        shown.append(None)
                    else:
                        shown.append(own.get(glyph_id, font.to_unicode.get(glyph_id, "")))
                j += 1
            end_byte = glyphs.log_clusters[j] if j < count else item.length
            text = utf8[item.offset + start_byte : item.offset + end_byte].decode()
            if drawn > first and None not in shown and "".join(shown) != text:
                marks.append((first, drawn, text))
            i = j
    return marks, drawn


_TJ_PART = re.compile(rb"<([0-9a-fA-F]*)>|([^<>]+)")


def _glyphs_shown(items: list) -> int:
    """The number of glyphs the ``[…] TJ`` operators among ``items`` show (four hex digits each)."""
    return sum(
        len(m.group(1)) // 4
        for item in items
        if isinstance(item, bytes) and item.startswith(b"[") and item.endswith(b"] TJ")
        for m in _TJ_PART.finditer(item[1:-4])
        if m.group(1) is not None
    )


def _wrap_clusters(items: list, marks: list[tuple[int, int, str]]) -> list:
    """The content-stream items of one drawn line with each marked cluster's glyphs in an ActualText span:
    each ``[…] TJ`` is split where a span begins or ends; other operators (a rise for a mark) pass through."""
    out: list = []
    pending = iter(marks)
    mark = next(pending, None)
    open_end = None
    drawn = 0
    for item in items:
        if not (isinstance(item, bytes) and item.startswith(b"[") and item.endswith(b"] TJ")):
            out.append(item)
            continue
        tokens: list[bytes | tuple[bytes]] = []  # TJ operands, and (operator,) where the TJ is split
        for m in _TJ_PART.finditer(item[1:-4]):
            if m.group(2) is not None:
                tokens.append(m.group(2).strip())  # a position, kept apart from a neighbouring one
                continue
            hexes = m.group(1)
            for k in range(0, len(hexes), 4):
                if mark is not None and drawn == mark[0]:
                    text = mark[2].encode("utf-16-be").hex().upper().encode()
                    tokens.append((b"/Span <</ActualText <FEFF" + text + b">>> BDC",))
                    open_end, mark = mark[1], next(pending, None)
                tokens.append(b"<" + hexes[k : k + 4] + b">")
                drawn += 1
                if drawn == open_end:
                    tokens.append((b"EMC",))
                    open_end = None
        operands: list[bytes] = []
        for token in [*tokens, (b"",)]:
            if isinstance(token, bytes):
                operands.append(token)
                continue
            if operands:
                out.append(b"[" + b" ".join(operands) + b"] TJ")
                operands = []
            if token[0]:
                out.append(token[0])
    if open_end is not None:  # a line whose glyph count did not match: keep the content stream balanced
        out.append(b"EMC")
    return out


def _actual_text_spans(draw_first_line):
    """WeasyPrint's line drawing, followed by wrapping the glyphs of the clusters it maps wrongly."""

    @wraps(draw_first_line)
    def draw(stream, textbox, text_overflow, block_ellipsis, matrix):
        start = len(stream.stream)
        emojis = draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
        if len(stream.stream) > start and textbox.text.strip():
            marks, drawn = _clusters_to_mark(stream, textbox)
            # only when the glyphs shown are the glyphs counted (a WeasyPrint that draws otherwise is left as is)
            if marks and drawn == _glyphs_shown(stream.stream[start:]):
                stream.stream[start:] = _wrap_clusters(stream.stream[start:], marks)
        return emojis

    draw.provdata_fixed = True
    return draw


def _patch_weasyprint() -> None:
    import weasyprint.draw.text as wtext
    import weasyprint.pdf as wpdf

    if not getattr(wtext.draw_first_line, "provdata_fixed", False):
        wtext.draw_first_line = _actual_text_spans(wtext.draw_first_line)  # SVG text looks it up here too
    if getattr(wpdf.build_fonts_dictionary, "provdata_fixed", False):
        return
    original = wpdf.build_fonts_dictionary

    def build_fonts_dictionary(pdf, fonts, compress, subset, options):
        if subset:
            _true_glyph_text(fonts)
        return original(pdf, fonts, compress, subset, options)

    build_fonts_dictionary.provdata_fixed = True
    wpdf.build_fonts_dictionary = build_fonts_dictionary


def to_pdf(html_text: str) -> bytes:
    """A tagged PDF (PDF/UA-1: structure, title and language from ``<title>`` and ``<html lang>``)."""
    from weasyprint import HTML

    _patch_weasyprint()
    return HTML(string=html_text).write_pdf(pdf_variant="pdf/ua-1")
