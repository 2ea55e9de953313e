"""Recipes: the agencies' raw files (data/inbox/) replayed through the upload path into the warehouse.

Spot figures are the ones each PROVENANCE.md reads from its raw file; every recipe's rows are compared with an
independent reading of the file (pandas for CSV, python-calamine cell reads for Excel), not the ingest code.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from provdata.basics import config
from provdata.basics.errors import BuildError
from provdata.ingest import ProvinceNames
from provdata.warehouse.build import Inputs, Problems, build_warehouse
from provdata.warehouse.recipes import produce, read_recipes, recipe_tables

ROOT = Path(__file__).resolve().parents[2]
INBOX = ROOT / "data" / "inbox"
RECIPES = ROOT / "data" / "recipes"
GEO = pd.read_csv(ROOT / "geo" / "provinces.csv", dtype=str)
CODE_OF_TH = dict(zip(GEO.name_th, GEO.province_code, strict=True))
DISTRICTS = set(
    pd.read_json(ROOT / "geo" / "districts.geojson").features.map(lambda f: f["properties"]["district_code"])
)


@pytest.fixture(scope="module")
def wh(real_warehouse):
    con = duckdb.connect(str(real_warehouse), read_only=True)
    yield con
    con.close()


def figure(con, indicator: str, code: str, year: int):
    row = con.execute(
        "SELECT value, source_id FROM observation WHERE indicator_id = ? AND area_code = ? AND year = ?",
        [indicator, code, year],
    ).fetchone()
    return row


# ------------------------------------------------------------------------------ spot figures (PROVENANCE)


@pytest.mark.parametrize(
    ("indicator", "code", "year", "value", "source"),
    [
        # dopa_births_pnithida/PROVENANCE.md "Spot figures"
        ("births_registered_total", "60", 2019, 7034, "dopa_births_pnithida"),
        ("births_registered_total", "61", 2021, 2124, "dopa_births_pnithida"),
        ("births_registered_total", "62", 2010, 5948, "dopa_births_pnithida"),
        ("births_registered_total", "18", 1993, 3194, "dopa_births_pnithida"),
        ("births_registered_total", "38", 2011, 3995, "dopa_births_pnithida"),
        ("births_registered_total", "10", 1998, 89082, "dopa_births_pnithida"),  # the flagged dip, kept
        # nso_ses_statbbi_pnithida/PROVENANCE.md
        ("ses_income_hh_monthly", "60", 2019, 22137, "nso_ses_statbbi_pnithida"),
        ("ses_income_hh_monthly", "18", 2009, 18719.17311, "nso_ses_statbbi_pnithida"),
        ("ses_income_hh_monthly", "38", 2013, 20207, "nso_ses_statbbi_pnithida"),
        ("ses_expenditure_hh_monthly", "61", 2016, 17806.22, "nso_ses_statbbi_pnithida"),
        ("ses_expenditure_hh_monthly", "16", 2021, 21324.54, "nso_ses_statbbi_pnithida"),
        # nso_ses_datagoth_ganbettane/PROVENANCE.md: the years only this copy has
        ("ses_income_hh_monthly", "60", 1998, 9500, "nso_ses_datagoth_ganbettane"),
        ("ses_income_hh_monthly", "61", 2002, 6519, "nso_ses_datagoth_ganbettane"),
        ("ses_expenditure_hh_monthly", "10", 2008, 31199, "nso_ses_datagoth_ganbettane"),
        ("ses_expenditure_hh_monthly", "18", 2011, 17392, "nso_ses_datagoth_ganbettane"),
        # nso_ses_debt_neesinml/PROVENANCE.md
        ("ses_households_in_debt_pct", "60", 2023, 50.3, "nso_ses_debt_neesinml"),
        ("ses_debt_per_household", "60", 2023, 152664, "nso_ses_debt_neesinml"),
        ("ses_income_hh_monthly", "60", 2023, 23139, "nso_ses_debt_neesinml"),
        ("ses_expenditure_hh_monthly", "60", 2023, 17559, "nso_ses_debt_neesinml"),
        ("ses_households_in_debt_pct", "18", 2021, 58.9, "nso_ses_debt_neesinml"),
        ("ses_debt_per_household", "18", 2021, 278101, "nso_ses_debt_neesinml"),
        ("ses_households_in_debt_pct", "61", 2015, 68.2, "nso_ses_debt_neesinml"),
        ("ses_debt_per_household", "61", 2015, 194462, "nso_ses_debt_neesinml"),
        ("ses_households_in_debt_pct", "83", 2023, 53.8, "nso_ses_debt_neesinml"),
        ("ses_debt_per_household", "83", 2023, 424977, "nso_ses_debt_neesinml"),
        ("ses_households_in_debt_pct", "38", 2015, 78.3, "nso_ses_debt_neesinml"),
        ("ses_debt_per_household", "38", 2015, 257989, "nso_ses_debt_neesinml"),
        # oae_landuse_forest_oui121/PROVENANCE.md "Spot figures" (file 2, combined sheet 36-57)
        ("agricultural_land_rai", "60", 1993, 4306072, "oae_landuse_1993_2014_oui121"),
        ("farm_holdings", "60", 1993, 106393, "oae_landuse_1993_2014_oui121"),
        # a year both files hold: the same figure, file 1 first in the precedence
        ("agricultural_land_rai", "60", 2013, 4381124, "oae_landuse_forest_oui121"),
        # read from the raw files: sheet 36-57 rows 598 and 444 (2557, preliminary); file 1 sheet 45 row 17
        ("agricultural_land_rai", "38", 2014, 1258163, "oae_landuse_1993_2014_oui121"),
        ("farm_holdings", "38", 2014, 55363, "oae_landuse_1993_2014_oui121"),
        ("farm_holdings", "60", 2014, 99338, "oae_landuse_1993_2014_oui121"),
        ("farm_holdings", "62", 2002, 68934, "oae_landuse_forest_oui121"),
    ],
)
def test_spot_figures_from_provenance(wh, indicator, code, year, value, source):
    assert figure(wh, indicator, code, year) == (value, source)


def test_the_more_precise_copy_wins_and_the_other_is_reported(wh):
    # Chai Nat 2021 income: statbbi 23326.07 (kept), the 2023 report's appendix 23326 (whole baht).
    assert figure(wh, "ses_income_hh_monthly", "18", 2021) == (23326.07, "nso_ses_statbbi_pnithida")
    assert wh.execute(
        "SELECT outcome, source_id, value, kept_source_id, kept_value FROM recipe_cell "
        "WHERE indicator_id = 'ses_income_hh_monthly' AND area_code = '18' AND year = 2021"
    ).fetchall() == [("rounding", "nso_ses_debt_neesinml", 23326.0, "nso_ses_statbbi_pnithida", 23326.07)]
    # Kamphaeng Phet 2015 income: data.go.th 20140 (PROVENANCE spot figure) is third; statbbi is kept.
    kept = figure(wh, "ses_income_hh_monthly", "62", 2015)
    assert kept[1] == "nso_ses_statbbi_pnithida"
    others = wh.execute(
        "SELECT source_id, value FROM recipe_cell WHERE indicator_id = 'ses_income_hh_monthly' "
        "AND area_code = '62' AND year = 2015 ORDER BY source_id"
    ).fetchall()
    assert ("nso_ses_datagoth_ganbettane", 20140.0) in others


def test_doubtful_cells_are_left_out_with_their_reason(wh):
    assert figure(wh, "ses_income_hh_monthly", "60", 2006) is None
    rows = wh.execute(
        "SELECT source_id, value, reason FROM recipe_cell WHERE outcome = 'excluded' "
        "AND indicator_id = 'ses_income_hh_monthly' AND area_code = '60' AND year = 2006 ORDER BY source_id"
    ).fetchall()
    assert [(s, v) for s, v, _ in rows] == [
        ("nso_ses_datagoth_ganbettane", 14953.0),
        ("nso_ses_statbbi_pnithida", 14947.0),
    ]
    assert all(r.startswith("doubtful: Nakhon Sawan 2006 differs") for _, _, r in rows)
    n = wh.execute(
        "SELECT count(*) FROM recipe_cell WHERE outcome = 'excluded' AND indicator_id LIKE 'ses_%'"
    )
    assert n.fetchone() == (20,)  # ten cells, each in both copies
    # Births 1993 of the four provinces created or split that year
    assert figure(wh, "births_registered_total", "27", 1993) is None
    assert figure(wh, "births_registered_total", "25", 1994) == (5682, "dopa_births_pnithida")


def test_new_indicators_are_first_class(wh):
    rows = wh.execute(
        "SELECT i.id, i.theme, t.name_en, i.unit_th, i.agency_id, s.license FROM indicator i "
        "JOIN theme t ON t.id = i.theme JOIN source s ON s.id = split_part(i.source_ids, ';', 1) "
        "WHERE i.id IN ('ses_debt_per_household', 'births_registered_total') ORDER BY i.id"
    ).fetchall()
    assert rows == [
        ("births_registered_total", "population", "Population", "คน", "dopa", "none stated"),
        ("ses_debt_per_household", "household", "Household economy", "บาทต่อครัวเรือน", "nso", "none stated"),
    ]
    definition = wh.execute(
        "SELECT definition_en, definition_th, source_ids FROM indicator WHERE id = 'ses_income_hh_monthly'"
    ).fetchone()
    assert "Caveat: Sample-survey estimates" in definition[0]
    assert "ข้อควรระวัง: เป็นค่าประมาณจากการสำรวจตัวอย่าง" in definition[1]
    assert definition[2] == "nso_ses_statbbi_pnithida;nso_ses_debt_neesinml;nso_ses_datagoth_ganbettane"
    loads = wh.execute(
        "SELECT file_name, loaded_by FROM load WHERE loaded_by = 'recipe' ORDER BY id"
    ).fetchall()
    assert ("data/inbox/dopa_births_pnithida/birthrate_TH.csv", "recipe") in loads


# -------------------------------------------------------------- each recipe = an independent reading


def recipe_rows(recipe_name: str, file_name: str, entry: int = 0) -> pd.DataFrame:
    """The rows the recipe gives for one file (excluded cells taken out), sorted, as plain tuples."""
    problems = Problems()
    recipes = read_recipes(RECIPES, problems)
    agencies = set(pd.read_csv(ROOT / "data/reference/agencies.csv").agency_id)
    themes = set(pd.read_csv(ROOT / "data/reference/themes.csv").theme)
    seed = pd.read_csv(ROOT / "data/reference/indicator_kinds.csv", dtype=str)[["indicator_id", "kind"]]
    _, indicators = recipe_tables(recipes, agencies, themes, set(seed.indicator_id), problems)
    indicators = pd.concat([indicators, seed.rename(columns={"indicator_id": "id"})], ignore_index=True)
    recipe = next(r for r in recipes if r.path.name == recipe_name)
    f = [f for f in recipe.files if f.path == file_name][entry]
    rows, _, _ = produce(
        recipe, f, INBOX, ProvinceNames(), indicators, set(GEO.province_code), problems, DISTRICTS
    )
    assert problems.items == []
    out = rows[["indicator_id", "province_code", "year", "value"]].astype({"year": int, "value": float})
    return out.sort_values(["indicator_id", "province_code", "year"], ignore_index=True)


def file_entries(recipe_name: str, file_name: str) -> list[dict]:
    """The recipe's [[file]] entries of that file, in order (one per sheet of a workbook): what recipe_rows'
    ``entry`` counts."""
    import tomllib

    doc = tomllib.loads((RECIPES / recipe_name).read_text(encoding="utf-8"))
    entries = [f for f in doc["file"] if f["path"] == file_name]
    assert entries, file_name
    return entries


def excludes_of(recipe_name: str, file_name: str) -> set[tuple[str, str, int]]:
    entries = file_entries(recipe_name, file_name)
    return {(e["indicator"], e["province"], e["year"]) for f in entries for e in f.get("exclude", [])}


def expected(frame: pd.DataFrame, recipe_name: str, file_name: str) -> pd.DataFrame:
    gone = excludes_of(recipe_name, file_name)
    keep = [
        (i, p, y) not in gone and (i, "*", y) not in gone  # "*": every province of that year
        for i, p, y in zip(frame.indicator_id, frame.province_code, frame.year, strict=True)
    ]
    out = frame[keep].dropna(subset=["value"])
    out = out.astype({"year": int, "value": float})[["indicator_id", "province_code", "year", "value"]]
    return out.sort_values(["indicator_id", "province_code", "year"], ignore_index=True)


def test_births_recipe_equals_a_pandas_reading():
    raw = pd.read_csv(INBOX / "dopa_births_pnithida" / "birthrate_TH.csv", encoding="utf-8-sig")
    raw["province_code"] = raw["จังหวัด"].map(CODE_OF_TH)
    assert raw.province_code.notna().all()
    raw["year"] = raw["ปี"] - 543
    long = raw.melt(["province_code", "year"], ["ชาย (คน)", "หญิง (คน)", "รวม (คน)"], "col", "value")
    long["indicator_id"] = long.col.map(
        {"ชาย (คน)": "births_registered_male", "หญิง (คน)": "births_registered_female",
         "รวม (คน)": "births_registered_total"}
    )  # fmt: skip
    want = expected(long, "dopa_births_pnithida.toml", "birthrate_TH.csv")
    got = recipe_rows("dopa_births_pnithida.toml", "birthrate_TH.csv")
    assert len(got) == (76 * 18 + 77 * 11) * 3 - 12  # 2,215 rows (PROVENANCE.md says 2,214)
    pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize(
    ("file_name", "indicator", "n"),
    [
        ("income_TH.csv", "ses_income_hh_monthly", 76 * 5 + 77 * 5 - 10),
        ("expense_TH.csv", "ses_expenditure_hh_monthly", 770),
    ],
)
def test_statbbi_recipe_equals_a_pandas_reading(file_name, indicator, n):
    raw = pd.read_csv(INBOX / "nso_ses_statbbi_pnithida" / file_name, encoding="utf-8-sig", dtype=str)
    raw = raw[raw["จังหวัด"] != "ทั่วราชอาณาจักร"]
    raw["province_code"] = raw["จังหวัด"].map(CODE_OF_TH)
    assert raw.province_code.notna().all()
    years = [c for c in raw.columns if c.isdigit()]
    long = raw.melt(["province_code"], years, "be", "value").assign(indicator_id=indicator)
    long["year"] = long.be.astype(int) - 543
    long["value"] = long.value.astype(float)
    got = recipe_rows("nso_ses_statbbi_pnithida.toml", file_name)
    assert len(got) == n
    pd.testing.assert_frame_equal(got, expected(long, "nso_ses_statbbi_pnithida.toml", file_name))


def test_debt_panel_recipe_equals_a_pandas_reading():
    name = "household_income_debt_province_panel_2558_2566.csv"
    raw = pd.read_csv(INBOX / "nso_ses_debt_neesinml" / name, encoding="utf-8-sig")
    raw["province_code"] = raw.province.map(CODE_OF_TH)
    assert raw.province_code.notna().all()
    columns = {
        "income_monthly_baht": "ses_income_hh_monthly",
        "expense_monthly_baht": "ses_expenditure_hh_monthly",
        "pct_households_with_debt": "ses_households_in_debt_pct",
        "debt_average_baht": "ses_debt_per_household",
    }
    long = raw.melt(["province_code", "year_ce"], list(columns), "col", "value").rename(
        columns={"year_ce": "year"}
    )
    long["indicator_id"] = long.col.map(columns)
    got = recipe_rows("nso_ses_debt_neesinml.toml", name)
    assert len(got) == 385 * 4
    pd.testing.assert_frame_equal(got, expected(long, "nso_ses_debt_neesinml.toml", name))


#: The data.go.th English spellings that differ from geo/provinces.csv (PROVENANCE.md "Layout").
DATAGOTH_ALIASES = {"Bungkan": "38", "Phattalung": "93"}


@pytest.mark.parametrize(
    ("file_name", "indicator", "n"),
    [
        ("Income(excel).xlsx", "ses_income_hh_monthly", 762 - 10),
        ("Expenses(excel).xlsx", "ses_expenditure_hh_monthly", 764),
    ],
)
def test_datagoth_recipe_equals_a_calamine_reading(file_name, indicator, n):
    book = CalamineWorkbook.from_path(str(INBOX / "nso_ses_datagoth_ganbettane" / file_name))
    cells = book.get_sheet_by_name("Sheet1").to_python()
    header = cells[0]
    code_of = {**{n.casefold(): c for n, c in zip(GEO.name_en, GEO.province_code, strict=True)},
               **{k.casefold(): v for k, v in DATAGOTH_ALIASES.items()}}  # fmt: skip
    regions = {"Whole Kingdom", "Greater Bangkok", "Central Region", "Northern Region", "Northeastern Region",
               "Southern Region"}  # fmt: skip
    rows = []
    for r in cells[1:]:
        name = str(r[0]).strip()
        if not name or name in regions:
            continue
        code = code_of.get(name.casefold()) or code_of.get(name.replace(" ", "").casefold())
        assert code, name
        for j, be in enumerate(header):
            if isinstance(be, int | float) and be > 2400 and r[j] not in ("", None):
                rows.append(
                    {"indicator_id": indicator, "province_code": code, "year": int(be) - 543, "value": r[j]}
                )
    want = expected(pd.DataFrame(rows), "nso_ses_datagoth_ganbettane.toml", file_name)
    got = recipe_rows("nso_ses_datagoth_ganbettane.toml", file_name)
    assert len(got) == n
    pd.testing.assert_frame_equal(got, want)


CRIME_SHEETS = ["อุกฉกรรจ์", "ชีวิต ร่างกาย", "ประทุษร้ายต่อทรัพย์", "คดีที่น่าสนใจ", "รัฐเป็นผู้เสียหาย"]
#: Spellings of the crime file that differ from geo/provinces.csv (PROVENANCE.md "Quirks").
CRIME_ALIASES = {"ศรีษะเกษ": "33", "สุพรรณ": "72", "อยุธยา": "14"}


@pytest.mark.parametrize(
    ("group", "code", "year", "reported", "arrested"),
    [  # rtp_crime_province_ppt/PROVENANCE.md "Spot figures"
        ("g1", "81", 2002, 95, 34),
        ("g1", "10", 2005, 1657, 461),
        ("g2", "50", 2010, 575, 343),
        ("g3", "71", 2006, 974, 368),
        ("g4", "46", 2009, 322, 225),
        ("g5", "10", 2011, 86596, 94733),
        ("g5", "38", 2011, 1798, 2268),
        ("g1", "83", 2010, 98, 73),  # the Phuket press cross-check
    ],
)
def test_crime_spot_figures(wh, group, code, year, reported, arrested):
    assert figure(wh, f"crime_{group}_reported", code, year) == (reported, "rtp_crime_province_ppt")
    assert figure(wh, f"crime_{group}_arrested", code, year) == (arrested, "rtp_crime_province_ppt")


def test_crime_recipe_equals_a_calamine_reading():
    book = CalamineWorkbook.from_path(str(INBOX / "rtp_crime_province_ppt" / "crime_2013_07_16_15_59_19.xls"))
    rows = []
    for g, sheet in enumerate(CRIME_SHEETS, start=1):
        cells = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        years = [int(str(c).removeprefix("พ.ศ. ")) - 543 for c in cells[1][1::2]]
        assert cells[2][1:3] == ["รับแจ้ง", "จับกุม"]
        for r in cells[3:]:
            code = CODE_OF_TH.get(r[0]) or CRIME_ALIASES[r[0]]
            for k, year in enumerate(years):
                if code == "38" and year < 2011:
                    continue  # Bueng Kan did not exist: 0 or ' -' in the file, not a figure
                for what, v in (("reported", r[1 + 2 * k]), ("arrested", r[2 + 2 * k])):
                    rows.append({"indicator_id": f"crime_g{g}_{what}", "province_code": code, "year": year,
                                 "value": v})  # fmt: skip
    want = expected(pd.DataFrame(rows), "rtp_crime_province_ppt.toml", "crime_2013_07_16_15_59_19.xls")
    got = recipe_rows("rtp_crime_province_ppt.toml", "crime_2013_07_16_15_59_19.xls")
    assert len(got) == 10 * (76 * 10 + 1)
    pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize(
    ("indicator", "code", "year", "value"),
    [  # nesdc_poverty_province_ppt/PROVENANCE.md "Spot figures": the 2013 release, under its own ids
        ("poverty_line_2013rel_baht", "58", 2006, 1636), ("poverty_ratio_2013rel_pct", "58", 2006, 72.03),
        ("poor_persons_2013rel_k", "58", 2006, 142.6),
        ("poverty_line_2013rel_baht", "27", 2006, 2144), ("poverty_ratio_2013rel_pct", "27", 2006, 59.99),
        ("poor_persons_2013rel_k", "27", 2006, 309.2),
        ("poverty_line_2013rel_baht", "20", 2007, 2454), ("poverty_ratio_2013rel_pct", "20", 2007, 2.02),
        ("poor_persons_2013rel_k", "20", 2007, 27.0),
        ("poverty_ratio_male_pct", "33", 2009, 60.87), ("poor_persons_male_k", "33", 2009, 316.3),
        ("poverty_ratio_female_pct", "40", 2010, 15.87), ("poor_persons_female_k", "40", 2010, 144.3),
        ("poverty_ratio_female_pct", "96", 2008, 39.71), ("poor_persons_female_k", "96", 2008, 130.3),
        ("poverty_ratio_male_pct", "10", 2011, 8.5), ("poor_persons_male_k", "10", 2011, 339.4),
    ],
)  # fmt: skip
def test_poverty_spot_figures(wh, indicator, code, year, value):
    assert figure(wh, indicator, code, year) == (value, "nesdc_poverty_province_ppt")


def test_poverty_blank_cells_stay_missing_and_no_both_sexes_figure_is_made_up(wh):
    assert figure(wh, "poverty_ratio_male_pct", "83", 2009) is None  # Phuket 2009: blank in the source
    assert figure(wh, "poverty_ratio_female_pct", "83", 2007) is None
    years = wh.execute(
        "SELECT DISTINCT year FROM observation WHERE indicator_id = 'poverty_ratio_2013rel_pct' ORDER BY 1"
    )
    assert years.fetchall() == [(2006,), (2007,)]
    assert (
        "2013 release"
        in wh.execute(
            "SELECT definition_en FROM indicator WHERE id = 'poverty_ratio_2013rel_pct'"
        ).fetchone()[0]
    )


def test_poverty_recipe_equals_a_calamine_reading():
    folder = INBOX / "nesdc_poverty_province_ppt"
    aliases = {"กาฬสินธ์": "46", "สุราษฎ์ธานี": "84"}
    for file_name in sorted(p.name for p in folder.glob("poor_province_2013_05_*.xls")):
        cells = (
            CalamineWorkbook.from_path(str(folder / file_name))
            .get_sheet_by_name("CrossTab_2R2C")
            .to_python(skip_empty_area=False)
        )
        year = int(cells[4][3]) - 543
        rows = []
        for r in cells[6:]:
            sex = {"ชาย": "male", "หญิง": "female"}.get(r[1])
            code = CODE_OF_TH.get(r[2]) or aliases.get(r[2])
            if sex is None or code is None:
                continue  # region rows (ภาค…) and the sex totals (รวมชาย, รวมหญิง)
            for ind, v in ((f"poverty_ratio_{sex}_pct", r[3]), (f"poor_persons_{sex}_k", r[4])):
                if v != "":
                    rows.append({"indicator_id": ind, "province_code": code, "year": year, "value": v})
        want = expected(pd.DataFrame(rows), "nesdc_poverty_province_ppt.toml", file_name)
        got = recipe_rows("nesdc_poverty_province_ppt.toml", file_name)  # the male and female entries
        got = pd.concat([got, recipe_rows("nesdc_poverty_province_ppt.toml", file_name, entry=1)])
        got = got.sort_values(["indicator_id", "province_code", "year"], ignore_index=True)
        assert len(got) == len(want) >= 76 * 4 - 4, file_name
        pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize(
    ("indicator", "code", "year", "value"),
    [  # oae_farm_household_socio_oui121/PROVENANCE.md "Spot figures" (year = the crop year's first year)
        ("oae_farm_net_cash_family_income", "60", 2007, 154535),
        ("oae_farm_net_cash_family_income", "60", 2011, 177898),
        ("oae_farm_net_cash_family_income", "61", 2007, 134890),
        ("oae_farm_household_debt", "60", 2007, 154296),
        ("oae_farm_household_debt", "18", 2011, 104318),
        ("oae_farm_net_cash_family_income", "60", 2010, 167084.93),
        ("oae_farm_net_cash_family_income", "60", 2008, 161382),
        ("oae_farm_net_cash_family_income", "60", 2009, 152472),
        ("oae_farm_household_debt", "60", 2008, 123679),
        ("oae_farm_household_debt", "60", 2009, 124359),
        ("oae_farm_household_debt", "60", 2010, 111264),
        ("oae_farm_household_debt", "60", 2011, 123147),
        ("oae_farm_household_debt", "18", 2007, 101733),
    ],
)
def test_farm_household_spot_figures(wh, indicator, code, year, value):
    assert figure(wh, indicator, code, year) == (value, "oae_farm_household_socio_oui121")


FARM_FILES = {"จังหวัด50-51.xls": 2007, "จังหวัด51-52..xls": 2008, "จังหวัด 52-53.xls": 2009,
              "53-54(จังหวัด).xls": 2010, "จังหวัด 54-55.xls": 2011}  # fmt: skip


@pytest.mark.parametrize("file_name", sorted(FARM_FILES))
def test_farm_household_recipe_equals_a_calamine_reading(file_name):
    """Provinces are columns: the header row is the row naming most provinces; items are matched on their
    number (3., 5. in sheet ก; 2. in sheet ข), names with their trailing dots stripped."""
    book = CalamineWorkbook.from_path(str(INBOX / "oae_farm_household_socio_oui121" / file_name))
    aliases = {"อยุธยา": "14", "กรุงเทพฯ": "10"}
    rows = []
    for sheet_letter, items in (("ก", {"3": "oae_farm_net_cash_farm_income", "5": "oae_farm_net_cash_family_income"}),
                                ("ข", {"2": "oae_farm_household_debt"})):  # fmt: skip
        sheet = next(s for s in book.sheet_names if s.rstrip(".") == sheet_letter)
        cells = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)

        def code(name):
            name = str(name).strip().rstrip(".").strip()
            return CODE_OF_TH.get(name) or aliases.get(name)

        header = max(cells[:10], key=lambda r: sum(code(c) is not None for c in r))
        for r in cells:
            number = str(r[0]).strip().split(".")[0]
            if number in items and str(r[0]).strip().startswith(number + "."):
                for j, name in enumerate(header):
                    if code(name) and r[j] not in ("", None):
                        rows.append({"indicator_id": items[number], "province_code": code(name),
                                     "year": FARM_FILES[file_name], "value": r[j]})  # fmt: skip
    want = expected(pd.DataFrame(rows), "oae_farm_household_socio_oui121.toml", file_name)
    got = pd.concat([recipe_rows("oae_farm_household_socio_oui121.toml", file_name, entry=k) for k in (0, 1)])
    got = got.sort_values(["indicator_id", "province_code", "year"], ignore_index=True)
    assert len(got) == 3 * (77 if FARM_FILES[file_name] == 2011 else 76)
    pd.testing.assert_frame_equal(got, want)


WAGE_FILES = {"จังหวัด51-52..xls": 2008, "จังหวัด 52-53.xls": 2009, "53-54(จังหวัด).xls": 2010,
              "จังหวัด 54-55.xls": 2011}  # fmt: skip


@pytest.mark.parametrize(
    ("indicator", "code", "year", "value"),
    [
        ("oae_farm_wage_male", "60", 2008, 158),  # oae_farm_household_socio_oui121/PROVENANCE.md spot figure
        # read from sheet 10.4 of each workbook (Nakhon Sawan, Chai Nat)
        ("oae_farm_wage_female", "60", 2008, 155),
        ("oae_nonfarm_wage_male", "60", 2009, 206),
        ("oae_farm_wage_male", "60", 2010, 182.99),
        ("oae_nonfarm_wage_female", "60", 2011, 239.65),
        ("oae_farm_wage_male", "60", 2011, 229.32),
    ],
)
def test_farm_wage_spot_figures(wh, indicator, code, year, value):
    assert figure(wh, indicator, code, year) == (value, "oae_farm_household_socio_oui121")


def test_a_doubtful_wage_column_is_left_out_with_its_reason(wh):
    assert figure(wh, "oae_farm_wage_male", "77", 2009) is None
    assert figure(wh, "oae_farm_wage_male", "77", 2008) == (203, "oae_farm_household_socio_oui121")
    rows = wh.execute(
        "SELECT indicator_id, value FROM recipe_cell WHERE outcome = 'excluded' AND area_code = '77' "
        "AND year = 2009 AND indicator_id LIKE '%wage%' ORDER BY indicator_id"
    ).fetchall()
    assert rows == [("oae_farm_wage_female", 28.0), ("oae_farm_wage_male", 29.0),
                    ("oae_nonfarm_wage_female", 31.0), ("oae_nonfarm_wage_male", 32.0)]  # fmt: skip


@pytest.mark.parametrize("file_name", sorted(WAGE_FILES))
def test_farm_wage_recipe_equals_a_calamine_reading(file_name):
    """Sheet 10.4: provinces across the row that names most of them; the two rows under each wage heading
    are men (ชาย) then women (หญิง); the national column ระดับประเทศ is not a province."""
    cells = (
        CalamineWorkbook.from_path(str(INBOX / "oae_farm_household_socio_oui121" / file_name))
        .get_sheet_by_name("10.4")
        .to_python(skip_empty_area=False)
    )
    aliases = {"กรุงเทพฯ": "10", "อยุธยา": "14"}

    def code_of(cell):
        name = str(cell).strip().rstrip(".").strip()
        return CODE_OF_TH.get(name) or aliases.get(name)

    header = max(cells, key=lambda r: sum(code_of(c) is not None for c in r))
    label = [str(r[0]).strip() for r in cells]
    farm = label.index("อัตราค่าจ้างแรงงานในเกษตร (บาท/วัน)")
    nonfarm = label.index("อัตราค่าจ้างแรงงานนอกเกษตร (บาท/วัน)")
    assert [label[farm + 1], label[farm + 2], label[nonfarm + 1], label[nonfarm + 2]] == ["ชาย", "หญิง"] * 2
    wanted = {farm + 1: "oae_farm_wage_male", farm + 2: "oae_farm_wage_female",
              nonfarm + 1: "oae_nonfarm_wage_male", nonfarm + 2: "oae_nonfarm_wage_female"}  # fmt: skip
    rows = []
    for j, cell in enumerate(header):
        code = code_of(cell)
        if code is None:
            continue
        for i, ind in wanted.items():
            rows.append({"indicator_id": ind, "province_code": code, "year": WAGE_FILES[file_name],
                         "value": cells[i][j]})  # fmt: skip
    want = expected(pd.DataFrame(rows), "oae_farm_household_socio_oui121.toml", file_name)
    entry = [f.get("sheet") for f in file_entries("oae_farm_household_socio_oui121.toml", file_name)].index(
        "10.4"
    )
    got = recipe_rows("oae_farm_household_socio_oui121.toml", file_name, entry=entry)
    left_out = 4 if file_name == "จังหวัด 52-53.xls" else 0  # Prachuap Khiri Khan 2009, doubtful
    assert len(got) == 4 * (77 if WAGE_FILES[file_name] == 2011 else 76) - left_out
    pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize(
    ("indicator", "code", "year", "value"),
    [  # oae_landuse_forest_oui121/PROVENANCE.md "Spot figures"
        ("forest_area_rai", "55", 2013, 4653024),
        ("forest_area_rai", "60", 2013, 546816),
        ("agricultural_land_rai", "60", 2013, 4381124),
        ("forest_area_rai", "62", 2002, 1365437),
        ("forest_area_rai", "61", 2008, 2170627),
        ("forest_area_rai", "18", 2006, 35469),
        ("forest_area_rai", "38", 2013, 179825),
        ("agricultural_land_rai", "38", 2013, 1258406),
    ],
)
def test_land_use_spot_figures(wh, indicator, code, year, value):
    assert figure(wh, indicator, code, year) == (value, "oae_landuse_forest_oui121")


def test_forest_is_carried_between_survey_years_as_published_and_said_so(wh):
    rows = wh.execute(
        "SELECT year, value FROM observation WHERE indicator_id = 'forest_area_rai' AND area_code = '50' "
        "AND year BETWEEN 2008 AND 2012 ORDER BY year"
    ).fetchall()
    assert [v for _, v in rows] == [
        10380924.0
    ] * 5  # RFD's 2009 estimate, repeated by OAE (PROVENANCE check 2)
    text = wh.execute("SELECT definition_en FROM indicator WHERE id = 'forest_area_rai'").fetchone()[0]
    assert "Not an annual measurement" in text


@pytest.mark.parametrize("sheet", [str(be) for be in range(45, 57)])
def test_land_use_recipe_equals_a_calamine_reading(sheet):
    file_name = "1.เนื้อที่ใช้ประโยชน์ ปี 2545-2556.xls"
    book = CalamineWorkbook.from_path(str(INBOX / "oae_landuse_forest_oui121" / file_name))
    cells = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    year = 1957 + int(sheet)  # sheet 45 = พ.ศ. 2545 = 2002
    aliases = {"กรุงเทพฯ": "10", "อยุธยา": "14"}
    rows = []
    for r in cells[4:]:
        name = str(r[0]).strip().rstrip(".")
        code = CODE_OF_TH.get(name) or aliases.get(name)
        if code is None:
            continue  # the kingdom and region rows
        for ind, v in (("forest_area_rai", r[2]), ("agricultural_land_rai", r[3]), ("farm_holdings", r[5])):
            if v != "":
                rows.append({"indicator_id": ind, "province_code": code, "year": year, "value": v})
    want = expected(pd.DataFrame(rows), "oae_landuse_forest_oui121.toml", file_name)
    got = recipe_rows("oae_landuse_forest_oui121.toml", file_name, entry=int(sheet) - 45)
    # 2004 farm counts are OAE's interpolation: left out for every province
    assert len(got) == (2 if year == 2004 else 3) * (77 if year == 2013 else 76)
    pd.testing.assert_frame_equal(got, want)


LANDUSE_FILE_2 = "1.เนื้อที่ใช้ประโยชน์ปี 2536-2557 (ใหม่).xls"


def test_land_use_overlap_keeps_file_1_and_lists_the_cells_that_differ(wh):
    # 2002-2013 are in both files; agricultural land agrees everywhere: nothing listed, file 1 kept
    kept = wh.execute(
        "SELECT source_id, count(*) FROM observation WHERE indicator_id = 'agricultural_land_rai' "
        "GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert kept == [("oae_landuse_1993_2014_oui121", 76 * 9 + 77), ("oae_landuse_forest_oui121", 76 * 12 + 1)]
    listed = wh.execute(
        "SELECT outcome, indicator_id, area_code, year, source_id, value, kept_source_id, kept_value "
        "FROM recipe_cell WHERE source_id = 'oae_landuse_1993_2014_oui121' AND outcome <> 'excluded' "
        "ORDER BY area_code"
    ).fetchall()
    # Pattani, Yala, Narathiwat 2013 farm counts (rows 1763, 1785, 1807 of sheet 36-57): never averaged
    assert listed == [
        ("conflict", "farm_holdings", "94", 2013, "oae_landuse_1993_2014_oui121", 68873.0,
         "oae_landuse_forest_oui121", 70726.0),
        ("conflict", "farm_holdings", "95", 2013, "oae_landuse_1993_2014_oui121", 56606.0,
         "oae_landuse_forest_oui121", 47252.0),
        ("conflict", "farm_holdings", "96", 2013, "oae_landuse_1993_2014_oui121", 65734.0,
         "oae_landuse_forest_oui121", 72990.0),
    ]  # fmt: skip
    assert figure(wh, "farm_holdings", "94", 2013) == (70726, "oae_landuse_forest_oui121")
    precedence = wh.execute("SELECT source_ids FROM indicator WHERE id = 'farm_holdings'").fetchone()
    assert precedence == ("oae_landuse_forest_oui121;oae_landuse_1993_2014_oui121",)


def test_interpolated_2004_farm_counts_are_left_out_with_their_reason(wh):
    assert figure(wh, "farm_holdings", "60", 2004) is None
    assert wh.execute(
        "SELECT count(*) FROM observation WHERE indicator_id = 'farm_holdings' AND year = 2004"
    ).fetchone() == (0,)
    rows = wh.execute(
        "SELECT source_id, value, reason FROM recipe_cell WHERE outcome = 'excluded' "
        "AND indicator_id = 'farm_holdings' AND area_code = '60' AND year = 2004 ORDER BY source_id"
    ).fetchall()
    assert [(s, v) for s, v, _ in rows] == [
        ("oae_landuse_1993_2014_oui121", 96677.0),  # rounded in file 2
        ("oae_landuse_forest_oui121", 96676.5),  # the mean of 2003 and 2005, as file 1 writes it
    ]
    assert all(r.startswith("interpolated by OAE, not observed") for _, _, r in rows)
    n = wh.execute(
        "SELECT source_id, count(*) FROM recipe_cell WHERE outcome = 'excluded' AND indicator_id = 'farm_holdings' "
        "GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert n == [("oae_landuse_1993_2014_oui121", 76), ("oae_landuse_forest_oui121", 76)]
    text = wh.execute(
        "SELECT definition_en, theme, unit_en FROM indicator WHERE id = 'farm_holdings'"
    ).fetchone()
    assert "2004 is left out: OAE interpolated it" in text[0] and text[1:] == ("agriculture", "farms")


def test_land_use_file_2_recipe_equals_a_calamine_reading():
    """The stacked sheet: col B the BE year (text '2536' or number 2545.0), C the name, D land, F farms."""
    cells = (
        CalamineWorkbook.from_path(str(INBOX / "oae_landuse_forest_oui121" / LANDUSE_FILE_2))
        .get_sheet_by_name("36-57")
        .to_python(skip_empty_area=False)
    )
    aliases = {"กรุงเทพฯ": "10", "อยุธยา": "14"}
    rows = []
    for r in cells[4:]:
        name = str(r[2]).strip().rstrip(".")
        code = CODE_OF_TH.get(name) or aliases.get(name)
        if code is None:
            continue  # the kingdom and region rows, and the empty rows at the end
        year = int(float(r[1])) - 543
        if code == "38" and year < 2013:
            assert (r[3], r[5]) == (0, 0)  # inside Nong Khai then: not a real zero
            continue
        for ind, v in (("agricultural_land_rai", r[3]), ("farm_holdings", r[5])):
            rows.append({"indicator_id": ind, "province_code": code, "year": year, "value": v})
    want = expected(pd.DataFrame(rows), "oae_landuse_1993_2014_oui121.toml", LANDUSE_FILE_2)
    got = recipe_rows("oae_landuse_1993_2014_oui121.toml", LANDUSE_FILE_2)
    assert len(got) == 2 * (76 * 22 + 2) - 76  # 1993-2014, Bueng Kan from 2013, no 2004 farm counts
    pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize(
    ("code", "year", "employees", "deaths", "injuries"),
    [  # sso_work_injury_province_ppt/PROVENANCE.md "Spot figures"
        ("10", 2010, 2936121, 154, 39229),
        ("11", 2010, 661817, 47, 25754),
        ("58", 2011, 2433, None, 6),  # deaths 0 in the file: loaded as 0 (2011 writes zeros as 0)
        ("56", 2012, 9115, 1, 68),
        ("90", 2012, 149785, 12, 1427),
        ("11", 2013, 695185, 29, 17682),
        ("36", 2013, 16799, 2, 68),
    ],
)
def test_work_injury_spot_figures(wh, code, year, employees, deaths, injuries):
    src = "sso_work_injury_province_ppt"
    assert figure(wh, "wcf_covered_employees", code, year) == (employees, src)
    assert figure(wh, "work_injury_deaths", code, year) == ((deaths if deaths is not None else 0), src)
    assert figure(wh, "work_injuries_all", code, year) == (injuries, src)


@pytest.mark.parametrize(
    ("code", "year", "rate_all", "rate_serious"),
    [  # sso_work_injury_province_ppt/PROVENANCE.md "Spot figures": the cells as SSO's files hold them, to the
        # 15 significant digits Excel shows (the cell holds 13.36082538832698; the sheet displays 13.36 / 3.60)
        ("10", 2010, 13.360825388327, 3.60339372934562),
        ("11", 2010, 38.9140804784404, 11.3792785618985),  # 38.91 / 11.38
        ("58", 2011, 2.47, 1.64),
        ("56", 2012, 7.46, 3.84),
        ("90", 2012, 9.53, 4.93),
        ("11", 2013, 25.43, 7.82),
        ("36", 2013, 4.05, 2.2),  # 2.20: the NSO report's 4.05 for serious cases is its own slip
    ],
)
def test_work_injury_rates_are_loaded_as_published(wh, code, year, rate_all, rate_serious):
    src = "sso_work_injury_province_ppt"
    assert figure(wh, "work_injury_rate_per_1000", code, year) == (rate_all, src)
    assert figure(wh, "work_injury_serious_rate_per_1000", code, year) == (rate_serious, src)


def test_work_injury_rates_are_labelled_published_by_sso_with_its_formula(wh):
    rows = wh.execute(
        "SELECT id, name_en, kind, unit_en, theme, higher_is_better, definition_en FROM indicator "
        "WHERE id LIKE 'work_injury%rate%' ORDER BY id"
    ).fetchall()
    assert [r[:6] for r in rows] == [
        ("work_injury_rate_per_1000", "Work injury rate per 1,000 covered employees, all cases (as published by SSO)",
         "rate", "per 1,000 covered employees", "safety", False),
        ("work_injury_serious_rate_per_1000",
         "Work injury rate per 1,000 covered employees, serious cases (as published by SSO)", "rate",
         "per 1,000 covered employees", "safety", False),
    ]  # fmt: skip
    assert (
        "SSO's formula (its footnote 1): injuries counted in all cases × 1,000 / employees covered"
        in rows[0][6]
    )
    assert "Taken from SSO's table, not computed here." in rows[1][6]


SSO_FILES = {"danger_2013_11_21_16_45_37.xls": ("53", 2010), "danger_2013_11_22_09_34_15.xls": ("54", 2011),
             "danger_2555_2013_11_26_13_35_23.xls": ("55", 2012),
             "danger_2556_2014_09_18_11_23_36.xls": ("Sheet2", 2013)}  # fmt: skip


@pytest.mark.parametrize("file_name", sorted(SSO_FILES))
def test_work_injury_recipe_equals_a_calamine_reading(file_name):
    sheet, year = SSO_FILES[file_name]
    cells = (
        CalamineWorkbook.from_path(str(INBOX / "sso_work_injury_province_ppt" / file_name))
        .get_sheet_by_name(sheet)
        .to_python(skip_empty_area=False)
    )
    columns = {
        2: "wcf_covered_employees",
        3: "work_injury_deaths",
        8: "work_injuries_all",
        9: "work_injuries_serious",
        10: "work_injury_rate_per_1000",  # as SSO published it (2010: unrounded quotients)
        11: "work_injury_serious_rate_per_1000",
    }
    rows = []
    for r in cells:
        name = str(r[1]).strip().replace("สุราษฏร์ธานี", "สุราษฎร์ธานี")
        code = CODE_OF_TH.get(name)
        if code is None or (code == "38" and year < 2011):
            continue  # title, header, kingdom and footnote rows; Bueng Kan 2010 (zeros before the province)
        for j, ind in columns.items():
            if isinstance(r[j], int | float):  # 2013 writes zeros as '-': no figure
                rows.append({"indicator_id": ind, "province_code": code, "year": year, "value": r[j]})
    want = expected(pd.DataFrame(rows), "sso_work_injury_province_ppt.toml", file_name)
    got = recipe_rows("sso_work_injury_province_ppt.toml", file_name)
    assert len(got) == len(want) >= 6 * 76 - 10
    pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize(
    ("indicator", "code", "year", "value"),
    [  # oae_rice_irrigation_oui121/PROVENANCE.md "Spot figures" (file 1, in-season)
        ("rice_inseason_irrigated_planted_rai", "60", 2015, 520967),
        ("rice_inseason_irrigated_share_pct", "60", 2015, 24.28),
        ("rice_inseason_irrigated_planted_rai", "18", 2015, 663706),
        ("rice_inseason_irrigated_production_t", "18", 2015, 437382),
        ("rice_inseason_irrigated_share_pct", "18", 2015, 96.21),
        ("rice_inseason_irrigated_planted_rai", "72", 2002, 916677),
        ("rice_inseason_irrigated_share_pct", "72", 2002, 87.916),
        ("rice_inseason_irrigated_planted_rai", "38", 2011, 43208),  # written บีงกาฬ in the file
        ("rice_inseason_irrigated_share_pct", "38", 2011, 7.69),
    ],
)
def test_irrigation_spot_figures(wh, indicator, code, year, value):
    assert figure(wh, indicator, code, year) == (value, "oae_rice_irrigation_oui121")


@pytest.mark.parametrize("sheet", [str(be) for be in range(45, 59)])
def test_irrigation_recipe_equals_a_calamine_reading(sheet):
    """Each province row is followed by its irrigated and non-irrigated rows: take the irrigated row under it."""
    file_name = "4.ชลประทานนาปี 45-58ความชื้น15%.xls"
    cells = (
        CalamineWorkbook.from_path(str(INBOX / "oae_rice_irrigation_oui121" / file_name))
        .get_sheet_by_name(sheet)
        .to_python(skip_empty_area=False)
    )
    year = 1957 + int(sheet)
    aliases = {"กรุงเทพฯ": "10", "อยุธยา": "14", "บีงกาฬ": "38"}
    rows, code = [], None
    for r in cells:
        label = str(r[0]).strip()
        if label in CODE_OF_TH or label in aliases:
            code = CODE_OF_TH.get(label) or aliases[label]
        elif label == "ในเขตชลประทาน" and code is not None:
            for ind, v in (("rice_inseason_irrigated_planted_rai", r[1]), ("rice_inseason_irrigated_production_t", r[3]),
                           ("rice_inseason_irrigated_share_pct", r[6])):  # fmt: skip
                if v != "":
                    rows.append({"indicator_id": ind, "province_code": code, "year": year, "value": v})
        elif label != "นอกเขตชลประทาน":
            code = None  # a region or kingdom row: its sub-rows are not a province's
    want = expected(pd.DataFrame(rows), "oae_rice_irrigation_oui121.toml", file_name)
    got = recipe_rows("oae_rice_irrigation_oui121.toml", file_name, entry=int(sheet) - 45)
    assert len(got) == 3 * (77 if year >= 2011 else 76)
    pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize(
    ("indicator", "code", "year", "value"),
    [  # oae_rice_irrigation_oui121/PROVENANCE.md "Spot figures" (file 2, off-season)
        ("rice_offseason_irrigated_planted_rai", "60", 2016, 118944),
        ("rice_offseason_irrigated_share_pct", "60", 2016, 57.75),
        ("rice_offseason_irrigated_planted_rai", "18", 2002, 583465),
    ],
)
def test_off_season_irrigation_spot_figures(wh, indicator, code, year, value):
    assert figure(wh, indicator, code, year) == (value, "oae_rice_irrigation_oui121")


def test_off_season_irrigation_recipe_equals_a_calamine_reading():
    """28 sheets whose columns move: the header row names the columns; the name column is B in sheets 55-56."""
    file_name = "4.ชลประทานนาปรัง32-59.xls"
    book = CalamineWorkbook.from_path(str(INBOX / "oae_rice_irrigation_oui121" / file_name))
    aliases = {"กรุงเทพฯ": "10", "อยุธยา": "14", "บีงกาฬ": "38"}
    wanted = {"เนื้อที่เพาะปลูก": "rice_offseason_irrigated_planted_rai", "ผลผลิต": "rice_offseason_irrigated_production_t",
              "ร้อยละ": "rice_offseason_irrigated_share_pct"}  # fmt: skip
    rows = []
    for sheet in book.sheet_names:
        cells = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        header = next(r for r in cells if "เนื้อที่เพาะปลูก" in [str(c).strip() for c in r])
        columns = {j: wanted[str(c).strip()] for j, c in enumerate(header) if str(c).strip() in wanted}
        name_col, year, code = (1 if sheet in ("55", "56") else 0), 1957 + int(sheet), None
        for r in cells:
            label = "".join(str(r[name_col]).split())
            if label in CODE_OF_TH or label in aliases:
                code = CODE_OF_TH.get(label) or aliases[label]
            elif label == "ในเขตชลประทาน" and code is not None:
                for j, ind in columns.items():
                    if isinstance(r[j], int | float):
                        rows.append({"indicator_id": ind, "province_code": code, "year": year, "value": r[j]})
            elif label != "นอกเขตชลประทาน":
                code = None
    want = expected(pd.DataFrame(rows), "oae_rice_irrigation_oui121.toml", file_name)
    got = recipe_rows("oae_rice_irrigation_oui121.toml", file_name)
    assert sorted(got.year.unique()) == list(range(1989, 2017))
    pd.testing.assert_frame_equal(got, want)


# ------------------------------------------------------------------------- a broken raw file stops the build


@pytest.fixture
def shipped_copy(tmp_path, monkeypatch) -> Path:
    """A writable copy of every build input, used through PROVDATA_INPUTS."""
    dest = tmp_path / "inputs"
    for name in ("seed", "reference", "strategy", "inbox", "recipes"):
        shutil.copytree(ROOT / "data" / name, dest / name)
    shutil.copytree(ROOT / "geo", dest / "geo")
    monkeypatch.setenv("PROVDATA_INPUTS", str(dest))
    return dest


def _inputs(tmp_path: Path) -> Inputs:
    return Inputs(uploads_dir=tmp_path / "uploads", added_indicators=tmp_path / "added.csv")


def _replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8-sig")
    assert text.count(old) == 1
    path.write_text("\ufeff" + text.replace(old, new), encoding="utf-8")


@pytest.mark.slow  # a build of every shipped input
def test_a_broken_cell_stops_the_build_and_keeps_the_old_warehouse(shipped_copy, tmp_path, real_warehouse):
    target = tmp_path / "warehouse.duckdb"
    shutil.copy(real_warehouse, target)  # the old warehouse: the one the shipped inputs build
    before = target.read_bytes()
    income = shipped_copy / "inbox" / "nso_ses_statbbi_pnithida" / "income_TH.csv"
    lines = income.read_text(encoding="utf-8-sig").splitlines()
    row = next(i for i, line in enumerate(lines, start=1) if line.startswith("ภาคเหนือ,นครสวรรค์,"))
    _replace_once(income, ",22137,", ",22l37,")
    with pytest.raises(BuildError) as err:
        build_warehouse(target, _inputs(tmp_path), log=lambda _m: None)
    assert (
        f"recipe nso_ses_statbbi_pnithida.toml: file nso_ses_statbbi_pnithida/income_TH.csv, sheet "
        f"'income_TH.csv' row {row}, column K “2562”: '22l37'" in str(err.value)
    )
    assert target.read_bytes() == before


@pytest.mark.slow  # a build of every shipped input
def test_a_changed_figure_stops_the_build_naming_the_file(shipped_copy, tmp_path):
    target = tmp_path / "warehouse.duckdb"
    target.write_bytes(b"the old warehouse")
    _replace_once(shipped_copy / "inbox" / "nso_ses_statbbi_pnithida" / "income_TH.csv", ",22137,", ",22138,")
    with pytest.raises(BuildError) as err:
        build_warehouse(target, _inputs(tmp_path), log=lambda _m: None)
    assert "file nso_ses_statbbi_pnithida/income_TH.csv has changed (sha256 " in str(err.value)
    assert "then update the recipe" in str(err.value)
    assert target.read_bytes() == b"the old warehouse"


@pytest.mark.slow  # a build of every shipped input
def test_a_recipe_that_no_longer_fits_names_the_column(shipped_copy, tmp_path):
    target = tmp_path / "warehouse.duckdb"
    target.write_bytes(b"the old warehouse")
    recipe = shipped_copy / "recipes" / "nso_ses_debt_neesinml.toml"
    recipe.write_text(recipe.read_text(encoding="utf-8").replace('"year_be=skip"', '"year_buddhist=skip"'),
                      encoding="utf-8")  # fmt: skip
    with pytest.raises(BuildError) as err:
        build_warehouse(target, _inputs(tmp_path), log=lambda _m: None)
    assert (
        "recipe nso_ses_debt_neesinml.toml: file nso_ses_debt_neesinml/household_income_debt_province_panel"
        "_2558_2566.csv: column 'year_buddhist' is not in sheet" in str(err.value)
    )
    assert target.read_bytes() == b"the old warehouse"


@pytest.mark.slow  # a build of every shipped input
def test_an_exclusion_that_matches_nothing_stops_the_build(shipped_copy, tmp_path):
    recipe = shipped_copy / "recipes" / "dopa_births_pnithida.toml"
    recipe.write_text(recipe.read_text(encoding="utf-8").replace('province = "27", year = 1993', 'province = "27", year = 1893', 1),
                      encoding="utf-8")  # fmt: skip
    with pytest.raises(BuildError) as err:
        build_warehouse(tmp_path / "w.duckdb", _inputs(tmp_path), log=lambda _m: None)
    assert (
        "no figure of births_registered_total 27 1893 to leave out: the recipe no longer fits the file"
        in str(err.value)
    )


def test_inputs_digest_covers_recipes_and_raw_files():
    files = set(Inputs().files())
    assert config.ROOT / "data/recipes/nso_ses_debt_neesinml.toml" in files
    assert config.ROOT / "data/inbox/nso_ses_datagoth_ganbettane/Income(excel).xlsx" in files


def test_chart_links_point_to_the_inbox_indicators_and_readiness_follows_the_figures(real_warehouse):
    from provdata.strategy import statchart
    from provdata.warehouse import queries
    from provdata.warehouse.db import Warehouse

    wh = Warehouse(real_warehouse)
    chain = queries.chain(wh, "60")
    ids = sorted(chain.indicator_id.dropna())
    years = queries.years_present(wh, ["60"], ids)
    calendar = queries.calendar(wh, dt.date(2026, 12, 6))
    chained = statchart.with_readiness(chain, years, "60", calendar).set_index("indicator_en")
    poverty = chained.loc["Poverty headcount ratio (consumption)"]
    # NESDC edition 260205 to 2024; its lag seen in that edition (5 months): the 2025 figure was due by 31 May 2026
    got = (poverty.indicator_id, poverty.role, poverty.grade, poverty.latest, poverty.reasons)
    assert got == ("poverty_ratio_pct", "key", "B", 2024, "overdue,gaps")
    debt = chained.loc["Share of households with debt"]
    assert (debt.role, debt.grade, debt.latest, debt.reasons) == (
        "supporting",
        "B",
        2023,
        "short,gaps",
    )  # biennial
    counts = statchart.readiness_counts({"60": chain}, years, calendar).iloc[0]
    # Was (7, 4, 1, 2) against the warehouse's latest year (2023): GPP, dengue and LFS (to 2020/2019) are stale
    # on 6 Dec 2026. Tourism (visitors, receipts) now runs to 2023 from MOTS's monthly tables (monthly, lag at most
    # 4 months): 2024 was due by 30 April 2025, so those two key links are overdue (B), no longer unscheduled (A)
    assert (counts.key_a, counts.key_b, counts.key_c, counts.missing) == (2, 9, 1, 2)
    tourism = chained.loc["Number of visitors"]
    assert (tourism.grade, tourism.latest, tourism.reasons) == ("B", 2023, "overdue")
    farm = chained.loc["Net farm cash income of farm households"]
    assert (farm.role, farm.grade, farm.first, farm.latest, farm.reasons) == ("key", "B", 2007, 2011, "stale")


@pytest.mark.slow  # a build of every shipped input
def test_an_ignored_row_range_that_holds_nothing_stops_the_build(shipped_copy, tmp_path):
    recipe = shipped_copy / "recipes" / "sso_work_injury_province_ppt.toml"
    recipe.write_text(recipe.read_text(encoding="utf-8").replace('names = ["สุราษฏร์ธานี=84"]\n',
                      'names = ["สุราษฏร์ธานี=84"]\nignore = [{ first_row = 185, last_row = 193, reason = "notes" }]\n', 1),
                      encoding="utf-8")  # fmt: skip
    with pytest.raises(BuildError) as err:
        build_warehouse(tmp_path / "w.duckdb", _inputs(tmp_path), log=lambda _m: None)
    assert (
        "file sso_work_injury_province_ppt/danger_2013_11_21_16_45_37.xls: rows 185-193 hold nothing to ignore: "
        "the recipe no longer fits the file" in str(err.value)
    )


def test_an_unknown_recipe_key_is_named(shipped_copy, tmp_path):
    recipe = shipped_copy / "recipes" / "dopa_births_pnithida.toml"
    recipe.write_text(recipe.read_text(encoding="utf-8").replace("[[file]]\n", "[[file]]\nsheets = 2\n", 1),
                      encoding="utf-8")  # fmt: skip
    with pytest.raises(BuildError) as err:
        build_warehouse(tmp_path / "w.duckdb", _inputs(tmp_path), log=lambda _m: None)
    assert (
        "column [[file]] 1 (birthrate_TH.csv): unknown key(s) sheets; allowed: district_from_tambon, exclude"
        in str(err.value)
    )
