"""Uploads with bounded cost: validation reports that grow linearly with the file, reading limits checked while
reading (cells, rows, columns, line length, decompressed size), damaged workbooks refused with a clear message,
and an upload route that counts and times the body as it arrives."""

from __future__ import annotations

import csv

from provdata import exchange
from provdata.db import Warehouse
from provdata.ingest import Options
from tests.conftest import TINY

POP = "population_registered"


def real_population_figures() -> list[str]:
    """Registered-population figures as the tiny seed publishes them (real values, of many provinces and years)."""
    with (TINY / "seed" / "observations.csv").open(encoding="utf-8") as fh:
        return [r["value"] for r in csv.DictReader(fh) if r["indicator_id"] == POP]


def test_conflicting_duplicates_are_described_once_per_group_and_the_report_grows_linearly(exchange_env):
    """15,000 rows giving different (real) figures for one province-year: one group, its rows listed once and
    capped; each other row refers to the group. Before, every row repeated the whole list (94 MB answers)."""
    figures = real_population_figures()
    n = 15_000
    lines = ["province_code,year,indicator_id,value"]
    lines += [f"60,2020,{POP},{figures[i % len(figures)]}" for i in range(n)]
    lines += [f"62,2020,{POP},{figures[0]}", f"62,2020,{POP},{figures[1]}"]  # a second group, of two rows
    data = ("\n".join(lines) + "\n").encode()
    preview = exchange.check(data, "dups.csv", Options(), Warehouse(exchange_env.warehouse), None)
    assert preview.counts()["rejected"] == n + 2 and preview.counts()["accepted"] == 0
    reasons = preview.rejected.set_index("row").reason
    assert reasons[2] == (
        "conflicting duplicate, group 1: different figures for 60 2020 in rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 … and "
        "14,990 more: keep one row"
    )
    assert (
        reasons[3]
        == reasons[15_001]
        == "conflicting duplicate: different figures for 60 2020, see group 1 (row 2)"
    )
    assert reasons[15_002] == (
        "conflicting duplicate, group 2: different figures for 62 2020 in rows 15002, 15003: keep one row"
    )
    assert reasons[15_003] == "conflicting duplicate: different figures for 62 2020, see group 2 (row 15002)"
    report = preview.report_csv()
    assert report.count(b"in rows") == 2
    assert len(report) < 160 * (n + 2)  # linear: 1.84 MB, 122 bytes a row (before: each row held a 104 KB list)
