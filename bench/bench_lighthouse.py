"""Lighthouse (npm, pinned in package.json) on the province profile, through the documented deployment.

    python -m bench.run lighthouse        (make bench runs it with the rest)

Starts one app process (`streamlit run server.py`) over the shipped warehouse and nginx in front of it from
deploy/nginx.conf.template (the configuration docs/deployment.md documents), then runs Lighthouse's desktop
preset in Debian's Chromium (CHROME_PATH=/usr/bin/chromium, --headless --no-sandbox) on
``/profile?province=60&lang=th`` through the proxy and, for comparison, straight at the app. Prints the
performance score, LCP, CLS, TBT, the bytes transferred and the unused JavaScript. Also the map of the 928
districts: navigation to the first WebGL draw in a fresh browser (bench/mapdraw.py), through the proxy.
Goals (issue #13): LCP ≤ 2.0 s, CLS ≤ 0.1, first-load bytes ≤ 2 MB. One run per figure on a shared, noisy
machine: read them as indications.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import string
import subprocess
import tempfile
import time
from pathlib import Path

from bench.serve import CHROMIUM, free_port, start_server, stop_server
from provdata import config

LIGHTHOUSE = config.ROOT / "node_modules" / ".bin" / "lighthouse"
TEMPLATE = config.ROOT / "deploy" / "nginx.conf.template"
PAGE = "/profile?province=60&lang=th"
MAP = "/map?lang=th&indicator=rice_inseason_production_t&year=2015&level=district"


def start_proxy(app_port: int, runtime: Path) -> tuple[subprocess.Popen, int]:
    """nginx from the deployment template in front of one app process; returns (process, port)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    port = free_port()
    conf = runtime / "nginx.conf"
    conf.write_text(
        string.Template(TEMPLATE.read_text(encoding="utf-8")).safe_substitute(
            PROXY_PORT=port, RUNTIME_DIR=runtime, UPSTREAMS=f"        server 127.0.0.1:{app_port};"
        ),
        encoding="utf-8",
    )
    proc = subprocess.Popen([nginx, "-c", str(conf), "-g", "daemon off;"], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("nginx did not start") from None
            time.sleep(0.2)


def lighthouse(url: str, out: Path) -> dict[str, float]:
    """One Lighthouse run (desktop preset, performance only); the figures this bench prints."""
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(
        [str(LIGHTHOUSE), url, "--preset=desktop", "--only-categories=performance", "--output=json",
         f"--output-path={out}", "--quiet", "--chrome-flags=--headless --no-sandbox --disable-gpu"],
        env=env, check=True, timeout=300,
    )  # fmt: skip
    lhr = json.loads(out.read_text(encoding="utf-8"))
    audits = lhr["audits"]
    unused = audits.get("unused-javascript", {}).get("details", {}).get("overallSavingsBytes", 0)
    return {
        "performance": lhr["categories"]["performance"]["score"] * 100,
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"] / 1000,
        "bytes": audits["total-byte-weight"]["numericValue"],
        "unused_js": unused,
    }


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


def bench(report) -> None:
    if not LIGHTHOUSE.exists():
        report("lighthouse", "lighthouse", "missing: run `npm ci` (make bench does)")
        return
    from bench.mapdraw import draw_times

    with tempfile.TemporaryDirectory() as tmp:
        runtime = Path(tmp)
        app_port = free_port()
        app = start_server(config.DEFAULT_WAREHOUSE, app_port)
        proxy = None
        try:
            proxy, proxy_port = start_proxy(app_port, runtime)
            warm(f"http://127.0.0.1:{proxy_port}{PAGE}")
            for where, port in (("through nginx", proxy_port), ("straight at the app", app_port)):
                f = lighthouse(f"http://127.0.0.1:{port}{PAGE}", runtime / f"lhr-{port}.json")
                report("lighthouse", f"profile {where}: performance score", f"{f['performance']:.0f}")
                report("lighthouse", f"profile {where}: LCP / CLS / TBT",
                       f"{f['lcp']:.2f} s / {f['cls']:.3f} / {f['tbt']:.2f} s")  # fmt: skip
                report("lighthouse", f"profile {where}: bytes transferred / unused JS",
                       f"{f['bytes'] / 1e6:.2f} MB / {f['unused_js'] / 1e6:.2f} MB")  # fmt: skip
            times = draw_times(f"http://127.0.0.1:{proxy_port}{MAP}", 3)
            draws = sorted(d for _h, d in times)
            report("lighthouse", "928-district map through nginx: first draw, fresh browser (3 runs)",
                   " / ".join(f"{d:.2f} s" for d in draws))  # fmt: skip
        finally:
            if proxy is not None:
                proxy.terminate()
                proxy.wait(10)
            stop_server(app)
