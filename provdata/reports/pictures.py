"""Charts as pictures: an Altair chart rendered to PNG by vl-convert, with Sarabun registered for Thai."""

from __future__ import annotations

from functools import cache

import altair as alt


def png_bytes(chart: alt.TopLevelMixin) -> bytes:
    """An Altair chart as PNG (vl-convert, Sarabun registered), for PDF, HTML and PowerPoint."""
    import vl_convert as vlc

    _fonts()
    return vlc.vegalite_to_png(chart.to_dict(), scale=2)


@cache
def _fonts() -> None:
    import vl_convert as vlc

    from provdata.reports.pdf import FONT_DIR

    vlc.register_font_directory(str(FONT_DIR))


def svg_text(spec: dict) -> str:
    """A Vega-Lite spec as an SVG document (vl-convert, Sarabun registered for measuring text)."""
    import vl_convert as vlc

    _fonts()
    return vlc.vegalite_to_svg(spec)
