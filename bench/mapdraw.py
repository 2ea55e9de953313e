"""Time from navigation to the map drawn, measured inside Chromium.

Each run opens a fresh browser context (nothing cached, as a first visit from a meeting-room screen) and
navigates to the map page. An init script records ``performance.now()`` — milliseconds since the navigation
started — at the page's first heading (the Streamlit app has booted and run the page up to its title) and at
the map's first draw:

- the static picture (the map page's default): the frame after the SVG image has loaded (two animation
  frames after its ``load``, so it has been painted) — the first view's copy in the page's HTML
  (provdata/views/firstview.py) when there is one, else Streamlit's;
- the interactive map (``interactive=1``, and the floor app's pydeck map): the first WebGL draw call.

A screenshot then confirms the choropleth is drawn (more than 5 colours in the picture, 10 on the canvas).
Playwright's own polling is not in the figure.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from bench.serve import CHROMIUM, CHROMIUM_ARGS

INIT = """
window.__marks = {};
for (const C of [window.WebGLRenderingContext, window.WebGL2RenderingContext]) {
  if (!C) continue;
  for (const name of ['drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced']) {
    const orig = C.prototype[name];
    if (!orig) continue;
    C.prototype[name] = function (...a) {
      if (!window.__marks.draw) window.__marks.draw = performance.now();
      return orig.apply(this, a);
    };
  }
}
new MutationObserver(() => {
  const first = document.getElementById('pd-first');
  if (first) window.__marks.first = window.__marks.first || performance.now();
  else if (window.__marks.first && !window.__marks.gone) window.__marks.gone = performance.now();
  if (!window.__marks.heading && document.querySelector('[data-testid=stMain] h1')) window.__marks.heading = performance.now();
  const img = document.querySelector('#pd-first .picture img, [data-testid=stMain] [data-testid=stImage] img');
  if (img && !window.__marks.seen) {
    window.__marks.seen = performance.now();
    const painted = () => requestAnimationFrame(() => requestAnimationFrame(() => { window.__marks.draw = performance.now(); }));
    if (img.complete) painted(); else img.addEventListener('load', painted);
  }
}).observe(document, {subtree: true, childList: true});
"""
PICTURE = '[data-testid="stMain"] [data-testid="stImage"] img'  # Streamlit's, once the first view has gone
CANVAS = '[data-testid="stDeckGlJsonChart"]'


def _fresh_pages(url: str, runs: int) -> Iterator:
    """``runs`` times: a fresh browser context with the timing script, navigated to ``url``; its page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(runs):
                ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                ctx.add_init_script(INIT)
                page = ctx.new_page()
                page.goto(url)
                yield page
                ctx.close()
        finally:
            browser.close()


def draw_times(url: str, runs: int) -> list[tuple[float, float]]:
    """(seconds to the first heading, seconds to the map drawn) per run, from navigation start. The map is the
    static picture unless the URL asks for the interactive one (or the page has no picture: the floor app)."""
    from PIL import Image

    out = []
    for page in _fresh_pages(url, runs):
        page.locator(f"{PICTURE}, {CANVAS} canvas").first.wait_for(timeout=120000)
        page.wait_for_function("() => window.__marks.draw", timeout=120000)
        picture = page.locator(PICTURE).count() > 0
        shown, least = (page.locator(PICTURE), 5) if picture else (page.locator(CANVAS), 10)
        for _ in range(100):
            colours = Image.open(io.BytesIO(shown.screenshot())).convert("RGB").resize((100, 100))
            if len(colours.getcolors(10000) or []) > least:
                break
        else:
            raise RuntimeError(f"{url}: the map was never drawn")
        marks = page.evaluate("() => window.__marks")
        out.append((marks["heading"] / 1000, marks["draw"] / 1000))
    return out


def takeover_times(url: str, runs: int) -> list[float]:
    """Seconds from navigation until Streamlit's page replaces the server's first view (provdata/views/firstview.py),
    each run in a fresh browser context: from then on the page is live (switches, links, downloads)."""
    out = []
    for page in _fresh_pages(url, runs):
        page.wait_for_function("() => window.__marks.gone", timeout=120000)
        out.append(page.evaluate("() => window.__marks.gone") / 1000)
    return out
