"""PDF documents in Thai and English with WeasyPrint and Sarabun (embedded), which shapes Thai correctly
(stacked vowels and tone marks)."""

from __future__ import annotations

import html
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
    return f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><style>{CSS}</style></head><body>{"".join(parts)}</body></html>'


def to_pdf(html_text: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html_text).write_pdf()
