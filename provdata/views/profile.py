"""The province profile: headline cards and the all-indicators table, as plain data.

Built from query results only (no SQL, no Streamlit), so the page just draws what this returns.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from provdata.basics.i18n import fmt_exact, fmt_pct_change, fmt_value, fmt_year, licence_text, t
from provdata.strategy import statchart
from provdata.strategy.freshness import Calendar
from provdata.views import ages, figures
from provdata.views.follow import mark_text


@dataclass(frozen=True)
class Card:
    indicator_id: str
    label: str  # indicator name
    unit: str
    value: str  # latest figure, formatted
    exact: str  # latest figure with every published decimal
    year: str  # year of the latest figure, in the chosen era
    delta: str | None  # change on the previous year, e.g. "+2.3% on 2562"
    delta_color: str  # "normal" | "inverse" | "off" (st.metric)
    rank_text: str
    source_text: str
    trend: list[float]  # the province's series, oldest first
    has_data: bool
    stale: str = ""  # "out of date: overdue since …" when the release calendar expects a later figure
    #: "sample-survey estimate: …" for a small-sample survey figure (its rank is read with care)
    survey: str = ""


def _name(row: pd.Series | dict, lang: str, field: str = "name") -> str:
    return row[f"{field}_{lang}"]


def headline_ids(indicators: pd.DataFrame, headlines: pd.DataFrame) -> list[str]:
    """The indicators of a province's headline cards, one per card in card order: the card's candidate
    (``profile_card``) whose latest figure for the province (``headlines``: ``indicator_id``, ``year``) is the
    latest, the one listed first (lower ``profile_sort``) on a tie; a card none of whose candidates has a figure
    shows its first candidate (saying there is no figure)."""
    latest = dict(zip(headlines["indicator_id"], headlines["year"], strict=True))
    candidates = indicators.dropna(subset=["profile_sort"]).sort_values("profile_sort")
    chosen: dict[str, tuple[int, str]] = {}  # card -> (year, indicator), cards in the order first met
    for iid, card in zip(candidates["id"], candidates["profile_card"], strict=True):
        year = latest.get(iid)
        year = -1 if year is None or pd.isna(year) else int(year)
        if card not in chosen or year > chosen[card][0]:
            chosen[card] = (year, iid)
    return [iid for _, iid in chosen.values()]


def median_latest_year(indicators: pd.DataFrame, headlines: pd.DataFrame) -> float | None:
    """The median of the latest years of a province's headline cards (cards with a figure); None without any."""
    years = headlines.set_index("indicator_id")["year"]
    shown = [int(years[i]) for i in headline_ids(indicators, headlines) if i in years.index]
    return float(pd.Series(shown).median()) if shown else None


def headline_cards(
    headlines: pd.DataFrame,
    indicators: pd.DataFrame,
    series: pd.DataFrame,
    province: dict,
    lang: str,
    era: str,
    indicator_ids: list[str],
    calendar: Calendar,
) -> list[Card]:
    """One card per indicator in ``indicator_ids`` order; indicators without a figure say so; a figure the
    release calendar calls out of date on ``calendar.today`` says so (``Card.stale``)."""
    meta = indicators.set_index("id")
    by_indicator = headlines.set_index("indicator_id")
    cards = []
    for iid in indicator_ids:
        ind = meta.loc[iid]
        label, unit = _name(ind, lang), ind[f"unit_{lang}"]
        source = t("profile.source", lang, agency=ind[f"agency_short_{lang}"])
        if iid not in by_indicator.index:
            cards.append(
                Card(
                    iid,
                    label,
                    unit,
                    "–",
                    "–",
                    "",
                    None,
                    "off",
                    t("profile.no_data", lang, province=_name(province, lang)),
                    source,
                    [],
                    False,
                )
            )
            continue
        h = by_indicator.loc[iid]
        prev_year = int(h.year) - 1
        change = fmt_pct_change(h.value, None if pd.isna(h.prev_value) else h.prev_value)
        if change is None:
            delta = None
        else:
            delta = t("profile.change", lang, change=change, year=fmt_year(prev_year, era))
        direction = ind.higher_is_better
        delta_color = "off" if pd.isna(direction) else ("normal" if direction else "inverse")
        rank_parts = [t("profile.rank_all", lang, rank=int(h.rank_all), n=int(h.n_all))]
        if pd.isna(h.rank_pilot):
            rank_parts.append(t("profile.not_pilot", lang))
        else:
            rank_parts.append(
                t("profile.rank_pilot", lang, rank=int(h.rank_pilot), n=int(h.n_pilot_with_data))
            )
        rank_parts.append(t("profile.rank_largest" if pd.isna(direction) else "profile.rank_best", lang))
        trend = series.loc[series.indicator_id == iid].sort_values("year")["value"].tolist()
        cards.append(
            Card(
                indicator_id=iid,
                label=label,
                unit=unit,
                value=fmt_value(h.value),
                exact=fmt_exact(h.value),
                year=fmt_year(int(h.year), era),
                delta=delta,
                delta_color=delta_color,
                rank_text=" · ".join(rank_parts),
                source_text=source,
                trend=trend,
                has_data=True,
                stale=ages.mark(ages.status(calendar, iid, int(h.year)), lang, era),
                survey=t("views.survey_short", lang) if figures.survey_caveat(ind, lang) else "",
            )
        )
    return cards


def indicator_table(
    headlines: pd.DataFrame, indicators: pd.DataFrame, lang: str, era: str, calendar: Calendar
) -> pd.DataFrame:
    """Every indicator with a figure for the province: latest year, whether it is current by the release
    calendar on ``calendar.today``, exact value, change, ranks."""
    merged = indicators.merge(headlines, left_on="id", right_on="indicator_id", how="inner")
    merged = merged.sort_values(["theme", "id"], kind="stable")

    def col(key: str) -> str:
        return t(f"profile.{key}", lang)

    return pd.DataFrame(
        {
            col("col_theme"): merged[f"theme_{lang}"],
            col("col_indicator"): merged[f"name_{lang}"],
            col("col_unit"): merged[f"unit_{lang}"],
            col("col_year"): [fmt_year(y, era) for y in merged["year"]],
            t("views.col_status", lang): [
                ages.status_text(ages.status(calendar, iid, y), lang, era)
                for iid, y in zip(merged["id"], merged["year"], strict=True)
            ],
            col("col_value"): merged["value"],
            col("col_change"): [
                fmt_pct_change(v, None if pd.isna(p) else p) or "–"
                for v, p in zip(merged["value"], merged["prev_value"], strict=True)
            ],
            col("col_rank_all"): [
                f"{r}/{n}" for r, n in zip(merged["rank_all"], merged["n_all"], strict=True)
            ],
            col("col_rank_pilot"): [
                "–" if pd.isna(r) else f"{int(r)}/{n}"
                for r, n in zip(merged["rank_pilot"], merged["n_pilot_with_data"], strict=True)
            ],
            col("col_source"): merged[f"agency_short_{lang}"],
        }
    ).reset_index(drop=True)


@dataclass(frozen=True)
class ProfileView:
    """What the profile page shows of one province apart from the history of one indicator."""

    cards: list[Card]
    table: pd.DataFrame  # every indicator with a figure (indicator_table)
    targets: dict  # indicator id → (chain link, target progress) of the province's statistics chart
    first_card: str  # the first card's indicator: the history's default
    sources: list[str]  # one line per upstream source of the province's figures (exports.about_sources)
    agencies: str  # the agencies of every indicator, for the page's footnote


@dataclass(frozen=True)
class History:
    """One indicator's years for a province, as the profile's history section shows them."""

    table: pd.DataFrame  # year in the chosen era, exact value
    chart_frame: pd.DataFrame  # the series with the table's year labels, for charts.series_line
    chart_title: str
    unit: str
    caption: str  # sources, agency, licence, years and era


def history(
    series: pd.DataFrame, indicator: pd.Series, sources: pd.DataFrame, province_name: str, lang: str, era: str
) -> History | None:
    """The history section of ``indicator`` (a row of the indicators table) from its ``series`` rows for one
    province; None when the province has no figure of it."""
    if series.empty:
        return None
    table = history_table(series, lang, era)
    used = sources.set_index("id").loc[sorted(set(series.source_id))]
    caption = t(
        "profile.history_caption",
        lang,
        source="; ".join(used[f"title_{lang}"]),
        agency=indicator[f"agency_short_{lang}"],
        license=licence_text("; ".join(sorted(set(used["license"]))), lang),
        years=f"{table.iloc[0, 0]}–{table.iloc[-1, 0]}",
        era=t(f"app.era_{era}", lang),
    )
    return History(
        table=table,
        chart_frame=series.sort_values("year").assign(year_label=table.iloc[:, 0].tolist()),
        chart_title=t(
            "profile.history_chart_title", lang, indicator=indicator[f"name_{lang}"], province=province_name
        ),
        unit=indicator[f"unit_{lang}"],
        caption=caption,
    )


def history_table(series: pd.DataFrame, lang: str, era: str) -> pd.DataFrame:
    """One indicator's years for a province: the year in the chosen era and the exact value."""
    ordered = series.sort_values("year")
    return pd.DataFrame(
        {
            t("profile.col_year", lang): [fmt_year(y, era) for y in ordered["year"]],
            t("profile.col_year_value", lang): [fmt_exact(v) for v in ordered["value"]],
        }
    )


def region_text(province: dict, lang: str) -> str:
    """The "Region: …" line under the province's name."""
    return t("profile.region", lang, region=province["region_th" if lang == "th" else "region"])


def card_lines(card: Card, targets: dict, lang: str, era: str, marks: dict | None = None) -> list[str]:
    """The lines under a headline card: unit, year and rank (or why there is no figure), the source, the
    province's target for the indicator when its statistics chart sets one, and its flags and open actions
    (``marks``: indicator id → (flags, open actions), from the follow-up register)."""
    year = t("profile.latest", lang, year=card.year)
    lines = [f"{card.unit} · {year} · {card.rank_text}" if card.has_data else card.rank_text]
    if card.stale:
        lines.append(f"⚠ {card.stale}")
    if card.survey:
        lines.append(f"⚠ {card.survey}")
    lines.append(card.source_text)
    if card.indicator_id in targets:
        link, progress = targets[card.indicator_id]
        lines.append(statchart.target_text(link, progress, lang, era))
    n_flags, n_open = (marks or {}).get(card.indicator_id, (0, 0))
    if n_flags or n_open:
        lines.append(mark_text(n_flags, n_open, lang))
    return lines


def delta_trend(card: Card) -> str | None:
    """The colour st.metric gives the card's change: "up" (green), "down" (red) or None (grey, or no change)."""
    if card.delta is None or card.delta_color == "off":
        return None
    rising = not card.delta.startswith("-")
    return "up" if rising == (card.delta_color == "normal") else "down"
