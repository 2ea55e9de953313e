"""How old a series is against its source's release calendar: the latest period that should be out by today,
whether the series is current or out of date ("overdue since <date>"), which periods are missing, and when the
next figure is expected. Pure: today comes in as an argument (callers ask ``provdata.basics.clock.today``).

The calendar (data/reference/release_calendar.csv) gives each source a periodicity and a usual lag in months
from the end of the reference period to publication. The warehouse holds yearly series, so a period is a year
(Gregorian) that ends on 31 December; a monthly or quarterly source's year is complete with its last month or
quarter, so its yearly figure is due ``lag`` months after 31 December as well.

Rules (stated in the app):
- The figure for year Y is **due** on the last day of the ``lag``-th month after 31 December of Y (lag 0: 31
  December of Y itself; lag 3: 31 March of Y + 1).
- The **latest period that should be out** by today is the latest year, stepping from the series' latest year
  by the periodicity (1 year; 2 for a biennial survey), whose due date is before today.
- A series is **current** when its latest year is at least that period; otherwise it is **out of date**,
  overdue since the day after the first missing period was due, with the missing periods named.
- The **next figure** expected is the first period after the latest one that is not yet due, with its due date.
- A source whose periodicity is irregular or unknown, or whose lag is not known, has **no schedule**: it is
  never called overdue (the calendar says "not known" rather than guess).
- A source a later edition replaced (periodicity ``superseded``) is **superseded**: an earlier vintage kept for
  reference, never updated, so never called overdue.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass

import pandas as pd

#: Periodicities of the calendar and the step, in years, between two periods of the yearly series.
#: None: no regular step (never overdue).
PERIODICITY_STEP: dict[str, int | None] = {
    "annual": 1,
    "quarterly": 1,  # the yearly series takes one quarter (or the four) of each year
    "monthly": 1,  # the yearly series is complete with December's figure
    "biennial": 2,
    "irregular": None,
    "unknown": None,
    "superseded": None,  # an earlier edition a later one replaced: never updated, so never overdue
}

#: Where a periodicity or a lag comes from.
BASES = ("agency_schedule", "shipped_files", "not_known")


@dataclass(frozen=True)
class Schedule:
    """One source's release calendar row."""

    source_id: str
    periodicity: str
    lag_months: int | None

    @property
    def step(self) -> int | None:
        return PERIODICITY_STEP.get(self.periodicity)

    @property
    def known(self) -> bool:
        """A schedule that can date a release: a regular periodicity and a known lag."""
        return self.step is not None and self.lag_months is not None


def due_date(year: int, lag_months: int) -> dt.date:
    """When the figure for ``year`` is due: the last day of the ``lag_months``-th month after 31 December."""
    months = year * 12 + 11 + lag_months  # December of ``year`` is month index year*12 + 11
    y, m = divmod(months, 12)
    return dt.date(y, m + 1, _calendar.monthrange(y, m + 1)[1])


@dataclass(frozen=True)
class Freshness:
    """A series' age against its calendar.

    ``state``: "current" | "out_of_date" | "no_schedule" | "superseded" | "no_figure".
    ``expected_latest``: the latest period that should be out by today (None without a schedule).
    ``missing``: the periods after the latest figure that should be out by today, oldest first.
    ``overdue_since``: the day after the first missing period was due (None unless out of date).
    ``next_year`` / ``next_due``: the next period not yet due, and its due date (None without a schedule).
    """

    state: str
    latest: int | None
    expected_latest: int | None = None
    missing: tuple[int, ...] = ()
    overdue_since: dt.date | None = None
    next_year: int | None = None
    next_due: dt.date | None = None


def assess(latest: int | None, schedule: Schedule | None, today: dt.date) -> Freshness:
    """The freshness of a series whose latest figure is for ``latest`` (None: no figure), on ``today``."""
    if latest is None:
        return Freshness("no_figure", None)
    if schedule is not None and schedule.periodicity == "superseded":
        return Freshness("superseded", int(latest))
    if schedule is None or not schedule.known:
        return Freshness("no_schedule", int(latest))
    latest, step, lag = int(latest), schedule.step, schedule.lag_months
    assert step is not None and lag is not None
    expected = latest
    while due_date(expected + step, lag) < today:
        expected += step
    next_year = expected + step
    missing = tuple(range(latest + step, expected + 1, step))
    if not missing:
        return Freshness("current", latest, expected, (), None, next_year, due_date(next_year, lag))
    since = due_date(missing[0], lag) + dt.timedelta(days=1)
    return Freshness("out_of_date", latest, expected, missing, since, next_year, due_date(next_year, lag))


def overdue_by_agency(series: pd.DataFrame, schedules: dict[str, Schedule], today: dt.date) -> pd.DataFrame:
    """The series that are out of date, per agency, oldest overdue first.

    ``series``: one row per series with ``agency_id``, ``indicator_id``, ``area_code``, ``latest`` and
    ``source_id`` (the source whose calendar applies). Returns ``agency_id``, ``indicator_id``, ``area_code``,
    ``latest``, ``expected_latest``, ``missing`` (e.g. "2021–2025"), ``overdue_since`` (a date), sorted by
    agency, then overdue since, indicator and area.
    """
    rows = []
    for r in series.itertuples(index=False):
        f = assess(None if pd.isna(r.latest) else int(r.latest), schedules.get(r.source_id), today)
        if f.state == "out_of_date":
            first, last = f.missing[0], f.missing[-1]
            rows.append(
                {
                    "agency_id": r.agency_id,
                    "indicator_id": r.indicator_id,
                    "area_code": r.area_code,
                    "latest": f.latest,
                    "expected_latest": f.expected_latest,
                    "missing": str(first) if first == last else f"{first}–{last}",
                    "overdue_since": f.overdue_since,
                }
            )
    cols = ["agency_id", "indicator_id", "area_code", "latest", "expected_latest", "missing", "overdue_since"]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["agency_id", "overdue_since", "indicator_id", "area_code"], ignore_index=True)


@dataclass(frozen=True)
class Calendar:
    """Today and the schedule that applies to each indicator's series (the calendar row of the source of the
    indicator's latest figure, or of its shipped source when that figure came from an upload). The one object
    readiness, targets and the plan are judged against."""

    today: dt.date
    schedules: tuple[tuple[str, Schedule], ...] = ()  # (indicator_id, schedule): hashable for caches

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, today: dt.date) -> Calendar:
        """``frame``: ``indicator_id``, ``source_id``, ``periodicity``, ``lag_months`` (``queries.calendar``)."""
        items = []
        for r in frame.itertuples(index=False):
            if isinstance(r.periodicity, str):
                lag = None if pd.isna(r.lag_months) else int(r.lag_months)
                items.append((r.indicator_id, Schedule(r.source_id, r.periodicity, lag)))
        return cls(today, tuple(items))

    def schedule(self, indicator_id: str | None) -> Schedule | None:
        return dict(self.schedules).get(indicator_id) if indicator_id else None

    def assess(self, indicator_id: str | None, latest: int | None) -> Freshness:
        return assess(latest, self.schedule(indicator_id), self.today)
