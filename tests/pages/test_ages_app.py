"""Every figure says how old it is (AppTest, real warehouse): the year beside each figure and "out of date" where
the release calendar expects a later one, on the profile, map, compare, chart and exchange pages — judged on the
clock's day, so the marks move with it."""

from __future__ import annotations

import pytest

from tests.conftest import open_page

POP_LATE_EN = "out of date: overdue since 1 Feb 2022"


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
    pop = next(c for c in captions(at) if c.startswith("persons · 2020 · rank 21 of 77"))
    assert pop.split("  \n")[1] == f"⚠ {POP_LATE_EN}"
    gpp = next(c for c in captions(at) if c.startswith("million baht · 2020 · rank 24 of 77"))
    assert "out of date" not in gpp  # NESDC's release lag is not known: never called late
    at.selectbox(key="indicator.en.ce").set_value("population_registered").run()
    history = next(c for c in captions(at) if c.startswith("Source: "))
    assert history.endswith(f"⚠ 2020: {POP_LATE_EN}")
    table = table_with(at, "Status by the release calendar").set_index("Indicator")
    assert table.loc["Registered population", "Year"] == "2020"
    assert table.loc["Registered population", "Status by the release calendar"] == (
        "out of date: overdue since 1 Feb 2022 (2021–2025 missing)"
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
    assert f"⚠ Registered population (2020): {POP_LATE_EN}" in captions(at)
    values = table_with(at, "Registered population (persons, 2020 · out of date)")
    assert values.set_index("Area").loc[
        "Nakhon Sawan", "Registered population (persons, 2020 · out of date)"
    ] == (1040308.0)
    assert "Registered births (persons, 2021)" in values.columns  # lag not known: no mark


def test_chart_lists_what_each_agency_owes(real):
    at = open_page("pages/chart.py", lang="en", province="60")
    assert "Overdue by the release calendar" in [h.value for h in at.header]
    owed = [m.value for m in at.markdown if m.value.startswith("- Overdue from")]
    assert owed == [
        "- Overdue from NESDC since 1 Jun 2026\\: Poverty headcount ratio \\(consumption\\) \\(2025 missing\\)"
    ]


def test_chart_on_a_day_before_the_poverty_figure_is_due_owes_nothing(real, today):
    today("2026-05-31")
    at = open_page("pages/chart.py", lang="en", province="60")
    assert not [m for m in at.markdown if m.value.startswith("- Overdue from")]
    assert "No dataset of this chart is overdue by its source's release calendar on 31 May 2026." in captions(
        at
    )


def test_exchange_lists_what_an_agency_owes(real):
    at = open_page("pages/exchange.py", lang="en")
    owed = table_with(at, "Overdue since")
    pop = owed[owed["Indicator"] == "Registered population"].iloc[0]
    assert pop.tolist() == [
        "DOPA",
        "Registered population",
        "2020",
        "2021–2025",
        "1 Feb 2022",
        "77 provinces",
    ]
    at.selectbox(key="owed_agency.en.ce").set_value("pcd").run()
    owed = table_with(at, "Overdue since")
    assert set(owed["Agency"]) == {"PCD"} and set(owed["Missing years"]) == {"2025"}
    assert set(owed["Overdue since"]) == {"1 Sep 2026"} and len(owed) == 4


def test_trends_name_the_provinces_whose_latest_year_is_out_of_date(real):
    at = open_page("pages/trends.py", lang="en", indicator="population_registered", provinces="60,61")
    assert f"⚠ 2020 (Nakhon Sawan, Uthai Thani): {POP_LATE_EN}" in captions(at)
    at = open_page("pages/trends.py", lang="en", indicator="gpp_current_mb", provinces="60")
    assert not [c for c in captions(at) if "out of date" in c]  # NESDC's lag not known
