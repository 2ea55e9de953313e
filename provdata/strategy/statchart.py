"""The province's official statistics chart (ผังสถิติทางการ): chain + computed readiness, the issues'
decision-readiness, the development plan drawn from the gaps, and the chart as a Graphviz graph."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from provdata.basics import config
from provdata.basics.i18n import fmt_date, fmt_year, fmt_years, t
from provdata.strategy.freshness import Calendar, due_date
from provdata.strategy.readiness import assess, decision_ready, oldest_recent_year

GRADE_COLOURS = {"A": "#1a9850", "B": "#f4a742", "C": "#d73027"}


def chain_indicators(chain: pd.DataFrame) -> list[str]:
    """The indicators a chain names (links without one left out), sorted."""
    return sorted({i for i in chain.indicator_id.dropna()})


def chain_labels(chain: pd.DataFrame, lang: str) -> dict[str, str]:
    """Indicator id → its name in the chain, in ``lang``."""
    return dict(zip(chain.indicator_id, chain[f"indicator_{lang}"], strict=False))


def with_readiness(chain: pd.DataFrame, years: pd.DataFrame, code: str, calendar: Calendar) -> pd.DataFrame:
    """Each link of the chain with its readiness in this province (needed-but-missing links are C), judged on
    ``calendar.today`` against each series' release calendar: ``fresh`` (current | out_of_date | no_schedule |
    no_figure), ``missing`` (the years that should be out by now, e.g. "2021,2022"), ``overdue_since`` (a date
    or None), ``next_year`` and ``next_due`` (the next figure expected and when)."""
    mine = years[years.area_code == code].groupby("indicator_id")["year"].apply(list).to_dict()
    rows = []
    for _, link in chain.iterrows():
        iid = link.indicator_id if pd.notna(link.indicator_id) else None
        r = assess(mine.get(iid, []) if iid else [], calendar.schedule(iid), calendar.today)
        rows.append(
            {
                **link.to_dict(),
                "grade": r.grade,
                "latest": r.latest,
                "first": r.years[0] if r.years else None,
                "run": r.run,
                "gaps": ",".join(map(str, r.gaps)),
                "reasons": ",".join(r.reasons),
                "missing_dataset": pd.isna(link.indicator_id),
                "fresh": r.fresh.state,
                "missing": ",".join(map(str, r.fresh.missing)),
                "overdue_since": r.fresh.overdue_since,
                "next_year": r.fresh.next_year,
                "next_due": r.fresh.next_due,
            }
        )
    return pd.DataFrame(rows)


def issues(chained: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per issue: its key indicators' grades and whether it is decision-ready."""
    out = []
    for issue_id, g in chained.groupby("issue_id", sort=False):
        key = g[g.role == "key"]
        grades = key.grade.tolist()
        out.append(
            {
                "issue_id": issue_id,
                "title": g[f"issue_{lang}"].iloc[0],
                "value_chain": g[f"value_chain_{lang}"].iloc[0] or "",
                "n_key": len(grades),
                "n_key_a": grades.count("A"),
                "decision_ready": decision_ready(grades),
                "example": bool(g.example.iloc[0]),
            }
        )
    return pd.DataFrame(out)


def _missing_years(row: pd.Series) -> list[int]:
    return [int(y) for y in row.missing.split(",")] if isinstance(row.missing, str) and row.missing else []


def reason_text(row: pd.Series, lang: str, era: str, calendar: Calendar) -> str:
    """Why a cell is B or C (or A), in words, with the years and dates that make it so."""
    if row.grade == "C":
        key = "chart.why_missing_dataset" if row.missing_dataset else "chart.why_none"
        return t(key, lang)
    parts = []
    reasons = row.reasons.split(",") if row.reasons else []
    if "short" in reasons:
        parts.append(t("chart.why_short", lang, run=row.run, need=config.READY_MIN_CONSECUTIVE_YEARS))
    if "overdue" in reasons:
        missing = _missing_years(row)
        parts.append(
            t("chart.why_overdue", lang, latest=fmt_year(row.latest, era),
              missing=fmt_years(missing[0], missing[-1], era), since=fmt_date(row.overdue_since, lang, era))
        )  # fmt: skip
    if "stale" in reasons:
        parts.append(
            t("chart.why_stale", lang, latest=fmt_year(row.latest, era),
              oldest=fmt_year(oldest_recent_year(calendar.today), era))
        )  # fmt: skip
    if "gaps" in reasons:
        parts.append(
            t("chart.why_gaps", lang, years=", ".join(fmt_year(int(y), era) for y in row.gaps.split(",")))
        )
    if parts:
        return "; ".join(parts)
    if row.fresh == "current":
        return t("chart.why_ready_current", lang, latest=fmt_year(row.latest, era),
                 next=fmt_year(row.next_year, era), due=fmt_date(row.next_due, lang, era))  # fmt: skip
    return t("chart.why_ready", lang, latest=fmt_year(row.latest, era))


def plan_missing(row: pd.Series, lang: str, era: str) -> str:
    """The figures a plan line asks for by name: "2021–2025 missing" (by the release calendar), "figures after
    2020 missing" (no calendar), or "" (C: nothing published yet)."""
    if row.grade == "C" or pd.isna(row.latest):
        return ""
    missing = _missing_years(row)
    if missing:
        return t("chart.plan_missing", lang, years=fmt_years(missing[0], missing[-1], era))
    if "stale" in (row.reasons or ""):
        return t("chart.plan_missing_after", lang, latest=fmt_year(row.latest, era))
    return ""


def development_plan(
    chained: pd.DataFrame, lang: str, era: str, calendar: Calendar, statuses: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every B or C cell of a key indicator becomes a plan line: what to do (naming the missing years), which
    agency, priority, by when, and the progress planners marked (``statuses``: ``link``, ``status``, ``note``).

    By when: for a series overdue by its release calendar, the year its first missing figure was due (already
    past: the line is overdue since that date); otherwise today's year + 1 (C) or + 2 (B). A line not done whose
    target year has passed shows as overdue."""
    gaps = chained[(chained.role == "key") & (chained.grade != "A")]
    marked = {} if statuses is None else {r.link: (r.status, r.note) for r in statuses.itertuples()}
    today = calendar.today
    rows = []
    for _, r in gaps.iterrows():
        link = r.indicator_id if pd.notna(r.indicator_id) else r.indicator_en
        status, note = marked.get(link, ("open", ""))
        high = r.grade == "C"
        action = t("chart.action_collect" if high else "chart.action_fix", lang, dataset=r[f"dataset_{lang}"])
        missing = plan_missing(r, lang, era)
        if missing:
            action = f"{action} ({missing})"
        overdue_since = r.overdue_since if isinstance(r.overdue_since, dt.date) else None
        target_year = overdue_since.year if overdue_since else today.year + (1 if high else 2)
        shown_status = t(f"chart.status_{status}", lang)
        if status != "done" and target_year < today.year:
            since = overdue_since or dt.date(target_year + 1, 1, 1)
            shown_status = t(
                "chart.plan_overdue", lang, status=shown_status, since=fmt_date(since, lang, era)
            )
        rows.append(
            {
                t("chart.col_issue", lang): r[f"issue_{lang}"],
                t("chart.col_indicator", lang): r[f"indicator_{lang}"],
                t("chart.col_grade", lang): r.grade,
                t("chart.col_latest_year", lang): fmt_year(r.latest, era),
                t("chart.col_why", lang): reason_text(r, lang, era, calendar),
                t("chart.col_action", lang): action,
                t("chart.col_agency", lang): r[f"agency_{lang}"],
                t("chart.col_priority", lang): t(
                    "chart.priority_high" if high else "chart.priority_medium", lang
                ),
                t("chart.col_target_year", lang): fmt_year(target_year, era),
                t("chart.col_status", lang): shown_status,
                t("chart.col_progress_note", lang): note or "",
                t("chart.col_link", lang): link,
            }
        )
    return pd.DataFrame(rows)


def why_line(
    chain: pd.DataFrame, years: pd.DataFrame, code: str, indicator_id: str, names: dict[str, str],
    labels: dict[str, str], calendar: Calendar, lang: str, era: str,
) -> str:  # fmt: skip
    """Why ``indicator_id`` of the chain has its grade in province ``code``: the grade, the reason and the years
    published."""
    cell = with_readiness(chain[chain.indicator_id == indicator_id].head(1), years, code, calendar).iloc[0]
    present = sorted(years[(years.area_code == code) & (years.indicator_id == indicator_id)].year)
    return t(
        "chart.why_line", lang, indicator=labels.get(indicator_id, indicator_id), province=names[code],
        grade=cell.grade, why=reason_text(cell, lang, era, calendar),
        years=", ".join(fmt_year(y, era) for y in present) or "–",
    )  # fmt: skip


def readiness_grid(matrix: pd.DataFrame, names: dict[str, str], labels: dict[str, str]) -> pd.DataFrame:
    """Provinces × indicators of grades (A/B/C), for display."""
    wide = matrix.pivot(index="area_code", columns="indicator_id", values="grade")
    wide.index = [names[c] for c in wide.index]
    return wide.rename(columns=labels)


def series_by_key(series: pd.DataFrame) -> dict[tuple[str, str], list[tuple[int, float]]]:
    """``{(area_code, indicator_id): [(year, value), …]}``: one pass over the series for many lookups."""
    out: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for area, indicator, year, value in zip(
        series.area_code, series.indicator_id, series.year, series.value, strict=True
    ):  # a plain loop: a groupby made a frame per group (70 ms for one province's 69 indicators)
        out.setdefault((area, indicator), []).append((year, value))
    return out


def target_progress(
    chain: pd.DataFrame, series: pd.DataFrame, code: str, calendar: Calendar, by_key: dict | None = None
) -> dict:
    """``{indicator_id: (link row, Progress)}`` for every link of the chain that carries a target, judged on
    ``calendar.today`` (a deadline year that has passed is graded on its own figure; see ``targets``).

    ``by_key``: :func:`series_by_key` of ``series``, when the caller looks up many provinces.
    """
    from provdata.strategy.targets import progress

    out = {}
    targeted = chain[chain.target_value.notna()]
    if targeted.empty:
        return out
    if by_key is None:
        by_key = series_by_key(series[series.area_code == code])
    for _, r in targeted.iterrows():
        schedule = calendar.schedule(r.indicator_id)
        year = int(r.target_year)
        due = due_date(year, schedule.lag_months) if schedule is not None and schedule.known else None
        points = by_key.get((code, r.indicator_id), [])
        out[r.indicator_id] = (
            r,
            progress(points, r.target_value, year, r.target_direction, calendar.today, due),
        )
    return out


def status_text(r: pd.Series, p, lang: str, era: str) -> str:
    """A target's status in words, with the deadline year (and the due date of its figure while awaited)."""
    return t(f"chart.status_{p.status}", lang, year=fmt_year(int(r.target_year), era),
             due=fmt_date(p.due, lang, era))  # fmt: skip


def target_text(r: pd.Series, p, lang: str, era: str) -> str:
    """e.g. "Target ≤ 200 by 2022: not met — no figure for 2022, the deadline year"."""
    from provdata.basics.i18n import fmt_value

    goal = t(
        f"chart.target_{r.target_direction}",
        lang,
        value=fmt_value(r.target_value),
        year=fmt_year(int(r.target_year), era),
    )
    return f"{t('chart.col_target', lang)} {goal}: {status_text(r, p, lang, era)}"


def target_table(
    chained: pd.DataFrame, series: pd.DataFrame, code: str, calendar: Calendar, lang: str, era: str
) -> pd.DataFrame:
    """Progress of every link with a target: target, the figure for the deadline year (once it has passed),
    the latest figure with its year, trend, projection (open targets only) and status."""
    from provdata.basics.i18n import fmt_value

    rows = []
    for r, p in target_progress(chained, series, code, calendar).values():
        year = int(r.target_year)
        rows.append(
            {
                t("chart.col_indicator", lang): r[f"indicator_{lang}"],
                t("chart.col_target", lang): t(
                    f"chart.target_{r.target_direction}", lang, value=fmt_value(r.target_value),
                    year=fmt_year(year, era),
                ),
                t("chart.col_deadline_figure", lang): "" if not p.deadline_passed
                else "–" if p.deadline_value is None
                else f"{fmt_value(p.deadline_value)} ({fmt_year(year, era)})",
                t("chart.col_latest", lang): "–" if p.latest is None
                else f"{fmt_value(p.latest)} ({fmt_year(p.latest_year, era)})",
                t("chart.col_trend", lang): "–" if p.slope is None else f"{p.slope:+,.4g}",
                t("chart.col_projected", lang): "–" if p.projected is None else fmt_value(p.projected),
                t("chart.col_status", lang): status_text(r, p, lang, era),
                t("chart.col_note", lang): r[f"target_note_{lang}"] or "",
            }
        )  # fmt: skip
    return pd.DataFrame(rows)


def readiness_counts(
    chains: dict[str, pd.DataFrame], years: pd.DataFrame, calendar: Calendar
) -> pd.DataFrame:
    """Per province: its key links graded A/B/C, needed-but-missing links, and decision-ready issues.

    ``chains``: province code → its chain (queries.chain); ``years``: area_code, indicator_id, year.
    """
    rows = []
    for code, chain in chains.items():
        chained = with_readiness(chain, years, code, calendar)
        key = chained[chained.role == "key"]
        ready = issues(chained, "en") if len(chained) else pd.DataFrame(columns=["decision_ready"])
        rows.append(
            {
                "province_code": code,
                "key_a": int((key.grade == "A").sum()),
                "key_b": int((key.grade == "B").sum()),
                "key_c": int((key.grade == "C").sum()),
                "missing": int(chained.missing_dataset.sum()),
                "issues_ready": int(ready.decision_ready.sum()),
                "issues": len(ready),
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class ChartView:
    """What the chart page shows of one province's chain, computed once per build, province and language."""

    chained: pd.DataFrame  # the chain with each link's readiness
    summary: pd.DataFrame | None  # one row per issue (None without a chain)
    plan: pd.DataFrame | None  # the development plan (None without a chain)
    targets: pd.DataFrame  # progress of the links with a target
    matrix: pd.DataFrame  # grades of every chain province × this chain's indicators


def chart_view(
    chain: pd.DataFrame,
    years: pd.DataFrame,
    series: pd.DataFrame,
    plan_status: pd.DataFrame,
    chain_codes: list[str],
    code: str,
    calendar: Calendar,
    lang: str,
    era: str,
) -> ChartView:
    from provdata.strategy import readiness

    indicator_ids = chain_indicators(chain)
    matrix = readiness.matrix(years, chain_codes, indicator_ids, calendar)
    if chain.empty:
        return ChartView(chain, None, None, pd.DataFrame(), matrix)
    chained = with_readiness(chain, years, code, calendar)
    return ChartView(
        chained,
        issues(chained, lang),
        development_plan(chained, lang, era, calendar, plan_status),
        target_table(chained, series, code, calendar, lang, era),
        matrix,
    )


def rule_text(calendar: Calendar, lang: str, era: str) -> str:
    """The readiness rule as of ``calendar.today`` (the chart page, the plan's files and the report state it)."""
    today = calendar.today
    return t("chart.rule", lang, today=fmt_date(today, lang, era), years=config.READY_MIN_CONSECUTIVE_YEARS,
             oldest=fmt_year(oldest_recent_year(today), era), age=config.READY_MAX_AGE_YEARS,
             year=fmt_year(today.year, era), min_a=config.DECISION_READY_MIN_KEY_A)  # fmt: skip
