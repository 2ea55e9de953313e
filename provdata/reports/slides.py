"""Slides of a province for presenter mode (and, later, PowerPoint): a title slide, then one slide per
key indicator with its latest figure, change, ranks, trend and source — all from the published figures."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from provdata.basics.i18n import fmt_pct_change, fmt_value, fmt_year, t
from provdata.strategy.freshness import Calendar
from provdata.views import ages
from provdata.views.profile import headline_ids


@dataclass(frozen=True)
class Slide:
    title: str
    big: str = ""  # the large number
    lines: list[str] = field(default_factory=list)
    trend: pd.DataFrame | None = None  # year, year_label, value
    bars: pd.DataFrame | None = None  # area, value (a comparison across provinces)
    unit: str = ""
    source: str = ""


def province_slides(
    province: dict,
    headlines: pd.DataFrame,
    indicators: pd.DataFrame,
    series: pd.DataFrame,
    lang: str,
    era: str,
    calendar: Calendar,
) -> list[Slide]:
    """The title slide, then one slide per headline card (views.profile.headline_ids), its year marked "out of
    date" when the release calendar on ``calendar.today`` expects a later figure."""
    meta = indicators.set_index("id")
    by = headlines.set_index("indicator_id")
    name = province[f"name_{lang}"]
    slides = [
        Slide(
            title=name,
            lines=[
                t("present.subtitle", lang),
                t("profile.region", lang, region=province["region_th" if lang == "th" else "region"]),
                t("profile.pilot_badge", lang) if province["cohort"] == "pilot" else "",
            ],
        )
    ]
    for iid in headline_ids(indicators, headlines):
        if iid not in by.index:
            continue
        h, ind = by.loc[iid], meta.loc[iid]
        change = fmt_pct_change(h.value, None if pd.isna(h.prev_value) else h.prev_value)
        fresh = ages.status(calendar, iid, int(h.year))
        lines = [f"{ind[f'unit_{lang}']} · {ages.year_text(int(h.year), fresh, lang, era)}"]
        if change:
            lines.append(t("profile.change", lang, change=change, year=fmt_year(int(h.year) - 1, era)))
        lines.append(t("profile.rank_all", lang, rank=int(h.rank_all), n=int(h.n_all)))
        if pd.notna(h.rank_pilot):
            lines.append(t("profile.rank_pilot", lang, rank=int(h.rank_pilot), n=int(h.n_pilot_with_data)))
        one = series[series.indicator_id == iid].sort_values("year")
        slides.append(
            Slide(
                title=ind[f"name_{lang}"],
                big=fmt_value(h.value),
                lines=lines,
                trend=one.assign(year_label=[fmt_year(y, era) for y in one.year])[
                    ["year", "year_label", "value"]
                ],
                unit=ind[f"unit_{lang}"],
                source=t("profile.source", lang, agency=ind[f"agency_short_{lang}"]),
            )
        )
    return slides


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
    share, as bars, with the best one named (direction respected); with ``calendar``, the year says "out of
    date" when the release calendar expects a later figure."""
    from provdata.views.figures import direction, latest_common

    meta = indicators.set_index("id")
    slides = [Slide(title=t("present.compare_title", lang, theme=theme_name),
                    lines=[", ".join(names[c] for c in codes)])]  # fmt: skip
    latest = latest_common(series, codes)
    for iid in [i for i in meta.index if i in set(latest.indicator_id)]:  # the catalogue's order
        g, ind = latest[latest.indicator_id == iid], meta.loc[iid]
        way = direction(ind)
        ordered = g.sort_values("value", ascending=way is False)
        top = ordered.iloc[0]
        label = "present.best" if way is not None else "present.largest"
        year = fmt_year(int(top.year), era)
        if calendar is not None:
            year = ages.year_text(int(top.year), ages.status(calendar, iid, int(top.year)), lang, era)
        slides.append(
            Slide(
                title=ind[f"name_{lang}"],
                big=names[top.area_code],
                lines=[
                    t(label, lang, value=fmt_value(top.value), unit=ind[f"unit_{lang}"]),
                    f"{ind[f'unit_{lang}']} · {year}",
                ],
                bars=pd.DataFrame(
                    {"area": [names[c] for c in ordered.area_code], "value": ordered.value.values}
                ),
                unit=ind[f"unit_{lang}"],
                source=t("profile.source", lang, agency=ind[f"agency_short_{lang}"]),
            )
        )
    return slides
