"""Scale-out on one host, on loopback: two app processes behind nginx, one writer publishing.

    python -m bench.scaleout

Starts two `streamlit run server.py` processes (each with its own read-only handle on the published
warehouse), renders deploy/nginx.conf.template for them and starts nginx on 127.0.0.1; then checks that
clients from different loopback addresses are spread over both processes and stay on theirs, that a
page renders through the proxy in Chromium (websocket upgrade included), that a publish is seen by both
processes, and that the proxy keeps serving when one process stops. Needs Debian's nginx
(`apt-get install nginx-light`). Everything runs on 127.0.0.0/8 and stops by itself.
"""

from __future__ import annotations

import http.client
import re
import shutil
import socket
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.load import RENDERED
from bench.serve import CHROMIUM, CHROMIUM_ARGS, free_port, start_server, stop_server
from provdata import config
from provdata.build import build_warehouse

TEMPLATE = config.ROOT / "deploy" / "nginx.conf.template"
BUILD_ID = re.compile(r"\d{8}T\d{6}-[0-9a-f]{8}")


def get(port: int, path: str, source: str) -> tuple[int, str, str]:
    """GET through the proxy from a given loopback source address: (status, upstream, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return (
            resp.status,
            resp.getheader("X-Provdata-Upstream") or "",
            resp.read().decode("utf-8", "replace"),
        )
    finally:
        conn.close()


def render_through_proxy(port: int) -> str:
    """Open the profile through the proxy in Chromium; return the build id the page shows."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/profile?province=60&lang=th", timeout=60000)
            page.wait_for_function(RENDERED, timeout=60000)
            caption = page.locator(
                '[data-testid="stSidebar"] [data-testid="stCaptionContainer"]', has_text=BUILD_ID
            )
            return BUILD_ID.search(caption.first.inner_text(timeout=60000)).group(0)
        finally:
            browser.close()


def run(report) -> bool:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        report("scaleout", "nginx", "missing: apt-get install nginx-light")
        return False
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        runtime = Path(tmp)
        warehouse = runtime / "warehouse.duckdb"
        first = build_warehouse(warehouse, log=lambda _m: None).build_id
        ports = [free_port(), free_port()]
        servers = [start_server(warehouse, p) for p in ports]
        proxy_port = free_port()
        conf = runtime / "nginx.conf"
        conf.write_text(
            string.Template(TEMPLATE.read_text(encoding="utf-8")).safe_substitute(
                PROXY_PORT=proxy_port,
                RUNTIME_DIR=runtime,
                UPSTREAMS="\n".join(
                    f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in ports
                ),
            ),
            encoding="utf-8",
        )
        proxy = subprocess.Popen([nginx, "-c", str(conf), "-g", "daemon off;"], stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    socket.create_connection(("127.0.0.1", proxy_port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError("nginx did not start") from None
                    time.sleep(0.2)

            sources = [f"127.0.0.{i}" for i in range(1, 21)]
            upstreams = {s: get(proxy_port, "/_stcore/health", s)[1] for s in sources}
            used = sorted(set(upstreams.values()))
            report("scaleout", "processes behind the proxy / used by 20 client addresses", f"2 / {len(used)}")
            sticky = all(get(proxy_port, "/_stcore/health", s)[1] == upstreams[s] for s in sources[:5])
            report("scaleout", "client stays on its process (sticky)", "yes" if sticky else "NO")
            ok &= len(used) == 2 and sticky

            t0 = time.perf_counter()
            shown = render_through_proxy(proxy_port)
            report(
                "scaleout",
                "profile rendered through the proxy (Chromium)",
                f"{time.perf_counter() - t0:.2f} s",
            )
            ok &= shown == first

            second = build_warehouse(warehouse, log=lambda _m: None).build_id
            shown = render_through_proxy(proxy_port)
            report(
                "scaleout",
                "new publish seen through the proxy",
                "yes" if shown == second else f"NO ({shown})",
            )
            ok &= shown == second

            servers[0].terminate()
            servers[0].wait(10)
            statuses = [get(proxy_port, "/_stcore/health", s)[0] for s in sources]
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
