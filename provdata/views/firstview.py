"""The first view: a page's figures as plain HTML inside the page the server sends (provdata/ui/head.py).

Streamlit draws nothing until its JavaScript (1.9 MB) has loaded and run and the page's first run has come
over the websocket: about 2 s on a desktop, far longer on a slow line or an old office PC. The first view is the
same page drawn by the server into the HTML — the sidebar's notes and the page's title, cards and pictures, in
the same places and the same type as Streamlit draws them — so the figures can be read as soon as the HTML has
arrived, and without JavaScript at all. When Streamlit's first run of the page has finished drawing, a small
script removes the first view; what is under it is the same page, now live.

Pure: strings in, HTML out (no Streamlit, no SQL). Every text is escaped here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from provdata.views.charts import SPARK_HEIGHT

ID = "pd-first"
# Geometry and type as Streamlit 1.67 draws them with .streamlit/config.toml's theme (measured in Chromium):
# sidebar 300 px, page links from 76 px (NAV_HEIGHT), then the switches; the main column 80 px in, 96 px down;
# columns 16 px apart, a column of share f being f of the width less its part of the gaps; radio buttons wrap
# in rows 16 px apart; captions 14 px on 22.4 px lines at 60 % of the text colour; border-box sizing.
# tests/views/test_firstview.py checks that the title, the notes and the map sit where Streamlit then draws them.
# Streamlit pads the sidebar by max(g, 20px - g) inside a scrollbar gutter g on both edges, g being the width of
# a thin scrollbar (0 where scrollbars overlay the page): GUTTER measures g as Streamlit does, in <head>, so that
# the first paint has it.
GUTTER = """(() => {
  const probe = document.createElement('div');
  probe.style.cssText = 'position:absolute;top:-9999px;width:50px;height:50px;overflow:scroll;scrollbar-width:thin';
  document.documentElement.append(probe);
  document.documentElement.style.setProperty('--pd-gutter', (probe.offsetWidth - probe.clientWidth) + 'px');
  probe.remove();
})();"""
#: The sidebar's page list as Streamlit draws it: 34 px a link and 19 px more (nine links 325 px, ten 359 px,
#: measured in Chromium); NAV_LINKS is the page registry's length (provdata/ui/nav.py, checked by a test).
NAV_LINKS = 10
NAV_HEIGHT = 34 * NAV_LINKS + 19
SIDE_PAD = "max(var(--pd-gutter, 0px), calc(20px - var(--pd-gutter, 0px)))"
FONTS = {400: "Regular", 600: "SemiBold", 700: "Bold"}  # the weights it uses, preloaded (provdata/ui/head.py)


def font_faces(fonts: dict[int, str]) -> str:
    """An @font-face rule per weight of Sarabun (``{weight: file name part}``), served from static/."""
    return "".join(
        f"@font-face {{font-family: Sarabun; font-weight: {weight}; font-display: block; "
        f'src: url("./app/static/Sarabun-{name}.ttf") format("truetype");}}'
        for weight, name in fonts.items()
    )


CSS = (
    font_faces(FONTS)
    + f"""
#{ID} {{position: fixed; inset: 0; z-index: 1000010; background: #fff; color: #0e1117;
  font: 16px/1.6 Sarabun, sans-serif;}}
#{ID}, #{ID} * {{box-sizing: border-box;}}
#root[inert] {{visibility: hidden;}}
#{ID} a {{color: inherit;}}
#{ID} .side {{display: none;}}
#{ID} .main {{position: absolute; inset: 0; overflow: auto; scrollbar-width: thin; padding: 96px 16px 160px;}}
#{ID} h1 {{font-size: 2.75rem; font-weight: 700; line-height: 1.2; margin: 0; padding: 20px 0 16px;}}
#{ID} p {{margin: 0 0 16px;}}
#{ID} .cap {{font-size: 14px; line-height: 22.4px; color: rgba(14, 17, 23, 0.6);}}
#{ID} .picker {{height: 68px; margin-bottom: 16px; min-width: 0;}}
#{ID} .picker .box {{height: 40px; box-sizing: border-box; border: 1px solid rgb(220, 216, 212); border-radius: 8px;
  padding: 7px 12px; margin-top: 4px; background: rgb(248, 248, 247); white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis;}}
#{ID} .link {{height: 20px; line-height: 20px; font-size: 14px;}}
#{ID} .badge {{font-size: 14px; border-radius: 4px; padding: 0 4px; background: rgba(28, 131, 225, 0.1);
  color: rgb(0, 84, 163);}}
#{ID} .row {{display: grid; gap: 16px; grid-template-columns: 1fr; margin-bottom: 16px;}}
#{ID} .row .picker {{margin: 0;}}
#{ID} .radio {{min-width: 0;}}
#{ID} .opts {{display: flex; flex-wrap: wrap; gap: 16px; margin-top: 4px; min-height: 40px; align-items: center;}}
#{ID} .opt {{display: inline-flex; align-items: center; gap: 8px; padding-right: 2px; height: 22px;}}
#{ID} .dot {{width: 16px; height: 16px; border-radius: 50%; border: 1px solid rgb(220, 216, 212); flex: none;}}
#{ID} .opt.on .dot {{border: 5px solid rgb(255, 75, 75);}}
#{ID} .switch {{height: 24px; margin-bottom: 16px; line-height: 24px;}}
#{ID} .switch::before {{content: ""; display: inline-block; width: 32px; height: 16px; border-radius: 8px;
  background: rgb(220, 216, 212); margin-right: 8px; vertical-align: -3px;}}
#{ID} .switch.on::before {{background: rgb(255, 75, 75);}}
#{ID} .picture img {{display: block; max-width: 100%; height: auto;}}
#{ID} .cards {{display: grid; gap: 16px; grid-template-columns: 1fr; align-items: start;}}
#{ID} .card {{border: 1px solid rgb(220, 216, 212); border-radius: 8px; padding: 15px; display: flex;
  flex-direction: column; gap: 16px;}}
#{ID} .card p {{margin: 0;}}
#{ID} .label {{font-size: 14px; line-height: 24px; margin: 0; padding-right: 28px; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis;}}
#{ID} .value {{font-size: 36px; line-height: normal; padding-bottom: 4px;}}
#{ID} .delta {{font-size: 14px; line-height: 18px; align-self: flex-start; border-radius: 9999px;
  padding: 2px 6px 2px 4px; margin-bottom: 4px; background: rgb(245, 244, 242); color: rgb(104, 98, 85);}}
#{ID} .delta.up {{background: rgb(236, 253, 243); color: rgb(21, 128, 61);}}
#{ID} .delta.down {{background: rgb(255, 241, 242); color: rgb(158, 48, 59);}}
#{ID} .figure {{display: flex; flex-direction: column;}}
#{ID} .spark {{min-height: {SPARK_HEIGHT}px;}}
#{ID} .spark img {{width: 100%; height: auto; border-radius: 8px; display: block;}}
@media (min-width: 640px) {{
  #{ID} .cards {{grid-template-columns: repeat(4, minmax(0, 1fr));}}
  #{ID} .row.widgets {{grid-template-columns: calc(300% / 7 - 32px / 3) calc(200% / 7 - 32px / 3)
    calc(200% / 7 - 32px / 3);}}
  #{ID} .row.split {{grid-template-columns: calc(60% - 8px) calc(40% - 8px);}}
}}
@media (min-width: 768px) {{
  #{ID} .side {{display: block; position: fixed; top: 0; bottom: 0; left: 0; width: 300px; overflow: auto;
    background: rgb(248, 248, 247); padding: 76px {SIDE_PAD} 96px; box-sizing: border-box;
    scrollbar-gutter: stable both-edges; scrollbar-width: thin;}}
  #{ID} .side nav {{height: {NAV_HEIGHT}px;}}
  #{ID} .side nav a {{display: block; line-height: 33px; padding-left: 31px; text-decoration: none;
    font-size: 14px;}}
  #{ID} .side nav a[aria-current] {{font-weight: 600; background: rgba(151, 166, 195, 0.25); border-radius: 4px;}}
  #{ID} .side .switches {{padding-top: 24px; display: flex; flex-direction: column; gap: 16px; margin-bottom: 32px;}}
  #{ID} .main {{left: 300px; padding: 96px 80px 160px;}}
}}
"""
)
# Gone once Streamlit's app has run the page through (its stApp element says notRunning) and no element in view is
# still a placeholder waiting for its code, or once it has failed to connect; until then it covers the whole
# window, Streamlit's sidebar too, so nothing is seen twice or half drawn. An element whose code never comes
# does not keep it for more than 5 s after the run.
SCRIPT = f"""(() => {{
  let ran = 0;
  const waiting = () => [...document.querySelectorAll('[data-testid=stApp] [data-testid^=stSkeleton], [data-testid=stAppSkeleton]')]
    .some(e => e.getBoundingClientRect().top < innerHeight);
  const done = () => {{
    const app = document.querySelector('[data-testid=stApp]');
    if (!app) return false;
    if (/DISCONNECTED/.test(app.getAttribute('data-test-connection-state') || '')) return true;
    if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (!ran) {{ ran = performance.now(); setTimeout(check, 5001); }}
    return !waiting() || performance.now() - ran > 5000;
  }};
  const check = () => {{
    if (!done()) return;
    watch.disconnect();
    document.getElementById('{ID}')?.remove();
    const root = document.getElementById('root');
    root.removeAttribute('inert');
    root.removeAttribute('aria-hidden');
  }};
  const watch = new MutationObserver(check);
  watch.observe(document.documentElement, {{subtree: true, childList: true, attributes: true,
    attributeFilter: ['data-test-script-state', 'data-test-connection-state']}});
}})();"""
CURRENT = ' aria-current="page"'
ROOT = '<div id="root" inert aria-hidden="true"></div>'


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    delta: str | None
    trend: str | None  # "up" | "down" | None: the colour of the delta, as st.metric gives it
    caption: Sequence[str]
    spark: tuple[str, str] | None  # (SVG, text alternative)


def _svg(svg: str) -> str:
    """An SVG document as a data URI, percent-encoded (spaces kept) rather than base64: smaller, and the page's
    gzip shrinks it as it shrinks the SVG's own text (the map page of the 77 provinces: 111.4 KB, 29.7 KB
    gzipped, with base64; 89.9 KB, 25.2 KB gzipped so)."""
    return "data:image/svg+xml," + quote(svg, safe=" /=:;,.-_()")


def _lines(lines: Sequence[str]) -> str:
    return "<br>".join(escape(line) for line in lines)


def sidebar(links: Sequence[tuple[str, str, bool]], switches: Sequence[tuple[str, Sequence[tuple[str, bool]]]],
            notes: Sequence[str]) -> str:  # fmt: skip
    """The sidebar: the pages as links (href, title, whether it is this page), the language and year switches as
    (label, [(option, chosen)]) (:func:`radio`), the notes."""
    nav = "".join(
        f'<a href="{escape(href)}"{CURRENT if here else ""}>{escape(title)}</a>'
        for href, title, here in links
    )
    shown = "".join(radio(label, options) for label, options in switches)
    return (
        f'<div class="side"><nav>{nav}</nav><div class="switches">{shown}</div>'
        + "".join(f'<p class="cap">{escape(note)}</p>' for note in notes)
        + "</div>"
    )


def profile(choice: tuple[str, str], title: str, badges: tuple[str | None, str], intro: str, link: tuple[str, str],
            cards: Sequence[Card]) -> str:  # fmt: skip
    """The profile's head and its headline cards: ``choice`` the province switch as (label, the choice),
    ``badges`` the pilot badge (or None) and the region, ``link`` the presenter-mode link as (href, text)."""
    badge = f'<span class="badge">{escape(badges[0])}</span> ' if badges[0] else ""
    out = [
        f'{picker(*choice)}<h1>{escape(title)}</h1><p>{badge}{escape(badges[1])}</p><p class="cap">{escape(intro)}</p>'
        f'<p class="link"><a href="{escape(link[0])}">{escape(link[1])}</a></p><div class="cards">'
    ]
    for card in cards:
        delta = ""
        if card.delta:
            arrow = "↓" if card.delta.startswith("-") else "↑"  # the sign's; the colour says good or bad
            delta = f'<span class="delta {card.trend or ""}">{arrow} {escape(card.delta)}</span>'
        spark = ""
        if card.spark:
            svg, alt = card.spark
            spark = f'<div class="spark"><img src="{_svg(svg)}" alt="{escape(alt)}"></div>'
        out.append(
            f'<div class="card"><div class="figure"><p class="label">{escape(card.label)}</p>'
            f'<p class="value">{escape(card.value)}</p>{delta}</div>{spark}'
            f'<p class="cap">{_lines(card.caption)}</p></div>'
        )
    out.append("</div>")
    return "".join(out)


def picker(label: str, value: str) -> str:
    """A select box showing its choice."""
    return f'<div class="picker"><p class="label">{escape(label)}</p><div class="box">{escape(value)}</div></div>'


def radio(label: str, options: Sequence[tuple[str, bool]]) -> str:
    """A row of radio buttons, (text, chosen) each, not yet working (aria-disabled); they wrap as Streamlit's."""
    shown = "".join(
        f'<span class="opt{" on" if chosen else ""}" role="radio" aria-checked="{str(chosen).lower()}" '
        f'aria-disabled="true"><span class="dot"></span>{escape(text)}</span>'
        for text, chosen in options
    )
    return (
        f'<div class="radio"><p class="label">{escape(label)}</p>'
        f'<div class="opts" role="radiogroup" aria-label="{escape(label)}">{shown}</div></div>'
    )


def map_page(title: str, intro: str, widgets: Sequence[str], switches: Sequence[tuple[str, bool]],
             picture: tuple[str, str], key: str, captions: Sequence[str]) -> str:  # fmt: skip
    """The map page down to its picture and key: the indicator, level and year ``widgets`` (:func:`picker`,
    :func:`radio`), the on/off ``switches`` as (label, on), the ``picture`` as (SVG, text alternative),
    the ``key`` as HTML made by provdata.views.figures.legend_html and the ``captions`` under it."""
    svg, alt = picture
    # the picture's size on the <img>: its room is kept before the browser has decoded it (on a phone the
    # captions under it moved by its height: CLS 0.09 in Lighthouse's mobile run)
    size = re.search(r'<svg\b[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"', svg)
    dims = f' width="{size.group(1)}" height="{size.group(2)}"' if size else ""
    return (
        f'<h1>{escape(title)}</h1><p class="cap">{escape(intro)}</p>'
        f'<div class="row widgets">{"".join(widgets)}</div>'
        + "".join(f'<div class="switch{" on" if on else ""}">{escape(label)}</div>' for label, on in switches)
        + f'<div class="row split"><div class="picture"><img src="{_svg(svg)}"{dims} alt="{escape(alt)}"></div>'
        f'<div class="key"><p>{key}</p>'
        + "".join(f'<p class="cap">{escape(c)}</p>' for c in captions)
        + "</div></div>"
    )


def page(side: str, main: str) -> str:
    """The first view, to go before Streamlit's root element. Streamlit's page, drawn under it meanwhile, is kept
    from the keyboard and screen readers (ROOT) until it is the one on screen."""
    return (
        f'<div id="{ID}">{side}<main class="main" tabindex="0">{main}</main></div><script>{SCRIPT}</script>'
    )
