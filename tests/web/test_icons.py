"""Streamlit's icon font cut down to the icons the app can show (provdata/ui/icons.py, issue #24)."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from provdata.ui import icons
from tests.web.test_assets import fetch


def ligature_names(font: bytes) -> set[str]:
    tt = TTFont(io.BytesIO(font))
    letters = {glyph: chr(code) for code, glyph in tt.getBestCmap().items() if code < 0x80}
    names = set()
    for lookup in tt["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            table = getattr(table, "ExtSubTable", table)
            for first, ligatures in getattr(table, "ligatures", {}).items():
                names |= {"".join(letters[g] for g in [first, *lig.Component]) for lig in ligatures}
    return names


def streamlit_font() -> Path:
    return next((icons._static() / "media").glob("MaterialSymbols-Rounded.*.woff2"))


def test_the_names_kept_are_streamlits_and_the_apps_icons():
    names = icons.wanted_names()
    # Streamlit's sidebar arrows and full-screen button, the app's page icons (provdata/ui/nav.py)
    assert {"keyboard_double_arrow_right", "fullscreen", "account_tree", "location_city"} <= names


@pytest.mark.slow  # cutting the whole font takes ~12 s of CPU; this cuts it to two icons
def test_the_cut_font_spells_only_the_names_asked_for():
    full = streamlit_font().read_bytes()
    assert {"account_tree", "fullscreen", "android_cell_dual_4_bar_alert"} <= ligature_names(full)
    small = icons.cut(full, {"account_tree", "fullscreen"})
    assert ligature_names(small) == {"account_tree", "fullscreen"}
    assert len(small) < 10_000 < len(full)


def test_only_streamlits_icon_font_url_is_answered():
    font = streamlit_font().name
    icons._cut[font] = b"cut"
    try:
        assert icons.served(f"/static/media/{font}") == b"cut"
        assert icons.served(f"/static/media/{font}/x") is None
        assert icons.served("/static/media/SourceSansVF-Upright.ttf.BsWL4Kly.woff2") is None
    finally:
        del icons._cut[font]


@pytest.mark.slow
def test_the_app_serves_the_cut_font_once_ready(served_app):
    url = f"{served_app}/static/media/{streamlit_font().name}"
    deadline = time.monotonic() + 120  # cut in the background at start (or read from the temp folder)
    while len(body := fetch(url)[2]) > 200_000 and time.monotonic() < deadline:
        time.sleep(1)
    status, headers, body = fetch(url)
    assert status == 200 and headers["content-type"] == "font/woff2" and len(body) < 100_000
    assert headers["cache-control"] == "public, immutable, max-age=31536000"
    assert {"keyboard_double_arrow_right", "fullscreen", "account_tree"} <= ligature_names(body)
