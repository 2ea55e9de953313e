"""Progress toward a target, judged on today's date: met or missed once the deadline year has passed, on track,
at risk or off track while it is open.

Rules (stated in the app):
- **Deadline passed** (today is after 31 December of the target year): the target is graded on the figure for
  its deadline year — *met* or *missed* — never on a projection. Without that figure it is *not met: no figure
  for the deadline year*, unless the source's release calendar says the figure is not due yet (*awaiting the
  figure*, with its due date).
- **Open**: graded on the latest figure against the direction stated. The recent trend is the average yearly
  change over the latest ``TARGET_TREND_YEARS`` consecutive years; projected from the latest figure to the target
  year: *on track* if the latest figure already meets the target or the projection meets it; *at risk* if the
  projection covers at least ``TARGET_AT_RISK_SHARE`` of the way; *off track* otherwise; *no data* without a
  figure. "Meets" follows the direction (increase: value ≥ target; decrease: value ≤ target).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from provdata.basics import config

#: Statuses of a target whose deadline year has passed.
PAST_STATUSES = ("met", "missed", "no_deadline_figure", "awaiting")


@dataclass(frozen=True)
class Progress:
    status: str  # open: "on_track" | "at_risk" | "off_track" | "no_data"; past: one of PAST_STATUSES
    latest_year: int | None
    latest: float | None
    slope: float | None  # average yearly change (open targets)
    projected: float | None  # at the target year (open targets)
    deadline_passed: bool = False
    deadline_value: float | None = None  # the figure for the deadline year, when there is one
    due: dt.date | None = None  # when the deadline year's figure is due (status "awaiting")


def progress(
    series: list[tuple[int, float]], target: float, target_year: int, direction: str, today: dt.date,
    due: dt.date | None = None,
) -> Progress:  # fmt: skip
    """``series``: (year, value) pairs; ``direction``: "increase" or "decrease"; ``due``: when the release
    calendar expects the figure for ``target_year`` (None: the calendar cannot say)."""
    if direction not in ("increase", "decrease"):
        raise ValueError(f"direction must be increase or decrease, not {direction!r}")
    pts = sorted(series)
    sign = 1 if direction == "increase" else -1
    latest_year, latest = pts[-1] if pts else (None, None)
    if today.year > target_year:
        at = dict(pts).get(target_year)
        if at is not None:
            status = "met" if sign * (at - target) >= 0 else "missed"
            return Progress(status, latest_year, latest, None, None, True, at)
        if due is not None and due >= today:
            return Progress("awaiting", latest_year, latest, None, None, True, None, due)
        return Progress("no_deadline_figure", latest_year, latest, None, None, True)
    if not pts:
        return Progress("no_data", None, None, None, None)
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
