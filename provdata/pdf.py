"""PDF documents in Thai and English with WeasyPrint and Sarabun (embedded), which shapes Thai correctly
(stacked vowels and tone marks), whose text layer is the Thai shown, tagged (PDF/UA-1), with a title and a
language.

The text layer: WeasyPrint maps each glyph of the subset font to the text of the first cluster it was drawn
in. HarfBuzz draws SARA AM (ำ) as two glyphs, NIKHAHIT + SARA AA, in one cluster, so the SARA AA glyph was
mapped to "ำ" and every later า read as ำ ("ตำม" for "ตาม"). :func:`_true_glyph_text` maps every glyph back to
its own character (the font's cmap, or the base character of a GSUB alternate such as ี.narrow); ำ then
reads as its compatibility decomposition ํ + า (NFKC-equal), because a glyph map cannot say "two glyphs,
one character".
"""

from __future__ import annotations

import html
import io
from functools import cache
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


def _patch_weasyprint() -> None:
    import weasyprint.pdf as wpdf

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
