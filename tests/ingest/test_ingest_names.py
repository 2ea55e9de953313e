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
    m = names.match("Nakhon")
    assert m.kind == "unknown" and m.code is None
    assert m.suggestions == ("Sakon Nakhon (47)", "Nakhon Sawan (60)", "Nakhon Nayok (26)")
    assert names.match("99").kind == "unknown"  # not a DOPA province code


@pytest.mark.parametrize(
    ("raw", "code", "closest"),
    [
        ("AMNAT CHAREON", "37", "Amnat Charoen (37)"), ("SA KAEW", "27", "Sa Kaeo (27)"),
        ("PHACHUAP KHIRI KHAN", "77", "Prachuap Khiri Khan (77)"), ("Nakhon Sawam", "60", "Nakhon Sawan (60)"),
        ("กาฬสินธ์", "46", "กาฬสินธุ์ (46)"), ("สุราษฎ์ธานี", "84", "สุราษฎร์ธานี (84)"), ("บีงกาฬ", "38", "บึงกาฬ (38)"),
    ],
)  # fmt: skip
def test_one_clear_close_match_is_proposed_for_confirmation_not_taken(names, raw, code, closest):
    m = names.match(raw)
    assert (m.kind, m.code, m.suggestions[0]) == ("proposed", code, closest)
    confirmed = names.with_confirmed([(raw, code)])
    assert confirmed.match(raw) == type(m)(code, "province") and confirmed.is_confirmed(raw)
    assert names.match(raw).kind == "proposed"  # the shared list is unchanged


def test_a_confirmation_must_name_a_real_code_and_not_contradict_a_known_spelling(names):
    with pytest.raises(ValueError, match="'99' is not a DOPA province code"):
        names.with_confirmed([("AMNAT CHAREON", "99")])
    with pytest.raises(ValueError, match="'Nakhon Sawan' is already the spelling of province 60, not 61"):
        names.with_confirmed([("Nakhon Sawan", "61")])


@pytest.mark.parametrize(
    ("raw", "reason"),
    [("รวมชาย", "sex total row (all provinces of one sex)"), ("รวมหญิง", "sex total row (all provinces of one sex)"),
     ("ตะวันออกเฉียงเหนือ", "region or total row"), ("เหนือ", "region or total row"),
     ("รวมทั้งประเทศ", "region or total row")],
)  # fmt: skip
def test_sex_totals_and_bare_region_names_are_skipped_with_their_reason(names, raw, reason):
    assert (names.match(raw).kind, names.match(raw).reason) == ("aggregate", reason)
