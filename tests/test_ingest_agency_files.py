"""Real agency files (data/inbox, PROVENANCE.md spot figures) through the one ingest path, as --dry-run does:
read → layout → validate against the catalog, nothing published. Every figure asserted here is read from the raw
file and written in the dataset's PROVENANCE.md."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from provdata.ingest import Options, ProvinceNames, prepare
from provdata.ingest.validate import validate
from tests.conftest import ROOT

NAMES = ProvinceNames()


def inbox(folder: str) -> Path:
    """The agency files: the repository's data/inbox, else the shared inbox they were copied from."""
    for base in (
        ROOT / "data" / "inbox",
        ROOT.parent.parent / "shared" / "data" / "inbox",
        Path("/work/shared/data/inbox"),
    ):
        if (base / folder).is_dir():
            return base / folder
    pytest.skip(f"agency files {folder} are not here")


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
