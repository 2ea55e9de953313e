"""Monthly rows to yearly figures (Options.sum_months, a recipe's ``sum_months``): a year is the sum of its 12
months and only of 12; a part year is held with its reason; a month twice or out of range is rejected; a rate is
refused (tests/warehouse/test_recipes_months.py: a recipe refuses to sum a rate)."""

from __future__ import annotations

import pandas as pd
import pytest

from provdata.ingest import MappingError, Options, ProvinceNames, UnreadableFile, prepare
from provdata.ingest.months import sum_months
from tests.conftest import ROOT

IDS = set(pd.read_csv(ROOT / "data" / "seed" / "indicators.csv").indicator_id)
NAMES = ProvinceNames()
MAPS = (("month", "month"), ("visitors", "tourist_visitors_total"), ("receipts", "tourism_receipts_mb"))


def monthly_csv(rows: list[tuple[str, int, int, int, str]]) -> bytes:
    lines = ["province,year,month,visitors,receipts"] + [",".join(map(str, r)) for r in rows]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def year_of(province: str, year: int, months=range(1, 13), visitors=lambda m: 1000 + m) -> list[tuple]:
    return [(province, year, m, visitors(m), f"{m}.01") for m in months]


def test_a_year_is_the_sum_of_its_12_months_and_a_part_year_is_held():
    data = monthly_csv(year_of("Chiang Mai", 2022) + year_of("Chiang Mai", 2023, range(1, 10)))
    tidy = prepare(data, "m.csv", Options(maps=MAPS, sum_months=True), NAMES, IDS)
    got = {(r["indicator_id"], r["province_code"], r["year"]): r["value"] for r in tidy.rows}
    assert got == {
        ("tourist_visitors_total", "50", 2022): 12_078,  # 12 × 1000 + (1 + … + 12)
        ("tourism_receipts_mb", "50", 2022): 78.12,  # 1.01 + 2.01 + … + 12.01, exactly to the cells' decimals
    }
    assert tidy.rows[0]["row"] == 2 and "sum of months 1-12 (rows 2, 3, 4" in tidy.rows[0]["column"]
    held = [s for s in tidy.skipped if "2023" in s["reason"]]
    assert [s["row"] for s in held] == list(range(14, 23))  # each row of the part year once
    assert held[0]["reason"] == (
        "2023 has months 1-9 only (9 of 12): a part year is not a year's figure; not summed, not loaded"
    )
    assert "2023: months 1-9 only for 1 province(s): a part year is held (not summed, not loaded); a year's " \
        "figure is the sum of its 12 months" in tidy.notes  # fmt: skip


def test_a_missing_month_inside_a_year_holds_that_year_naming_the_months():
    data = monthly_csv(year_of("Phuket", 2021, [m for m in range(1, 13) if m != 6]))
    with pytest.raises(
        UnreadableFile, match=r"every row was skipped \(2021 has months 1-5, 7-12 only \(11 of 12\)"
    ):
        prepare(data, "m.csv", Options(maps=MAPS, sum_months=True), NAMES, IDS)
    data = monthly_csv(year_of("Phuket", 2021, [m for m in range(1, 13) if m != 6]) + year_of("Krabi", 2021))
    tidy = prepare(data, "m.csv", Options(maps=MAPS, sum_months=True), NAMES, IDS)
    assert {r["province_code"] for r in tidy.rows} == {"81"}  # Krabi's full year only
    assert {s["reason"] for s in tidy.skipped} == {
        "2021 has months 1-5, 7-12 only (11 of 12): a part year is not a year's figure; not summed, not loaded"
    }


def test_a_month_given_twice_is_rejected_naming_both_rows_and_the_year_is_not_summed():
    rows = [*year_of("Phuket", 2021), ("Phuket", 2021, 3, 999, "1.5")]
    tidy = prepare(monthly_csv(rows), "m.csv", Options(maps=MAPS, sum_months=True), NAMES, IDS)
    assert tidy.rows == []
    reasons = {r["reason"] for r in tidy.rejected}
    assert reasons == {
        "month 3 of 2021 for province 83 is also in row 4: keep one row (the year is not summed)"
    }
    assert {r["row"] for r in tidy.rejected} == {14}


def test_a_month_out_of_range_is_rejected():
    rows = year_of("Phuket", 2021)
    rows[4] = ("Phuket", 2021, 13, 5, "1")
    tidy = prepare(monthly_csv(rows), "m.csv", Options(maps=MAPS, sum_months=True), NAMES, IDS)
    assert [(r["row"], r["value"], r["reason"]) for r in tidy.rejected] == [
        (6, "13", "the month is not a whole number from 1 to 12")
    ]
    assert tidy.rows == []  # 11 months left: held


def test_monthly_rows_without_sum_months_and_sum_months_without_a_month_column_are_refused():
    data = monthly_csv(year_of("Phuket", 2021))
    with pytest.raises(
        MappingError,
        match=r"the rows are monthly .* upload one figure per year, or have a recipe sum each year's 12 months",
    ):
        prepare(data, "m.csv", Options(maps=MAPS), NAMES, IDS)
    with pytest.raises(MappingError, match="sum_months: say which column holds the month"):
        prepare(data, "m.csv", Options(maps=(*MAPS[1:], ("month", "skip")), sum_months=True), NAMES, IDS)
    with pytest.raises(ValueError, match="needs a month column"):
        from provdata.ingest.layout import Tidy

        sum_months(Tidy(rows=[{"indicator_id": "x", "province_code": "10", "year": 2020, "value": 1.0}]))


def test_the_upload_page_does_not_offer_the_month_role_it_cannot_sum():
    from provdata.ui.upload import _role_options

    options = _role_options(pd.DataFrame({"id": ["tourist_visitors_total"]}))
    assert options == ["", "province", "year", "indicator", "value", "skip", "tourist_visitors_total"]
