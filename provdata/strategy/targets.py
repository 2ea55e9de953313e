"""Progress toward a target: on track, at risk or off track, from the latest figure and the recent trend.

Rule (stated in the app): the recent trend is the average yearly change over the latest
``TARGET_TREND_YEARS`` consecutive years. Projecting it from the latest figure to the target year:
*on track* if the target is already met or the projection meets it; *at risk* if the projection covers
at least ``TARGET_AT_RISK_SHARE`` of the way from the latest figure to the target; *off track* otherwise;
*no data* without a figure. "Met" follows the target's direction (increase: value ≥ target; decrease:
value ≤ target).
"""

from __future__ import annotations

from dataclasses import dataclass

from provdata.basics import config


@dataclass(frozen=True)
class Progress:
    status: str  # "on_track" | "at_risk" | "off_track" | "no_data"
    latest_year: int | None
    latest: float | None
    slope: float | None  # average yearly change
    projected: float | None  # at the target year


def progress(series: list[tuple[int, float]], target: float, target_year: int, direction: str) -> Progress:
    """``series``: (year, value) pairs; ``direction``: "increase" or "decrease"."""
    if direction not in ("increase", "decrease"):
        raise ValueError(f"direction must be increase or decrease, not {direction!r}")
    pts = sorted(series)
    if not pts:
        return Progress("no_data", None, None, None, None)
    latest_year, latest = pts[-1]
    sign = 1 if direction == "increase" else -1
    if sign * (latest - target) >= 0:
        return Progress("on_track", latest_year, latest, None, latest)
    run = [pts[-1]]
    for y, v in reversed(pts[:-1]):
        if y == run[0][0] - 1 and len(run) < config.TARGET_TREND_YEARS:
            run.insert(0, (y, v))
        else:
            break
    if len(run) < 2:
        return Progress("off_track", latest_year, latest, None, None)
    slope = (run[-1][1] - run[0][1]) / (run[-1][0] - run[0][0])
    projected = latest + slope * max(0, target_year - latest_year)
    if min(v for _, v in pts) >= 0:
        projected = max(projected, 0.0)  # a series of counts or amounts is not projected below zero
    if sign * (projected - target) >= 0:
        status = "on_track"
    elif sign * (projected - latest) >= config.TARGET_AT_RISK_SHARE * sign * (target - latest):
        status = "at_risk"
    else:
        status = "off_track"
    return Progress(status, latest_year, latest, slope, projected)
