"""The static map (maps.picture): every area drawn in its class's colour, "no data" grey and never zero, pilots
outlined, north up, and a size that stays small at 928 districts. Real figures from the shipped warehouse."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from provdata.views import maps
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse

SVG = "{http://www.w3.org/2000/svg}"
PILOTS = {"62", "60", "61", "18", "16", "17", "15", "14", "25", "26"}


@pytest.fixture(scope="module")
def gpp_2020(real_warehouse) -> pd.DataFrame:
    return queries.year_values(Warehouse(real_warehouse), "gpp_current_mb", 2020)[["area_code", "value"]]


def fills_by_area(svg: str) -> dict[str, str]:
    """Each drawn area's fill colour, read from the SVG as a browser would (the group's fill)."""
    root = ET.fromstring(svg)
    out = {}
    for group in root.iter(f"{SVG}g"):
        for path in group.findall(f"{SVG}path"):
            assert path.get("d"), f"{path.get('id')} is drawn with no outline"
            out[path.get("id")[1:]] = group.get("fill")
    return out


def first_point(svg: str, code: str) -> tuple[int, int]:
    x, y = re.search(rf'id="a{code}" d="M(-?\d+) (-?\d+)', svg).groups()
    return int(x), int(y)


def test_each_province_is_drawn_in_its_class_colour(gpp_2020):
    svg = maps.picture(maps.classes("province", gpp_2020, None), "province", PILOTS)
    fills = fills_by_area(svg)
    assert len(fills) == 77
    # Bangkok's 5,270,460.2 million baht is the largest figure: the darkest class; Mae Hong Son the smallest
    assert fills["10"] == "#253494" and fills["58"] == "#ffffcc"
    # quantile classes: about the same number of provinces in each of the 5 colours
    counts = pd.Series(fills).value_counts()
    assert len(counts) == 5 and counts.min() >= 15 and counts.max() <= 16


def test_missing_figure_is_grey_and_zero_is_a_figure(gpp_2020):
    values = gpp_2020[gpp_2020.area_code != "60"].copy()
    values.loc[values.area_code == "58", "value"] = 0.0
    drawn = maps.classes("province", values, True)
    assert drawn.missing == ["60"]
    fills = fills_by_area(maps.picture(drawn, "province", PILOTS))
    assert fills["60"] == "#d2d2d2"  # no data
    assert fills["58"] == "#ffffcc"  # 0 is the smallest figure, drawn in the first class, not as "no data"
    assert list(fills.values()).count("#d2d2d2") == 1


def test_lower_is_better_reverses_the_colours(gpp_2020):
    fills = fills_by_area(maps.picture(maps.classes("province", gpp_2020, False), "province", set()))
    assert fills["10"] == "#ffffcc" and fills["58"] == "#253494"


def test_pilots_are_outlined_and_north_is_up(gpp_2020):
    svg = maps.picture(maps.classes("province", gpp_2020, None), "province", PILOTS)
    root = ET.fromstring(svg)
    outline = root.find(f"{SVG}path[@id='pilots']")
    assert outline.get("stroke") == "#dc2828" and outline.get("fill") == "none"
    assert outline.get("d").count("M") >= 10  # the 10 pilot provinces' rings
    chiang_rai, songkhla = first_point(svg, "57"), first_point(svg, "90")
    assert chiang_rai[1] < songkhla[1]  # the north is drawn above the south
    # Web Mercator, 640 px high: Thailand is about half as wide as it is high
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    assert root.get("height") == "640" and 0.5 < width / height < 0.6


def test_no_pilots_no_outline(gpp_2020):
    assert 'id="pilots"' not in maps.picture(maps.classes("province", gpp_2020, None), "province", set())


def test_district_map_outlines_the_pilot_provinces_it_shows(real_warehouse):
    values = queries.year_values(Warehouse(real_warehouse), "rice_inseason_production_t", 2015, "district")
    parents = {code[:2] for code in values.area_code}
    drawn = maps.classes("district", values[["area_code", "value"]], True, parents)
    assert set(drawn.areas.parent) == parents == PILOTS
    svg = maps.picture(drawn, "district", PILOTS)
    fills = fills_by_area(svg)
    assert len(fills) == len(drawn.areas) == 93 and set(fills) == set(values.area_code)
    assert ET.fromstring(svg).find(f"{SVG}path[@id='pilots']").get("d").count("M") >= 10


def test_all_928_districts_drawn_in_a_small_picture():
    """Synthetic values (test input only): each district drawn, ≤ 250 KB (0.2 MB measured), a path each."""
    areas = maps.boundaries("district")
    values = pd.DataFrame({"area_code": areas.code, "value": range(len(areas))})
    svg = maps.picture(maps.classes("district", values, True), "district", PILOTS)
    assert len(fills_by_area(svg)) == 928
    assert len(svg.encode()) < 250_000
    assert 'id="pilots"' in svg  # the pilot provinces among the districts' parents are outlined


def test_interactive_district_map_outlines_the_pilot_provinces_too(real_warehouse):
    values = queries.year_values(Warehouse(real_warehouse), "rice_inseason_production_t", 2015, "district")
    drawn = maps.classes("district", values[["area_code", "value"]], True, {c[:2] for c in values.area_code})
    model = maps.choropleth(drawn, "district", {}, {}, "th", PILOTS)
    layers = {layer.id: layer for layer in model.deck.layers}
    assert len(layers["areas"].data["features"]) == 93 == len(model.codes)
    assert len(layers["pilots"].data["features"]) == 10  # the provinces around the districts, as the picture
