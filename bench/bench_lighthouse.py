"""Lighthouse (npm, pinned in package.json) on the province profile, through the documented deployment.

    python -m bench.run lighthouse        (make bench runs it with the rest)

Starts one app process (`streamlit run server.py`) over the shipped warehouse and nginx in front of it from
deploy/nginx.conf.template (the configuration docs/deployment.md documents), then runs Lighthouse's desktop
preset in Debian's Chromium (CHROME_PATH=/usr/bin/chromium, --headless --no-sandbox) on
``/profile?province=60&lang=th`` through the proxy (3 runs, medians) and once straight at the app. Prints the
performance score, LCP, FCP, CLS, TBT, the bytes transferred and the unused JavaScript. The page's HTML carries
its first view (provdata/views/firstview.py), which Lighthouse's LCP counts; beside it, the time until Streamlit's
live page takes over from it (bench/mapdraw.py, fresh browser). Also the pilots' district
map: navigation to the map drawn in a fresh browser (bench/mapdraw.py), through the proxy, as the static picture
the page shows first and as the interactive map. (All 928 districts: bench/bench_scale.py, synthetic figures.)
Goals (issue #13): LCP ≤ 2.0 s, CLS ≤ 0.1, first-load bytes ≤ 2 MB, map drawn ≤ 2 s. First of all, issue #24: the
profile and the map under Lighthouse's mobile default, whose phone User-Agent gets the phone page
(provdata/ui/lite.py), beside the same phone on the interactive page (``view=full``) and the desktop preset
(:func:`phone_and_desktop`; ``PROVDATA_BENCH_PHONE_ONLY=1`` stops after it). Then one run of Lighthouse's
other checks (accessibility, best practices, SEO) on three pages, with the audits that did not pass.

Beside them, the floor: bench/floor_app.py (a heading and a paragraph; a one-polygon map) behind the same
nginx, measured interleaved with the app's runs. On a shared 2-core machine with software WebGL the absolute
figures move by ±30 % from one minute to the next; the floor says how much of a figure is the app's.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from bench.serve import CHROMIUM, free_port, start_proxy, start_server, stop_server
from provdata.basics import config

LIGHTHOUSE = config.ROOT / "node_modules" / ".bin" / "lighthouse"
PAGE = "/profile?province=60&lang=th"
MAP = "/map?lang=th&indicator=rice_inseason_production_t&year=2015&level=district"  # the pilots' 93 districts
FLOOR = config.ROOT / "bench" / "floor_app.py"
RUNS = 3  # Lighthouse runs per page (medians are printed)
MAP_PAGE = "/map?lang=th"  # the map as a visitor opens it first (the provinces, the default figure)
MAP_RUNS = 5


def _run(url: str, out: Path, categories: str, mobile: bool = False) -> dict:
    """One Lighthouse run of ``categories`` in Debian's Chromium, its desktop preset or (``mobile``) its default:
    a 412×823 phone, 4× slower CPU, slow 4G (150 ms, 1.6 Mbit/s), simulated; its report as a dict."""
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    preset = [] if mobile else ["--preset=desktop"]
    subprocess.run(
        [str(LIGHTHOUSE), url, *preset, f"--only-categories={categories}", "--output=json",
         f"--output-path={out}", "--quiet", "--chrome-flags=--headless --no-sandbox --disable-gpu"],
        env=env, check=True, timeout=300,
    )  # fmt: skip
    return json.loads(out.read_text(encoding="utf-8"))


def lighthouse(url: str, out: Path, mobile: bool = False) -> dict[str, float]:
    """One Lighthouse run (performance only); the figures this bench prints."""
    lhr = _run(url, out, "performance", mobile)
    audits = lhr["audits"]
    unused = audits.get("unused-javascript", {}).get("details", {}).get("overallSavingsBytes", 0)
    return {
        "performance": lhr["categories"]["performance"]["score"] * 100,
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"] / 1000,
        "bytes": audits["total-byte-weight"]["numericValue"],
        "unused_js": unused,
    }


def checks(url: str, out: Path, mobile: bool = False) -> tuple[dict[str, float], list[str]]:
    """One Lighthouse run of its other checks (accessibility, best practices, SEO), desktop or (``mobile``) as a
    phone: the category scores and the audits that did not pass (a source map missing from Streamlit's own
    bundles is not scored)."""
    lhr = _run(url, out, "accessibility,best-practices,seo", mobile)
    scores = {key: cat["score"] * 100 for key, cat in lhr["categories"].items()}
    failed = [
        audit_id for audit_id, audit in lhr["audits"].items()
        if audit.get("scoreDisplayMode") in ("binary", "numeric") and audit.get("score") is not None
        and audit["score"] < 1 and audit_id != "valid-source-maps"
    ]  # fmt: skip
    return scores, failed


def warm(url: str) -> None:
    """Open the page once, so the server's caches hold its data as on a running server."""
    from playwright.sync_api import sync_playwright

    from bench.serve import CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(url, timeout=60000)
            page.wait_for_selector('[data-testid="stMain"] h1', timeout=60000)
            page.wait_for_timeout(2000)
        finally:
            browser.close()


def spread(values: list[float]) -> str:
    """The median, then every run in order of size: "2.31 s (2.10 / 2.31 / 2.80)"."""
    runs = " / ".join(f"{v:.2f}" for v in sorted(values))
    return f"{statistics.median(values):.2f} s ({runs})"


#: issue #24's goals for a phone's first load (Lighthouse mobile): (key, goal, unit)
PHONE_GOALS = (("lcp", 2.5, "s"), ("tbt", 0.6, "s"), ("cls", 0.1, ""), ("bytes", 1e6, "B"))
#: how each page is measured: (name, Lighthouse mobile?, what is added to the URL)
FORMS = (("phone", True, ""), ("phone-full", True, "&view=full"), ("desktop", False, ""))


def phone_and_desktop(report, proxy_port: int, runtime: Path, floor_port: int | None = None) -> None:
    """Issue #24: the profile and the map under Lighthouse's mobile default (a phone's 4x slower CPU, slow 4G,
    simulated; its User-Agent is a phone's) beside its desktop preset, interleaved, medians of RUNS. A phone that
    opens the URL gets the phone page (provdata/ui/lite.py); beside it the same phone on the interactive
    Streamlit page (``view=full``, what the phone page links to), and the floor (bench/floor_app.py: a heading and
    a paragraph in Streamlit) on the phone, which says what Streamlit's own boot costs there.
    Goals on the phone: LCP ≤ 2.5 s, TBT ≤ 0.6 s, CLS ≤ 0.1, bytes ≤ 1 MB."""
    pages = [("profile", PAGE, proxy_port), ("map", MAP_PAGE, proxy_port)]
    runs: dict[tuple[str, str], list[dict[str, float]]] = {}
    for i in range(RUNS):
        for name, path, port in pages:
            for form, mobile, extra in FORMS:
                out = runtime / f"lhr-{name}-{form}-{i}.json"
                url = f"http://127.0.0.1:{port}{path}{extra}"
                runs.setdefault((name, form), []).append(lighthouse(url, out, mobile))
        if floor_port:
            out = runtime / f"lhr-floor-mobile-{i}.json"
            runs.setdefault(("floor", "phone"), []).append(
                lighthouse(f"http://127.0.0.1:{floor_port}/", out, True)
            )

    def med(fs: list[dict[str, float]], key: str) -> float:
        return statistics.median(f[key] for f in fs)

    def each(fs: list[dict[str, float]], key: str) -> str:
        return " / ".join(f"{f[key]:.2f}" for f in fs)

    for name, path, _port in pages:
        phone, full, desk = (runs[(name, form)] for form, _m, _e in FORMS)
        label = (f"{path} through nginx, phone page | phone on the interactive page (view=full) | desktop "
                 f"(median of {RUNS})")  # fmt: skip
        report("lighthouse", f"{label}: performance score",
               " | ".join(f"{med(fs, 'performance'):.0f}" for fs in (phone, full, desk)))  # fmt: skip
        for key in ("lcp", "fcp", "tbt"):
            report("lighthouse", f"{label}: {key.upper()}",
                   f"{med(phone, key):.2f} s ({each(phone, key)}) | {med(full, key):.2f} s ({each(full, key)}) | "
                   f"{med(desk, key):.2f} s")  # fmt: skip
        report(
            "lighthouse", f"{label}: CLS", " | ".join(f"{med(fs, 'cls'):.3f}" for fs in (phone, full, desk))
        )
        report("lighthouse", f"{label}: bytes transferred",
               " | ".join(f"{med(fs, 'bytes') / 1e6:.3f} MB" for fs in (phone, full, desk)))  # fmt: skip
        missed = [
            f"{key.upper()} {med(phone, key):.3g}{unit} > {goal:g}{unit}"
            for key, goal, unit in PHONE_GOALS if med(phone, key) > goal
        ]  # fmt: skip
        report("lighthouse", f"{path} on a phone: issue #24's goals (LCP ≤ 2.5 s, TBT ≤ 0.6 s, CLS ≤ 0.1, ≤ 1 MB)",
               "all met" if not missed else "missed: " + ", ".join(missed))  # fmt: skip
    if floor_port:
        mob = runs[("floor", "phone")]
        report("lighthouse", f"floor (bench/floor_app.py) through nginx, mobile (median of {RUNS}): performance / "
               "LCP / TBT / bytes", f"{med(mob, 'performance'):.0f} / {med(mob, 'lcp'):.2f} s / "
               f"{med(mob, 'tbt'):.2f} s ({each(mob, 'tbt')}) / {med(mob, 'bytes') / 1e6:.2f} MB")  # fmt: skip


def _checks(report, proxy_port: int, runtime: Path, pages) -> None:
    """:func:`checks` of each (path, as a phone?) through the proxy, reported."""
    for path, mobile in pages:
        scores, failed = checks(f"http://127.0.0.1:{proxy_port}{path}", runtime / "lhr-checks.json", mobile)
        form = "phone page" if mobile else "desktop"
        report("lighthouse", f"{path} through nginx, {form}: accessibility / best practices / SEO (failed audits)",
               " / ".join(f"{scores[k]:.0f}" for k in ("accessibility", "best-practices", "seo"))
               + f" ({', '.join(failed) or 'none'})")  # fmt: skip


def bench(report) -> None:
    if not LIGHTHOUSE.exists():
        report("lighthouse", "lighthouse", "missing: run `npm ci` (make bench does)")
        return
    from bench.mapdraw import draw_times, takeover_times

    with tempfile.TemporaryDirectory() as tmp:
        runtime = Path(tmp)
        app_port, floor_port = free_port(), free_port()
        app = start_server(config.DEFAULT_WAREHOUSE, app_port)
        floor = start_server(  # the warehouse goes unused
            config.DEFAULT_WAREHOUSE,
            floor_port,
            script=FLOOR,
            extra_args=("--browser.gatherUsageStats", "false"),
        )
        proxies: list[subprocess.Popen] = []
        try:
            (runtime / "app").mkdir()
            (runtime / "floor").mkdir()
            proxy, proxy_port = start_proxy([app_port], runtime / "app")
            proxies.append(proxy)
            proxy, floor_proxy_port = start_proxy([floor_port], runtime / "floor")
            proxies.append(proxy)
            warm(f"http://127.0.0.1:{proxy_port}{PAGE}")
            warm(f"http://127.0.0.1:{floor_proxy_port}/")
            warm(f"http://127.0.0.1:{proxy_port}{MAP_PAGE}")
            phone_and_desktop(report, proxy_port, runtime, floor_proxy_port)
            _checks(report, proxy_port, runtime, ((PAGE, True), ("/map?lang=en", True)))
            if os.environ.get("PROVDATA_BENCH_PHONE_ONLY"):
                return
            runs: dict[str, list[dict[str, float]]] = {"app": [], "floor": [], "direct": []}
            for i in range(RUNS):  # interleaved: the machine's load falls on both alike
                for kind, url in (("app", f"http://127.0.0.1:{proxy_port}{PAGE}"),
                                  ("floor", f"http://127.0.0.1:{floor_proxy_port}/")):  # fmt: skip
                    runs[kind].append(lighthouse(url, runtime / f"lhr-{kind}-{i}.json"))
            runs["direct"].append(
                lighthouse(f"http://127.0.0.1:{app_port}{PAGE}", runtime / "lhr-direct.json")
            )

            def med(kind: str, key: str) -> float:
                return statistics.median(f[key] for f in runs[kind])

            for kind, label in (("app", f"profile through nginx (median of {RUNS})"),
                                ("direct", "profile straight at the app (1 run)")):  # fmt: skip
                report("lighthouse", f"{label}: performance score", f"{med(kind, 'performance'):.0f}")
                report("lighthouse", f"{label}: LCP / FCP / CLS / TBT",
                       f"{med(kind, 'lcp'):.2f} s / {med(kind, 'fcp'):.2f} s / {med(kind, 'cls'):.3f} / "
                       f"{med(kind, 'tbt'):.2f} s")  # fmt: skip
                report("lighthouse", f"{label}: bytes transferred / unused JS",
                       f"{med(kind, 'bytes') / 1e6:.2f} MB / {med(kind, 'unused_js') / 1e6:.2f} MB")  # fmt: skip
            report("lighthouse", f"profile through nginx: LCP, median (each of {RUNS} runs)",
                   spread([f["lcp"] for f in runs["app"]]))  # fmt: skip
            report("lighthouse", f"floor (bench/floor_app.py: a heading, a paragraph) through nginx: LCP, median "
                   f"(each of {RUNS} runs)", spread([f["lcp"] for f in runs["floor"]]))  # fmt: skip
            report("lighthouse", f"profile through nginx: Streamlit's page takes over from the first view, fresh "
                   f"browser, median (each of {MAP_RUNS})",
                   spread(takeover_times(f"http://127.0.0.1:{proxy_port}{PAGE}", MAP_RUNS)))  # fmt: skip
            draws = [d for _h, d in draw_times(f"http://127.0.0.1:{proxy_port}{MAP}", MAP_RUNS)]
            decks = [d for _h, d in draw_times(f"http://127.0.0.1:{proxy_port}{MAP}&interactive=1", MAP_RUNS)]
            floor_draws = [d for _h, d in draw_times(f"http://127.0.0.1:{floor_proxy_port}/?map=1", MAP_RUNS)]
            report("lighthouse", f"district map (93 districts) through nginx: the picture drawn, fresh browser, "
                   f"median (each of {MAP_RUNS})", spread(draws))  # fmt: skip
            report("lighthouse", f"district map (93 districts) through nginx: interactive, first WebGL draw, "
                   f"median (each of {MAP_RUNS})", spread(decks))  # fmt: skip
            report("lighthouse", f"floor map (one polygon, bench/floor_app.py?map=1): first draw, median (each of "
                   f"{MAP_RUNS})", spread(floor_draws))  # fmt: skip
            _checks(
                report,
                proxy_port,
                runtime,
                ((PAGE, False), ("/map?lang=en", False), ("/exchange?lang=th", False)),
            )
        finally:
            for proxy in proxies:
                proxy.terminate()
                proxy.wait(10)
            stop_server(floor)
            stop_server(app)
