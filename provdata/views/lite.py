"""The phone page: the profile and the map as one light HTML document each, with no JavaScript at all.

Streamlit's page costs a phone about 1.1 MB of script (compressed) before it draws anything of its own, and its
React bundle then keeps a phone's main thread busy for seconds while it draws the page (Lighthouse's mobile run:
total blocking time 7.9 s on the profile, 2.1 s on the map, against a goal of 0.6 s). This page is what a phone
is served at the same URLs instead (provdata/ui/lite.py says when): the same figures as the Streamlit page,
each with its year and its "out of date" mark, in Thai or English, in a single column made for a 390 px screen;
its choices are plain links and a form, so it works before and without any script, and it links to the full
interactive page (charts, downloads, the interactive map).

Pure: plain values in, HTML out (no Streamlit, no SQL). Every text is escaped here; the map's key comes as HTML
from provdata.views.figures.legend_html, which escapes its own text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from provdata.views.firstview import Card, _svg, font_faces

#: the weights this page draws text in; preloaded, the browser would otherwise ask for them only when laying out
FONTS = {400: "Regular", 700: "Bold"}
FOCUS = "#1f4e99"  # provdata/ui/style.py's focus ring: 8.1:1 on white
CSS = (
    font_faces(FONTS)
    + f"""
*, *::before, *::after {{box-sizing: border-box;}}
html {{-webkit-text-size-adjust: 100%; text-size-adjust: 100%;}}
body {{margin: 0; font: 16px/1.6 Sarabun, sans-serif; color: #0e1117; background: #fff; overflow-wrap: anywhere;}}
a {{color: #0b57d0;}}
:focus-visible {{outline: 3px solid {FOCUS}; outline-offset: 2px;}}
.wrap {{max-width: 760px; margin: 0 auto; padding: 0 16px;}}
header {{background: #f8f8f7; border-bottom: 1px solid #dcd8d4;}}
header .wrap {{display: flex; flex-wrap: wrap; align-items: center; gap: 4px 16px; min-height: 48px;
  padding-top: 6px; padding-bottom: 6px;}}
header .home {{font-weight: 700; text-decoration: none; color: #0e1117; margin-right: auto;}}
header nav {{display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 15px;}}
header nav a, header nav span {{display: inline-block; padding: 6px 2px;}}
header nav span {{font-weight: 700;}}
h1 {{font-size: 2rem; line-height: 1.25; margin: 20px 0 8px;}}
h2 {{font-size: 1.375rem; line-height: 1.3; margin: 32px 0 12px;}}
h3 {{font-size: 1.0625rem; line-height: 1.4; margin: 24px 0 8px;}}
p {{margin: 0 0 12px;}}
.cap {{font-size: 14px; line-height: 1.6; color: #4b4f57;}}
.badge {{font-size: 14px; border-radius: 4px; padding: 0 4px; background: #e8f2fc; color: #00458a;}}
.note {{border-left: 4px solid #b36b00; background: #fff8ec; padding: 8px 12px;}}
form {{display: grid; gap: 12px; margin: 16px 0; padding: 12px; border: 1px solid #dcd8d4; border-radius: 8px;
  grid-template-columns: repeat(2, minmax(0, 1fr));}}
form > :first-child, form > .check, form > button {{grid-column: 1 / -1;}}
label {{display: block; font-size: 14px;}}
select {{display: block; width: 100%; max-width: 100%; min-height: 44px; margin-top: 4px; padding: 8px;
  font: inherit; color: inherit; background: #fff; border: 1px solid #8a8f98; border-radius: 8px;}}
label.check {{display: flex; align-items: center; gap: 8px; min-height: 44px; font-size: 16px;}}
label.check input {{width: 22px; height: 22px; margin: 0;}}
button {{justify-self: start; min-height: 44px; padding: 8px 20px; font: inherit; font-weight: 700; color: #fff;
  background: #b3261e; border: 0; border-radius: 8px;}}
.full {{display: block; margin: 16px 0 24px; padding: 10px 12px; border: 1px solid #0b57d0; border-radius: 8px;
  text-align: center;}}
.cards {{list-style: none; margin: 16px 0; padding: 0; display: grid; gap: 12px;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 220px), 1fr));}}
.card {{border: 1px solid #dcd8d4; border-radius: 8px; padding: 12px 14px; min-width: 0;}}
.card .label {{font-size: 14px; margin: 0;}}
.card .value {{font-size: 30px; line-height: 1.25; margin: 2px 0 6px;}}
.delta {{display: inline-block; font-size: 14px; border-radius: 9999px; padding: 1px 8px; margin-bottom: 8px;
  background: #f5f4f2; color: #5c574c;}}
.delta.up {{background: #ecfdf3; color: #15603a;}}
.delta.down {{background: #fff1f2; color: #9e303b;}}
.spark img {{display: block; width: 100%; height: auto; margin-bottom: 8px;}}
.rows {{list-style: none; margin: 0; padding: 0;}}
.rows li {{padding: 10px 0; border-top: 1px solid #e6e3df;}}
.rows .name {{margin: 0;}}
.rows .fig {{margin: 0; font-size: 18px; font-weight: 700;}}
.rows .fig span {{font-size: 14px; font-weight: 400;}}
.rows .cap {{margin: 0;}}
.picture img {{display: block; max-width: 100%; height: auto; margin: 8px auto;}}
.key {{font-size: 14px; line-height: 1.9;}}
.scroll {{overflow-x: auto; max-width: 100%;}}
table {{width: 100%; border-collapse: collapse; font-size: 15px;}}
caption {{text-align: left; font-size: 14px; color: #4b4f57; padding-bottom: 6px;}}
th, td {{text-align: left; vertical-align: top; padding: 6px 4px; border-top: 1px solid #e6e3df;}}
td.num, th.num {{text-align: right; white-space: nowrap;}}
footer {{margin-top: 40px; padding: 16px 0 32px; background: #f8f8f7; border-top: 1px solid #dcd8d4;}}
footer nav ul {{list-style: none; margin: 0 0 12px; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 16px;}}
footer nav a {{display: inline-block; padding: 6px 0;}}
@media (min-width: 640px) {{h1 {{font-size: 2.5rem;}}}}
"""
)


@dataclass(frozen=True)
class Option:
    value: str
    text: str
    chosen: bool = False
    group: str | None = None  # an <optgroup>'s label


@dataclass(frozen=True)
class Field:
    """One control of the page's form: a select box (``options``) or a check box (``checked`` not None)."""

    name: str
    label: str
    options: Sequence[Option] = ()
    checked: bool | None = None


@dataclass(frozen=True)
class Frame:
    """What every phone page has around its own content: its language, title, the header's switches as
    (label, [(text, href or None for the one in force, lang of the text or None)]), the form's hidden fields,
    the link to the interactive page as (href, text), the footer's page links as (href, title) and its notes."""

    lang: str
    title: str
    description: str
    home: tuple[str, str]
    switches: Sequence[tuple[str, Sequence[tuple[str, str | None, str | None]]]]
    action: str
    hidden: Sequence[tuple[str, str]]
    submit: str
    full: tuple[str, str]
    pages: tuple[str, Sequence[tuple[str, str]]]
    notes: Sequence[str]
    warnings: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class Row:
    """One indicator of the profile's full list: its name, value (exact, as published), unit and the lines
    under it (year, status, change, ranks, source)."""

    name: str
    value: str
    unit: str
    lines: Sequence[str]


@dataclass(frozen=True)
class History:
    """The profile's one indicator year by year: the section's title, the table's caption (indicator and
    province), its column titles and rows (year, exact value), and the line under it (source, licence, years, and
    "out of date" when it is); without rows, the line says there is no figure."""

    title: str
    chart_title: str
    head: Sequence[str]
    rows: Sequence[Sequence[str]]
    caption: str


def _form(frame: Frame, fields: Sequence[Field]) -> str:
    out = [f'<form method="get" action="{escape(frame.action)}">']
    for f in fields:
        ident = f"pd-{f.name}"
        if f.checked is not None:
            on = " checked" if f.checked else ""
            out.append(
                f'<label class="check" for="{ident}"><input type="checkbox" id="{ident}" name="{escape(f.name)}" '
                f'value="1"{on}>{escape(f.label)}</label>'
            )
            continue
        options, group = [], None
        for o in f.options:
            if o.group != group:
                if group is not None:
                    options.append("</optgroup>")
                if o.group is not None:
                    options.append(f'<optgroup label="{escape(o.group)}">')
                group = o.group
            on = " selected" if o.chosen else ""
            options.append(f'<option value="{escape(o.value)}"{on}>{escape(o.text)}</option>')
        if group is not None:
            options.append("</optgroup>")
        out.append(
            f'<label for="{ident}">{escape(f.label)}<select id="{ident}" name="{escape(f.name)}">'
            f"{''.join(options)}</select></label>"
        )
    out.extend(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">' for name, value in frame.hidden
    )
    out.append(f'<button type="submit">{escape(frame.submit)}</button></form>')
    return "".join(out)


def document(frame: Frame, fields: Sequence[Field], main: tuple[str, str]) -> str:
    """The whole page: head (fonts asked for first, the style), header, then ``main`` (HTML made here: its title
    block, then the rest) with the form and the link to the interactive page between them, the footer."""
    preloads = "".join(
        f'<link rel="preload" as="font" type="font/ttf" crossorigin href="./app/static/Sarabun-{name}.ttf">'
        for name in FONTS.values()
    )
    switches = []
    for label, options in frame.switches:
        shown = []
        for text, href, lang in options:
            in_lang = f' lang="{escape(lang)}"' if lang else ""
            if href is None:  # the one in force: said, not a link
                shown.append(f'<span aria-current="true"{in_lang}>{escape(text)}</span>')
            else:
                hreflang = f' hreflang="{escape(lang)}"' if lang else ""
                shown.append(f'<a href="{escape(href)}"{in_lang}{hreflang}>{escape(text)}</a>')
        switches.append(f'<nav aria-label="{escape(label)}">{"".join(shown)}</nav>')
    warnings = "".join(f'<p class="note" role="status">{escape(w)}</p>' for w in frame.warnings)
    pages_label, pages = frame.pages
    links = "".join(f'<li><a href="{escape(href)}">{escape(title)}</a></li>' for href, title in pages)
    notes = "".join(f'<p class="cap">{escape(note)}</p>' for note in frame.notes)
    return (
        f'<!doctype html><html lang="{escape(frame.lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"{preloads}<title>{escape(frame.title)}</title>"
        f'<meta name="description" content="{escape(frame.description)}">'
        '<link rel="icon" href="./app/static/favicon.png">'
        f"<style>{CSS}</style></head><body>"
        f'<header><div class="wrap"><a class="home" href="{escape(frame.home[0])}">{escape(frame.home[1])}</a>'
        f"{''.join(switches)}</div></header>"
        f'<main class="wrap">{main[0]}{warnings}{_form(frame, fields)}'
        f'<a class="full" href="{escape(frame.full[0])}">{escape(frame.full[1])}</a>{main[1]}</main>'
        f'<footer><div class="wrap"><nav aria-label="{escape(pages_label)}"><ul>{links}</ul></nav>{notes}</div>'
        "</footer></body></html>"
    )


def _lines(lines: Sequence[str]) -> str:
    return "<br>".join(escape(line) for line in lines)


def profile(title: str, badges: tuple[str | None, str], intro: str, cards: Sequence[Card], history: History,
            all_title: str, themes: Sequence[tuple[str, Sequence[Row]]], caption: str) -> tuple[str, str]:  # fmt: skip
    """The profile's content: its title, badges (the pilot badge or None, the region), the headline cards
    (provdata.views.firstview.Card: value, change, sparkline, the lines with year and "out of date"), one
    indicator year by year, then every indicator with a figure by theme, and the caption on sources and years."""
    badge = f'<span class="badge">{escape(badges[0])}</span> ' if badges[0] else ""
    top = f'<h1>{escape(title)}</h1><p>{badge}{escape(badges[1])}</p><p class="cap">{escape(intro)}</p>'
    out = ['<ul class="cards">']
    for card in cards:
        delta = ""
        if card.delta:
            arrow = "↓" if card.delta.startswith("-") else "↑"
            delta = f'<p class="delta {card.trend or ""}">{arrow} {escape(card.delta)}</p>'
        spark = ""
        if card.spark:
            svg, alt = card.spark
            size = re.search(r'<svg\b[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"', svg)
            dims = f' width="{size.group(1)}" height="{size.group(2)}"' if size else ""
            spark = f'<div class="spark"><img src="{_svg(svg)}"{dims} alt="{escape(alt)}"></div>'
        out.append(
            f'<li class="card"><p class="label">{escape(card.label)}</p><p class="value">{escape(card.value)}</p>'
            f'{delta}{spark}<p class="cap">{_lines(card.caption)}</p></li>'
        )
    out.append(f"</ul><h2>{escape(history.title)}</h2>")
    if history.rows:
        th = "".join(
            f'<th scope="col"{" class=num" if i else ""}>{escape(h)}</th>' for i, h in enumerate(history.head)
        )
        body = "".join(
            f'<tr><th scope="row">{escape(row[0])}</th>'
            + "".join(f"<td class=num>{escape(c)}</td>" for c in row[1:])
            + "</tr>"
            for row in history.rows
        )
        out.append(
            f"<table><caption>{escape(history.chart_title)}</caption><thead><tr>{th}</tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )
    out.append(f'<p class="cap">{escape(history.caption)}</p><h2>{escape(all_title)}</h2>')
    for theme, rows in themes:
        out.append(f'<h3>{escape(theme)}</h3><ul class="rows">')
        for row in rows:
            out.append(
                f'<li><p class="name">{escape(row.name)}</p>'
                f'<p class="fig">{escape(row.value)} <span>{escape(row.unit)}</span></p>'
                f'<p class="cap">{_lines(row.lines)}</p></li>'
            )
        out.append("</ul>")
    out.append(f'<p class="cap">{escape(caption)}</p>')
    return top, "".join(out)


def map_page(title: str, intro: str, picture: tuple[str, str], key: str, captions: Sequence[str],
             table_title: str, status: str, head: Sequence[str], rows: Sequence[Sequence[str]],
             notes: Sequence[str] = ()) -> tuple[str, str]:  # fmt: skip
    """The map's content: title, intro, the picture as (SVG, text alternative) with its size on the <img> (its
    room is kept before it is decoded), the key (HTML of figures.legend_html), the captions (the year shown with
    its mark, the pilots' outline, the sources), then the figures behind it as a table (``head``: its column
    titles, the last ones right-aligned numbers; ``rows``: the cells as text) after the figures' ``status``;
    ``notes`` above the picture (per capita not available that year, say)."""
    svg, alt = picture
    size = re.search(r'<svg\b[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"', svg)
    dims = f' width="{size.group(1)}" height="{size.group(2)}"' if size else ""
    numeric = range(2, len(head))  # rank and area first, then the figures
    th = "".join(
        f'<th scope="col"{" class=num" if i in numeric else ""}>{escape(h)}</th>' for i, h in enumerate(head)
    )
    body = "".join(
        "<tr>"
        + "".join(
            (f'<th scope="row">{escape(c)}</th>' if i == 1 else f"<td{' class=num' if i in numeric else ''}>"
             f"{escape(c)}</td>")
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )  # fmt: skip
    return map_empty(title, intro, notes)[0], (
        f'<div class="picture"><img src="{_svg(svg)}"{dims} alt="{escape(alt)}"></div>'
        f'<p class="key">{key}</p>'
        + "".join(f'<p class="cap">{escape(c)}</p>' for c in captions)
        + f'<h2 id="pd-table">{escape(table_title)}</h2><p>{escape(status)}</p>'
        # a wide table (per capita: two more columns) scrolls in its own box, never the page
        '<div class="scroll" role="region" aria-labelledby="pd-table" tabindex="0">'
        f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def map_empty(title: str, intro: str, notes: Sequence[str]) -> tuple[str, str]:
    """The map's title and intro, then ``notes`` saying why there is nothing to draw (or what it draws)."""
    return f'<h1>{escape(title)}</h1><p class="cap">{escape(intro)}</p>' + "".join(
        f'<p class="note">{escape(n)}</p>' for n in notes
    ), ""
