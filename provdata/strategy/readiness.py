"""Data readiness of a province × indicator cell, computed from the warehouse — never typed by hand.

A (ready): at least ``READY_MIN_CONSECUTIVE_YEARS`` consecutive years (the programme's "more than 3
years of time series") ending no more than ``READY_MAX_AGE_YEARS`` before the reference year.
B (partial): figures exist but the series is too short, stale, or has gaps in its latest run.
C (none): no figure at all.
The reference year is the latest year of any figure in the warehouse, so the rule follows the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from provdata.basics import config


@dataclass(frozen=True)
class Readiness:
    grade: str  # "A" | "B" | "C"
    years: tuple[int, ...]
    latest: int | None
    run: int  # length of the consecutive run ending at the latest year
    gaps: tuple[int, ...]  # missing years between the first and the latest
    reasons: tuple[str, ...]  # "short" | "stale" | "gaps" | "none"


def assess(years: list[int] | tuple[int, ...], reference_year: int) -> Readiness:
    """Grade one cell from the years that have a figure."""
    ys = tuple(sorted(set(int(y) for y in years)))
    if not ys:
        return Readiness("C", (), None, 0, (), ("none",))
    latest = ys[-1]
    run = 1
    while run < len(ys) and ys[-run - 1] == latest - run:
        run += 1
    gaps = tuple(y for y in range(ys[0], latest + 1) if y not in ys)
    reasons = []
    if run < config.READY_MIN_CONSECUTIVE_YEARS:
        reasons.append("short")
    if latest < reference_year - config.READY_MAX_AGE_YEARS:
        reasons.append("stale")
    if gaps:
        reasons.append("gaps")
    ready = run >= config.READY_MIN_CONSECUTIVE_YEARS and "stale" not in reasons
    return Readiness("A" if ready else "B", ys, latest, run, gaps, tuple(reasons))


def matrix(
    years: pd.DataFrame, codes: list[str], indicator_ids: list[str], reference_year: int
) -> pd.DataFrame:
    """Readiness of every (area, indicator) pair; ``years`` has ``area_code``, ``indicator_id``, ``year``.

    Returns one row per pair: ``area_code``, ``indicator_id``, ``grade``, ``latest``, ``run``,
    ``n_years``, ``first``, ``gaps``, ``reasons``.
    """
    have = years.groupby(["area_code", "indicator_id"])["year"].apply(list).to_dict()
    rows = []
    for code in codes:
        for iid in indicator_ids:
            r = assess(have.get((code, iid), []), reference_year)
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
                }
            )
    return pd.DataFrame(rows)


def decision_ready(key_grades: list[str]) -> bool:
    """A strategic issue is decision-ready when at least 2 of its key indicators are A."""
    return sum(1 for g in key_grades if g == "A") >= config.DECISION_READY_MIN_KEY_A
