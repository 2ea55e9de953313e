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
    with pytest.raises(Exception, match=r'which indicator the 10 columns of \'จับกุม\' hold: --map "จับกุม=ID"'):
        prepare(path.read_bytes(), path.name, Options(), NAMES, CRIME_IDS)
