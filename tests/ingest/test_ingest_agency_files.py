"""Real agency files (data/inbox, PROVENANCE.md spot figures) through the one ingest path, as --dry-run does:
read → layout → validate against the catalog, nothing published. Every figure asserted here is read from the raw
file and written in the dataset's PROVENANCE.md."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from provdata.ingest import MappingError, Options, ProvinceNames, prepare
from provdata.ingest.validate import validate
from tests.conftest import ROOT

NAMES = ProvinceNames()


def inbox(folder: str) -> Path:
    """The agency files of ``folder``, as the repository ships them in data/inbox (the build's recipes read them
    there too)."""
    path = ROOT / "data" / "inbox" / folder
    assert path.is_dir(), f"{path} is missing: the repository ships it"
    return path


def dry_run(path: Path, options: Options, ids: set[str]):
    """prepare + validate with no published figures: what `ingest --dry-run` reports for a new indicator."""
    tidy = prepare(path.read_bytes(), path.name, options, NAMES, ids)
    indicators = pd.DataFrame({"id": sorted(ids), "kind": "count", "agency_id": "test"})
    published = pd.DataFrame(columns=["indicator_id", "area_code", "year", "value"])
    return tidy, validate(tidy, indicators, published)


def value(preview, indicator: str, code: str, year: int) -> float:
    a = preview.accepted
    return a[(a.indicator_id == indicator) & (a.province_code == code) & (a.year == year)].value.item()


# --------------------------------------------------------------------------- crime: พ.ศ. year pairs, 5 sheets

CRIME_SHEETS = {
    "อุกฉกรรจ์": "g1", "ชีวิต ร่างกาย": "g2", "ประทุษร้ายต่อทรัพย์": "g3", "คดีที่น่าสนใจ": "g4",
    "รัฐเป็นผู้เสียหาย": "g5",
}  # fmt: skip
CRIME_MAPS = tuple(
    (f"{sheet}!{measure}", f"crime_{g}_{what}")
    for sheet, g in CRIME_SHEETS.items()
    for measure, what in (("รับแจ้ง", "reported"), ("จับกุม", "arrested"))
)
CRIME_IDS = {role for _, role in CRIME_MAPS}
CRIME_NAMES = (("ศรีษะเกษ", "33"), ("สุพรรณ", "72"))  # sheet 1's spellings of ศรีสะเกษ and สุพรรณบุรี


@pytest.fixture(scope="module")
def crime():
    path = inbox("rtp_crime_province_ppt") / "crime_2013_07_16_15_59_19.xls"
    return dry_run(path, Options(maps=CRIME_MAPS, names=CRIME_NAMES), CRIME_IDS)


@pytest.mark.parametrize(
    ("group", "code", "year", "reported", "arrested"),
    [
        ("g1", "81", 2002, 95, 34),  # อุกฉกรรจ์ กระบี่ 2545
        ("g1", "10", 2005, 1657, 461),  # อุกฉกรรจ์ กรุงเทพมหานคร 2548
        ("g2", "50", 2010, 575, 343),  # ชีวิต ร่างกาย เชียงใหม่ 2553
        ("g3", "71", 2006, 974, 368),  # ประทุษร้ายต่อทรัพย์ กาญจนบุรี 2549
        ("g4", "46", 2009, 322, 225),  # คดีที่น่าสนใจ กาฬสินธุ์ 2552
        ("g5", "10", 2011, 86596, 94733),  # รัฐเป็นผู้เสียหาย กรุงเทพมหานคร 2554
        ("g5", "38", 2011, 1798, 2268),  # รัฐเป็นผู้เสียหาย บึงกาฬ 2554
    ],
)
def test_crime_year_pairs_give_the_provenance_spot_figures(crime, group, code, year, reported, arrested):
    _, preview = crime
    assert value(preview, f"crime_{group}_reported", code, year) == reported
    assert value(preview, f"crime_{group}_arrested", code, year) == arrested


def test_crime_every_province_year_once_and_bueng_kan_before_2011_skipped_not_zero(crime):
    tidy, preview = crime
    a = preview.accepted
    # 76 provinces × 10 years + Bueng Kan 2011, for each of the 10 indicators; nothing rejected.
    assert preview.counts()["rejected"] == 0, preview.rejected.head()
    assert len(a) == 10 * (76 * 10 + 1)
    assert sorted(a.year.unique()) == list(range(2002, 2012))
    assert set(a[a.province_code == "38"].year) == {2011}
    bueng_kan = preview.skipped[preview.skipped.name == "บึงกาฬ"]
    # 9 years × 2 columns × 5 sheets: 0 in sheets 1 and 5 and in 2545–2547 of sheet 4, ' -' elsewhere.
    assert len(bueng_kan) == 90
    assert bueng_kan.reason.str.endswith("province 38 was created in 2011; not a figure").all()
    assert bueng_kan.reason.str.startswith("0 in ").sum() == 2 * 9 * 2 + 2 * 3
    # Sheet 1 writes ศรีษะเกษ and สุพรรณ: matched because the steward confirmed them, and the report says so.
    assert tidy.proposed == {} and tidy.confirmed == {"ศรีษะเกษ": "33", "สุพรรณ": "72"}
    assert "province name 'สุพรรณ' matched to 72 by a steward's confirmation" in preview.notes
    assert len(a[(a.province_code == "72") & (a.indicator_id == "crime_g1_reported")]) == 10


def test_crime_names_without_confirmation_are_proposed_and_held_not_guessed():
    path = inbox("rtp_crime_province_ppt") / "crime_2013_07_16_15_59_19.xls"
    tidy, preview = dry_run(path, Options(maps=CRIME_MAPS), CRIME_IDS)
    assert tidy.proposed == {"ศรีษะเกษ": "33", "สุพรรณ": "72"}
    assert preview.counts()["rejected"] == 2
    assert list(preview.rejected.value) == ["ศรีษะเกษ", "สุพรรณ"]
    assert preview.rejected.reason.iloc[0] == (
        "province name not confirmed: 'ศรีษะเกษ' looks like ศรีสะเกษ (33); "
        'confirm it (--name "ศรีษะเกษ=33") and it is kept for next time'
    )
    assert set(preview.accepted[preview.accepted.indicator_id == "crime_g1_reported"].province_code) >= {
        "10",
        "81",
    }
    assert "33" not in set(
        preview.accepted[preview.accepted.indicator_id == "crime_g1_reported"].province_code
    )


def test_crime_without_mappings_asks_per_measure_naming_the_option():
    path = inbox("rtp_crime_province_ppt") / "crime_2013_07_16_15_59_19.xls"
    with pytest.raises(
        Exception, match=r'which indicator the columns of \'จับกุม\' hold \(10\): --map "จับกุม=ID"'
    ):
        prepare(path.read_bytes(), path.name, Options(), NAMES, CRIME_IDS)


# --------------------------------------------- poverty: one file per year, year over measures, rows split by sex

POVERTY_BY_SEX = {
    "poor_province_2013_05_29_17_37_31.xls": 2006, "poor_province_2013_05_30_12_23_48.xls": 2007,
    "poor_province_2013_05_30_12_26_47.xls": 2008, "poor_province_2013_05_30_12_30_00.xls": 2009,
    "poor_province_2013_05_30_12_33_07.xls": 2010, "poor_province_2013_05_30_12_36_31.xls": 2011,
}  # fmt: skip
POVERTY_MAPS = tuple(
    (f"{measure}@{sex}", f"poverty_{what}_{s}")
    for sex, s in (("ชาย", "male"), ("หญิง", "female"))
    for measure, what in (
        ("สัดส่วนคนจน(ร้อยละ)", "ratio"),
        ("จำนวนคนจน(พันคน)", "poor"),
        ("จำนวนประชากร(พันคน)", "pop"),
    )
)
POVERTY_IDS = {role for _, role in POVERTY_MAPS} | {"poverty_line", "poverty_ratio", "poverty_poor"}
POVERTY_NAMES = (("กาฬสินธ์", "46"), ("สุราษฎ์ธานี", "84"))  # NESDC's spellings of กาฬสินธุ์ and สุราษฎร์ธานี


@pytest.fixture(scope="module")
def poverty():
    folder = inbox("nesdc_poverty_province_ppt")
    return {
        name: dry_run(folder / name, Options(maps=POVERTY_MAPS, names=POVERTY_NAMES), POVERTY_IDS)
        for name in POVERTY_BY_SEX
    }


@pytest.mark.parametrize(
    ("file", "code", "sex", "ratio", "poor", "pop"),
    [
        ("poor_province_2013_05_30_12_30_00.xls", "33", "male", 60.87, 316.3, 519.6),  # ศรีสะเกษ 2552
        ("poor_province_2013_05_30_12_33_07.xls", "40", "female", 15.87, 144.3, 909.1),  # ขอนแก่น 2553
        ("poor_province_2013_05_30_12_26_47.xls", "96", "female", 39.71, 130.3, 328.1),  # นราธิวาส 2551
        ("poor_province_2013_05_30_12_36_31.xls", "10", "male", 8.5, 339.4, 3993.1),  # กรุงเทพมหานคร 2554
    ],
)
def test_poverty_by_sex_one_file_per_year_gives_the_spot_figures(poverty, file, code, sex, ratio, poor, pop):
    _, preview = poverty[file]
    year = POVERTY_BY_SEX[file]
    assert value(preview, f"poverty_ratio_{sex}", code, year) == ratio
    assert value(preview, f"poverty_poor_{sex}", code, year) == poor
    assert value(preview, f"poverty_pop_{sex}", code, year) == pop


def test_poverty_every_file_is_its_year_76_provinces_regions_and_sex_totals_skipped(poverty):
    for file, year in POVERTY_BY_SEX.items():
        tidy, preview = poverty[file]
        a = preview.accepted
        assert set(a.year) == {year}, file
        assert preview.counts()["rejected"] == 0, (file, preview.rejected.head())
        assert a.province_code.nunique() == 76 and "38" not in set(a.province_code)  # no Bueng Kan yet
        reasons = preview.skipped.groupby("reason").size().to_dict()
        # per sex: 5 region rows and one sex total
        assert reasons == {"region or total row": 10, "sex total row (all provinces of one sex)": 2}, file
        assert tidy.confirmed == {"กาฬสินธ์": "46", "สุราษฎ์ธานี": "84"}
    # Phuket (83) is blank: female 2007, both sexes 2009 — missing, never 0.
    _, p2007 = poverty["poor_province_2013_05_30_12_23_48.xls"]
    _, p2009 = poverty["poor_province_2013_05_30_12_30_00.xls"]
    assert sorted(p2007.accepted[p2007.accepted.province_code == "83"].indicator_id) == [
        "poverty_poor_male", "poverty_pop_female", "poverty_pop_male", "poverty_ratio_male",
    ]  # fmt: skip
    assert sorted(p2009.accepted[p2009.accepted.province_code == "83"].indicator_id) == [
        "poverty_pop_female", "poverty_pop_male",
    ]  # fmt: skip
    assert len(p2009.accepted) == 76 * 6 - 4


@pytest.mark.parametrize(
    ("file", "year", "code", "line", "ratio", "poor"),
    [
        ("poor_province_49.xls", 2006, "58", 1636, 72.03, 142.6),  # แม่ฮ่องสอน
        ("poor_province_49.xls", 2006, "27", 2144, 59.99, 309.2),  # สระแก้ว
        ("poor_province_2013_06_03_17_56_25.xls", 2007, "20", 2454, 2.02, 27.0),  # ชลบุรี
    ],
)
def test_poverty_both_sexes_files_with_the_year_over_three_measures(file, year, code, line, ratio, poor):
    maps = (
        ("เส้นความยากจน(บาท/คน/เดือน)", "poverty_line"),
        ("สัดส่วน (พันคน)", "poverty_ratio"),  # mislabelled upstream: the values are the ratio (%)
        ("จำนวน (พันคน)", "poverty_poor"),
    )
    path = inbox("nesdc_poverty_province_ppt") / file
    _, preview = dry_run(path, Options(maps=maps, names=POVERTY_NAMES), POVERTY_IDS)
    assert value(preview, "poverty_line", code, year) == line
    assert value(preview, "poverty_ratio", code, year) == ratio
    assert value(preview, "poverty_poor", code, year) == poor
    assert preview.accepted.province_code.nunique() == 76 and set(preview.accepted.year) == {year}
    assert set(preview.skipped.reason) == {"region or total row"}


def test_poverty_names_are_proposed_until_confirmed():
    path = inbox("nesdc_poverty_province_ppt") / "poor_province_2013_05_30_12_30_00.xls"
    tidy, preview = dry_run(path, Options(maps=POVERTY_MAPS), POVERTY_IDS)
    assert tidy.proposed == {"กาฬสินธ์": "46", "สุราษฎ์ธานี": "84"}
    assert list(preview.rejected.row) == [68, 77, 150, 159]


# ------------------------------- OAE land use: year in the title, a three-line header, a stacked all-years sheet

LANDUSE_MAPS = (
    ("เนื้อที่ ป่าไม้", "forest_area_rai"),
    ("เนื้อที่ ทั้งหมด", "total_area_rai"),
    ("เนื้อที่ ใช้ประโยชน์ ทางการเกษตร", "agricultural_land_rai"),
    ("จำนวน ฟาร์ม", "farms"),
)
LANDUSE_IDS = {role for _, role in LANDUSE_MAPS}


@pytest.fixture(scope="module")
def landuse():
    path = inbox("oae_landuse_forest_oui121") / "1.เนื้อที่ใช้ประโยชน์ ปี 2545-2556.xls"
    return dry_run(path, Options(maps=LANDUSE_MAPS, skip_unmapped=True), LANDUSE_IDS)


@pytest.mark.parametrize(
    ("indicator", "code", "year", "expected"),
    [
        ("forest_area_rai", "55", 2013, 4653024),  # น่าน, sheet 56
        ("forest_area_rai", "60", 2013, 546816),  # นครสวรรค์
        ("total_area_rai", "60", 2013, 5998548),
        ("agricultural_land_rai", "60", 2013, 4381124),
        ("forest_area_rai", "62", 2002, 1365437),  # กำแพงเพชร, sheet 45
        ("forest_area_rai", "61", 2008, 2170627),  # อุทัยธานี, sheet 51
        ("forest_area_rai", "18", 2006, 35469),  # ชัยนาท, sheet 49
        ("total_area_rai", "38", 2013, 2690625),  # บึงกาฬ, sheet 56
        ("forest_area_rai", "38", 2013, 179825),
        ("agricultural_land_rai", "38", 2013, 1258406),
    ],
)
def test_landuse_year_from_each_sheet_title_gives_the_spot_figures(landuse, indicator, code, year, expected):
    _, preview = landuse
    assert value(preview, indicator, code, year) == expected


def test_landuse_per_year_sheets_and_the_stacked_sheet_agree_and_totals_are_skipped(landuse):
    tidy, preview = landuse
    a = preview.accepted
    assert preview.counts()["rejected"] == 0
    # 76 provinces 2002–2013 and Bueng Kan 2013, 4 indicators; the stacked sheet repeats them exactly.
    assert len(a) == 4 * (76 * 12 + 1)
    assert sorted(a.year.unique()) == list(range(2002, 2014))
    dup = preview.skipped[preview.skipped.reason.str.startswith("exact duplicate")]
    assert len(dup) == len(a) and set(dup.sheet) == {"45-55นิยามใหม่"}
    assert "sheet '45': year 2002 from the title (ปี พ.ศ. 2545)" in tidy.notes
    assert "sheet '45': column E “ขนาด ของฟาร์ม” is not mapped: skipped" in tidy.notes
    totals = preview.skipped[preview.skipped.reason == "region or total row"]
    assert set(totals.name) == {
        "รวมทั้งประเทศ",
        "ภาคเหนือ",
        "ตะวันออกเฉียงเหนือ",
        "ภาคตะวันออกเฉียงเหนือ",
        "ภาคกลาง",
        "ภาคใต้",
    }


def test_landuse_bueng_kan_zeros_before_and_after_its_creation_are_skipped_not_published():
    path = inbox("oae_landuse_forest_oui121") / "1.เนื้อที่ใช้ประโยชน์ปี 2536-2557 (ใหม่).xls"
    options = Options(
        sheet="36-57", maps=(("D", "agricultural_land_rai"), ("F", "farms")), skip_unmapped=True
    )
    _tidy, preview = dry_run(path, options, LANDUSE_IDS)
    assert value(preview, "agricultural_land_rai", "60", 1993) == 4306072  # นครสวรรค์ 2536
    assert value(preview, "farms", "60", 1993) == 106393
    bk = preview.accepted[preview.accepted.province_code == "38"]
    assert sorted(bk.year.unique()) == [2013, 2014] and (bk.value > 0).all()
    skipped = preview.skipped[preview.skipped.reason.str.contains("province 38")]
    assert len(skipped) == 2 * (2013 - 1993)  # 1993–2012, two columns: all 0, none published
    assert skipped.reason.str.contains("created in 2011; not a figure").sum() == 2 * 18
    assert skipped.reason.str.contains("zeros continue from before province 38 existed").sum() == 2 * 2


# ------------------------- OAE irrigation: province rows with sub-rows, crop year 2545/46 in the title → 2002

IRRIGATION_MAPS = (
    ("B", "rice_planted_rai"), ("B@ในเขตชลประทาน", "rice_planted_irrigated_rai"),
    ("D@ในเขตชลประทาน", "rice_production_irrigated_t"), ("G@ในเขตชลประทาน", "rice_irrigated_share_pct"),
)  # fmt: skip
IRRIGATION_IDS = {role for _, role in IRRIGATION_MAPS}


@pytest.fixture(scope="module")
def irrigation():
    path = inbox("oae_rice_irrigation_oui121") / "4.ชลประทานนาปี 45-58ความชื้น15%.xls"
    options = Options(maps=IRRIGATION_MAPS, names=(("บีงกาฬ", "38"),), skip_unmapped=True)
    return dry_run(path, options, IRRIGATION_IDS)


@pytest.mark.parametrize(
    ("indicator", "code", "year", "expected"),
    [
        ("rice_planted_rai", "60", 2015, 2146009),  # นครสวรรค์, sheet 58, total row
        ("rice_planted_irrigated_rai", "60", 2015, 520967),  # its ในเขตชลประทาน row
        ("rice_irrigated_share_pct", "60", 2015, 24.28),
        ("rice_planted_irrigated_rai", "18", 2015, 663706),  # ชัยนาท
        ("rice_production_irrigated_t", "18", 2015, 437382),
        ("rice_irrigated_share_pct", "18", 2015, 96.21),
        ("rice_planted_irrigated_rai", "72", 2002, 916677),  # สุพรรณบุรี, sheet 45
        ("rice_irrigated_share_pct", "72", 2002, 87.916),
        ("rice_planted_rai", "38", 2011, 561850),  # บีงกาฬ (spelt so), sheet 54
        ("rice_planted_irrigated_rai", "38", 2011, 43208),
        ("rice_irrigated_share_pct", "38", 2011, 7.69),
    ],
)
def test_irrigation_sub_rows_give_the_spot_figures(irrigation, indicator, code, year, expected):
    _, preview = irrigation
    assert value(preview, indicator, code, year) == expected


def test_irrigation_crop_years_sub_rows_of_totals_and_unmapped_sub_rows_are_listed(irrigation):
    tidy, preview = irrigation
    a = preview.accepted
    assert preview.counts()["rejected"] == 0
    assert sorted(a.year.unique()) == list(range(2002, 2016))
    # 76 provinces 2002–2010, 77 from 2011 (sheet 54), 4 indicators
    assert len(a) == 4 * (76 * 9 + 77 * 5)
    assert (
        "sheet '53': year 2010 from the title (ปีเพาะปลูก 2553/54: a crop year is its planting year, 2010)"
        in tidy.notes
    )
    reasons = preview.skipped.groupby("reason").size().to_dict()
    assert reasons == {
        "region or total row": 5 * 14,  # kingdom and four regions on each of the 14 sheets
        "sub-row of a region or total row": 2 * 5 * 14,
        'sub-row not mapped (--map "COLUMN@นอกเขตชลประทาน=ID")': 76 * 9 + 77 * 5,
    }
    row = preview.skipped[preview.skipped.name == "นครสวรรค์ / นอกเขตชลประทาน"]
    assert len(row) == 14


# --------------------------------------- OAE farm households: provinces as columns, items as rows, crop years

FARM_MAPS = (("5. รายได้เงินสดสุทธิครัวเรือน(Net cash family income)", "farm_net_cash_family_income"),)


@pytest.mark.parametrize(
    ("file", "sheet", "year_option", "code", "expected", "year"),
    [
        ("จังหวัด50-51.xls", "ก.", None, "60", 154535, 2007),  # title: ปีเพาะปลูก 2550/51
        ("จังหวัด50-51.xls", "ก.", None, "61", 134890, 2007),
        ("53-54(จังหวัด).xls", "ก", None, "60", 167084.93, 2010),
        ("จังหวัด 54-55.xls", "ก.", 2011, "60", 177898, 2011),  # no year in the sheet: the steward says it
    ],
)
def test_farm_households_provinces_as_columns(file, sheet, year_option, code, expected, year):
    path = inbox("oae_farm_household_socio_oui121") / file
    options = Options(sheet=sheet, year=year_option, maps=FARM_MAPS, skip_unmapped=True)
    tidy, preview = dry_run(path, options, {"farm_net_cash_family_income"})
    assert value(preview, "farm_net_cash_family_income", code, year) == expected
    assert preview.counts()["rejected"] == 0
    assert preview.accepted.province_code.nunique() == (77 if year == 2011 else 76)
    assert any("provinces are across row" in n for n in tidy.notes)


def test_farm_households_debt_sheet_and_a_year_the_title_does_not_say_comes_from_the_file_name():
    path = inbox("oae_farm_household_socio_oui121") / "จังหวัด50-51.xls"
    maps = (("2. ขนาดหนี้สินค้างชำระปลายปี(31 มี.ค.)(บาท/ครัวเรือน)", "farm_debt"),)
    _, preview = dry_run(path, Options(sheet="ข.", maps=maps, skip_unmapped=True), {"farm_debt"})
    assert value(preview, "farm_debt", "60", 2007) == 154296
    path = inbox("oae_farm_household_socio_oui121") / "จังหวัด 54-55.xls"  # the title of ข. says no year
    tidy, preview = dry_run(path, Options(sheet="ข.", maps=maps, skip_unmapped=True), {"farm_debt"})
    assert value(preview, "farm_debt", "18", 2011) == 104318  # ชัยนาท 2554/55
    assert (
        "sheet 'ข.': year 2011 from the file name ('54-55': a crop year is its planting year)" in tidy.notes
    )
    _, preview = dry_run(path, Options(sheet="ข.", year=2012, maps=maps, skip_unmapped=True), {"farm_debt"})
    assert value(preview, "farm_debt", "18", 2012) == 104318  # the steward's --year wins


# ------------------------------------------- SSO work injuries: one file per year, three-line header, notes

SSO_FILES = {
    "danger_2013_11_21_16_45_37.xls": 2010, "danger_2013_11_22_09_34_15.xls": 2011,
    "danger_2555_2013_11_26_13_35_23.xls": 2012, "danger_2556_2014_09_18_11_23_36.xls": 2013,
}  # fmt: skip
SSO_MAPS = (("C", "wc_employees"), ("D", "work_deaths"), ("I", "work_injuries_all"),
            ("K", "work_injury_rate_all"), ("L", "work_injury_rate_serious"))  # fmt: skip
SSO_NAMES = (("สุราษฏร์ธานี", "84"),)


@pytest.mark.parametrize(
    ("year", "code", "employees", "deaths", "cases", "rate_all", "rate_serious"),
    [
        (2010, "10", 2936121, 154, 39229, 13.36, 3.60),
        (2010, "11", 661817, 47, 25754, 38.91, 11.38),
        (2011, "58", 2433, 0, 6, 2.47, 1.64),
        (2012, "56", 9115, 1, 68, 7.46, 3.84),
        (2012, "90", 149785, 12, 1427, 9.53, 4.93),
        (2013, "11", 695185, 29, 17682, 25.43, 7.82),
        (2013, "36", 16799, 2, 68, 4.05, 2.20),
    ],
)
def test_work_injuries_one_file_per_year(year, code, employees, deaths, cases, rate_all, rate_serious):
    file = next(f for f, y in SSO_FILES.items() if y == year)
    path = inbox("sso_work_injury_province_ppt") / file
    ids = {role for _, role in SSO_MAPS}
    _tidy, preview = dry_run(path, Options(maps=SSO_MAPS, names=SSO_NAMES, skip_unmapped=True), ids)
    assert set(preview.accepted.year) == {year}
    assert value(preview, "wc_employees", code, year) == employees
    assert value(preview, "work_deaths", code, year) == deaths
    assert value(preview, "work_injuries_all", code, year) == cases
    assert (
        round(value(preview, "work_injury_rate_all", code, year), 2) == rate_all
    )  # the file keeps 15 digits
    assert round(value(preview, "work_injury_rate_serious", code, year), 2) == rate_serious
    assert preview.counts()["rejected"] == 0, preview.rejected.head()


def test_irrigation_off_season_28_sheets_whose_columns_move_mapped_by_header():
    """File 2: the name column is B in sheets 55–56 (A holds running numbers) and the % column exists only
    from sheet 52: maps by header find the column in every sheet; a header absent from a sheet is no error."""
    path = inbox("oae_rice_irrigation_oui121") / "4.ชลประทานนาปรัง32-59.xls"
    maps = (
        ("เนื้อที่เพาะปลูก", "rice_planted_rai"),
        ("เนื้อที่เพาะปลูก@ในเขตชลประทาน", "rice_planted_irrigated_rai"),
        ("ร้อยละ เนื้อที่เพาะปลูก@ในเขตชลประทาน", "rice_irrigated_share_pct"),
    )
    tidy, preview = dry_run(path, Options(maps=maps, skip_unmapped=True), {m for _, m in maps})
    assert sorted(preview.accepted.year.unique()) == list(range(1989, 2017))  # sheets 32 … 59, ปี 2532 … 2559
    assert value(preview, "rice_planted_rai", "60", 2016) == 205975  # นครสวรรค์, sheet 59
    assert value(preview, "rice_planted_irrigated_rai", "60", 2016) == 118944
    assert value(preview, "rice_irrigated_share_pct", "60", 2016) == 57.75
    assert value(preview, "rice_planted_irrigated_rai", "18", 2002) == 583465  # ชัยนาท, sheet 45 (no % column)
    assert preview.counts()["rejected"] == 0
    assert "sheet '32': year 1989 from the title (ปี 2532)" in tidy.notes


# ------------------------------------------------------------ hostile options: named, never a traceback


@pytest.mark.parametrize(
    ("maps", "message"),
    [
        (
            (("ไม่มีชีตนี้!รับแจ้ง", "crime_g1_reported"),),
            r"--map names sheet 'ไม่มีชีตนี้', not in crime_.*xls; its sheets are: 'อุกฉกรรจ์'",
        ),
        (
            (("ไม่มีคอลัมน์นี้", "crime_g1_reported"),),
            r"column 'ไม่มีคอลัมน์นี้' is not in sheet 'อุกฉกรรจ์'; its columns are: A “จังหวัด”",
        ),
        (
            (("รับแจ้ง@ชาย", "province"),),
            r"--map รับแจ้ง@ชาย=province: rows of one group take an indicator id or skip",
        ),
        ((("รับแจ้ง", "no_such_indicator"),), r"'no_such_indicator' is neither a role .* nor an indicator id"),
    ],
)
def test_bad_maps_are_named_with_what_to_do(maps, message):
    path = inbox("rtp_crime_province_ppt") / "crime_2013_07_16_15_59_19.xls"
    with pytest.raises(MappingError, match=message):
        prepare(path.read_bytes(), path.name, Options(maps=maps), NAMES, CRIME_IDS)


def test_a_map_that_names_a_column_of_one_sheet_only_is_not_an_error():
    """The off-season workbook's % column exists from sheet 52 on; the crime workbook's maps are per sheet."""
    path = inbox("rtp_crime_province_ppt") / "crime_2013_07_16_15_59_19.xls"
    options = Options(maps=(("อุกฉกรรจ์!รับแจ้ง", "crime_g1_reported"),), names=CRIME_NAMES, skip_unmapped=True)
    tidy = prepare(path.read_bytes(), path.name, options, NAMES, CRIME_IDS)
    assert {r["indicator_id"] for r in tidy.rows} == {"crime_g1_reported"} and {
        r["sheet"] for r in tidy.rows
    } == {"อุกฉกรรจ์"}
    assert "sheet 'รัฐเป็นผู้เสียหาย': columns of 'รับแจ้ง' are not mapped: skipped" in tidy.notes
