"""The review line of an action, computed from the figures — never typed: the figure when the action was recorded
against the figure now, whether it moved the way the province expected, and whether the indicator's flags cleared.

It says whether the figure *moved*, never that the action *caused* it (a figure from a small-sample survey carries
its caveat: ``views.follow.survey_caveat``). An action whose due date has passed and that is neither done nor dropped is *overdue*.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from provdata.basics.i18n import fmt_date, fmt_value, fmt_year, t

OPEN = ("planned", "under_way")


@dataclass(frozen=True)
class Review:
    state: str  # "no_baseline" | "no_figure" | "no_new_figure" | "new_figure" | "revised"
    before_year: int | None
    before: float | None
    after_year: int | None
    after: float | None
    moved: str | None  # "expected" | "against" | "unchanged" (a new or revised figure only)
    flags_before: tuple[str, ...]  # the flag keys when the action was recorded
    flags_now: tuple[str, ...]  # the indicator's flag keys now

    @property
    def cleared(self) -> bool | None:
        """True: flagged then and not now; False: still flagged; None: it was not flagged when recorded."""
        return None if not self.flags_before else not self.flags_now


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def review(action: dict, figures: list[tuple[int, float, int]], flags_now: set[str]) -> Review:
    """``action``: a stored action (baseline_year, baseline_value, baseline_load, expected_direction, flags);
    ``figures``: the indicator's current (year, value, load id) in the province; ``flags_now``: its flag keys now."""
    before_flags = tuple(k for k in str(action.get("flags") or "").split(",") if k)
    now_flags = tuple(sorted(flags_now))
    by = int(action["baseline_year"]) if not _missing(action.get("baseline_year")) else None
    bv = float(action["baseline_value"]) if not _missing(action.get("baseline_value")) else None
    bl = int(action["baseline_load"]) if not _missing(action.get("baseline_load")) else None
    if not figures:
        return Review("no_figure", by, bv, None, None, None, before_flags, now_flags)
    ay, av, al = sorted(figures)[-1]
    if by is None:
        return Review("no_baseline", None, None, ay, av, None, before_flags, now_flags)
    if ay < by or (ay == by and al == bl):
        return Review("no_new_figure", by, bv, ay, av, None, before_flags, now_flags)
    state = "new_figure" if ay > by else "revised"
    sign = 1 if action["expected_direction"] == "increase" else -1
    moved = "unchanged" if av == bv else "expected" if sign * (av - bv) > 0 else "against"
    return Review(state, by, bv, ay, av, moved, before_flags, now_flags)


def text(r: Review, lang: str, era: str) -> str:
    """The review in words, e.g. "Figure before 1.3 (2023), after 1.83 (2024): moved against the expected
    direction; flag still raised". Never a claim that the action caused the move."""
    if r.state == "no_figure":
        return t("follow.review_no_figure", lang)
    if r.state == "no_baseline":
        line = t(
            "follow.review_no_baseline", lang, after=fmt_value(r.after), year=fmt_year(r.after_year, era)
        )
    elif r.state == "no_new_figure":
        return t("follow.review_waiting", lang, before=fmt_value(r.before), year=fmt_year(r.before_year, era))
    else:
        line = t(f"follow.review_{r.state}", lang, before=fmt_value(r.before),
                 before_year=fmt_year(r.before_year, era), after=fmt_value(r.after),
                 after_year=fmt_year(r.after_year, era), moved=t(f"follow.moved_{r.moved}", lang))  # fmt: skip
    flag = (
        "follow.flag_not_flagged"
        if r.cleared is None
        else "follow.flag_cleared"
        if r.cleared
        else "follow.flag_still"
    )
    return f"{line}; {t(flag, lang)}"


def overdue(action: dict, today: dt.date) -> bool:
    """Due before today and neither done nor dropped."""
    return action["status"] in OPEN and dt.date.fromisoformat(str(action["due_date"])) < today


def due_text(action: dict, today: dt.date, lang: str, era: str) -> str:
    day = dt.date.fromisoformat(str(action["due_date"]))
    shown = fmt_date(day, lang, era)
    return t("follow.overdue_since", lang, day=shown) if overdue(action, today) else shown
