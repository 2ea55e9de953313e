"""The HTML every page is served with, before Streamlit's JavaScript has run (server.py mounts it).

Streamlit serves one index.html for every page URL. server.py answers the app's own page URLs (``/``,
``/profile`` …) with that file plus what the first paint needs, so it holds for ``make run`` and behind nginx
alike (docs/deployment.md "First load", figures from bench/bench_lighthouse.py). A phone that asks for ``/``,
``/profile`` or ``/map`` gets the phone page instead (provdata/ui/lite.py: plain HTML, no Streamlit at all;
``view=full`` and ``view=lite`` choose); every answer here says ``Vary: User-Agent, Sec-CH-UA-Mobile``. What
Streamlit's page gets:

- **One connection attempt on a deep link.** On ``/profile?…`` Streamlit first tries ``/profile`` as the app's
  base path (two 404s, errors on the browser console), waits, then tries ``/``. ``window.__streamlit``'s
  ``BACKEND_BASE_URL`` names the base: the websocket opens about 0.3 s sooner.
- **The first view** of the profile and the map (provdata/views/firstview.py, provdata/ui/first.py): the page drawn
  into the HTML, before Streamlit's root element, with ``<html lang>`` and ``<title>`` of the page and language.
- **Not Streamlit's default font**: its index.html preloads Source Sans (170 KB), which the theme does not use;
  text Streamlit still sets in it (before the theme has come) is drawn from the Sarabun files instead.
- **Fonts asked for from the start**, at the top of ``<head>``, before Streamlit's 150 script preloads: the
  Sarabun weights every page uses; the browser otherwise asks for each only when text in it is laid out, late
  in the boot, and the text waits for it.
- **Streamlit's entry script and its module preloads start after the first paint**, so the first view is on
  screen before Streamlit's scripts take the browser's main thread and the line (on a phone's slow line the
  preloads, 1.6 MB, held the first paint back by seconds).
- **Room kept for what is drawn late** (layout shift): Streamlit first paints a centred 736 px column without a
  sidebar, then the sidebar (300 px) pushes the wide main column right (CLS 0.23 of 0.27 on the profile).
  The style keeps the sidebar's room and the wide layout until the sidebar is there, and the height of the
  switches (a radio or selectbox with its label, 68 px), the sparklines (charts.SPARK_HEIGHT) and the sidebar's
  page list (firstview.NAV_HEIGHT), which are drawn only once their code has loaded.
- **The app's stylesheet** (provdata/ui/style.py): the focus ring and what a phone needs.
- **A description** for search engines and link previews, and a robots.txt that keeps crawlers to the pages.

Any other path (``/profile/``, an unknown page) still gets Streamlit's own index.html.
"""

from __future__ import annotations

import json
import logging
import re
from functools import cache
from html import escape
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from provdata.basics.i18n import LANGS, t
from provdata.exchange import health
from provdata.ui import lite
from provdata.ui.first import first_view
from provdata.ui.nav import PAGES
from provdata.ui.style import CSS as APP_CSS
from provdata.views import firstview
from provdata.views.charts import SPARK_HEIGHT

DESCRIPTION = (
    "provdata: สถิติจังหวัดของไทยเพื่อการตัดสินใจ ข้อมูลจังหวัด แผนที่ แนวโน้ม และรายงาน / "
    "Thai provincial statistics for decisions: profiles, maps, trends and reports"
)
FONTS = tuple(firstview.FONTS.values())  # the weights every page draws text in (.streamlit/config.toml)
SIDEBAR = '[data-testid="stAppViewContainer"]:not(:has(> [data-testid="stSidebar"]))'
STYLE = (
    "@media (min-width: 768px) {"
    f"{SIDEBAR} > div:last-child {{margin-left: 300px;}} "
    f'{SIDEBAR} [data-testid="stMainBlockContainer"] {{max-width: none; padding-left: 80px; padding-right: 80px;}} '
    '[data-testid="stSidebarContent"]:not(:has([data-testid="stSidebarNav"])) [data-testid="stSidebarUserContent"] '
    f"{{padding-top: {firstview.NAV_HEIGHT}px;}}}} "
    '.st-key-lang, .st-key-era, [class*="st-key-province-"] {min-height: 68px;} '
    f'[class*="st-key-spark_"] {{min-height: {SPARK_HEIGHT}px;}}'
)
_LOG = logging.getLogger(__name__)
MODULE = re.compile(r'<script type="module" crossorigin src="([^"<>]+)"></script>')
#: Streamlit preloads its default font, Source Sans (170 KB); the theme draws in Sarabun (.streamlit/config.toml)
SOURCE_SANS = re.compile(r'<link\s+rel="preload"\s+href="[^"<>]*SourceSans[^"<>]*"[^<>]*/>')
PRELOAD = re.compile(r'<link rel="modulepreload" crossorigin href="([^"<>]+)">')
TITLE = "<title>Streamlit</title>"
CHARSET, LANG, ROOT = '<meta charset="UTF-8" />', '<html lang="en">', '<div id="root"></div>'
ROBOTS = "User-agent: *\nDisallow: /api/\nDisallow: /_stcore/\nDisallow: /media/\n"


def head() -> str:
    """What goes at the top of ``<head>``, so the fonts are asked for before Streamlit's 150 scripts."""
    preloads = "".join(
        f'<link rel="preload" as="font" type="font/ttf" crossorigin href="./app/static/Sarabun-{w}.ttf">'
        for w in FONTS
    )
    return (
        f'<meta name="description" content="{DESCRIPTION}">'
        '<script>window.__streamlit = {BACKEND_BASE_URL: new URL("/", location.href).href};</script>'
        f"<script>{firstview.GUTTER}</script>"
        f"{preloads}<style>{STYLE}{firstview.CSS}{APP_CSS}</style>"
    )


@cache
def index_html() -> str:
    """Streamlit's index.html with :func:`head` added (read once: it changes only with Streamlit)."""
    from streamlit import file_util

    html = (Path(file_util.get_static_dir()) / "index.html").read_text(encoding="utf-8")
    for mark in (CHARSET, ROOT, LANG, TITLE):
        if html.count(mark) != 1:
            raise RuntimeError(
                f"Streamlit's index.html has no single {mark}: provdata/ui/head.py needs a look"
            )
    entry = MODULE.findall(html)
    if len(entry) != 1:
        raise RuntimeError(
            "Streamlit's index.html has no single entry module: provdata/ui/head.py needs a look"
        )
    preloads = PRELOAD.findall(html)
    start = (  # after the first view's first paint (with its fonts): it is on screen before Streamlit's scripts
        # take the browser's main thread, and before its 58 module preloads (1.6 MB) take the line: on a phone's
        # slow line they held the first paint back by seconds (Lighthouse mobile). A page without a first view
        # (nothing to paint before Streamlit) starts at once; a tab that never paints (opened in the background)
        # after 3 s.
        "<script>(() => {let done = false; const go = () => {if (done) return; done = true;"
        f"for (const href of {json.dumps(preloads)}) {{const l = document.createElement('link'); "
        "l.rel = 'modulepreload'; l.crossOrigin = ''; l.href = href; document.head.append(l);}"
        "const s = document.createElement('script'); "
        f"s.type = 'module'; s.crossOrigin = ''; s.src = {json.dumps(entry[0])}; document.head.append(s);}};"
        "const later = () => requestAnimationFrame(() => setTimeout(go));"
        "document.addEventListener('DOMContentLoaded', () => {"
        "if (!document.getElementById('pd-first') || !window.PerformanceObserver) return later();"
        "new PerformanceObserver((list, seen) => {if (list.getEntriesByName('first-contentful-paint').length)"
        " {seen.disconnect(); later();}}).observe({type: 'paint', buffered: true});"
        "setTimeout(go, 3000);});})();</script>"
    )
    html = SOURCE_SANS.sub("", PRELOAD.sub("", html))
    # last in <head>, after Streamlit's stylesheet: text Streamlit sets in Source Sans (before its theme has come)
    # is drawn in Sarabun's files the page loads anyway, not in Source Sans (170 KB more on a first visit)
    faces = "".join(
        f'@font-face {{font-family: "Source Sans"; font-weight: {weight}; font-display: block; '
        f'src: url("./app/static/Sarabun-{name}.ttf") format("truetype");}}'
        for weight, name in firstview.FONTS.items()
    )
    html = html.replace("</head>", f"<style>{faces}</style></head>", 1)
    return MODULE.sub(start, html.replace(CHARSET, CHARSET + head()))


def _page(request: Request) -> Response:
    lang = request.query_params.get("lang")
    lang = lang if lang in LANGS else "th"
    if health.refuses_pages(health.recent()):  # catching up: nginx sends the visitor to a current host
        return HTMLResponse(
            f'<!doctype html><html lang="{lang}"><meta http-equiv="refresh" content="{RETRY_SECONDS}">'
            f"<title>{escape(t('app.title', lang))}</title><p>{escape(t('health.behind_page', lang))}</p></html>",
            status_code=503, headers={"Retry-After": str(RETRY_SECONDS), "Cache-Control": "no-store"},
        )  # fmt: skip
    path = request.url.path.strip("/")
    params = dict(request.query_params)
    if lite.wanted(path, params, request.headers):  # a phone: the page made for it (provdata/ui/lite.py)
        try:
            phone = lite.page(path, params)
        except Exception:  # as the first view: never let it keep the page from a visitor
            _LOG.exception("the phone page of %s failed; the page is served without it", request.url)
            phone = None
        if phone is not None:
            # gzipped by Streamlit's middleware as its own HTML, when the browser takes it
            return HTMLResponse(phone, headers={"Cache-Control": "no-cache", "Vary": lite.VARY})
    html = index_html().replace(LANG, f'<html lang="{lang}">', 1)
    spec = next((s for s in PAGES if s.url_path == path), None) or next(s for s in PAGES if s.default)
    title = escape(f"{t(spec.title_key, lang)} — {t('app.title', lang)}")
    html = html.replace(TITLE, f"<title>{title}</title>", 1)
    try:
        first = first_view(path, params, lang)
    except Exception:  # the first view only comes before the page: never let it keep the page from a visitor
        _LOG.exception("the first view of %s failed; the page is served without it", request.url)
        first = None
    if first:
        html = html.replace(ROOT, first + firstview.ROOT, 1)
    # as Streamlit serves its HTML; a phone opening the same URL gets another page (provdata/ui/lite.py)
    return HTMLResponse(html, headers={"Cache-Control": "no-cache", "Vary": lite.VARY})


#: seconds a browser waits before asking again while this host catches up (Retry-After and the page's refresh)
RETRY_SECONDS = 5


def _robots(_request: Request) -> Response:
    return PlainTextResponse(ROBOTS)


def routes(url_paths: list[str]) -> list[Route]:
    """The app root, each page's URL and /robots.txt. Under Streamlit's ``server.baseUrlPath`` the pages' HTML
    is left to Streamlit (the base named here would be wrong there)."""
    from streamlit import config as st_config

    robots = [Route("/robots.txt", _robots, methods=["GET", "HEAD"])]
    if (st_config.get_option("server.baseUrlPath") or "").strip("/"):
        return robots
    index_html()  # a Streamlit whose index.html has changed shape fails at start, not on a visitor's request
    pages = [Route(f"/{p}" if p else "/", _page, methods=["GET", "HEAD"]) for p in ["", *url_paths]]
    return [*pages, *robots]
