"""Every figure says how old it is (AppTest, real warehouse): the year beside each figure and "out of date" where
the release calendar expects a later one, on the profile, map, compare, chart and exchange pages — judged on the
clock's day, so the marks move with it."""

from __future__ import annotations

import pytest

from tests.conftest import open_page

POP_LATE_EN = "out of date: overdue since 1 Feb 2026"  # DOPA's 2025 figure was due by 31 Jan 2026


@pytest.fixture
def real(real_warehouse, use_warehouse):
    use_warehouse(real_warehouse)


def captions(at) -> list[str]:
    return [c.value for c in at.caption]


def table_with(at, column: str):
    """The page's table that has ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_profile_cards_say_their_year_and_out_of_date(real):
    at = open_page("pages/profile.py", lang="en", province="60")
    labels = [m.label for m in at.metric]
    # one card per concept, the freshest candidate: the 2024 poverty edition, not its 2013 release
    assert "Poverty headcount ratio (consumption)" in labels and "Registered population" in labels
    assert not [label for label in labels if "2013 release" in label]
    pop = next(c for c in captions(at) if c.startswith("persons · 2024 · rank 21 of 77"))
    assert pop.split("  \n")[1] == f"⚠ {POP_LATE_EN}"
    gpp = next(c for c in captions(at) if c.startswith("million baht · 2020 · rank 24 of 77"))
    assert "out of date" not in gpp  # NESDC's release lag is not known: never called late
    at.selectbox(key="indicator.en.ce").set_value("population_registered").run()
    history = next(c for c in captions(at) if c.startswith("Source: "))
    assert history.endswith(f"⚠ 2024: {POP_LATE_EN}")
    table = table_with(at, "Status by the release calendar").set_index("Indicator")
    assert table.loc["Registered population", "Year"] == "2024"
    assert table.loc["Registered population", "Status by the release calendar"] == (
        "out of date: overdue since 1 Feb 2026 (2025 missing)"
    )
    assert table.loc["Poverty headcount ratio (consumption)", "Status by the release calendar"] == (
        "out of date: overdue since 1 Jun 2026 (2025 missing)"
    )


def test_profile_on_another_day_marks_nothing_not_yet_due(real, today):
    today("2021-01-15")  # DOPA's 2021 figure is due by 31 Jan 2022: 2020 is current
    at = open_page("pages/profile.py", lang="th", province="60")
    assert not [c for c in captions(at) if "ไม่เป็นปัจจุบัน" in c]
    table = table_with(at, "สถานะตามปฏิทินการเผยแพร่").set_index("ตัวชี้วัด")
    assert table.loc["ประชากรตามทะเบียนราษฎร", "สถานะตามปฏิทินการเผยแพร่"] == "เป็นปัจจุบัน"


def test_map_says_the_year_shown_and_that_it_is_out_of_date(real):
    at = open_page("pages/map.py", lang="th", indicator="population_registered", year="2020", table="1")
    assert "ตัวเลขปี 2563 · ไม่เป็นปัจจุบัน: เกินกำหนดตั้งแต่ 1 ก.พ. 2565" in captions(at)
    table = at.dataframe[0].value
    row = table[table["รหัส"] == "60"].iloc[0]
    assert (row["ปี"], row["สถานะตามปฏิทินการเผยแพร่"]) == (
        "2563",
        "ไม่เป็นปัจจุบัน: เกินกำหนดตั้งแต่ 1 ก.พ. 2565 (ขาดปี 2564–2568)",
    )
    at = open_page("pages/map.py", lang="en", indicator="gpp_current_mb", year="2020")
    assert "Figures of 2020" in captions(at)  # no schedule known: the year alone


def test_compare_marks_the_year_compared(real):
    at = open_page("pages/compare.py", lang="en", theme="population", provinces="60,61")
    marks = next(c for c in captions(at) if c.startswith("⚠ ")).split("  \n")
    assert f"⚠ Registered population (2024): {POP_LATE_EN}" in marks and len(marks) == 4  # houses, the sexes
    values = table_with(at, "Registered population (persons, 2024 · out of date)")
    assert values.set_index("Area").loc[
        "Nakhon Sawan", "Registered population (persons, 2024 · out of date)"
    ] == (1014401.0)  # DOPA, December 2024
    assert "Registered births (persons, 2021)" in values.columns  # lag not known: no mark


def test_chart_lists_what_each_agency_owes(real):
    at = open_page("pages/chart.py", lang="en", province="60")
    assert "Overdue by the release calendar" in [h.value for h in at.header]
    owed = [m.value for m in at.markdown if m.value.startswith("- Overdue from")]
    assert owed == [
        "- Overdue from MOTS since 1 May 2025\\: Receipts from visitors \\(2024–2025 missing\\)\\; "
        "Number of visitors \\(2024–2025 missing\\)",  # MOTS's monthly file stops at September 2024
        "- Overdue from NESDC since 1 Jun 2026\\: Poverty headcount ratio \\(consumption\\) \\(2025 missing\\)",
    ]


def test_chart_on_a_day_when_every_figure_is_in_time_owes_nothing(real, today):
    today("2025-04-30")  # MOTS's 2024 year is due today (4 months), NESDC's 2025 poverty on 31 May 2026
    at = open_page("pages/chart.py", lang="en", province="60")
    assert not [m for m in at.markdown if m.value.startswith("- Overdue from")]
    assert "No dataset of this chart is overdue by its source's release calendar on 30 Apr 2025." in captions(
        at
    )
    today("2026-05-31")  # a day later than MOTS's due date, the day NESDC's is due: MOTS alone owes
    at = open_page("pages/chart.py", lang="en", province="60")
    assert [m.value[:36] for m in at.markdown if m.value.startswith("- Overdue from")] == [
        "- Overdue from MOTS since 1 May 2025"
    ]


def test_exchange_lists_what_an_agency_owes(real):
    at = open_page("pages/exchange.py", lang="en")
    owed = table_with(at, "Overdue since")
    pop = owed[owed["Indicator"] == "Registered population"].iloc[0]
    assert pop.tolist() == [
        "DOPA",
        "Registered population",
        "2024",
        "2025",
        "1 Feb 2026",
        "77 provinces",
    ]
    # NESDC's 2013 poverty release is an earlier edition that the 2024 one replaced: never owed
    assert not owed["Indicator"].str.contains("2013 release").any()
    at.selectbox(key="owed_agency.en.ce").set_value("pcd").run()
    owed = table_with(at, "Overdue since")
    assert set(owed["Agency"]) == {"PCD"} and set(owed["Missing years"]) == {"2025"}
    assert set(owed["Overdue since"]) == {"1 Sep 2026"} and len(owed) == 4


def test_trends_name_the_provinces_whose_latest_year_is_out_of_date(real):
    at = open_page("pages/trends.py", lang="en", indicator="population_registered", provinces="60,61")
    assert f"⚠ 2024 (Nakhon Sawan, Uthai Thani): {POP_LATE_EN}" in captions(at)
    at = open_page("pages/trends.py", lang="en", indicator="gpp_current_mb", provinces="60")
    assert not [c for c in captions(at) if "out of date" in c]  # NESDC's lag not known
