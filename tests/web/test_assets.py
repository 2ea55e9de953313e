"""`make run` sends Streamlit's bundles and the app's fonts gzipped (provdata/ui/assets.py), as nginx would."""

from __future__ import annotations

import gzip
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from provdata.ui.assets import GzipStatic


def fetch(url: str, gzip_ok: bool = True) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def test_the_app_sends_its_scripts_and_fonts_gzipped_to_browsers_that_take_gzip(served_app):
    html = fetch(f"{served_app}/profile?province=60", gzip_ok=False)[2].decode("utf-8")
    script = re.search(r'"\./(static/js/index\.[\w-]+\.js)"', html).group(
        1
    )  # the entry, started after the first paint
    status, headers, body = fetch(f"{served_app}/{script}")
    _status, plain_headers, plain = fetch(f"{served_app}/{script}", gzip_ok=False)
    assert status == 200 and headers["content-encoding"] == "gzip" and "content-encoding" not in plain_headers
    assert gzip.decompress(body) == plain and len(body) < len(plain) / 2
    assert headers["vary"] == "Accept-Encoding"
    assert headers["cache-control"] == "public, immutable, max-age=31536000"
    assert headers["content-type"] == "application/javascript; charset=utf-8"
    status, headers, body = fetch(f"{served_app}/app/static/Sarabun-Regular.ttf")
    assert (status, headers["content-encoding"], headers["cache-control"]) == (
        200,
        "gzip",
        "public, max-age=604800",
    )
    assert (
        gzip.decompress(body) == (Path(__file__).parents[2] / "static" / "Sarabun-Regular.ttf").read_bytes()
    )
    # a font already compressed (woff2) goes out as it is
    from streamlit import file_util

    woff2 = sorted((Path(file_util.get_static_dir()) / "static" / "media").glob("MaterialSymbols*.woff2"))[0]
    assert "content-encoding" not in fetch(f"{served_app}/static/media/{woff2.name}")[1]
    # issue #24: the page asks for no Source Sans (the theme draws in Sarabun), and Streamlit's module preloads
    # are written by the script that starts Streamlit after the first paint, not as <link>s in the HTML
    assert "SourceSans" not in html and '<link rel="modulepreload"' not in html
    assert html.count("static/js/react-dom.") == 1 and "l.rel = 'modulepreload'" in html


@pytest.mark.parametrize(
    "path",
    [
        "/static/js/../../index.html",
        "/static/js/%2e%2e/%2e%2e/index.html",
        "/static/js/..%2f..%2fconfig.py",
        "/app/static/../server.py",
        "/app/static/..%2Fserver.py",
        "/static/js/missing.js",
        "/static/index.html",
        "/app/static/Sarabun-Regular.ttf/",
        "/app/static/Sarabun-Regular.ttf\n",
    ],
)
def test_a_path_that_is_not_a_plain_file_name_in_the_two_folders_is_left_to_streamlit(path):
    scope = {"type": "http", "method": "GET", "path": path, "headers": [(b"accept-encoding", b"gzip")]}
    assert GzipStatic(app=None)._match(scope) is None


def test_only_a_get_that_takes_gzip_is_answered_compressed():
    middleware = GzipStatic(app=None)
    scope = {"type": "http", "method": "GET", "path": "/app/static/Sarabun-Bold.ttf", "headers": []}
    assert middleware._match(scope) is None
    scope["headers"] = [(b"accept-encoding", b"gzip, deflate, br")]
    assert middleware._match(scope)[0].name == "Sarabun-Bold.ttf"
    assert middleware._match({**scope, "method": "POST"}) is None
    assert middleware._match({**scope, "headers": [(b"accept-encoding", b"gzip;q=0, identity")]}) is None
    assert middleware._match({**scope, "headers": [(b"accept-encoding", b"br, gzip;q=0.5")]}) is not None
