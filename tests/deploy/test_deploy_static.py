"""The documented deployment (nginx from deploy/nginx.conf.template) compresses and caches the first load, and
the app behind it still sees each browser's own address."""

from __future__ import annotations

import json
import os
import re
import shutil
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest

from bench.serve import free_port, start_proxy, start_server, stop_server
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(
    not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()), reason="nginx is installed by make test"
)


def fetch(url: str, gzip: bool = True) -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip else {})
    with urllib.request.urlopen(request, timeout=30) as resp:
        return {k.lower(): v for k, v in resp.headers.items()}, resp.read()


@pytest.fixture(scope="module")
def proxied(served_app, tmp_path_factory):
    """nginx from the template in front of the session's app server."""
    proxy, port = start_proxy([urlsplit(served_app).port], tmp_path_factory.mktemp("nginx"))
    yield f"http://127.0.0.1:{port}"
    proxy.terminate()
    proxy.wait(10)


def test_the_page_reserves_the_sidebar_and_scripts_are_gzipped_and_immutable(proxied):
    headers, body = fetch(f"{proxied}/profile?province=60", gzip=False)
    html = body.decode("utf-8")
    assert '[data-testid="stSidebar"])) > div:last-child {margin-left: 300px;}' in html
    # the Thai fonts the page uses are asked for from the start, and each preload names a file that is there
    preloads = re.findall(
        r'<link rel="preload" as="font" type="font/ttf" crossorigin href="\./([^"]+)">', html
    )
    assert preloads == [f"app/static/Sarabun-{w}.ttf" for w in ("Regular", "SemiBold", "Bold")]
    for path in preloads:
        assert fetch(f"{proxied}/{path}")[0]["content-type"] in ("font/ttf", "application/x-font-ttf")
    script = re.search(r'"\./(static/js/index\.[\w-]+\.js)"', html).group(
        1
    )  # the entry, started after the first paint
    headers, gz = fetch(f"{proxied}/{script}")
    plain_headers, plain = fetch(f"{proxied}/{script}", gzip=False)
    assert headers["content-encoding"] == "gzip" and "content-encoding" not in plain_headers
    assert len(gz) < len(plain) / 2  # the bundle is text: gzip sends less than half
    assert "immutable" in headers["cache-control"]


def test_robots_txt_keeps_crawlers_to_the_pages_and_the_page_has_a_description(proxied):
    headers, body = fetch(f"{proxied}/robots.txt")
    assert headers["content-type"].startswith("text/plain")
    assert body.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /api/",
        "Disallow: /_stcore/",
        "Disallow: /media/",
    ]
    html = fetch(f"{proxied}/map?lang=en", gzip=False)[1].decode("utf-8")
    description = re.search(r'<meta name="description" content="([^"]+)">', html).group(1)
    assert "สถิติจังหวัด" in description and "Thai provincial statistics" in description


@pytest.mark.browser
def test_a_deep_link_through_the_proxy_connects_once_compressed_and_its_download_arrives(proxied, browser):
    """Streamlit alone tries a deep link's path as the app's base first (two 404s on the console, then a wait);
    the template names the base, so the first connection attempt is the right one. Downloads (the app's /media/
    URLs, built from that base) still arrive through the proxy."""
    from tests.conftest import download, wait_for_app

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    try:
        pg = context.new_page()
        cdp = context.new_cdp_session(pg)
        cdp.send("Network.enable")
        handshakes: list[dict] = []
        cdp.on(
            "Network.webSocketHandshakeResponseReceived",
            lambda e: handshakes.append(e["response"]["headers"]),
        )
        errors: list[str] = []
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pings: list[str] = []
        pg.on("request", lambda r: pings.append(r.url) if "/_stcore/health" in r.url else None)
        pg.goto(f"{proxied}/profile?province=60&lang=en&era=ce")
        wait_for_app(pg, timeout_ms=60000)
        pg.get_by_role("heading", name="Nakhon Sawan", exact=True).wait_for(timeout=30000)
        assert pings == [f"{proxied}/_stcore/health"]
        assert errors == []
        # the page's websocket is compressed (.streamlit/config.toml), through the proxy too
        extensions = [
            {k.lower(): v for k, v in h.items()}.get("sec-websocket-extensions", "") for h in handshakes
        ]
        assert len(extensions) == 1 and extensions[0].startswith("permessage-deflate"), handshakes
        assert pg.url.startswith(f"{proxied}/profile?province=60")
        csv = download(pg, pg.locator(".st-key-profile_dl_csv button"))
        assert csv.suggested_filename == "provdata-profile-60.csv"
        table = pd.read_csv(csv.path())
        gpp = table[table["Indicator"] == "Gross provincial product at current market prices"]
        assert gpp["Value (as published)"].tolist() == [111440.702788] and gpp["year"].tolist() == [2020]
    finally:
        context.close()


def test_the_thai_font_is_compressed_and_cached_for_a_week(proxied):
    headers, _body = fetch(f"{proxied}/app/static/Sarabun-Regular.ttf")
    assert headers["content-encoding"] == "gzip"
    assert headers["cache-control"] == "public, max-age=604800"


def address_seen(port: int, source: str, forged: str) -> str:
    """Open the client-address page over Streamlit's websocket from loopback address ``source``, sending a forged
    X-Forwarded-For; return the address the page shows. (websockets' sync client: the session's Playwright owns
    this process's event loop.)"""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from websockets.sync.client import connect

    msg = BackMsg()
    msg.rerun_script.query_string = ""
    with connect(
        f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], max_size=None,
        source_address=(source, 0), additional_headers={"X-Forwarded-For": forged}, open_timeout=30,
    ) as ws:  # fmt: skip
        ws.send(msg.SerializeToString())
        while True:
            shown = re.search(rb"client=\[([^\]]*)\]", ws.recv(timeout=30))
            if shown:
                return shown.group(1).decode()


@pytest.mark.slow
def test_behind_the_proxy_the_lockout_counts_the_browsers_own_address(tmp_path):
    """The sign-in lockout and the audit log key on the client address: behind nginx it must be the browser's,
    not nginx's 127.0.0.1 (one office's wrong passwords would lock everyone out), and a forged X-Forwarded-For
    must not move it (a locked-out client would pick a new address per try)."""
    app_port = free_port()
    app = start_server(
        tmp_path / "unused.duckdb", app_port,
        script=ROOT / "tests" / "fixtures" / "apps" / "client_address_server.py",
        env={"PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
             "PROVDATA_TRUSTED_PROXIES": "127.0.0.1"},  # nginx, on this host (docs/deployment.md)
    )  # fmt: skip
    proxy, port = start_proxy([app_port], tmp_path)
    try:
        assert address_seen(port, "127.0.0.7", "9.9.9.9") == "127.0.0.7"
        assert address_seen(app_port, "127.0.0.9", "9.9.9.9") == "127.0.0.9"  # straight at the app
    finally:
        proxy.terminate()
        proxy.wait(10)
        stop_server(app)


def test_liveness_and_readiness_through_the_proxy(proxied, served_app):
    headers, body = fetch(f"{proxied}/healthz", gzip=False)
    assert json.loads(body) == {"live": True}
    headers, body = fetch(f"{proxied}/readyz", gzip=False)
    ready = json.loads(body)
    assert (ready["ready"], ready["problem"], ready["store_kind"]) == (True, None, "sqlite")
    assert headers["cache-control"] == "no-store"
    assert headers["x-provdata-upstream"] == f"127.0.0.1:{urlsplit(served_app).port}"
    _headers, page = fetch(f"{served_app}/api/v1/indicators", gzip=False)
    assert ready["build_id"] == json.loads(page)["meta"]["build_id"]  # the build the host serves
