"""Province names in the spellings agencies publish map to DOPA codes; totals are skipped; typos get hints."""

from __future__ import annotations

import pytest

from provdata.ingest.names import ProvinceNames


@pytest.fixture(scope="module")
def names():
    return ProvinceNames()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("นครสวรรค์", "60"), ("จังหวัดนครสวรรค์", "60"), ("จ.นครสวรรค์", "60"), ("อยุธยา", "14"),
        ("กรุงเทพฯ", "10"), ("กรุงเทพมหานคร", "10"), ("KAM PHAENG PHET", "62"), ("SINGBURI", "17"),
        ("PHRA NAKHON SRI AYUTHAYA", "14"), ("Phra Nakhon Si Ayutthaya", "14"), ("Lop Buri", "16"),
        ("Lopburi", "16"), ("chai nat", "18"), ("Chainat", "18"), ("Uthai Thani", "61"), ("60", "60"),
        ("  Nakhon  Sawan ", "60"), ("Bungkan", "38"), ("Changwat Nakhon Nayok", "26"),
    ],
)  # fmt: skip
def test_spellings_map_to_codes(names, raw, code):
    match = names.match(raw)
    assert (match.kind, match.code) == ("province", code)


@pytest.mark.parametrize(
    "raw",
    ["ทั่วราชอาณาจักร", "ภาคกลาง", "ภาคตะวันออกเฉียงเหนือ", "Whole Kingdom", "Total", "Central Region", "รวม"],
)
def test_region_and_total_rows_are_aggregates(names, raw):
    assert names.match(raw).kind == "aggregate"


def test_an_unknown_name_gets_the_closest_spellings(names):
    m = names.match("Nakhon Sawam")
    assert m.kind == "unknown" and m.code is None
    assert m.suggestions[0].endswith("(60)")
    assert names.match("99").kind == "unknown"  # not a DOPA province code
