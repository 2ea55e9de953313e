"""Slides of a province or of a comparison, for presenter mode and PowerPoint: a title slide (the province, the
period of its figures and three things to discuss), then one slide per key indicator with its latest figure and
year, change, ranks, trend and source — all from the published figures. The text is plain (never escaped for
Markdown or HTML): each medium escapes it for itself, and :func:`slide_text` is the one list of what a slide says,
drawn on the screen and written as the deck's speaker notes."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from provdata.basics.i18n import fmt_date, fmt_pct_change, fmt_value, fmt_year, t
from provdata.strategy.freshness import Calendar
from provdata.views import ages, figures
from provdata.views.profile import headline_ids

#: How many things to discuss the title slide names.
DISCUSS = 3


@dataclass(frozen=True)
class Slide:
    title: str
    big: str = ""  # the large number
    lines: list[str] = field(default_factory=list)
    points: list[str] = field(default_factory=list)  # the title slide's things to discuss
    note: str = ""  # how the points were chosen
    trend: pd.DataFrame | None = None  # year, year_label, value
    bars: pd.DataFrame | None = None  # area, value (a comparison across provinces)
    unit: str = ""
    source: str = ""


def slide_text(slide: Slide) -> list[str]:
    """Every line a slide shows, in order: what presenter mode draws and the deck's speaker notes say."""
    return [x for x in (slide.title, slide.big, *slide.lines, *slide.points, slide.note, slide.source) if x]


def adverse_changes(headlines: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """The indicators whose latest figure moved the wrong way on the previous published one (direction
    respected: a fall where higher is better, a rise where lower is better), largest percent change first.
    Indicators without a direction, a previous figure or a previous figure other than 0 are left out."""
    meta = indicators.set_index("id")
    rows = []
    for h in headlines.itertuples():
        way = meta.loc[h.indicator_id, "higher_is_better"]
        if pd.isna(way) or pd.isna(h.prev_value) or h.prev_value == 0:
            continue
        pct = (h.value - h.prev_value) / abs(h.prev_value) * 100
        if (pct < 0) if bool(way) else (pct > 0):
            rows.append({"indicator_id": h.indicator_id, "size": abs(pct)})
    frame = pd.DataFrame(rows, columns=["indicator_id", "size"])
    return frame.sort_values(["size", "indicator_id"], ascending=[False, True], kind="stable")


def _year_line(year: int, latest: int, calendar: Calendar, iid: str, lang: str, era: str) -> str:
    """A slide's year ("ปี 2563"), the series' latest year when later, and "out of date" when the series is."""
    parts = [t("present.year", lang, year=fmt_year(year, era))]
    if latest > year:
        parts.append(t("report.later_figure", lang, year=fmt_year(latest, era)))
    note = ages.mark(ages.status(calendar, iid, latest), lang, era)
    return " · ".join(parts + ([note] if note else []))


def _source(ind: pd.Series, lang: str) -> str:
    """A figure slide's source line; a sample-survey figure's adds that its ranks are read with care (in the
    footer, so the figure and its chart keep their room-sized type)."""
    source = t("profile.source", lang, agency=ind[f"agency_short_{lang}"])
    return f"{source} · {t('views.survey_short', lang)}" if figures.survey_caveat(ind, lang) else source


def province_slides(
    province: dict,
    headlines: pd.DataFrame,
    indicators: pd.DataFrame,
    series: pd.DataFrame,
    lang: str,
    era: str,
    calendar: Calendar,
    latest: dict[str, int] | None = None,
) -> list[Slide]:
    """The title slide, then one slide per headline card (views.profile.headline_ids), its year marked "out of
    date" when the release calendar on ``calendar.today`` expects a later figure. ``latest``: each series' latest
    year when the slides stop at an earlier one (a deck of a past year): the series is judged on it, and named."""
    meta = indicators.set_index("id")
    # the cards' indicators (one per concept, the freshest): a card's older candidate (the 2013 poverty release)
    # neither widens the period nor comes up for discussion
    shown = headlines[headlines.indicator_id.isin(headline_ids(indicators, headlines))]
    by = shown.set_index("indicator_id")

    def changed(h: pd.Series) -> str:
        change = fmt_pct_change(h.value, None if pd.isna(h.prev_value) else h.prev_value)
        return (
            t("profile.change", lang, change=change, year=fmt_year(int(h.prev_year), era)) if change else ""
        )

    worst = adverse_changes(shown.reset_index(drop=True), indicators).indicator_id.head(DISCUSS)
    points = [
        t("present.point", lang, name=meta.loc[i, f"name_{lang}"], change=changed(by.loc[i]),
          year=fmt_year(int(by.loc[i, "year"]), era))
        for i in worst
    ]  # fmt: skip
    years = sorted({int(y) for y in shown.year})
    period = (
        t(
            "present.period",
            lang,
            years="–".join(dict.fromkeys((fmt_year(years[0], era), fmt_year(years[-1], era)))),
        )
        if years
        else ""
    )
    region = province["region_th" if lang == "th" else "region"]
    slides = [
        Slide(
            title=province[f"name_{lang}"],
            lines=[
                t("present.subtitle", lang),
                t("profile.region", lang, region=region),
                t("profile.pilot_badge", lang) if province["cohort"] == "pilot" else "",
                period,
            ],
            points=points or [t("present.discuss_none", lang)],
            note=t("present.discuss_rule", lang, n=DISCUSS),
        )
    ]
    for iid in headline_ids(indicators, headlines):
        if iid not in by.index:
            continue
        h, ind = by.loc[iid], meta.loc[iid]
        newest = (latest or {}).get(iid, int(h.year))
        lines = [f"{ind[f'unit_{lang}']} · {_year_line(int(h.year), newest, calendar, iid, lang, era)}"]
        lines.append(changed(h))
        lines.append(t("profile.rank_all", lang, rank=int(h.rank_all), n=int(h.n_all)))
        if pd.notna(h.rank_pilot):
            lines.append(t("profile.rank_pilot", lang, rank=int(h.rank_pilot), n=int(h.n_pilot_with_data)))
        one = series[series.indicator_id == iid].sort_values("year")
        slides.append(
            Slide(
                title=ind[f"name_{lang}"],
                big=fmt_value(h.value),
                lines=[x for x in lines if x],
                trend=one.assign(year_label=[fmt_year(y, era) for y in one.year])[
                    ["year", "year_label", "value"]
                ],
                unit=ind[f"unit_{lang}"],
                source=_source(ind, lang),
            )
        )
    return slides


#: How many open actions the presenter's slide lists (overdue first); the rest are counted.
ACTIONS_ON_SLIDE = 5


def actions_slide(view, lang: str, era: str) -> Slide:
    """Presenter mode's slide of the province's open actions (views.follow.FollowUp): how many, the first
    :data:`ACTIONS_ON_SLIDE` (overdue first) with owner and due date, and the flags no action answers."""
    open_ = view.actions[view.actions.status.isin(("planned", "under_way"))]
    lines = [
        t("present.action_line", lang, indicator=r.indicator, what=r.what, agency=r.agency, due=r.due)
        for r in open_.head(ACTIONS_ON_SLIDE).itertuples()
    ]
    if len(open_) > ACTIONS_ON_SLIDE:
        lines.append(t("present.actions_more", lang, n=len(open_) - ACTIONS_ON_SLIDE))
    if not len(open_):
        lines.append(t("present.actions_none", lang))
    lines.append(t("present.actions_unanswered", lang, n=len(view.no_action), flags=len(view.flags)))
    return Slide(
        title=t("present.actions_title", lang),
        big=str(len(open_)),
        lines=lines,
        note=t("follow.honest", lang),
        source=t("present.actions_source", lang, day=fmt_date(view.today, lang, era)),
    )


def follow_slides(view, lang: str, era: str) -> list[Slide]:
    """The deck's part "Flags and actions": what was flagged (with its rule), then what was done and what the
    figures show now (each action's review line), then the open actions (:func:`actions_slide`)."""
    flagged = [t("present.flag_line", lang, indicator=r.indicator, flag=r.flag, rule=r.rule)
               for r in view.flags.itertuples()] or [t("follow.no_flags", lang)]  # fmt: skip
    done = [t("present.review_line", lang, indicator=r.indicator, what=r.what, status=r.status_text, review=r.review)
            for r in view.actions.itertuples()] or [t("follow.no_actions", lang)]  # fmt: skip
    return [
        Slide(title=t("present.flags_title", lang), big=str(len(view.flags)), lines=flagged,
              note=t("present.flags_note", lang)),
        Slide(title=t("present.reviews_title", lang), lines=done, note=t("follow.honest", lang),
              source=t("present.actions_source", lang, day=fmt_date(view.today, lang, era))),
        actions_slide(view, lang, era),
    ]  # fmt: skip


def comparison_slides(
    theme_name: str,
    codes: list[str],
    names: dict[str, str],
    series: pd.DataFrame,
    indicators: pd.DataFrame,
    lang: str,
    era: str,
    calendar: Calendar | None = None,
) -> list[Slide]:
    """A title slide, then one slide per indicator of a theme: the chosen provinces in the latest year they
    share, as bars, with the best one's figure large and its name beside (direction respected); with
    ``calendar``, the year says "out of date" when the release calendar expects a later figure."""
    from provdata.views.figures import direction, latest_common

    meta = indicators.set_index("id")
    latest = latest_common(series, codes)
    years = sorted({int(y) for y in latest.year})
    period = "–".join(dict.fromkeys(fmt_year(y, era) for y in (years[:1] + years[-1:])))
    slides = [Slide(title=t("present.compare_title", lang, theme=theme_name),
                    lines=[", ".join(names[c] for c in codes), t("present.period", lang, years=period) if years else ""])]  # fmt: skip
    for iid in [i for i in meta.index if i in set(latest.indicator_id)]:  # the catalogue's order
        g, ind = latest[latest.indicator_id == iid], meta.loc[iid]
        way = direction(ind)
        ordered = g.sort_values("value", ascending=way is False)
        top = ordered.iloc[0]
        label = "present.best" if way is not None else "present.largest"
        year = t("present.year", lang, year=fmt_year(int(top.year), era))
        if calendar is not None:
            year = _year_line(int(top.year), int(top.year), calendar, iid, lang, era)
        slides.append(
            Slide(
                title=ind[f"name_{lang}"],
                big=fmt_value(top.value),
                lines=[
                    f"{ind[f'unit_{lang}']} · {year}",
                    t(label, lang, area=names[top.area_code]),
                ],
                bars=pd.DataFrame(
                    {"area": [names[c] for c in ordered.area_code], "value": ordered.value.values}
                ),
                unit=ind[f"unit_{lang}"],
                source=t("profile.source", lang, agency=ind[f"agency_short_{lang}"]),
            )
        )
    return slides
