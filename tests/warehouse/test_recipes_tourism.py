"""MOTS monthly domestic tourism (issue #22): a year's figure is the sum of its 12 months, extending the seed's
MOTS annual series (mots_tourism_econvis, 2019-2022) to 2023; January-September 2024 is never a year; occupancy
(a rate) is never summed.

Expected figures are summed here from the raw CSV with the csv module and exact decimals, not the ingest code.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tomllib
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from provdata.ingest import ProvinceNames
from provdata.strategy.freshness import assess
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "mots_domestic_tourism_monthly_nnexttt"
SEED = "mots_tourism_econvis"
RAW = ROOT / "data" / "inbox" / SOURCE / "thailand_domestic_tourism.csv"
RECIPE = ROOT / "data" / "recipes" / f"{SOURCE}.toml"
COLUMNS = {  # the file's column → the seed's indicator (net_profit_* are receipts, million baht)
    "no_tourist_all": "tourist_visitors_total",
    "no_tourist_thai": "tourist_visitors_thai",
    "no_tourist_foreign": "tourist_visitors_foreign",
    "no_tourist_occupied": "accommodation_guests",
    "net_profit_all": "tourism_receipts_mb",
    "net_profit_thai": "tourism_receipts_thai_mb",
    "net_profit_foreign": "tourism_receipts_foreign_mb",
}
SUMMED = sorted(COLUMNS.values())
TOURISM = [*SUMMED, "hotel_occupancy_rate_pct"]


@pytest.fixture(scope="module")
def raw() -> list[dict]:
    with RAW.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def code_of(raw) -> dict[str, str]:
    names = ProvinceNames()
    out = {}
    for name in sorted({r["province_eng"] for r in raw}):
        m = names.match(name)
        assert m.kind == "province", name
        out[name] = m.code
    return out


@pytest.fixture(scope="module")
def sums(raw, code_of) -> dict[tuple[str, str, int], tuple[Decimal, int]]:
    """(indicator, province code, year) → (sum of the months as exact decimals, number of months)."""
    out: dict[tuple[str, str, int], tuple[Decimal, int]] = {}
    for r in raw:
        for column, iid in COLUMNS.items():
            key = (iid, code_of[r["province_eng"]], int(r["year"]))
            total, n = out.get(key, (Decimal(0), 0))
            out[key] = (total + Decimal(r[column]), n + 1)
    return out


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


def test_the_raw_file_is_as_provenance_describes_it(raw, code_of):
    data = RAW.read_bytes()
    assert data[:3] == b"\xef\xbb\xbf" and b"\r\n" in data and len(data) == 399_249
    assert len(raw) == 5313 == 77 * 69
    assert len(code_of) == 77 and len(set(code_of.values())) == 77  # 0 unresolved, no two names on one code
    months = {(int(r["year"]), int(r["month"])) for r in raw}
    assert min(months) == (2019, 1) and max(months) == (2024, 9) and len(months) == 69


def test_bangkok_2023_is_the_sum_of_its_12_months_with_january_as_provenance_reads_it(wh, raw):
    bangkok = {int(r["month"]): int(r["no_tourist_all"]) for r in raw if r["province_eng"] == "Bangkok"
               and r["year"] == "2023"}  # fmt: skip
    assert sorted(bangkok) == list(range(1, 13))
    assert bangkok[1] == 4_872_078  # PROVENANCE spot figure, Bangkok 2023-01
    assert figure(wh, "tourist_visitors_total", "10", 2023) == (sum(bangkok.values()), SOURCE)
    assert figure(wh, "tourist_visitors_total", "10", 2023)[0] == 56_263_370


def test_phuket_2023_visitors_include_december_as_provenance_reads_it(wh, raw):
    phuket = {int(r["month"]): int(r["no_tourist_all"]) for r in raw if r["province_eng"] == "Phuket"
              and r["year"] == "2023"}  # fmt: skip
    assert phuket[12] == 1_174_817
    assert figure(wh, "tourist_visitors_total", "83", 2023) == (sum(phuket.values()), SOURCE)


def test_mae_hong_son_april_2020_is_in_the_published_2020_figure_the_months_add_up_to(wh, raw, sums):
    april = next(
        r for r in raw if r["province_eng"] == "Mae Hong Son" and r["year"] == "2020" and r["month"] == "4"
    )
    assert april["no_tourist_all"] == "1162"  # PROVENANCE spot figure
    assert figure(wh, "tourist_visitors_total", "58", 2020) == (
        float(sums[("tourist_visitors_total", "58", 2020)][0]),
        SEED,
    )


def test_2023_of_random_provinces_equals_the_csv_sums_exactly(wh, sums, code_of):
    chosen = random.Random(22).sample(sorted(code_of.values()), 10)
    for code in chosen:
        for iid in SUMMED:
            total, months = sums[(iid, code, 2023)]
            assert months == 12
            assert figure(wh, iid, code, 2023) == (float(total), SOURCE), (iid, code)


def test_every_2023_figure_is_a_full_sum_for_all_77_provinces(wh, sums):
    got = wh.execute(
        "SELECT indicator_id, area_code, value FROM observation WHERE year = 2023 AND source_id = ?", [SOURCE]
    ).fetchall()
    assert len(got) == 77 * 7
    assert {(i, c): v for i, c, v in got} == {
        (i, c): float(s) for (i, c, y), (s, n) in sums.items() if y == 2023
    }


def test_2024_is_a_part_year_never_loaded_as_a_year(wh, sums, raw):
    assert {n for (_, _, y), (_, n) in sums.items() if y == 2024} == {9}
    phuket_sep = next(
        r for r in raw if r["province_eng"] == "Phuket" and r["year"] == "2024" and r["month"] == "9"
    )
    assert (
        phuket_sep["net_profit_all"] == "36559.49"
    )  # PROVENANCE spot figure: in the file, not a year's figure
    (n,) = wh.execute(
        "SELECT count(*) FROM observation WHERE year >= 2024 AND indicator_id IN ?", [TOURISM]
    ).fetchone()
    assert n == 0
    (note,) = wh.execute("SELECT note FROM load WHERE file_name LIKE ?", [f"%{SOURCE}%"]).fetchone()
    assert "2024: months 1-9 only for 77 province(s): a part year is held (not summed, not loaded)" in note
    for iid in SUMMED:
        (definition,) = wh.execute("SELECT definition_en FROM indicator WHERE id = ?", [iid]).fetchone()
        assert (
            "January-September 2024 is in that file but is a part year: it is not given as a year"
            in definition
        )


def test_occupancy_is_never_summed_and_has_no_2023_figure(wh, raw):
    chiang_mai = next(
        r for r in raw if r["province_eng"] == "Chiang Mai" and r["year"] == "2023" and r["month"] == "12"
    )
    assert chiang_mai["occupancy_rate"] == "95.68"  # PROVENANCE spot figure: a monthly rate, not loaded
    rows = wh.execute(
        "SELECT DISTINCT year, source_id FROM observation WHERE indicator_id = 'hotel_occupancy_rate_pct' ORDER BY 1"
    ).fetchall()
    assert rows == [(2019, SEED), (2020, SEED), (2021, SEED), (2022, SEED)]
    source_ids, definition = wh.execute(
        "SELECT source_ids, definition_en FROM indicator WHERE id = 'hotel_occupancy_rate_pct'"
    ).fetchone()
    assert source_ids == SEED
    assert "no annual rate, so there is no occupancy figure for 2023" in definition
    recipe = tomllib.loads(RECIPE.read_text(encoding="utf-8"))
    assert "occupancy_rate=skip" in recipe["file"][0]["map"]


def test_2019_2022_published_figures_are_kept_and_agree_with_the_monthly_sums(wh, sums):
    kept = wh.execute(
        "SELECT indicator_id, area_code, year, value, source_id FROM observation "
        "WHERE year BETWEEN 2019 AND 2022 AND indicator_id IN ?", [SUMMED]
    ).fetchall()  # fmt: skip
    assert len(kept) == 2156 == 77 * 4 * 7 and {r[4] for r in kept} == {SEED}
    diff = {(i, c, y): abs(Decimal(str(v)) - sums[(i, c, y)][0]) for i, c, y, v, _ in kept}
    assert sum(d == 0 for d in diff.values()) == 2150
    assert sum(d <= Decimal("0.01") for d in diff.values()) == 2155  # PROVENANCE's count
    assert max(diff.values()) == Decimal("0.0147")  # Nonthaburi 2021 foreign receipts
    cells = wh.execute(
        "SELECT outcome, indicator_id, area_code, year, source_id, value, kept_source_id, kept_value "
        "FROM recipe_cell WHERE source_id = ? OR kept_source_id = ? ORDER BY indicator_id, area_code", [SOURCE, SOURCE]
    ).fetchall()  # fmt: skip
    assert [(c[1], c[2], c[3]) for c in cells] == sorted(k for k, d in diff.items() if d)
    assert {(c[0], c[4], c[6]) for c in cells} == {("rounding", SOURCE, SEED)}
    assert cells[0] == ("rounding", "tourism_receipts_foreign_mb", "12", 2021, SOURCE, 2.72, SEED, 2.7347)
    assert figure(wh, "tourism_receipts_foreign_mb", "12", 2021) == (2.7347, SEED)


def test_receipts_are_named_receipts_not_profit(wh, sums):
    recipe = tomllib.loads(RECIPE.read_text(encoding="utf-8"))
    maps = dict(m.split("=") for m in recipe["file"][0]["map"])
    assert {k: v for k, v in maps.items() if k.startswith("net_profit")} == {
        "net_profit_all": "tourism_receipts_mb",
        "net_profit_thai": "tourism_receipts_thai_mb",
        "net_profit_foreign": "tourism_receipts_foreign_mb",
    }
    rows = wh.execute(
        "SELECT id, name_en, unit_en, definition_en FROM indicator WHERE id LIKE 'tourism_receipts%' ORDER BY id"
    ).fetchall()
    assert [r[:3] for r in rows] == [
        ("tourism_receipts_foreign_mb", "Receipts from foreign visitors", "million baht"),
        ("tourism_receipts_mb", "Receipts from visitors", "million baht"),
        ("tourism_receipts_thai_mb", "Receipts from Thai visitors", "million baht"),
    ]
    assert all("net_profit_*: they are receipts" in r[3] and "not profit" in r[3] for r in rows)
    assert not wh.execute("SELECT count(*) FROM indicator WHERE id ILIKE '%profit%'").fetchone()[0]
    assert figure(wh, "tourism_receipts_mb", "83", 2023) == (
        float(sums[("tourism_receipts_mb", "83", 2023)][0]),
        SOURCE,
    )


def test_the_series_name_both_sources_in_precedence_order_and_say_how_a_year_is_made(wh):
    rows = wh.execute(
        "SELECT id, source_ids, aggregation, agency_id FROM indicator WHERE id IN ? ORDER BY id", [SUMMED]
    ).fetchall()
    assert {r[1] for r in rows} == {f"{SEED};{SOURCE}"} and {r[3] for r in rows} == {"mots"}
    assert {r[2] for r in rows} == {
        "annual total: 2019-2022 MOTS's annual figure as published; 2023 the sum of the year's 12 monthly figures "
        "(a year with fewer than 12 months is never summed)"
    }
    source = wh.execute("SELECT agency_id, license FROM source WHERE id = ?", [SOURCE]).fetchone()
    assert source == ("mots", "none stated")
    (th,) = wh.execute("SELECT definition_th FROM indicator WHERE id = 'tourist_visitors_total'").fetchone()
    assert "ปี 2566: ผลรวมตัวเลขรายเดือน 12 เดือน" in th


def test_the_release_calendar_dates_the_series_by_the_monthly_source(real_warehouse):
    wh = Warehouse(real_warehouse)
    row = queries.release_calendar(wh).set_index("source_id").loc[SOURCE]
    assert (row.periodicity, row.periodicity_from, int(row.lag_months), row.lag_from) == (
        "monthly", "shipped_files", 4, "shipped_files"
    )  # fmt: skip
    cal = queries.calendar(wh, dt.date(2026, 12, 6))
    assert cal.schedule("tourist_visitors_total").source_id == SOURCE  # the source of the 2023 figure
    fresh = assess(2023, cal.schedule("tourist_visitors_total"), dt.date(2026, 12, 6))
    assert (fresh.state, fresh.missing, fresh.overdue_since) == (
        "out_of_date",
        (2024, 2025),
        dt.date(2025, 5, 1),
    )
    # on another day: before 2024's figure was due (30 April 2025) the 2023 figure was current
    assert assess(2023, cal.schedule("tourist_visitors_total"), dt.date(2025, 4, 30)).state == "current"
    assert (
        cal.schedule("hotel_occupancy_rate_pct").source_id == SEED
    )  # no schedule known: never called overdue


def test_the_trend_page_shows_2023(real_warehouse, use_warehouse):
    from tests.conftest import open_page

    use_warehouse(real_warehouse)
    at = open_page("pages/trends.py", indicator="tourist_visitors_total", provinces="10,83", lang="en")
    assert not at.error, [e.value for e in at.error]
    (table,) = [d.value for d in at.dataframe]
    assert table.columns.tolist()[:3] == ["Area", "2019", "2023"]  # the latest year is 2023, never 2024
    assert table.set_index("Area").loc["Bangkok", "2023"] == 56_263_370
    assert any("Years: 2019–2023" in c.value for c in at.caption)
