"""Data readiness of a province × indicator cell, computed from the warehouse — never typed by hand.

A (ready): at least ``READY_MIN_CONSECUTIVE_YEARS`` consecutive years (the programme's "more than 3
years of time series") and the series **current on today's date**: by its source's release calendar where the
calendar can date a release (``provdata.strategy.freshness``), else — the source's schedule not known — a
latest figure no more than ``READY_MAX_AGE_YEARS`` before today's year.
B (partial): figures exist but the series is too short, out of date (overdue by the calendar), stale (by age,
without a calendar), or has gaps in its latest run.
C (none): no figure at all.
Today comes in through the :class:`~provdata.strategy.freshness.Calendar` (``provdata.basics.clock.today``),
never from the data's own latest year: a 2019 series is not "recent" in 2026 because nothing newer was loaded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from provdata.basics import config
from provdata.strategy.freshness import Calendar, Freshness, Schedule
from provdata.strategy.freshness import assess as assess_freshness


@dataclass(frozen=True)
class Readiness:
    grade: str  # "A" | "B" | "C"
    years: tuple[int, ...]
    latest: int | None
    run: int  # length of the consecutive run ending at the latest year
    gaps: tuple[int, ...]  # missing years between the first and the latest
    reasons: tuple[str, ...]  # "short" | "overdue" | "stale" | "gaps" | "none"
    fresh: Freshness  # the series against its release calendar on today's date


def oldest_recent_year(today: dt.date) -> int:
    """Without a release calendar, the oldest latest year that still counts as recent."""
    return today.year - config.READY_MAX_AGE_YEARS


def assess(years: list[int] | tuple[int, ...], schedule: Schedule | None, today: dt.date) -> Readiness:
    """Grade one cell from the years that have a figure, its source's schedule and today's date."""
    ys = tuple(sorted(set(int(y) for y in years)))
    if not ys:
        return Readiness("C", (), None, 0, (), ("none",), assess_freshness(None, schedule, today))
    latest = ys[-1]
    run = 1
    while run < len(ys) and ys[-run - 1] == latest - run:
        run += 1
    gaps = tuple(y for y in range(ys[0], latest + 1) if y not in ys)
    fresh = assess_freshness(latest, schedule, today)
    reasons = []
    if run < config.READY_MIN_CONSECUTIVE_YEARS:
        reasons.append("short")
    if fresh.state == "out_of_date":
        reasons.append("overdue")
    elif fresh.state in ("no_schedule", "superseded") and latest < oldest_recent_year(today):
        reasons.append("stale")
    if gaps:
        reasons.append("gaps")
    ready = run >= config.READY_MIN_CONSECUTIVE_YEARS and not {"overdue", "stale"} & set(reasons)
    return Readiness("A" if ready else "B", ys, latest, run, gaps, tuple(reasons), fresh)


def matrix(
    years: pd.DataFrame, codes: list[str], indicator_ids: list[str], calendar: Calendar
) -> pd.DataFrame:
    """Readiness of every (area, indicator) pair; ``years`` has ``area_code``, ``indicator_id``, ``year``.

    Returns one row per pair: ``area_code``, ``indicator_id``, ``grade``, ``latest``, ``run``,
    ``n_years``, ``first``, ``gaps``, ``reasons``, ``fresh`` (current | out_of_date | no_schedule | no_figure).
    """
    have = years.groupby(["area_code", "indicator_id"])["year"].apply(list).to_dict()
    schedules = {iid: calendar.schedule(iid) for iid in indicator_ids}
    rows = []
    for code in codes:
        for iid in indicator_ids:
            r = assess(have.get((code, iid), []), schedules[iid], calendar.today)
            rows.append(
                {
                    "area_code": code,
                    "indicator_id": iid,
                    "grade": r.grade,
                    "latest": r.latest,
                    "run": r.run,
                    "n_years": len(r.years),
                    "first": r.years[0] if r.years else None,
                    "gaps": ",".join(map(str, r.gaps)),
                    "reasons": ",".join(r.reasons),
                    "fresh": r.fresh.state,
                }
            )
    return pd.DataFrame(rows)


def decision_ready(key_grades: list[str]) -> bool:
    """A strategic issue is decision-ready when at least 2 of its key indicators are A."""
    return sum(1 for g in key_grades if g == "A") >= config.DECISION_READY_MIN_KEY_A
