"""The fresher agency series (issue #22): NESDC poverty edition 260205 and PCD municipal solid waste 2013-2024.

Spot figures are the ones each PROVENANCE.md reads by hand from its raw file; sums and full readings are checked
against an independent reading of the workbook (python-calamine cell reads), not the ingest code.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse
from tests.warehouse.test_recipes import CODE_OF_TH, expected, recipe_rows

ROOT = Path(__file__).resolve().parents[2]
INBOX = ROOT / "data" / "inbox"
POVERTY = "nesdc_poverty_province_vapankung"
POVERTY_FILE = INBOX / POVERTY / "สถิติความยากจนและการกระจายรายได้_260205.xlsx"
WASTE = "pcd_solid_waste_province_vapankung"
WASTE_FILE = INBOX / WASTE / "สถิติด้านสิ่งแวดล้อม_250822.xlsx"
ALIASES = {"กาฬสินธ์": "46", "สุราษฎ์ธานี": "84"}  # the recipes' confirmed spellings (PROVENANCE.md)
POVERTY_SHEETS = {"1.4": "poverty_line_baht", "1.5": "poverty_ratio_pct", "1.6": "poor_persons_k"}
WASTE_IDS = [
    "waste_generated_t_day",
    "waste_disposed_correctly_t_day",
    "waste_recovered_t_day",
    "waste_disposed_incorrectly_t_day",
]
HELD = [(iid, "10", 2017) for iid in WASTE_IDS] + [(iid, "77", 2016) for iid in WASTE_IDS]


@pytest.fixture(scope="module")
def wh(real_warehouse):
    con = duckdb.connect(str(real_warehouse), read_only=True)
    yield con
    con.close()


def figure(con, indicator: str, code: str, year: int):
    return con.execute(
        "SELECT value, source_id FROM observation WHERE indicator_id = ? AND area_code = ? AND year = ?",
        [indicator, code, year],
    ).fetchone()


def cells(path: Path, sheet: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


# ------------------------------------------------------------------------------ spot figures (PROVENANCE)


@pytest.mark.parametrize(
    ("indicator", "code", "year", "shown", "decimals"),
    [  # nesdc_poverty_province_vapankung/PROVENANCE.md "Spot figures" (and the line under the table)
        ("poverty_ratio_pct", "58", 2024, 25.69, 2),  # Mae Hong Son 2567, sheet 1.5
        ("poverty_ratio_pct", "94", 2020, 44.20, 2),  # Pattani 2563
        ("poverty_line_baht", "10", 2024, 3656.68, 2),  # Bangkok 2567, sheet 1.4
        ("poor_persons_k", "58", 2024, 63.08, 2),  # Mae Hong Son 2567, sheet 1.6
        ("poverty_ratio_pct", "38", 2012, 3.87, 2),  # Bueng Kan 2555, its first year
        # "Checks done here" and the caveats: 2023 Mae Hong Son, 2011 Narathiwat, the revised 2006 Mae Hong Son
        ("poverty_ratio_pct", "58", 2023, 12.49, 2),
        ("poverty_ratio_pct", "96", 2011, 24.73, 2),
        ("poverty_ratio_pct", "58", 2006, 69.55, 2),
    ],
)
def test_poverty_spot_figures(wh, indicator, code, year, shown, decimals):
    value, source = figure(wh, indicator, code, year)
    assert source == POVERTY
    assert round(value, decimals) == shown  # PROVENANCE reads the figure as Excel shows it …


def test_poverty_figures_keep_the_cells_full_precision(wh):
    # … the warehouse keeps the cell as stored (binary noise beyond 15 significant digits dropped, nothing else)
    assert figure(wh, "poverty_ratio_pct", "58", 2024) == (
        25.6922566530005,
        POVERTY,
    )  # cell 25.692256653000527
    assert figure(wh, "poverty_line_baht", "10", 2024) == (3656.68013379353, POVERTY)
    assert figure(wh, "poor_persons_k", "58", 2024) == (63.0793064143889, POVERTY)  # cell 63.07930641438887
    assert figure(wh, "poverty_ratio_pct", "94", 2020) == (44.2011, POVERTY)


def test_poverty_kingdom_row_is_not_loaded_but_reads_as_provenance_says():
    rows = cells(POVERTY_FILE, "1.5")
    kingdom = next(r for r in rows if str(r[0]).strip() == "ทั่วประเทศ")
    assert round(kingdom[-1], 3) == 4.889  # kingdom 2567 ratio 4.889 %
    # "Checks done here": 2567 regions = sheet 1.2 of the same edition (Bangkok, Central, North, Northeast, South)
    regions = [round(r[-1], 2) for r in rows if str(r[1]).strip() == "รวม"]
    assert regions == [0.77, 2.76, 5.75, 6.56, 9.43]


@pytest.mark.parametrize(
    ("indicator", "code", "year", "value"),
    [  # pcd_solid_waste_province_vapankung/PROVENANCE.md "Spot figures"
        ("waste_generated_t_day", "50", 2024, 1635),  # Chiang Mai 2567
        ("waste_recovered_t_day", "30", 2023, 1053),  # Nakhon Ratchasima 2566
        ("waste_disposed_correctly_t_day", "83", 2024, 903),  # Phuket 2567
    ],
)
def test_waste_spot_figures(wh, indicator, code, year, value):
    assert figure(wh, indicator, code, year) == (value, WASTE)


# ------------------------------------------------------------------------------ provinces sum to the kingdom


def test_poor_persons_sum_to_the_kingdom_row_in_all_22_years(wh):
    """PROVENANCE: sheet 1.6's 77 province cells sum to ทั่วประเทศ in every year ('-' counting as 0). The cells of
    2012-2021 and 2023 are stored with 3-9 decimals, so the sum is the kingdom row within 0.05 thousand persons;
    the other years to the last digit."""
    rows = cells(POVERTY_FILE, "1.6")
    years = [int(float(h)) - 543 for h in rows[2][2:]]
    kingdom = next(r for r in rows if str(r[0]).strip() == "ทั่วประเทศ")
    assert len(years) == 22 and years[0] == 2000 and years[-1] == 2024
    for year, total in zip(years, kingdom[2:], strict=True):
        (loaded,) = wh.execute(
            "SELECT sum(value) FROM observation WHERE indicator_id = 'poor_persons_k' AND year = ?", [year]
        ).fetchone()
        assert loaded == pytest.approx(total, abs=0.05), year
        if year <= 2011 or year in (2022, 2024):
            assert loaded == pytest.approx(total, abs=1e-6), year


def test_waste_provinces_plus_held_cells_sum_exactly_to_the_kingdom_row(wh):
    """PROVENANCE: in all four measures and all 12 years the 77 province cells sum to ทั้งประเทศ, which therefore
    inherits Bangkok 2017's error. Published figures plus the held cells (recipe_cell) give that sum back."""
    rows = cells(WASTE_FILE, "2.1")
    kingdom = next(r for r in rows if str(r[0]).strip() == "ทั้งประเทศ")
    years = [int(float(h)) - 543 for h in rows[3][1:49]]
    assert years[:12] == list(range(2013, 2025))
    for i, (year, total) in enumerate(zip(years, kingdom[1:49], strict=True)):
        iid = WASTE_IDS[i // 12]
        (published,) = wh.execute(
            "SELECT sum(value) FROM observation WHERE indicator_id = ? AND year = ?", [iid, year]
        ).fetchone()
        (held,) = wh.execute(
            "SELECT coalesce(sum(value), 0) FROM recipe_cell WHERE outcome = 'excluded' AND indicator_id = ? "
            "AND year = ?",
            [iid, year],
        ).fetchone()
        assert published + held == pytest.approx(total, abs=1e-6), (iid, year)
    assert round(kingdom[5]) == 61676  # 2560: the kingdom total PROVENANCE calls ~13,000 t/day too low
    # 2567: generated 74,529 against correct 28,550 + recovered 28,806 + incorrect 12,968 (categories overlap)
    assert [kingdom[12 * g + 12] for g in range(4)] == [74529, 28550, 28806, 12968]


def test_waste_break_around_2020_as_provenance_describes_it(wh):
    # Khon Kaen 1,873 -> 1,221 t/day between 2562 and 2563 (PCD's new estimation basis; a series break, kept)
    assert round(figure(wh, "waste_generated_t_day", "40", 2019)[0]) == 1873
    assert figure(wh, "waste_generated_t_day", "40", 2020) == (1221.4, WASTE)


# ------------------------------------------------------------------------------ held cells


def test_doubtful_waste_cells_are_held_with_their_reason_not_published(wh):
    for iid, code, year in HELD:
        assert figure(wh, iid, code, year) is None, (iid, code, year)
    rows = wh.execute(
        "SELECT indicator_id, area_code, year, value, source_id, reason FROM recipe_cell "
        "WHERE outcome = 'excluded' AND source_id = ? ORDER BY area_code, indicator_id",
        [WASTE],
    ).fetchall()
    assert sorted((i, a, y) for i, a, y, *_ in rows) == sorted(HELD)
    values = {(i, a): v for i, a, _, v, _, _ in rows}
    assert [values[(iid, "10")] for iid in WASTE_IDS] == [13, 10, 2, 1]  # entered in thousand t/day
    assert [values[(iid, "77")] for iid in WASTE_IDS] == [0, 0, 0, 0]
    for _, a, _, _, _, reason in rows:
        assert reason.startswith(
            "doubtful: Bangkok 2017 entered in thousand" if a == "10" else "doubtful: Prachuap"
        )
        assert "PROVENANCE.md" in reason
    # the neighbouring years are published as they stand
    assert figure(wh, "waste_generated_t_day", "10", 2018) == (13240.49, WASTE)
    assert figure(wh, "waste_generated_t_day", "77", 2017) == (520, WASTE)


def test_waste_caveat_names_the_held_cells_and_the_2020_break(wh):
    definition, caveat_th = wh.execute(
        "SELECT definition_en, definition_th FROM indicator WHERE id = 'waste_generated_t_day'"
    ).fetchone()
    assert "Caveat: PCD changed its estimation basis around 2020" in definition
    assert "Held, not published: Bangkok 2017" in definition and "Prachuap Khiri Khan 2016" in definition
    assert "ข้อควรระวัง: กรมควบคุมมลพิษเปลี่ยนฐานการประมาณ" in caveat_th
    breaks = wh.execute(
        "SELECT indicator_id, last_year_before, first_year_after FROM series_break "
        "WHERE indicator_id LIKE 'waste_%' ORDER BY 1"
    ).fetchall()
    assert breaks == [(iid, 2019, 2020) for iid in sorted(WASTE_IDS)]


# ------------------------------------------------------------------------------ "-" and N/A are no figure


def test_too_few_sample_cases_is_no_figure_and_the_reason_reaches_the_catalogue(wh, real_warehouse):
    # '-' in sheets 1.5 and 1.6 (PROVENANCE): Phuket 2552, 2556, 2563, 2566; Nonthaburi 2564-2567; Chon Buri
    # 2564-2565; Rayong 2565-2567; Khon Kaen 2566
    dashes = (
        [("83", y) for y in (2009, 2013, 2020, 2023)]
        + [("12", y) for y in range(2021, 2025)]
        + [("20", 2021), ("20", 2022)]
        + [("21", y) for y in (2022, 2023, 2024)]
        + [("40", 2023)]
    )
    for indicator in ("poverty_ratio_pct", "poor_persons_k"):
        for code, year in dashes:
            assert figure(wh, indicator, code, year) is None, (indicator, code, year)
    assert figure(wh, "poverty_line_baht", "83", 2009)[1] == POVERTY  # the line is published for them
    assert figure(wh, "poverty_ratio_pct", "13", 2017) == (0, POVERTY)  # Pathum Thani 2560: 0 as published
    # Bueng Kan: N/A (and blank in 1.4) before its first survey year, 2012
    assert wh.execute(
        "SELECT min(year) FROM observation WHERE area_code = '38' AND source_id = ?", [POVERTY]
    ).fetchone() == (2012,)
    catalogue = queries.indicators(Warehouse(real_warehouse)).set_index("id")
    for indicator in ("poverty_ratio_pct", "poor_persons_k"):
        text = catalogue.loc[indicator, "definition_en"]
        assert "could not compute one because the sample was too small ('-')" in text
        assert "Phuket 2009, 2013, 2020, 2023; Nonthaburi 2021-2024" in text
        assert "จำนวนตัวอย่างไม่เพียงพอ" in catalogue.loc[indicator, "definition_th"]
    ratio = catalogue.loc["poverty_ratio_pct", "definition_en"]
    assert (
        "Caveat: Sample-survey estimates: provincial samples are small" in ratio
    )  # wherever it is ranked or mapped


# ------------------------------------------------------------------------------ two editions, two series


def test_the_2013_release_and_the_current_edition_are_separate_series(wh):
    rows = wh.execute(
        "SELECT id, name_en, name_th, definition_en, source_ids FROM indicator "
        "WHERE source_ids LIKE '%nesdc_poverty%' ORDER BY id"
    ).fetchall()
    by_id = {r[0]: r for r in rows}
    current = {"poverty_ratio_pct", "poor_persons_k", "poverty_line_baht"}
    old = set(by_id) - current
    assert old == {
        "poverty_ratio_2013rel_pct", "poor_persons_2013rel_k", "poverty_line_2013rel_baht",
        "poverty_ratio_male_pct", "poverty_ratio_female_pct", "poor_persons_male_k", "poor_persons_female_k",
    }  # fmt: skip
    for iid in current:  # one source each: never spliced with the 2013 release
        _, name_en, name_th, definition, sources = by_id[iid]
        assert sources == POVERTY
        assert "edition 260205, NESDC's current series" in definition
        assert "2013" not in name_en and "2556" not in name_th
    for iid in old:
        _, name_en, name_th, definition, sources = by_id[iid]
        assert sources == "nesdc_poverty_province_ppt"
        assert name_en.endswith("NESDC 2013 release") and name_th.endswith("สศช. ฉบับปี 2556")
        assert "NESDC's 2013 release" in definition
    # every figure of each series comes from its own edition
    assert wh.execute(
        "SELECT DISTINCT source_id FROM observation WHERE indicator_id IN ('poverty_ratio_pct', 'poor_persons_k', "
        "'poverty_line_baht')"
    ).fetchall() == [(POVERTY,)]
    # the revised year: Mae Hong Son 2006 is 69.55 in the current edition, 72.03 in the 2013 release, both kept
    assert round(figure(wh, "poverty_ratio_pct", "58", 2006)[0], 2) == 69.55
    assert figure(wh, "poverty_ratio_2013rel_pct", "58", 2006) == (72.03, "nesdc_poverty_province_ppt")
    # and neither is listed as a conflict of the other: they are not copies of one figure
    assert wh.execute(
        "SELECT count(*) FROM recipe_cell WHERE source_id LIKE 'nesdc_poverty%' OR kept_source_id LIKE 'nesdc_poverty%'"
    ).fetchone() == (0,)


def test_latest_year_is_2024_for_both_sources(wh):
    latest = dict(
        wh.execute(
            "SELECT indicator_id, max(year) FROM observation WHERE source_id IN (?, ?) GROUP BY 1",
            [POVERTY, WASTE],
        ).fetchall()
    )
    assert latest == {iid: 2024 for iid in [*POVERTY_SHEETS.values(), *WASTE_IDS]}
    years = wh.execute(
        "SELECT DISTINCT year FROM observation WHERE indicator_id = 'poverty_ratio_pct' ORDER BY 1"
    ).fetchall()
    assert [y for (y,) in years] == [2000, 2002, 2004, *range(2006, 2025)]


def test_new_indicators_are_first_class(wh):
    rows = wh.execute(
        "SELECT i.id, i.theme, i.unit_en, i.unit_th, i.higher_is_better, i.agency_id, s.license, i.kind "
        "FROM indicator i JOIN source s ON s.id = i.source_ids WHERE s.id IN (?, ?) ORDER BY i.id",
        [POVERTY, WASTE],
    ).fetchall()
    assert rows == [
        ("poor_persons_k", "poverty", "thousand persons", "พันคน", False, "nesdc", "none stated", "count"),
        ("poverty_line_baht", "poverty", "baht per person per month", "บาทต่อคนต่อเดือน", None, "nesdc",
         "none stated", "amount"),
        ("poverty_ratio_pct", "poverty", "% of persons", "ร้อยละของประชากร", False, "nesdc", "none stated", "rate"),
        ("waste_disposed_correctly_t_day", "environment", "tonnes per day", "ตันต่อวัน", True, "pcd", "none stated",
         "amount"),
        ("waste_disposed_incorrectly_t_day", "environment", "tonnes per day", "ตันต่อวัน", False, "pcd",
         "none stated", "amount"),
        ("waste_generated_t_day", "environment", "tonnes per day", "ตันต่อวัน", False, "pcd", "none stated",
         "amount"),
        ("waste_recovered_t_day", "environment", "tonnes per day", "ตันต่อวัน", True, "pcd", "none stated", "amount"),
    ]  # fmt: skip
    loads = wh.execute(
        "SELECT file_name, loaded_by, rows_accepted FROM load WHERE file_name LIKE '%vapankung%' ORDER BY id"
    ).fetchall()
    assert loads == [
        (
            f"data/inbox/{POVERTY}/{POVERTY_FILE.name}",
            "recipe",
            1685,
        ),  # 1.4: 77 × 22 less Bueng Kan's 9 blanks
        (f"data/inbox/{POVERTY}/{POVERTY_FILE.name}", "recipe", 1671),  # 1.5: less 9 N/A and 14 '-'
        (f"data/inbox/{POVERTY}/{POVERTY_FILE.name}", "recipe", 1671),  # 1.6
        (f"data/inbox/{WASTE}/{WASTE_FILE.name}", "recipe", 3688),  # 77 × 12 × 4 less the 8 held
    ]


# ------------------------------------------------------------------------------ each recipe = an independent reading


def test_poverty_recipe_equals_a_calamine_reading():
    for entry, (sheet, indicator) in enumerate(POVERTY_SHEETS.items()):
        rows = cells(POVERTY_FILE, sheet)
        years = [int(float(h)) - 543 for h in rows[2][2:]]
        want = []
        for r in rows[3:]:
            code = CODE_OF_TH.get(str(r[1]).strip()) or ALIASES.get(str(r[1]).strip())
            if code is None:
                continue  # รวม (region totals), ทั่วประเทศ, notes
            for year, v in zip(years, r[2:], strict=False):
                if isinstance(v, float):  # '-', 'N/A' and blank cells are no figure
                    want.append({"indicator_id": indicator, "province_code": code, "year": year, "value": v})
        assert len({w["province_code"] for w in want}) == 77
        got = recipe_rows(f"{POVERTY}.toml", POVERTY_FILE.name, entry=entry)
        pd.testing.assert_frame_equal(got, expected(pd.DataFrame(want), f"{POVERTY}.toml", POVERTY_FILE.name))


def test_waste_recipe_equals_a_calamine_reading():
    rows = cells(WASTE_FILE, "2.1")
    years = [int(float(h)) - 543 for h in rows[3][1:49]]
    want = []
    for r in rows[5:]:
        code = CODE_OF_TH.get(str(r[0]).strip()) or ALIASES.get(str(r[0]).strip())
        if code is None:
            continue  # the source line
        for i, (year, v) in enumerate(zip(years, r[1:49], strict=True)):
            want.append({"indicator_id": WASTE_IDS[i // 12], "province_code": code, "year": year, "value": v})
    assert len(want) == 77 * 12 * 4
    got = recipe_rows(f"{WASTE}.toml", WASTE_FILE.name)
    want = expected(pd.DataFrame(want), f"{WASTE}.toml", WASTE_FILE.name)
    assert len(got) == len(want) == 77 * 12 * 4 - 8
    pd.testing.assert_frame_equal(got, want)


# ------------------------------------------------------------------------------ the pages open them


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("pages/map.py", {"indicator": "poverty_ratio_pct", "year": "2024", "lang": "en"}),
        ("pages/map.py", {"indicator": "waste_generated_t_day", "year": "2020", "percap": "1", "lang": "th"}),
        ("pages/trends.py", {"indicator": "waste_generated_t_day", "provinces": "10,77", "lang": "en"}),
        ("pages/catalog.py", {"theme": "poverty", "lang": "en"}),
    ],
)
def test_the_pages_open_the_new_series(real_warehouse, use_warehouse, path, params):
    from tests.conftest import open_page

    use_warehouse(real_warehouse)
    at = open_page(path, **params)
    assert not at.error, [e.value for e in at.error]
    if path == "pages/catalog.py":  # both editions listed, each under its own name
        names = dict(at.dataframe[0].value[["Id", "Indicator"]].values)
        assert names["poverty_ratio_pct"] == "Poverty headcount ratio (consumption)"
        assert (
            names["poverty_ratio_2013rel_pct"] == "Poverty headcount ratio (consumption), NESDC 2013 release"
        )
