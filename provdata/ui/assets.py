"""Streamlit's JavaScript, CSS and the app's fonts sent gzipped by the app itself (server.py adds this middleware).

Streamlit serves its static bundles uncompressed and leaves compression to a proxy: 5.6 MB on a page's first
load straight at the app (`make run`), 1.97 MB through the documented nginx deployment. This middleware answers
a browser that accepts gzip with the file compressed once and kept in memory (the bundles are ~5 MB gzipped
all told, and only what browsers ask for is compressed), so `make run` sends about what nginx sends. Behind
nginx the app's gzipped answer passes through (nginx does not compress twice). Everything else, and any path
that is not a plain file name in one of the two folders, goes on to Streamlit unchanged. Streamlit's icon font
goes out cut down to the icons the app can show, once that is ready (provdata/ui/icons.py).
"""

from __future__ import annotations

import gzip
import mimetypes
import re
import threading
from collections import OrderedDict
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from provdata.basics import config
from provdata.ui import icons

#: (URL pattern, URL prefix of the folder, folder, cache lifetime): Streamlit's bundles have a content hash in
#: their names (immutable); the app's fonts do not (a week, as the nginx template gives them)
_ROUTES = (
    (re.compile(r"/static/(?:js|css|media)/[A-Za-z0-9_.\-]+\.(?:js|css|svg|json|ttf)"), "/", "streamlit",
     "public, immutable, max-age=31536000"),
    (re.compile(r"/app/static/[A-Za-z0-9_.\-]+\.ttf"), "/app/static/", "app", "public, max-age=604800"),
)  # fmt: skip
#: files kept compressed (Streamlit 1.67 has 317 scripts; a profile's first load asks for ~150)
MAX_ENTRIES = 512


def _folders() -> dict[str, Path]:
    from streamlit import file_util

    return {
        "streamlit": Path(file_util.get_static_dir()).resolve(),
        "app": (config.ROOT / "static").resolve(),
    }


def _takes_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header takes gzip ("gzip;q=0" refuses it)."""
    for item in accept_encoding.lower().split(","):
        name, *params = (part.strip() for part in item.split(";"))
        if name in ("gzip", "*"):
            q = next((p.removeprefix("q=") for p in params if p.startswith("q=")), "1")
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


class GzipStatic:
    """ASGI middleware: GET of a static bundle or font, with ``Accept-Encoding: gzip`` → the gzipped file."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.folders = _folders()
        self._cache: OrderedDict[Path, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            icons_font = icons.served(scope["path"])  # Streamlit's icon font cut down (provdata/ui/icons.py)
            if icons_font is not None:
                headers = {"Cache-Control": "public, immutable, max-age=31536000"}
                await Response(icons_font, media_type="font/woff2", headers=headers)(scope, receive, send)
                return
        found = self._match(scope)
        if found is None:
            await self.app(scope, receive, send)
            return
        path, cache_control = found
        body = await run_in_threadpool(self._gzipped, path)
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if media_type.endswith(("javascript", "json")):  # Starlette adds the charset of text/* itself
            media_type += "; charset=utf-8"
        headers = {"Content-Encoding": "gzip", "Vary": "Accept-Encoding", "Cache-Control": cache_control}
        await Response(body, media_type=media_type, headers=headers)(scope, receive, send)

    def _match(self, scope: Scope) -> tuple[Path, str] | None:
        if scope["type"] != "http" or scope["method"] != "GET":
            return None
        url = scope["path"]
        for pattern, prefix, folder, cache_control in _ROUTES:
            if not pattern.fullmatch(url):
                continue
            if not _takes_gzip(Headers(scope=scope).get("accept-encoding", "")):
                return None
            root = self.folders[folder]
            path = (root / url.removeprefix(prefix)).resolve()
            return (path, cache_control) if path.is_relative_to(root) and path.is_file() else None
        return None

    def _gzipped(self, path: Path) -> bytes:
        mtime = path.stat().st_mtime
        with self._lock:
            kept = self._cache.get(path)
            if kept and kept[0] == mtime:
                self._cache.move_to_end(path)
                return kept[1]
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        with self._lock:
            self._cache[path] = (mtime, body)
            while len(self._cache) > MAX_ENTRIES:
                self._cache.popitem(last=False)
        return body
