"""Presenter mode's slides as one HTML block (shown with st.html): every slide drawn ahead, one shown at a time,
stepped in the browser by keys, a clicker and ◀ ▶ without asking the server, with a full-screen control.

Sized for a room: at 1920×1080 the title is 63 px, the figure 154 px, every other line 25 px or more and the
charts' axis labels 26 px (SVG pictures drawn at their own size on that screen). The text is
:func:`provdata.reports.slides.slide_text`'s, escaped for HTML here and nowhere else.
"""

from __future__ import annotations

import html
import json
import re

from provdata.basics.i18n import t
from provdata.reports.slides import Slide

#: Charts' size in CSS pixels, drawn 1:1 on a 1920×1080 screen (the slide's content is 1792 px wide).
CHART_WIDTH, CHART_HEIGHT = 1760, 580
#: Charts' text (axis labels and titles) in px.
CHART_TEXT = 26
KEYS = {"ArrowRight": 1, "PageDown": 1, " ": 1, "ArrowLeft": -1, "PageUp": -1, "Home": "first", "End": "last"}

CSS = """
.pd-deck {position: fixed; inset: 0; z-index: 999990; background: #fff; color: #1b1b1b;
  font-family: Sarabun, sans-serif; overflow: hidden;}
.pd-slide {position: absolute; inset: 0 0 clamp(56px, 8vh, 96px) 0; padding: clamp(16px, 3.7vh, 40px) clamp(16px, 3.3vw, 64px) 0;
  display: grid; grid-template-columns: auto minmax(0, 1fr); grid-template-rows: auto auto minmax(0, 1fr) auto;
  column-gap: clamp(16px, 3vw, 64px); row-gap: clamp(8px, 1.5vh, 24px);}
.pd-slide[hidden] {display: none;}
.pd-title {grid-column: 1 / -1; margin: 0; padding: 0; font-size: clamp(28px, 3.3vw, 84px); line-height: 1.2;
  font-weight: 700;}
.pd-big {margin: 0; font-size: clamp(40px, 8vw, 220px); font-weight: 700; line-height: 1; white-space: nowrap;
  align-self: center;}
.pd-deck .pd-lines {margin: 0; padding: 0; list-style: none; align-self: center; font-size: clamp(18px, 1.75vw, 44px);
  line-height: 1.35;}
.pd-chart {grid-column: 1 / -1; min-height: 0; display: flex; align-items: flex-start; justify-content: center;}
.pd-chart svg {max-width: 100%; max-height: 100%; width: auto; height: auto;}
.pd-source {grid-column: 1 / -1; margin: 0; font-size: clamp(16px, 1.3vw, 32px); color: #444;}
.pd-cover {grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); grid-template-rows: auto minmax(0, 1fr) auto;}
.pd-cover .pd-title {font-size: clamp(36px, 7vw, 180px);}
.pd-cover .pd-lines {align-self: center; font-size: clamp(20px, 2.6vw, 64px);}
.pd-discuss {align-self: center;}
.pd-discuss h3 {margin: 0 0 0.4em; padding: 0; font-size: clamp(24px, 3.2vw, 80px); font-weight: 700;}
.pd-discuss ol {margin: 0; padding-left: 1.2em; font-size: clamp(20px, 2.5vw, 64px); line-height: 1.3;}
.pd-discuss li {margin-bottom: 0.3em;}
.pd-note {font-size: clamp(16px, 1.3vw, 32px); color: #444; margin: 0.6em 0 0;}
.pd-bar {position: absolute; left: 0; right: 0; bottom: 0; height: clamp(56px, 8vh, 96px); display: flex;
  align-items: center; gap: clamp(8px, 1.2vw, 24px); padding: 0 clamp(16px, 3.3vw, 64px);
  border-top: 1px solid #ddd; font-size: clamp(16px, 1.3vw, 32px);}
.pd-bar button, .pd-bar a {font: inherit; padding: 0.2em 0.8em; border: 2px solid #555; border-radius: 8px;
  background: #fff; color: #1b1b1b; text-decoration: none; cursor: pointer;}
.pd-bar button:disabled {opacity: 0.4; cursor: default;}
.pd-bar button:focus-visible, .pd-bar a:focus-visible {outline: 4px solid #1a5fb4; outline-offset: 2px;}
.pd-count {margin: 0 auto;}
@media (max-width: 700px) {
  .pd-deck {display: flex; flex-direction: column;}
  .pd-slide {position: static; flex: 1; min-height: 0; overflow-y: auto; grid-template-columns: minmax(0, 1fr);
    grid-template-rows: none; align-content: start; padding-bottom: 12px;}
  .pd-chart {overflow-x: auto; justify-content: flex-start;}
  .pd-chart svg {min-width: 900px; max-width: none; max-height: none;}  /* axis labels 13 px; the chart scrolls */
  .pd-cover {grid-template-columns: minmax(0, 1fr); grid-template-rows: none;}
  .pd-bar {position: static; height: auto; flex-wrap: wrap; justify-content: center; padding: 8px; gap: 8px;
    font-size: 15px;}
  .pd-bar button, .pd-bar a {white-space: nowrap;}
  .pd-count {flex-basis: 100%; text-align: center; margin: 0; order: -1;}
}
"""

SCRIPT = """(() => {
const KEYS = %s;
const CHARTS = %s;
const deck = () => document.querySelector('.pd-deck');
const go = (d, n) => {
  const slides = d.querySelectorAll('.pd-slide');
  const total = slides.length;
  n = Math.min(Math.max(n, 1), total);
  slides.forEach((s, i) => { s.hidden = i + 1 !== n; });
  const chart = slides[n - 1].querySelector('.pd-chart');
  if (chart) chart.scrollLeft = chart.scrollWidth;  // a phone's chart scrolls sideways: the latest years first
  d.dataset.n = String(n);
  d.querySelector('.pd-count').textContent = d.dataset.counter.replace('{n}', n).replace('{total}', total);
  d.querySelector('.pd-prev').disabled = n === 1;
  d.querySelector('.pd-next').disabled = n === total;
  const u = new URL(location.href);
  if (u.searchParams.get('slide') !== String(n)) {
    u.searchParams.set('slide', String(n));
    history.replaceState(history.state, '', u);
  }
};
const step = (d, k) => {
  const total = d.querySelectorAll('.pd-slide').length;
  go(d, k === 'first' ? 1 : k === 'last' ? total : Number(d.dataset.n) + k);
};
const full = (d) => {
  const label = d.querySelector('.pd-full');
  if (label) label.textContent = document.fullscreenElement ? d.dataset.fullExit : d.dataset.full;
};
if (!window.__provdataDeck) {
  window.__provdataDeck = true;
  document.addEventListener('keydown', (e) => {
    const d = deck();
    if (!d || e.altKey || e.ctrlKey || e.metaKey || !(e.key in KEYS)) return;
    const tg = e.target;
    if (tg && (tg.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(tg.tagName))) return;
    if (e.key === ' ' && tg && /^(BUTTON|A)$/.test(tg.tagName)) return;  // Space presses a focused control
    e.preventDefault();
    step(d, KEYS[e.key]);
  });
  document.addEventListener('fullscreenchange', () => { const d = deck(); if (d) full(d); });
}
const d = deck();
if (!d || d.dataset.wired) return;
d.dataset.wired = '1';
// the charts come as text: st.html's sanitiser drops inline SVG, a script's innerHTML keeps it
d.querySelectorAll('.pd-chart').forEach((c) => {
  const svg = CHARTS[Number(c.dataset.slide) - 1];
  if (svg) c.innerHTML = svg;
});
const done = (e) => { if (e.detail > 0) e.currentTarget.blur(); };  // a mouse click leaves the keys to the deck
d.querySelector('.pd-prev').addEventListener('click', (e) => { step(d, -1); done(e); });
d.querySelector('.pd-next').addEventListener('click', (e) => { step(d, 1); done(e); });
const fs = d.querySelector('.pd-full');
if (!document.fullscreenEnabled) fs.hidden = true;
fs.addEventListener('click', (e) => {
  if (document.fullscreenElement) document.exitFullscreen(); else document.documentElement.requestFullscreen();
  done(e);
});
const asked = Number(new URLSearchParams(location.search).get('slide'));
go(d, Number.isInteger(asked) && asked >= 1 ? asked : Number(d.dataset.start));
full(d);
})();"""


def _script_json(value: object) -> str:
    """``value`` as JSON with no ``<`` in it (written ``\\u003c``): it can neither end the script it sits in nor
    look like markup to st.html's sanitiser (DOMPurify drops a script whose text has ``<`` before a letter)."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def chart_spec(slide: Slide, lang: str) -> dict | None:
    """The slide's chart (its trend, or its provinces as bars) as a Vega-Lite spec sized for the room."""
    from provdata.views.charts import bars, series_line

    if slide.bars is not None:
        chart = bars(slide.bars, slide.unit)
    elif slide.trend is not None and len(slide.trend) > 1:
        chart = series_line(slide.trend, "", slide.unit, t("profile.col_year", lang))
    else:
        return None
    spec = chart.to_dict()
    spec.update(width=CHART_WIDTH, height=CHART_HEIGHT, autosize={"type": "fit", "contains": "padding"})
    config = spec.setdefault("config", {})
    config.setdefault("axis", {}).update(
        labelFontSize=CHART_TEXT, titleFontSize=CHART_TEXT, titlePadding=12, labelLimit=480
    )
    config["line"] = {"strokeWidth": 5}
    config["point"] = {"size": 200, "filled": True}
    return spec


def chart_svg(slide: Slide, lang: str, prefix: str) -> str | None:
    """The slide's chart as inline SVG; its element ids made unique with ``prefix`` (several share a page)."""
    from provdata.reports.pictures import svg_text

    spec = chart_spec(slide, lang)
    if spec is None:
        return None
    svg = svg_text(spec)
    svg = re.sub(r"<\?xml[^>]*>\s*", "", svg)
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    for old in sorted(ids, key=len, reverse=True):
        svg = svg.replace(f'id="{old}"', f'id="{prefix}{old}"').replace(f"#{old})", f"#{prefix}{old})")
    return svg


def _slide(s: Slide, n: int, total: int, lang: str, chart: bool) -> str:
    label = _e(t("present.counter", lang, n=n, total=total))
    title = (
        f"<h1 class='pd-title'>{_e(s.title)}</h1>"  # one slide is shown at a time: its title is the page's
    )
    lines = "".join(f"<li>{_e(x)}</li>" for x in s.lines if x)
    if s.points or n == 1:
        points = "".join(f"<li>{_e(x)}</li>" for x in s.points)
        discuss = (
            f"<div class='pd-discuss'><h3>{_e(t('present.discuss', lang))}</h3><ol>{points}</ol>"
            f"<p class='pd-note'>{_e(s.note)}</p></div>"
            if s.points
            else ""
        )
        keys = f"<p class='pd-source'>{_e(t('present.keys', lang))}</p>"
        body = f"<ul class='pd-lines'>{lines}</ul>{discuss}{keys}"
        return f"<section class='pd-slide pd-cover' aria-label='{label}' hidden>{title}{body}</section>"
    big = f"<p class='pd-big'>{_e(s.big)}</p>" if s.big else ""
    picture = f"<div class='pd-chart' data-slide='{n}'></div>" if chart else ""
    source = f"<p class='pd-source'>{_e(s.source)}</p>" if s.source else ""
    return (
        f"<section class='pd-slide' aria-label='{label}' hidden>{title}{big}<ul class='pd-lines'>{lines}</ul>"
        f"{picture}{source}</section>"
    )


def deck_html(slides: list[Slide], lang: str, charts: list[str | None], start: int, exit_url: str) -> str:
    """Every slide (``charts[i]``: slide i's SVG or None), slide ``start`` shown first (or the URL's ``slide``)."""
    total = len(slides)
    body = "".join(
        _slide(s, i, total, lang, bool(c)) for i, (s, c) in enumerate(zip(slides, charts, strict=True), 1)
    )
    data = {
        "start": max(1, min(start, total)),
        "counter": t("present.counter", lang, n="{n}", total="{total}"),
        "full": t("present.fullscreen", lang),
        "full-exit": t("present.fullscreen_exit", lang),
    }
    attrs = " ".join(f"data-{k}='{_e(v)}'" for k, v in data.items())
    bar = (
        "<nav class='pd-bar'>"
        f"<button type='button' class='pd-prev'>{_e(t('present.previous', lang))}</button>"
        f"<span class='pd-count' aria-live='polite'></span>"
        f"<button type='button' class='pd-next'>{_e(t('present.next', lang))}</button>"
        f"<button type='button' class='pd-full'>{_e(t('present.fullscreen', lang))}</button>"
        f"<a class='pd-exit' href='{_e(exit_url)}' target='_self'>{_e(t('present.exit', lang))}</a>"
        "</nav>"
    )
    return (
        f"<style>{CSS}</style>"
        f"<div class='pd-deck' lang='{_e(lang)}' role='region' aria-roledescription='{_e(t('present.deck', lang))}' "
        f"aria-label='{_e(slides[0].title)}' {attrs}>{body}{bar}</div>"
        f"<script>{SCRIPT % (json.dumps(KEYS), _script_json(charts))}</script>"
    )
