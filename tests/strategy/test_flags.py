"""Flags on key indicators, computed from the real warehouse's figures: each rule's exact outcome for Nakhon Sawan
(60) and Uthai Thani (61), the rule text with its numbers, and no flag without a figure."""

from __future__ import annotations

import datetime as dt

import pytest

from provdata.exchange import actions
from provdata.strategy import flags
from provdata.warehouse.db import Warehouse


@pytest.fixture(scope="module")
def wh(real_warehouse) -> Warehouse:
    return Warehouse(real_warehouse)


def keyed(judgement: flags.Judgement) -> dict[tuple[str, str], flags.Flag]:
    return {(f.indicator_id, f.key): f for f in judgement.flags}


def test_nakhon_sawan_on_the_test_day_has_four_significant_changes_and_three_targets_without_a_figure(wh):
    judged = actions.judgement(wh, "60", dt.date(2026, 12, 6))
    got = {
        k: (f.year, f.value, f.reference, f.previous_year, round(f.change, 4))
        for k, f in keyed(judged).items()
    }
    assert got == {
        ("rice_inseason_production_t", "significant_change"): (2015, 1192895.0, 1355321.0, 2014, -0.1198),
        ("oae_farm_net_cash_farm_income", "significant_change"): (2011, 65164.0, 77800.93, 2010, -0.1624),
        ("boi_applications_investment_mb", "significant_change"): (2022, 2997.9, 21873.8, 2021, -0.8629),
        ("poverty_ratio_pct", "significant_change"): (2024, 1.8260866341775, 1.3004, 2023, 0.4042),
    }
    # the three example targets' deadline years (2022, 2022, 2023) have passed without a figure: no flag, said so
    assert [(u.indicator_id, u.reason) for u in judged.unjudged] == [
        ("gpp_per_capita_baht", "no_deadline_figure"),
        ("dhf_cases", "no_deadline_figure"),
        ("human_achievement_index", "no_deadline_figure"),
    ]


def test_off_track_follows_the_targets_grading_on_the_day(wh):
    judged = actions.judgement(wh, "60", dt.date(2022, 6, 1))  # the 2022 and 2023 targets still open
    off = {
        k: (f.year, f.value, f.reference, f.status) for k, f in keyed(judged).items() if k[1] == "off_track"
    }
    # GPP per head 121,070 (2020), falling 1,720 a year since 2018: 130,000 by 2022 is out of reach; the
    # Human Achievement Index 0.6205 (2021), slipping: 0.65 by 2023 too. Dengue cases (274, falling) are on track.
    assert off == {
        ("gpp_per_capita_baht", "off_track"): (2020, 121070.268, 130000.0, "off_track"),
        ("human_achievement_index", "off_track"): (2021, 0.620548698, 0.65, "off_track"),
    }
    gpp = keyed(judged)["gpp_per_capita_baht", "off_track"]
    assert flags.rule_text(gpp, "en", "ce") == (
        "Target ≥ 130,000 by 2022: the latest figure 121,070.3 (2020) and its trend do not reach it"
    )
    assert flags.rule_text(gpp, "th", "be") == (
        "เป้าหมาย ≥ 130,000 ภายในปี 2565: ตัวเลขล่าสุด 121,070.3 (ปี 2563) และแนวโน้มไปไม่ถึงเป้า"
    )


def test_worse_than_the_median_of_the_pilots_and_of_all_provinces(wh):
    judged = keyed(actions.judgement(wh, "61", dt.date(2026, 12, 6)))
    medians = {
        k: (f.year, f.value, round(f.reference, 4), f.n)
        for k, f in judged.items()
        if k[1].startswith("worse")
    }
    assert medians == {
        ("gpp_per_capita_baht", "worse_than_median:pilot"): (2020, 91577.591, 131432.756, 10),
        ("gpp_per_capita_baht", "worse_than_median:all"): (2020, 91577.591, 111682.306, 77),
        ("poverty_ratio_pct", "worse_than_median:pilot"): (2024, 4.88010338288679, 3.9775, 10),
        ("poverty_ratio_pct", "worse_than_median:all"): (2024, 4.88010338288679, 4.356, 75),
    }
    assert flags.rule_text(judged["poverty_ratio_pct", "worse_than_median:pilot"], "en", "ce") == (
        "4.88 in 2024 against the pilot provinces' median of 3.98 (10 provinces with a figure): worse by more "
        "than 10 % (lower is better)"
    )


def test_counts_are_not_compared_with_a_median_and_the_change_rule_is_stated(wh):
    judged = actions.judgement(wh, "60", dt.date(2026, 12, 6))
    assert not [f for f in judged.flags if f.indicator_id in ("lfs_q4_unemployed", "dhf_cases")
                and f.kind == "worse_than_median"]  # fmt: skip
    poverty = keyed(judged)["poverty_ratio_pct", "significant_change"]
    assert flags.rule_text(poverty, "en", "ce") == (
        "1.83 in 2024 against 1.3 in 2023: +40.4 %, a change the wrong way of at least 10 % (lower is better)"
    )
    assert flags.kind_text(poverty, "th") == "เปลี่ยนแปลงมาก"
    assert "10 %" in flags.rules_summary("en") and "5 provinces" in flags.rules_summary("en")


def test_no_figure_or_no_direction_means_no_flag_and_says_why(wh):
    from provdata.warehouse import queries

    chain = queries.chain(wh, "60")
    rules = queries.indicator_rules(wh, ["poverty_ratio_pct", "dhf_cases"])
    rules["higher_is_better"] = rules.higher_is_better.astype(object)
    rules.loc[rules.id == "dhf_cases", "higher_is_better"] = None  # as an indicator with no stated direction
    series = {("60", "poverty_ratio_pct"): []}
    judged = flags.judge("60", chain[chain.indicator_id.isin(["poverty_ratio_pct", "dhf_cases"])],
                         {**series, ("60", "dhf_cases"): [(2019, 355.0), (2020, 274.0)]}, rules,
                         queries.medians(wh, ["dhf_cases"]), queries.calendar(wh, dt.date(2026, 12, 6)))  # fmt: skip
    assert judged.flags == []
    assert {(u.indicator_id, u.reason) for u in judged.unjudged} == {
        ("poverty_ratio_pct", "no_figure"),
        ("dhf_cases", "no_deadline_figure"),
        ("dhf_cases", "no_direction"),
    }
    assert (
        flags.unjudged_text(flags.Unjudged("poverty_ratio_pct", "no_figure"), "en")
        == "no figure published: no flag can be judged"
    )
