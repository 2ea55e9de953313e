"""Streamlit's icon font cut down to the icons the app can show (issue #24, first load on a phone).

Streamlit draws its icons (the sidebar's arrows, a chart's full-screen button, the pages' icons) as ligatures of
Google's Material Symbols font: the word ``fullscreen`` set in that font is the icon. The font holds 4,309
icon names and is 375 KB, the largest file of a first visit (the map page's 1.31 MB). The icons that can appear
are the names Streamlit's own scripts carry and the ``:material/…:`` names of the app: the font cut down to
those (fontTools, ligatures kept, nothing else) is about 64 KB.

Cutting takes ~12 s of CPU, so it is done once per Streamlit version and app icon set, in a background thread at
start (server.py), and kept in the system's temporary folder; until it is ready, and if it fails, Streamlit's
full font goes out as before (provdata/ui/assets.py serves the cut one only when it is there).
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import tempfile
import threading
from pathlib import Path

from provdata.basics import config

#: the font's URL in Streamlit's static folder (its name has a content hash)
URL = re.compile(r"/static/media/(MaterialSymbols-Rounded\.[A-Za-z0-9_\-]+\.woff2)")
_APP_ICON = re.compile(r":material/([a-z0-9_]+):")
_WORD = re.compile(r"[a-z][a-z0-9_]{2,}")
_LOG = logging.getLogger(__name__)
_cut: dict[str, bytes] = {}  # font file name -> the cut font
_lock = threading.Lock()


def _static() -> Path:
    from streamlit import file_util

    return Path(file_util.get_static_dir()) / "static"


def wanted_names() -> set[str]:
    """Every word Streamlit's scripts carry (its icon names among them) and the app's own icon names."""
    words: set[str] = set()
    for script in (_static() / "js").glob("*.js"):
        words |= set(_WORD.findall(script.read_text(encoding="utf-8", errors="ignore")))
    for source in [*(config.ROOT / "provdata").rglob("*.py"), *(config.ROOT / "pages").glob("*.py")]:
        words |= set(_APP_ICON.findall(source.read_text(encoding="utf-8")))
    return words


def cut(font: bytes, names: set[str]) -> bytes:
    """The font (woff2) with only the ligatures spelling one of ``names`` (and the letters that spell them)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    tt = TTFont(io.BytesIO(font))
    letters = {glyph: chr(code) for code, glyph in tt.getBestCmap().items() if code < 0x80}
    keep = set()
    for lookup in tt["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            table = getattr(table, "ExtSubTable", table)
            for first, ligatures in getattr(table, "ligatures", {}).items():
                for lig in ligatures:
                    parts = [first, *lig.Component]
                    if all(p in letters for p in parts) and "".join(letters[p] for p in parts) in names:
                        keep.add(lig.LigGlyph)
    options = subset.Options()
    options.layout_closure = False  # not every icon the kept letters could spell
    options.layout_features = ["*"]
    options.flavor = "woff2"
    subsetter = subset.Subsetter(options)
    subsetter.populate(glyphs=sorted(keep), unicodes=range(0x20, 0x80))
    subsetter.subset(tt)
    out = io.BytesIO()
    tt.save(out)
    return out.getvalue()


def prepare() -> None:
    """Cut the font (or read the cut kept from an earlier start) so that :func:`served` has it."""
    try:
        for font in (_static() / "media").glob("MaterialSymbols-Rounded.*.woff2"):
            names = wanted_names()
            data = font.read_bytes()
            key = hashlib.sha256(data + "\n".join(sorted(names)).encode()).hexdigest()[:20]
            kept = Path(tempfile.gettempdir()) / f"provdata-icons-{key}.woff2"
            if not kept.exists():
                body = cut(data, names)
                part = kept.with_suffix(f".{threading.get_ident()}.part")
                part.write_bytes(body)
                part.replace(kept)
            with _lock:
                _cut[font.name] = kept.read_bytes()
    except Exception:  # never keep the app from starting: Streamlit's full font goes out instead
        _LOG.exception("could not cut the icon font; Streamlit's full font is served")


def start() -> threading.Thread:
    """:func:`prepare` in a background thread (server.py calls it at start)."""
    thread = threading.Thread(target=prepare, name="provdata-icons", daemon=True)
    thread.start()
    return thread


def served(url: str) -> bytes | None:
    """The cut font for a request of Streamlit's icon font URL, once it is ready; else None."""
    found = URL.fullmatch(url)
    if found is None:
        return None
    with _lock:
        return _cut.get(found.group(1))
