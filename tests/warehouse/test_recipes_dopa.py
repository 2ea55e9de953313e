"""DOPA registered population and houses, December 2014-2024 (issue #22): province figures and district figures
summed from DOPA's tambon rows, through data/recipes/dopa_population_houses_psitthirat.toml.

Spot figures are the ones PROVENANCE.md reads by hand; the kingdom rows, a whole year and randomly chosen figures
are read back from the raw workbooks with python-calamine and openpyxl (not the ingest code). The consistency and
hostile-file checks of ``district_from_tambon`` run one recipe over small files made here, not the full build.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from provdata.ingest import ProvinceNames
from provdata.warehouse import queries
from provdata.warehouse.build import Problems
from provdata.warehouse.db import Warehouse
from provdata.warehouse.recipes import produce, read_recipe

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "dopa_population_houses_psitthirat"
FOLDER = ROOT / "data" / "inbox" / SOURCE
YEARS = range(2014, 2025)
#: the workbook's four figure columns (J-M) and the indicator each is loaded as
MEASURES = {9: "population_registered_male", 10: "population_registered_female", 11: "population_registered",
            12: "houses_registered"}  # fmt: skip
GEO_DISTRICTS = set(
    pd.read_json(ROOT / "geo" / "districts.geojson").features.map(lambda f: f["properties"]["district_code"])
)


@pytest.fixture(scope="module")
def wh(real_warehouse):
    con = duckdb.connect(str(real_warehouse), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def dopa(wh) -> pd.DataFrame:
    """Every figure of the source in the warehouse: indicator_id, area_code, level, year, value."""
    return wh.execute(
        "SELECT o.indicator_id, o.area_code, a.level, o.year, o.value FROM observation o "
        "JOIN area a ON a.code = o.area_code WHERE o.source_id = ?",
        [SOURCE],
    ).df()


def figure(con, indicator: str, code: str, year: int):
    return con.execute(
        "SELECT value, source_id FROM observation WHERE indicator_id = ? AND area_code = ? AND year = ?",
        [indicator, code, year],
    ).fetchone()


@functools.cache
def head_rows(year: int) -> list[tuple]:
    """The first three rows of a year's workbook (header, kingdom, Bangkok), read with openpyxl once per module."""
    wb = openpyxl.load_workbook(FOLDER / f"pop_{year}.xlsx", read_only=True)
    try:
        return list(wb["pop"].iter_rows(max_row=3, values_only=True))
    finally:
        wb.close()


# ------------------------------------------------------------------------------ spot figures (PROVENANCE)


@pytest.mark.parametrize(
    ("indicator", "code", "year", "value"),
    [  # PROVENANCE.md "Spot figures" (and the line under the table)
        ("population_registered", "10", 2024, 5455020),  # Bangkok
        ("population_registered", "50", 2021, 1789385),  # Chiang Mai
        ("houses_registered", "38", 2024, 147459),  # Bueng Kan
        ("population_registered", "96", 2022, 814121),  # Narathiwat
        ("houses_registered", "50", 2014, 732313),  # Chiang Mai
        # "Checks done here": DOPA's own stat_a57.txt, Bangkok December 2014
        ("population_registered_male", "10", 2014, 2695519),
        ("population_registered_female", "10", 2014, 2996765),
        ("population_registered", "10", 2014, 5692284),
        ("houses_registered", "10", 2014, 2672423),
    ],
)
def test_spot_figures(wh, indicator, code, year, value):
    assert figure(wh, indicator, code, year) == (value, SOURCE)


def test_each_file_is_december_of_its_year_and_its_kingdom_row_is_as_provenance_says():
    kingdom_2014 = head_rows(2014)[1]
    assert kingdom_2014[2] == "ทั่วประเทศ"
    assert list(kingdom_2014[9:]) == [31999008, 33125708, 65124716, 24091404]  # = stat_a57.txt
    assert head_rows(2024)[1][11] == 65951210
    for year in YEARS:
        header, kingdom, _ = head_rows(year)
        assert header[9:] == (
            "จำนวนประชากรชาย",
            "จำนวนประชากรหญิง",
            "จำนวนประชากรทั้งหมด",
            "จำนวนบ้าน (หลังคาเรือน)",
        )
        assert str(kingdom[0]).lstrip("\ufeff") == f"{(year + 543) % 100}12", year  # BE yymm, December


def test_the_77_provinces_sum_to_the_kingdom_row_every_year(dopa):
    provinces = dopa[dopa.level == "province"]
    sums = provinces.groupby(["year", "indicator_id"]).value.agg(["sum", "count"])
    assert (sums["count"] == 77).all() and len(sums) == 11 * 4
    for year in YEARS:
        kingdom = head_rows(year)[1]
        for column, indicator in MEASURES.items():
            assert sums.loc[(year, indicator), "sum"] == kingdom[column], (year, indicator)


# ------------------------------------------------------------------------------ districts


def test_district_figures_add_up_exactly_to_the_province_rows(dopa):
    districts = dopa[dopa.level == "district"]
    summed = districts.groupby([districts.area_code.str[:2], "year", "indicator_id"]).value.sum()
    provinces = dopa[dopa.level == "province"].set_index(["area_code", "year", "indicator_id"]).value
    summed.index = summed.index.set_names(provinces.index.names)
    assert len(provinces) == 77 * 11 * 4
    pd.testing.assert_series_equal(summed.sort_index(), provinces.sort_index(), check_names=False)


def test_all_928_districts_of_the_boundaries_have_every_figure_every_year(dopa, wh):
    districts = dopa[dopa.level == "district"]
    assert set(districts.area_code) == GEO_DISTRICTS and len(GEO_DISTRICTS) == 928
    per = districts.groupby(["indicator_id", "year"]).area_code.nunique()
    assert (per == 928).all() and len(per) == 4 * 11
    # the district table of the warehouse is the boundaries' (no tambon code named a district it lacks)
    assert set(wh.execute("SELECT code FROM area WHERE level = 'district'").df().code) == GEO_DISTRICTS


def test_the_district_figures_of_a_year_equal_a_calamine_reading_of_the_tambon_rows(dopa):
    """2024 in full: every province row and every district's sum of its tambon rows (not the office rows)."""
    rows = CalamineWorkbook.from_path(str(FOLDER / "pop_2024.xlsx")).get_sheet_by_name("pop").to_python()
    want = {}
    for r in rows[1:]:
        province, office, tambon = int(r[1]), int(r[3]), int(r[5])
        if province and not office:
            area = f"{province:02d}"
        elif tambon:
            area = str(tambon)[:4]
        else:
            continue  # the kingdom row and the registration-office rows
        for column, indicator in MEASURES.items():
            want[(indicator, area)] = want.get((indicator, area), 0) + r[column]
    got = dopa[dopa.year == 2024].set_index(["indicator_id", "area_code"]).value.to_dict()
    assert len(want) == (77 + 928) * 4
    assert got == want


def test_a_randomly_chosen_figure_equals_the_raw_file(wh):
    """Figures no test names: a random year, three provinces and three districts of it, all four measures, re-read
    from the workbook with openpyxl (the chosen ones are in the failure message)."""
    pick = random.Random()
    year = pick.choice(list(YEARS))
    wb = openpyxl.load_workbook(FOLDER / f"pop_{year}.xlsx", read_only=True)
    rows = list(wb["pop"].iter_rows(min_row=2, values_only=True))
    wb.close()
    provinces = pick.sample(sorted({r[1] for r in rows if r[1]}), 3)
    districts = pick.sample(sorted({str(r[5])[:4] for r in rows if r[5]}), 3)
    for code in provinces:
        row = next(r for r in rows if r[1] == code and r[3] == 0)
        for column, indicator in MEASURES.items():
            got = figure(wh, indicator, f"{code:02d}", year)
            assert got == (row[column], SOURCE), (year, code, indicator)
    for code in districts:
        for column, indicator in MEASURES.items():
            total = sum(r[column] for r in rows if r[5] and str(r[5])[:4] == code)
            assert figure(wh, indicator, code, year) == (total, SOURCE), (year, code, indicator)


def test_the_map_draws_registered_population_2024_in_every_district(wh, real_warehouse):
    from provdata.views import maps

    values = queries.year_values(Warehouse(real_warehouse), "population_registered", 2024, "district")
    drawn = maps.classes("district", values[["area_code", "value"]], None)
    assert len(drawn.areas) == 928 and drawn.missing == []  # no district drawn as "no data"
    assert len(drawn.legend.labels) == 5


def test_the_map_page_offers_population_by_district(real_warehouse, use_warehouse):
    from tests.conftest import open_page

    use_warehouse(real_warehouse)
    at = open_page(
        "pages/map.py", indicator="population_registered", level="district", year="2024", lang="en"
    )
    assert not at.error, [e.value for e in at.error]
    assert (at.session_state["level"], at.session_state["year"]) == ("district", "2024")
    assert at.expander[0].label == "Figures behind the map: 928 areas"  # every district of the boundaries
    captions = [c.value for c in at.caption]
    assert (
        "Figures of 2024 · out of date: overdue since 1 Feb 2026" in captions
    )  # 2025 was due by 31 Jan 2026
    assert any(c.startswith("Source: DOPA. Years: 2024") for c in captions)


# ------------------------------------------------------------------------------ the series it extends


def test_population_registered_runs_to_2024_and_agrees_with_the_seed_copies(wh):
    years = dict(wh.execute(
        "SELECT year, string_agg(DISTINCT source_id) FROM observation o JOIN area a ON a.code = o.area_code "
        "WHERE indicator_id = 'population_registered' AND a.level = 'province' GROUP BY year"
    ).fetchall())  # fmt: skip
    assert sorted(years) == list(range(2002, 2025))
    assert {years[y] for y in range(2014, 2025)} == {SOURCE}
    assert years[2011] == years[2013] == "dopa_pop_senior_spatial"
    # the seed copies of 2014-2020 (539 province-years) are the same figures: no conflict, nothing listed
    seed = pd.read_csv(ROOT / "data/seed/observations.csv", dtype={"province_code": str})
    seed = seed[(seed.indicator_id == "population_registered") & seed.year.between(2014, 2020)]
    assert len(seed) == 539
    for r in seed.itertuples():
        assert figure(wh, "population_registered", r.province_code, r.year) == (r.value, SOURCE)
    assert wh.execute(
        "SELECT count(*) FROM recipe_cell WHERE indicator_id LIKE 'population_registered%' OR source_id = ?",
        [SOURCE],
    ).fetchone() == (0,)
    assert wh.execute("SELECT source_ids FROM indicator WHERE id = 'population_registered'").fetchone() == (
        f"{SOURCE};dopa_pop_senior_spatial;dopa_pop_prasertcbs",
    )


def test_new_indicators_are_first_class(wh):
    rows = wh.execute(
        "SELECT i.id, i.name_en, i.name_th, i.unit_en, i.unit_th, i.theme, i.kind, i.higher_is_better, i.agency_id, "
        "s.license FROM indicator i JOIN source s ON s.id = i.source_ids WHERE s.id = ? ORDER BY i.id",
        [SOURCE],
    ).fetchall()
    licence = "MIT (repository); DOPA registration statistics are published openly by the government"
    assert rows == [
        ("houses_registered", "Registered houses", "จำนวนบ้านตามทะเบียนราษฎร", "houses", "หลัง", "population",
         "stock", None, "dopa", licence),
        ("population_registered_female", "Registered population, female", "ประชากรตามทะเบียนราษฎร หญิง", "persons",
         "คน", "population", "stock", None, "dopa", licence),
        ("population_registered_male", "Registered population, male", "ประชากรตามทะเบียนราษฎร ชาย", "persons", "คน",
         "population", "stock", None, "dopa", licence),
    ]  # fmt: skip
    definitions = dict(wh.execute(
        "SELECT id, definition_en || ' | ' || definition_th || ' | ' || aggregation FROM indicator "
        "WHERE id LIKE 'population_registered%' OR id = 'houses_registered'"
    ).fetchall())  # fmt: skip
    assert "Caveat: Registered house numbers" in definitions["houses_registered"]
    assert "not households" in definitions["houses_registered"]
    for iid in ("population_registered", "population_registered_male", "population_registered_female"):
        assert "de jure" in definitions[iid] and "Caveat: " in definitions[iid], iid
    for iid, text in definitions.items():
        assert "the sum of DOPA's tambon rows of the district" in text, iid
        assert "ข้อควรระวัง" in text, iid


def test_the_release_calendar_dates_the_next_figure(wh, real_warehouse):
    wh_ = Warehouse(real_warehouse)
    assert wh.execute(
        "SELECT periodicity, lag_months FROM release_calendar WHERE source_id = ?", [SOURCE]
    ).fetchone() == ("annual", 1)
    for indicator in MEASURES.values():
        # 31 December 2025 is announced by the end of January 2026: overdue on 6 December 2026 …
        late = queries.calendar(wh_, dt.date(2026, 12, 6)).assess(indicator, 2024)
        assert (late.state, late.missing, late.overdue_since) == ("out_of_date", (2025,), dt.date(2026, 2, 1))
        # … and not yet due on 15 January 2026
        early = queries.calendar(wh_, dt.date(2026, 1, 15)).assess(indicator, 2024)
        assert (early.state, early.next_year, early.next_due) == ("current", 2025, dt.date(2026, 1, 31))


# ------------------------------------------------------------------------------ district_from_tambon, hostile files

HEADER = "ปีเดือน,รหัสจังหวัด,ชื่อจังหวัด,รหัสสำนักทะเบียน,ชื่อสำนักทะเบียน,รหัสตำบล,ชื่อตำบล,ชาย,หญิง\n"
GOOD = [
    "6712,0,ทั่วประเทศ,0,-,0,-,30,33",
    "6712,50,จังหวัดเชียงใหม่,0,-,0,-,30,33",
    "6712,50,จังหวัดเชียงใหม่,5001,อำเภอเมืองเชียงใหม่,0,-,10,11",
    "6712,50,จังหวัดเชียงใหม่,5001,อำเภอเมืองเชียงใหม่,50010100,ตำบลศรีภูมิ,10,11",
    "6712,50,จังหวัดเชียงใหม่,5099,ท้องถิ่นเทศบาลนครเชียงใหม่,0,-,20,22",
    "6712,50,จังหวัดเชียงใหม่,5099,ท้องถิ่นเทศบาลนครเชียงใหม่,50010100,ตำบลศรีภูมิ,5,6",
    "6712,50,จังหวัดเชียงใหม่,5099,ท้องถิ่นเทศบาลนครเชียงใหม่,50020200,ตำบลช่างเคิ่ง,15,16",
]
RECIPE = """[source]
id = "test_tambon"
agency = "dopa"
title_en = "t"
title_th = "t"
upstream = "t"
license = "none stated"

[[file]]
path = "pop.csv"
sha256 = "{sha}"
year = 2024
map = ["ปีเดือน=skip", "รหัสจังหวัด=skip", "ชื่อจังหวัด=province", "รหัสสำนักทะเบียน=skip", "รหัสตำบล=skip", "ชาย=population_registered_male", "หญิง=population_registered_female"]
where = ["รหัสสำนักทะเบียน=0"]
district_from_tambon = "รหัสตำบล"
"""


def run_tambon_recipe(tmp_path: Path, lines: list[str]) -> tuple[pd.DataFrame, list[str]]:
    import hashlib

    data = (HEADER + "\n".join(lines) + "\n").encode("utf-8")
    (tmp_path / "test_tambon").mkdir(exist_ok=True)
    (tmp_path / "test_tambon" / "pop.csv").write_bytes(data)
    path = tmp_path / "test_tambon.toml"
    path.write_text(RECIPE.format(sha=hashlib.sha256(data).hexdigest()), encoding="utf-8")
    problems = Problems()
    recipe = read_recipe(path, problems)
    indicators = pd.DataFrame({"id": list(MEASURES.values()), "kind": "stock", "agency_id": "dopa"})
    rows, _, _ = produce(recipe, recipe.files[0], tmp_path, ProvinceNames(), indicators, {"50"}, problems,
                         {"5001", "5002"})  # fmt: skip
    return rows, problems.items


def test_districts_are_sums_of_tambon_rows_not_of_office_rows(tmp_path):
    rows, problems = run_tambon_recipe(tmp_path, GOOD)
    assert problems == []
    got = {(r.province_code, r.indicator_id): r.value for r in rows.itertuples()}
    assert got == {
        ("50", "population_registered_male"): 30, ("50", "population_registered_female"): 33,
        ("5001", "population_registered_male"): 15, ("5001", "population_registered_female"): 17,  # 10 + 5, 11 + 6
        ("5002", "population_registered_male"): 15, ("5002", "population_registered_female"): 16,
    }  # fmt: skip


def test_districts_that_do_not_add_up_to_the_province_stop_the_build(tmp_path):
    lines = [*GOOD[:-1], "6712,50,จังหวัดเชียงใหม่,5099,ท้องถิ่นเทศบาลนครเชียงใหม่,50020200,ตำบลช่างเคิ่ง,14,16"]
    rows, problems = run_tambon_recipe(tmp_path, lines)
    assert set(rows.province_code) == {"50"}  # no district figure (and the problem stops the build)
    assert len(problems) == 1
    assert problems[0].endswith(
        "test_tambon.toml: recipe test_tambon.toml: file test_tambon/pop.csv: province 50 2024 "
        "population_registered_male: districts sum to 29, the province row (row 3) says 30: the tambon rows do not "
        "add up to the province, so no district figure is loaded"
    )


def test_a_tambon_of_an_unknown_district_is_named_not_dropped(tmp_path):
    lines = [*GOOD[:-1], "6712,50,จังหวัดเชียงใหม่,5099,ท้องถิ่นเทศบาลนครเชียงใหม่,50270100,ตำบลใหม่,15,16"]
    rows, problems = run_tambon_recipe(tmp_path, lines)
    assert set(rows.province_code) == {"50"}
    prefix = (
        "recipe test_tambon.toml: file test_tambon/pop.csv (district figures), sheet 'pop.csv' row 8, column "
    )
    assert len(problems) == 2 and all(prefix in p for p in problems)
    assert problems[0].endswith(
        "row 8, column H “ชาย”: '15': district 5027 is not in this warehouse's areas (geo/districts.geojson): a "
        "district created after the boundaries is added there first"
    )


@pytest.mark.parametrize(
    ("tambon", "cell", "reason"),
    [
        ("60010100", "15", "tambon 60010100 is not in the row's province 'จังหวัดเชียงใหม่' (50)"),
        ("5002020", "15", "'5002020' is not a tambon code (8 digits as DOPA writes it, or 6)"),
        ("50020200", "", "blank in a tambon row: a district's sum needs every tambon's figure"),
        ("50020200", "=SUM(H2:H3)", "a spreadsheet formula, not a number: paste values only"),
    ],
)
def test_a_bad_tambon_row_is_named(tmp_path, tambon, cell, reason):
    lines = [*GOOD[:-1], f"6712,50,จังหวัดเชียงใหม่,5099,ท้องถิ่นเทศบาลนครเชียงใหม่,{tambon},ตำบลช่างเคิ่ง,{cell},16"]
    _, problems = run_tambon_recipe(tmp_path, lines)
    assert any("(district figures), sheet 'pop.csv' row 8, column " in p and reason in p for p in problems), (
        problems
    )


def test_a_recipe_extending_a_shipped_indicator_must_be_in_its_precedence(tmp_path):
    from provdata.warehouse.recipes import recipe_tables

    run_tambon_recipe(tmp_path, GOOD)  # writes the recipe
    problems = Problems()
    recipe = read_recipe(tmp_path / "test_tambon.toml", problems)
    seed = {iid: ["dopa_pop_senior_spatial"] for iid in MEASURES.values()}
    recipe_tables([recipe], {"dopa"}, {"population"}, set(seed), problems, seed)
    assert [p.split(": ", 1)[1] for p in problems.items] == [
        "recipes ['test_tambon'] give figures of a shipped indicator whose sources (data/seed/indicators.csv, in "
        "order of precedence) are ['dopa_pop_senior_spatial']: name each recipe there, the more precise copy first"
    ] * 2
    assert sorted(p.split(": ", 1)[0].rsplit("column ", 1)[1] for p in problems.items) == [
        "population_registered_female", "population_registered_male"
    ]  # fmt: skip


def test_a_seed_figure_that_differs_from_the_recipe_copy_is_listed_not_mixed():
    from provdata.warehouse.precedence import SEED, resolve

    key = {"indicator_id": "population_registered", "area_code": "60", "year": 2020}
    seed = pd.DataFrame([{**key, "value": 1040308.0, "source_id": "dopa_pop_senior_spatial", "load_id": 1,
                          "file": "data/seed/observations.csv", "recipe": SEED}])  # fmt: skip
    dopa = pd.DataFrame([{**key, "value": 1040309.0, "source_id": SOURCE, "load_id": 3, "recipe": "r.toml",
                          "file": "pop_2020.xlsx", "sheet": "pop", "row": 7000, "column": "L"}])  # fmt: skip
    kept, report = resolve([seed, dopa], {"population_registered": [SOURCE, "dopa_pop_senior_spatial"]})
    assert kept[["value", "source_id"]].values.tolist() == [[1040309.0, SOURCE]]
    assert report[["outcome", "source_id", "value", "kept_value", "recipe", "file"]].values.tolist() == [
        ["rounding", "dopa_pop_senior_spatial", 1040308.0, 1040309.0, SEED, "data/seed/observations.csv"]
    ]
