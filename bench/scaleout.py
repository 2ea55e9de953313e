"""Scale-out on one host, on loopback: two app processes behind nginx, one writer publishing.

    python -m bench.scaleout

Starts two `streamlit run server.py` processes (each with its own read-only handle on the published
warehouse), renders deploy/nginx.conf.template for them and starts nginx on 127.0.0.1; then checks that
new browsers (all from one address, as an office behind NAT) are spread over both processes by their routing cookie
and stay on theirs, that a
page renders through the proxy in Chromium (websocket upgrade included), that a publish is seen by both
processes, and that the proxy keeps serving when one process stops. Needs Debian's nginx
(`apt-get install nginx-light`). Everything runs on 127.0.0.0/8 and stops by itself.
"""

from __future__ import annotations

import http.client
import re
import sys
import tempfile
import time
from pathlib import Path

from bench.load import RENDERED
from bench.serve import CHROMIUM, CHROMIUM_ARGS, free_port, new_state, start_proxy, start_servers, stop_server
from provdata.basics import config
from provdata.warehouse.build import build_warehouse

TEMPLATE = config.ROOT / "deploy" / "nginx.conf.template"
BUILD_ID = re.compile(r"\b(?:s\d+|local)-[0-9a-f]{12}\b")
ROUTE = re.compile(r"provdata_route=([^;]+)")


def get(port: int, path: str, cookie: str = "") -> tuple[int, str, str]:
    """GET through the proxy as a browser with the routing cookie ``cookie`` (none: a new browser):
    (status, upstream, the routing cookie it holds afterwards)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Cookie": f"provdata_route={cookie}"} if cookie else {})
        resp = conn.getresponse()
        resp.read()
        given = ROUTE.search(resp.getheader("Set-Cookie") or "")
        return resp.status, resp.getheader("X-Provdata-Upstream") or "", given.group(1) if given else cookie
    finally:
        conn.close()


def render_through_proxy(browser, port: int) -> str:
    """Open the profile through the proxy in a new browser context of Chromium (a new visitor, no cookies);
    return the build id the page shows."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{port}/profile?province=60&lang=th", timeout=60000)
        page.wait_for_function(RENDERED, timeout=60000)
        caption = page.locator(
            '[data-testid="stSidebar"] [data-testid="stCaptionContainer"]', has_text=BUILD_ID
        )
        return BUILD_ID.search(caption.first.inner_text(timeout=60000)).group(0)
    finally:
        context.close()


def run(report) -> bool:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return _run(report, browser)
        finally:
            browser.close()


def _run(report, browser) -> bool:
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        runtime = Path(tmp)
        warehouse = runtime / "warehouse.duckdb"
        first = build_warehouse(warehouse, log=lambda _m: None).build_id
        ports = [free_port(), free_port()]
        # behind nginx on this host: the proxy is listed, so X-Forwarded-For names the browser (docs/deployment.md)
        servers = start_servers(
            warehouse, ports, env={"PROVDATA_TRUSTED_PROXIES": "127.0.0.1"}
        )  # side by side
        try:
            proxy, proxy_port = start_proxy(ports, runtime)
        except RuntimeError as exc:
            report("scaleout", "nginx", str(exc))
            for s in servers:
                stop_server(s)
            return False
        try:
            browsers = [get(proxy_port, "/_stcore/health") for _ in range(20)]  # 20 new browsers, one address
            cookies = [cookie for _status, _upstream, cookie in browsers]
            used = sorted({upstream for _status, upstream, _cookie in browsers})
            report(
                "scaleout",
                "processes behind the proxy / used by 20 browsers from one address",
                f"2 / {len(used)}",
            )
            sticky = all(cookies) and all(
                get(proxy_port, "/_stcore/health", cookie)[1] == upstream
                for (_status, upstream, cookie) in browsers
                for _ in range(3)
            )
            report("scaleout", "a browser stays on its process (routing cookie)", "yes" if sticky else "NO")
            ok &= len(used) == 2 and sticky and len(set(cookies)) == 20

            t0 = time.perf_counter()
            shown = render_through_proxy(browser, proxy_port)
            report(
                "scaleout",
                "profile rendered through the proxy (Chromium)",
                f"{time.perf_counter() - t0:.2f} s",
            )
            ok &= shown == first

            new_state()  # as a publish does: the build id follows the state
            second = build_warehouse(warehouse, log=lambda _m: None).build_id
            shown = render_through_proxy(browser, proxy_port)
            report(
                "scaleout",
                "new publish seen through the proxy",
                "yes" if shown == second else f"NO ({shown})",
            )
            ok &= shown == second

            servers[0].terminate()
            servers[0].wait(10)
            statuses = [get(proxy_port, "/_stcore/health", cookie)[0] for cookie in cookies]
            report(
                "scaleout",
                "health through the proxy with one process stopped",
                f"{statuses.count(200)}/20 OK",
            )
            ok &= statuses.count(200) == 20
        finally:
            proxy.terminate()
            proxy.wait(10)
            for s in servers:
                if s.poll() is None:
                    stop_server(s)
    return ok


def main() -> int:
    return 0 if run(lambda s, n, v: print(f"{s:<12}  {n:<60}  {v}", flush=True)) else 1


if __name__ == "__main__":
    sys.exit(main())
