"""The documented deployment (nginx from deploy/nginx.conf.template) compresses and caches the first load."""

from __future__ import annotations

import re
import shutil
import urllib.request
from pathlib import Path

import pytest

from bench.serve import free_port, start_proxy, start_server, stop_server

pytestmark = pytest.mark.skipif(
    not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()), reason="nginx is installed by make test"
)


def fetch(url: str, gzip: bool = True) -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip else {})
    with urllib.request.urlopen(request, timeout=30) as resp:
        return {k.lower(): v for k, v in resp.headers.items()}, resp.read()


@pytest.fixture(scope="module")
def proxied(real_warehouse, tmp_path_factory):
    app_port = free_port()
    app = start_server(real_warehouse, app_port)
    proxy, port = start_proxy([app_port], tmp_path_factory.mktemp("nginx"))
    yield f"http://127.0.0.1:{port}"
    proxy.terminate()
    proxy.wait(10)
    stop_server(app)


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
    script = re.search(r'src="\./(static/js/index\.[\w-]+\.js)"', html).group(1)
    headers, gz = fetch(f"{proxied}/{script}")
    plain_headers, plain = fetch(f"{proxied}/{script}", gzip=False)
    assert headers["content-encoding"] == "gzip" and "content-encoding" not in plain_headers
    assert len(gz) < len(plain) / 2  # the bundle is text: gzip sends less than half
    assert "immutable" in headers["cache-control"]


def test_the_thai_font_is_compressed_and_cached_for_a_week(proxied):
    headers, _body = fetch(f"{proxied}/app/static/Sarabun-Regular.ttf")
    assert headers["content-encoding"] == "gzip"
    assert headers["cache-control"] == "public, max-age=604800"
