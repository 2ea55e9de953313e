"""How old a shown figure is: its year beside it, and "out of date" when the source's release calendar says a
newer figure should be out by today. Every page, report, deck, download and API response asks here, so a
figure is judged one way everywhere. Never imports streamlit.

The judgement is :func:`status`: the freshness (``provdata.strategy.freshness``) of the figure for ``year`` of
an indicator, against ``calendar.today``. A figure is **out of date** when a later one should be out by the
calendar; a source whose calendar does not know when it publishes is never called out of date (its year is
shown all the same).
"""

from __future__ import annotations

import pandas as pd

from provdata.basics.i18n import fmt_date, fmt_year, fmt_years, t
from provdata.strategy.freshness import Calendar, Freshness, overdue_by_agency

#: What a download's ``status`` column and the API's ``status`` field hold (English, stable).
STATES = ("current", "out_of_date", "no_schedule", "superseded", "no_figure")


def status(calendar: Calendar, indicator_id: str | None, year: int | float | None) -> Freshness:
    """The freshness of ``indicator_id``'s figure for ``year`` (None/NaN: no figure) on ``calendar.today``."""
    latest = None if year is None or pd.isna(year) else int(year)
    return calendar.assess(indicator_id, latest)


def is_stale(fresh: Freshness) -> bool:
    """Whether the figure is marked "out of date"."""
    return fresh.state == "out_of_date"


def mark(fresh: Freshness, lang: str, era: str) -> str:
    """The words beside a figure that is out of date ("out of date: overdue since 1 Feb 2022"); "" otherwise."""
    if not is_stale(fresh):
        return ""
    return t("views.ages_mark", lang, since=fmt_date(fresh.overdue_since, lang, era))


def short_mark(fresh: Freshness, lang: str) -> str:
    """ "out of date" alone, for narrow places (a map's tooltip, a heatmap cell); "" when not."""
    return t("views.ages_out_of_date", lang) if is_stale(fresh) else ""


def year_text(year: int | float | None, fresh: Freshness, lang: str, era: str) -> str:
    """A figure's year with its mark: "2020 · out of date: overdue since 1 Feb 2022", or "2020"."""
    text = fmt_year(year, era)
    note = mark(fresh, lang, era)
    return f"{text} · {note}" if note else text


def short_year(
    calendar: Calendar | None, indicator_id: str, year: int | float | None, lang: str, era: str
) -> str:
    """A figure's year with "out of date" when it is, for narrow places: "2020 · out of date", or "2020"."""
    note = short_mark(status(calendar, indicator_id, year), lang) if calendar is not None else ""
    return f"{fmt_year(year, era)} · {note}" if note else fmt_year(year, era)


def stale_lines(
    years: dict[str, int], names: dict[str, str], calendar: Calendar, lang: str, era: str
) -> list[str]:
    """One line per shown figure that is out of date: "GPP (2020): out of date: overdue since 1 Feb 2022".
    ``years``: indicator id → the year of its figure shown; ``names``: indicator id → its name."""
    lines = []
    for iid, year in years.items():
        fresh = status(calendar, iid, year)
        if is_stale(fresh):
            lines.append(f"{names[iid]} ({fmt_year(year, era)}): {mark(fresh, lang, era)}")
    return lines


def area_lines(
    indicator_id: str, latest: dict[str, int], names: dict[str, str], calendar: Calendar, lang: str, era: str
) -> list[str]:
    """One line per latest year that is out of date among areas' series of one indicator, naming the areas:
    "2020 (Nakhon Sawan, Lop Buri): out of date: overdue since 1 Feb 2022". ``latest``: area code → the latest
    year of its series; ``names``: area code → name."""
    by_year: dict[int, list[str]] = {}
    for code, year in latest.items():
        by_year.setdefault(int(year), []).append(names.get(code, code))
    lines = []
    for year in sorted(by_year):
        fresh = status(calendar, indicator_id, year)
        if is_stale(fresh):
            lines.append(f"{fmt_year(year, era)} ({', '.join(by_year[year])}): {mark(fresh, lang, era)}")
    return lines


def agency_lines(chained: pd.DataFrame, lang: str, era: str) -> list[str]:
    """The statistics chart's overdue datasets, one line per agency, oldest first: "Overdue from DOPA since 1
    Feb 2022: Registered population (2021–2025 missing)". ``chained``: ``statchart.with_readiness`` rows
    (``fresh``, ``overdue_since``, ``missing``, ``agency_{lang}``, ``indicator_{lang}``)."""
    late = chained[chained["fresh"] == "out_of_date"].drop_duplicates("indicator_id")
    lines = []
    for agency, rows in late.sort_values("overdue_since").groupby(f"agency_{lang}", sort=False):
        parts = []
        for r in rows.itertuples(index=False):
            years = [int(y) for y in str(r.missing).split(",")]
            parts.append(t("views.ages_owed", lang, indicator=getattr(r, f"indicator_{lang}"),
                           missing=fmt_years(years[0], years[-1], era)))  # fmt: skip
        since = fmt_date(rows["overdue_since"].iloc[0], lang, era)
        lines.append(t("views.ages_agency_line", lang, agency=agency, since=since, items="; ".join(parts)))
    return lines


def status_text(fresh: Freshness, lang: str, era: str) -> str:
    """A download's freshness cell: "current", "out of date: overdue since … (2021–2025 missing)", "release
    schedule not known" or "no figure"."""
    if is_stale(fresh):
        missing = fmt_years(fresh.missing[0], fresh.missing[-1], era)
        return t("views.ages_status_out_of_date", lang, since=fmt_date(fresh.overdue_since, lang, era),
                 missing=missing)  # fmt: skip
    return t(f"views.ages_status_{fresh.state}", lang)


#: The API's field names (:func:`fields`).
FIELDS = ("status", "current", "overdue_since", "missing_years", "next_expected_year", "next_expected_by")


def fields(fresh: Freshness) -> dict:
    """The API's fields for one series or figure: ``status`` (one of :data:`STATES`), ``current`` (True, False,
    or None when the calendar cannot say), ``overdue_since`` (ISO date or None), ``missing_years`` (list) and
    ``next_expected_year`` / ``next_expected_by`` (None without a schedule)."""
    return {
        "status": fresh.state,
        "current": {"current": True, "out_of_date": False}.get(fresh.state),
        "overdue_since": fresh.overdue_since.isoformat() if fresh.overdue_since else None,
        "missing_years": list(fresh.missing),
        "next_expected_year": fresh.next_year,
        "next_expected_by": fresh.next_due.isoformat() if fresh.next_due else None,
    }


def series_latest(frame: pd.DataFrame, area: str = "area_code") -> pd.DataFrame:
    """The latest year of each series (indicator × area) in ``frame`` (``indicator_id``, ``area``, ``year``)."""
    return frame.groupby(["indicator_id", area], as_index=False, sort=False)["year"].max()


def with_status(
    frame: pd.DataFrame, calendar: Calendar, lang: str, era: str, area: str = "area_code",
    figures: pd.DataFrame | None = None,
) -> pd.DataFrame:  # fmt: skip
    """``frame`` (figures: ``indicator_id``, ``area``, ``year``) with the state of the series each figure belongs
    to, judged on the series' latest year: ``latest_year`` (Gregorian) and ``status`` (:func:`status_text`).
    ``figures`` (``indicator_id``, ``area_code``, ``year``): where the latest years come from when ``frame`` is a
    part of the series (a selection of years); default ``frame`` itself."""
    if frame.empty:
        return frame.assign(latest_year=pd.Series(dtype="int64"), status=pd.Series(dtype=object))
    if figures is None:
        latest = series_latest(frame, area)
    else:
        latest = series_latest(figures).rename(columns={"area_code": area})
    latest = latest.rename(columns={"year": "latest_year"})
    latest["status"] = [
        status_text(status(calendar, iid, y), lang, era)
        for iid, y in zip(latest["indicator_id"], latest["latest_year"], strict=True)
    ]
    out = frame.merge(latest, on=["indicator_id", area], how="left", validate="many_to_one")
    return out.astype({"latest_year": "Int64"})


def readme_line(calendar: Calendar, lang: str, era: str) -> str:
    """The line a download's README gives the freshness column."""
    return t("views.ages_readme", lang, today=fmt_date(calendar.today, lang, era))


def owed(
    years: pd.DataFrame,
    indicators: pd.DataFrame,
    names: dict[str, str],
    calendar: Calendar,
    lang: str,
    era: str,
) -> pd.DataFrame:
    """What each agency owes by the release calendar on ``calendar.today`` (``freshness.overdue_by_agency``):
    one row per agency, indicator and latest year, oldest overdue first, naming the provinces (or counting them
    past five). ``years``: ``area_code``, ``indicator_id``, ``year`` (one row per figure); ``indicators``:
    ``queries.indicators``; ``names``: area code → name. Columns (in ``lang``): agency id, agency, indicator,
    latest year, missing years, overdue since, provinces; plus ``agency_id`` first (for a steward's filter)."""
    meta = indicators.set_index("id")
    series = series_latest(years).rename(columns={"year": "latest"})
    series = series[series.indicator_id.isin(meta.index)]
    schedules = {iid: s for iid, s in calendar.schedules}
    series["agency_id"] = series.indicator_id.map(meta["agency_id"])
    series["source_id"] = series.indicator_id  # the calendar that applies is the indicator's
    late = overdue_by_agency(series, schedules, calendar.today)
    cols = [
        t(f"views.owed_{c}", lang) for c in ("agency", "indicator", "latest", "missing", "since", "areas")
    ]
    rows = []
    for (agency, iid, latest, missing, since), g in late.groupby(
        ["agency_id", "indicator_id", "latest", "missing", "overdue_since"], sort=False
    ):
        areas = sorted(names.get(c, c) for c in g.area_code)
        where = ", ".join(areas) if len(areas) <= 5 else t("views.owed_n_areas", lang, n=len(areas))
        first, _, last = missing.partition("–")
        rows.append([agency, meta.loc[iid, f"agency_short_{lang}"], meta.loc[iid, f"name_{lang}"],
                     fmt_year(latest, era), fmt_years(int(first), int(last or first), era),
                     fmt_date(since, lang, era), where])  # fmt: skip
    return pd.DataFrame(rows, columns=["agency_id", *cols])
