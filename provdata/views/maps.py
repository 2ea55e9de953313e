"""Choropleth maps: boundaries from geo/ (simplified once), values joined on codes, quantile classes,
a legend, pilots outlined, "no data" drawn apart from zero. Draws them as a static SVG picture (shown first:
fast) or as an interactive pydeck Deck (no basemap tiles)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache

import geopandas as gpd
import pandas as pd
import pydeck as pdk
import shapely
from pydeck.bindings.json_tools import default_serialize
from shapely.geometry import mapping

from provdata.basics import config
from provdata.basics.i18n import fmt_value
from provdata.views.analysis import class_breaks, classify

#: Simplification tolerance in degrees per level (topology preserved; ~550 m: under a pixel when the whole
#: country is on screen, about two pixels when one province fills the map).
TOLERANCE = {"province": 0.005, "district": 0.005}
#: Coordinates are snapped to this grid (degrees; ~110 m), which keeps the numbers in the map's JSON short.
GRID = 0.001
#: ColorBrewer YlGnBu, 5 classes (colour-blind safe, prints in grey); reversed for lower-is-better.
PALETTE = [(255, 255, 204), (161, 218, 180), (65, 182, 196), (44, 127, 184), (37, 52, 148)]
NO_DATA = (210, 210, 210)
PILOT_LINE = (220, 40, 40)


@cache
def boundaries(level: str) -> gpd.GeoDataFrame:
    """Province or district polygons with ``code``, ``parent``, ``name_th``, ``name_en``; simplified once."""
    if level not in TOLERANCE:
        raise ValueError(f"unknown level {level!r}")
    path = config.GEO_DIR / ("provinces.geojson" if level == "province" else "districts.geojson")
    gdf = gpd.read_file(path)
    code = "province_code" if level == "province" else "district_code"
    gdf = gdf.rename(columns={code: "code"})
    gdf["parent"] = gdf["province_code"] if level == "district" else None
    # Simplify, then snap to the grid: the map payload shrinks several-fold (928 districts: 8 MB → 0.6 MB).
    gdf["geometry"] = shapely.set_precision(
        gdf.geometry.simplify(TOLERANCE[level], preserve_topology=True).values, GRID
    )
    return (
        gdf[["code", "parent", "name_th", "name_en", "geometry"]].sort_values("code").reset_index(drop=True)
    )


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation: pydeck indents by 2, which doubles a map's payload."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


class WrittenDeck(pdk.Deck):
    """A deck already written as JSON, sent as that text: a cached map is not serialised again on each run.

    st.pydeck_chart asks a deck only for ``to_json()`` and its tooltip."""

    def __init__(self, deck: pdk.Deck):
        super().__init__(layers=[], map_provider=None, map_style=None, tooltip=deck._tooltip)
        self.text = deck.to_json()

    def to_json(self) -> str:
        return self.text


@cache
def _shapes(level: str) -> dict[str, dict]:
    """Each area's GeoJSON geometry, made once per level (rather than per map drawn)."""
    gdf = boundaries(level)
    return {code: mapping(geometry) for code, geometry in zip(gdf.code, gdf.geometry, strict=True)}


@dataclass(frozen=True)
class Legend:
    labels: list[str]  # one per class, e.g. "1,234 – 5,678"
    colors: list[tuple[int, int, int]]
    no_data_color: tuple[int, int, int] = NO_DATA


def legend_for(breaks: list[float], low: float | None, palette: list[tuple[int, int, int]]) -> Legend:
    labels, lower = [], low
    for upper in breaks:
        labels.append(f"{fmt_value(lower)} – {fmt_value(upper)}")
        lower = upper
    return Legend(labels, palette[: len(breaks)])


def palette_for(higher_is_better: bool | None, k: int) -> list[tuple[int, int, int]]:
    colors = PALETTE[:k] if k <= len(PALETTE) else PALETTE
    return list(reversed(colors)) if higher_is_better is False else colors


@dataclass(frozen=True)
class MapModel:
    deck: pdk.Deck
    codes: list[str]  # feature order of the choropleth layer (selection index → code)


@dataclass(frozen=True)
class Classes:
    """The areas a choropleth draws (its level's boundaries, restricted), each area's fill and the legend."""

    areas: gpd.GeoDataFrame
    fills: list[tuple[int, int, int]]  # one per row of ``areas``; NO_DATA where the area has no figure
    legend: Legend
    missing: list[str]  # codes drawn as "no data"


def classes(
    level: str, values: pd.DataFrame, higher_is_better: bool | None, restrict_to: set[str] | None = None
) -> Classes:
    """Quantile classes of ``values`` (``area_code``, ``value``) over the level's boundaries.

    ``restrict_to`` keeps those areas and the areas whose parent is in it. An area without a value is "no
    data" (grey), never zero."""
    gdf = boundaries(level)
    if restrict_to is not None:
        gdf = gdf[gdf.code.isin(restrict_to) | gdf.parent.isin(restrict_to)]
    by_code = dict(zip(values["area_code"], values["value"], strict=True))
    breaks = class_breaks(list(by_code.values()))
    palette = palette_for(higher_is_better, len(breaks))
    fills, missing = [], []
    for code in gdf.code:
        v = by_code.get(code)
        cls = None if v is None or (isinstance(v, float) and math.isnan(v)) else classify(v, breaks)
        fills.append(palette[cls] if cls is not None else NO_DATA)
        if cls is None:
            missing.append(code)
    low = min(by_code.values()) if by_code else None
    return Classes(gdf, fills, legend_for(breaks, low, palette), missing)


def choropleth(
    drawn: Classes,
    level: str,
    ranks: dict[str, str],
    tooltip_lines: dict[str, str],
    lang: str,
    pilots: set[str],
) -> MapModel:
    """The interactive (pydeck) choropleth of ``drawn`` (see ``classes``).

    ``tooltip_lines[code]`` is the prepared hover text (value with unit, year, rank); areas without a
    value are drawn in grey and say "no data" — never as zero.
    """
    gdf = drawn.areas
    features, codes = [], []
    shapes = _shapes(level)
    for row, color in zip(gdf.itertuples(index=False), drawn.fills, strict=True):
        name = row.name_th if lang == "th" else row.name_en
        features.append(
            {
                "type": "Feature",
                "geometry": shapes[row.code],
                "properties": {
                    "code": row.code,
                    "name": name,
                    "other_name": row.name_en if lang == "th" else row.name_th,
                    "detail": tooltip_lines.get(row.code, ""),
                    "rank": ranks.get(row.code, ""),
                    "fill": [*color, 235],
                },
            }
        )
        codes.append(row.code)
    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            id="areas",
            data={"type": "FeatureCollection", "features": features},
            pickable=True,
            stroked=True,
            filled=True,
            get_fill_color="properties.fill",
            get_line_color=[255, 255, 255],
            line_width_min_pixels=0.5,
            auto_highlight=True,
        )
    ]
    pilot_features = [
        {"type": "Feature", "geometry": mapping(geometry), "properties": {}}
        for geometry in pilot_outlines(drawn, level, pilots)
    ]
    if pilot_features:
        layers.append(
            pdk.Layer(
                "GeoJsonLayer",
                id="pilots",
                data={"type": "FeatureCollection", "features": pilot_features},
                pickable=False,
                stroked=True,
                filled=False,
                get_line_color=list(PILOT_LINE),
                line_width_min_pixels=2.5,
            )
        )
    minx, miny, maxx, maxy = gdf.total_bounds
    view = pdk.ViewState(
        longitude=(minx + maxx) / 2, latitude=(miny + maxy) / 2, zoom=_zoom(maxx - minx, maxy - miny)
    )
    deck = CompactDeck(  # no map_style: pydeck's default means no basemap; None makes Streamlit fetch Carto's
        layers=layers,
        initial_view_state=view,
        map_provider=None,
        tooltip={
            "html": "<b>{name}</b> <span>{other_name}</span><br/>{detail}<br/>{rank}",
            "style": {"fontFamily": "Sarabun, sans-serif", "fontSize": "14px"},
        },
    )
    return MapModel(deck, codes)


def pilot_outlines(drawn: Classes, level: str, pilots: set[str]) -> list:
    """The pilot provinces' outlines among the drawn areas: the areas themselves on a province map, the
    provinces around them on a district map."""
    if level == "district":
        provinces = boundaries("province")
        return list(provinces[provinces.code.isin(pilots & set(drawn.areas.parent))].geometry)
    return list(drawn.areas[drawn.areas.code.isin(pilots)].geometry)


#: The static map's height in CSS pixels; its drawing units are half-pixels (integers, so the text is short).
PICTURE_HEIGHT = 640
_UNITS_PER_PX = 2


def picture(drawn: Classes, level: str, pilots: set[str], height: int = PICTURE_HEIGHT) -> str:
    """The choropleth as one SVG document (Web Mercator, as the interactive map): a group per class, a path
    per area (``id="a<code>"``), white borders, pilot provinces outlined in red (on a district map too).
    0.18 MB for 928 districts (42 KB gzipped); the browser shows it as an image sooner than any WebGL map
    can start (issue #13: drawn ≤ 2 s after navigation)."""
    gdf = drawn.areas
    if gdf.empty:
        raise ValueError("no areas to draw")
    outlined = pilot_outlines(drawn, level, pilots)
    minx, miny, maxx, maxy = gdf.total_bounds
    top, bottom = _mercator_y(maxy), _mercator_y(miny)
    scale = height * _UNITS_PER_PX / (top - bottom)
    width = max(1, round(math.radians(maxx - minx) * scale))

    def project(coords) -> list[tuple[int, int]]:
        xs = [(math.radians(x - minx) * scale) for x, _ in coords]
        ys = [(top - _mercator_y(y)) * scale for _, y in coords]
        return [(round(x), round(y)) for x, y in zip(xs, ys, strict=True)]

    by_fill: dict[tuple[int, int, int], list[str]] = {}
    for code, geometry, fill in zip(gdf.code, gdf.geometry, drawn.fills, strict=True):
        by_fill.setdefault(fill, []).append(f'<path id="a{code}" d="{_path(geometry, project)}"/>')
    outlines = "".join(_path(geometry, project) for geometry in outlined)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height * _UNITS_PER_PX}" '
        f'width="{width / _UNITS_PER_PX:g}" height="{height}">',
        '<g stroke="#fff" stroke-width="1" stroke-linejoin="round" fill-rule="evenodd">',
        *(f'<g fill="{_hex(fill)}">{"".join(paths)}</g>' for fill, paths in by_fill.items()),
        "</g>",
    ]
    if outlines:
        parts.append(
            f'<path id="pilots" fill="none" stroke="{_hex(PILOT_LINE)}" stroke-width="5" d="{outlines}"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _hex(color: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*color)


def _path(geometry, project) -> str:
    """SVG path data of a (multi)polygon: each ring moved to, then relative integer steps (repeats dropped)."""
    polygons = geometry.geoms if geometry.geom_type == "MultiPolygon" else [geometry]
    out = []
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            points = project(ring.coords)
            steps, (px, py) = [], points[0]
            for x, y in points[1:]:
                if (x, y) != (px, py):
                    steps.append(f"{x - px} {y - py}")
                    px, py = x, y
            if len(steps) >= 2:
                out.append(f"M{points[0][0]} {points[0][1]}l{' '.join(steps)}z")
    return "".join(out)


def _zoom(width_deg: float, height_deg: float, width_px: int = 900, height_px: int = 620) -> float:
    """The web-mercator zoom that fits the bounds in a map of about width_px × height_px."""
    fit_h = math.log2(height_px * 360 / (max(height_deg, 0.01) * 512))
    fit_w = math.log2(width_px * 360 / (max(width_deg, 0.01) * 512))
    return max(3.0, min(11.0, min(fit_h, fit_w) - 0.15))
