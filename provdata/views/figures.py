"""Data for the decision views (map, trends, compare), shaped from query results — no SQL, no UI.

Each function returns plain frames the pages draw as they are, with the exact published figures, and
derived values (per-capita, index, change, growth, scores) marked as derived in their column names.
"""

from __future__ import annotations

import html
import math

import pandas as pd

from provdata.basics.i18n import fmt_value, fmt_year, licence_text, t
from provdata.views import ages, analysis
from provdata.warehouse.recipes import CAVEAT_WORDS

POPULATION = "population_registered"
MAP_INDICATOR = "gpp_per_capita_baht"  # what the map and trends open with


def area_names(areas: pd.DataFrame, lang: str) -> dict[str, str]:
    """Code → name of each area in the chosen language."""
    return dict(zip(areas["code"], areas[f"name_{lang}"], strict=True))


def caveat(indicator: pd.Series | dict, lang: str) -> str:
    """An indicator's caveat as its recipe states it (the build writes it into the definition after "Caveat:"),
    or ""."""
    _, found, rest = str(indicator.get(f"definition_{lang}") or "").partition(f" {CAVEAT_WORDS[lang]}: ")
    return rest.strip() if found else ""


def survey_caveat(indicator: pd.Series | dict, lang: str) -> str:
    """The caveat of a sample-survey estimate (NSO's SES, NESDC's poverty from it, OAE's farm survey: small
    provincial samples), shown wherever its figures are ranked, mapped or compared; "" for other indicators."""
    english = caveat(indicator, "en").lower()
    return caveat(indicator, lang) if "sample-survey" in english or "sample survey" in english else ""


def survey_lines(indicators: pd.DataFrame, ids, lang: str) -> list[str]:
    """ "<indicator>: <caveat>" for each sample-survey indicator of ``ids``, in their order."""
    meta = indicators.set_index("id")
    lines = []
    for iid in dict.fromkeys(ids):
        text = survey_caveat(meta.loc[iid], lang) if iid in meta.index else ""
        if text:
            lines.append(f"{meta.loc[iid, f'name_{lang}']}: {text}")
    return lines


def direction(indicator: pd.Series) -> bool | None:
    """True: higher is better; False: lower is better; None: no direction (a size, not a goal)."""
    value = indicator["higher_is_better"]
    return None if pd.isna(value) else bool(value)


def map_levels(indicator: pd.Series) -> list[str]:
    """The levels the map can show an indicator at: provinces, and districts where it has district figures."""
    return ["province", "district"] if indicator["n_districts"] else ["province"]


def can_per_capita(indicator: pd.Series, level: str) -> bool:
    """Whether the map offers the indicator per head of the registered population at ``level``."""
    return level == "province" and has_per_capita(indicator)


def has_per_capita(indicator: pd.Series) -> bool:
    return pd.notna(indicator["per_capita_factor"])


def ranked(values: pd.DataFrame, higher_is_better: bool | None) -> pd.DataFrame:
    """Add ``rank`` (1 = best where the indicator has a direction, else the largest) and ``n``."""
    out = values.copy()
    ascending = higher_is_better is False
    out["rank"] = out["value"].rank(ascending=ascending, method="min").astype("Int64")
    out["n"] = int(out["value"].notna().sum())
    return out


def map_values(
    year_values: pd.DataFrame,
    population: pd.DataFrame | None,
    factor: float | None,
) -> pd.DataFrame:
    """The figures to map: as published, or per capita (value × factor ÷ registered population)."""
    frame = year_values[["area_code", "value", "source_id"]].copy()
    if population is None or factor is None:
        return frame
    pop = population.rename(columns={"value": "population"})[["area_code", "population"]]
    out = frame.merge(pop, on="area_code", how="left")
    out["published_value"] = out["value"]
    out["value"] = out["published_value"] * factor / out["population"]
    return out


def map_tooltips(
    frame: pd.DataFrame, areas: pd.DataFrame, unit: str, year: int, lang: str, era: str
) -> tuple[dict[str, str], dict[str, str]]:
    """Hover lines per area: value with unit and year, and rank; "no data" where there is no figure."""
    values = dict(zip(frame.area_code, frame.value, strict=True))
    ranks = dict(zip(frame.area_code, frame["rank"], strict=True))
    n = int(frame["n"].iloc[0]) if len(frame) else 0
    lines, rank_lines = {}, {}
    for code in areas.code:
        v = values.get(code)
        if v is None or (isinstance(v, float) and math.isnan(v)):
            lines[code] = t("views.no_data_year", lang, year=fmt_year(year, era))
            continue
        lines[code] = f"{fmt_value(v)} {unit} · {fmt_year(year, era)}"
        rank_lines[code] = t("views.rank_of", lang, rank=int(ranks[code]), n=n)
    return lines, rank_lines


def map_alt(
    frame: pd.DataFrame,
    areas: pd.DataFrame,
    name: str,
    unit: str,
    year: int,
    classes: int,
    lang: str,
    era: str,
) -> str:
    """The static map's text alternative: what it shows, its range, the largest and smallest area, and how
    many areas have no figure (the table below the map holds every figure)."""
    names = dict(zip(areas.code, areas[f"name_{lang}"], strict=True))
    shown = frame[frame.area_code.isin(names) & frame.value.notna()].sort_values("value")
    low, high = shown.iloc[0], shown.iloc[-1]
    return t(
        "map.alt", lang, indicator=name, unit=unit, year=fmt_year(year, era), n=len(names), k=classes,
        low=fmt_value(low.value), high=fmt_value(high.value), top=names[high.area_code],
        top_value=fmt_value(high.value), bottom=names[low.area_code], bottom_value=fmt_value(low.value),
        missing=len(names) - len(shown),
    )  # fmt: skip


def map_table(
    frame: pd.DataFrame, areas: pd.DataFrame, year: int, unit: str, lang: str, era: str, per_capita: bool
) -> pd.DataFrame:
    """The data behind the map, one row per area (areas without a figure say so), best first."""
    names = areas.set_index("code")
    merged = names[["name_th", "name_en"]].join(frame.set_index("area_code"), how="left")
    merged = merged.sort_values(["rank", "name_en"], na_position="last")
    out = pd.DataFrame(
        {
            t("views.col_code", lang): merged.index,
            t("views.col_area", lang): merged[f"name_{lang}"].values,
            t("views.col_year", lang): fmt_year(year, era),
            t("views.col_value", lang, unit=unit): merged["value"].values,
            t("views.col_rank", lang): merged["rank"].values,
        }
    )
    if per_capita:
        out[t("views.col_published", lang)] = merged["published_value"].values
        out[t("views.col_population", lang)] = merged["population"].values
    out[t("views.col_note", lang)] = [
        "" if pd.notna(v) else t("views.no_data", lang) for v in merged["value"].values
    ]
    return out


# ------------------------------------------------------------------------------------------ trends


def trend_frame(series: pd.DataFrame, mode: str, base_year: int | None) -> pd.DataFrame:
    """The series to draw: ``absolute`` values, ``index`` (base year = 100) or ``change`` (% on year before)."""
    frame = series[["area_code", "year", "value"]].copy()
    if mode == "index" and base_year is not None:
        return analysis.index_to_base(frame, base_year)
    if mode == "change":
        return analysis.change_on_previous(frame)
    return frame


def growth_table(
    series: pd.DataFrame, start: int, end: int, names: dict[str, str], lang: str, era: str
) -> pd.DataFrame:
    """Compound annual growth between two years, per chosen area."""
    g = analysis.cagr(series[["area_code", "year", "value"]], start, end)
    g = g[g.area_code.isin(names)].copy()
    g["area"] = g.area_code.map(names)
    return pd.DataFrame(
        {
            t("views.col_area", lang): g["area"],
            fmt_year(start, era): g["start_value"],
            fmt_year(end, era): g["end_value"],
            t("trends.col_cagr", lang): g["cagr_pct"].round(2),
        }
    ).reset_index(drop=True)


# ----------------------------------------------------------------------------------------- compare


def latest_common(series: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """For each indicator, the latest year in which every chosen area (or failing that, most) has a figure,
    with that year's values: ``indicator_id``, ``year``, ``area_code``, ``value``."""
    chosen = series[series.area_code.isin(codes)]
    if chosen.empty:
        return pd.DataFrame(columns=["indicator_id", "year", "area_code", "value"])
    counts = chosen.groupby(["indicator_id", "year"])["area_code"].nunique().rename("n").reset_index()
    counts["most"] = counts.groupby("indicator_id")["n"].transform("max")
    best = counts[counts.n == counts.most].groupby("indicator_id")["year"].max().rename("best").reset_index()
    out = chosen.merge(best, on="indicator_id")
    return out[out.year == out.best][["indicator_id", "year", "area_code", "value"]]


def score_matrix(
    series: pd.DataFrame, latest: pd.DataFrame, direction: dict[str, bool | None]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(values wide, scores wide, ranks wide): rows the chosen areas, columns indicators.

    Scores are percentiles among every area with a figure for the indicator in the year compared (not only
    the chosen ones; analysis.percentile_scores), 100 = best; ranks are among those same areas, 1 = best.
    """
    wide = latest.pivot(index="area_code", columns="indicator_id", values="value")
    years = latest.drop_duplicates("indicator_id")[["indicator_id", "year"]]
    reference = series.merge(years, on=["indicator_id", "year"]).pivot(
        index="area_code", columns="indicator_id", values="value"
    )[wide.columns]
    scores = analysis.percentile_scores(reference, direction)
    ranks = scores.rank(ascending=False, method="min")
    ranks.loc["_n"] = reference.count()
    return wide, scores.loc[wide.index], ranks.loc[[*wide.index, "_n"]]


def trend_view(
    country: pd.DataFrame,
    codes: list[str],
    names: dict[str, str],
    pilots: set[str],
    mode: str,
    base_year: int | None,
    breaks: pd.DataFrame,
    lang: str,
    era: str,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[str]]:
    """(lines, references, break rules, break notes) for the trends chart.

    ``country`` is the indicator's series for every province, so the medians use all of them.
    """
    shown = trend_frame(country, mode, base_year)
    lines = shown[shown.area_code.isin(codes)].dropna(subset=["value"]).copy()
    lines["area"] = lines.area_code.map(names)
    lines["year_label"] = [fmt_year(y, era) for y in lines.year]
    med = analysis.medians(shown.dropna(subset=["value"]), pilots)
    refs = med.melt(id_vars="year", var_name="key", value_name="value").dropna(subset=["value"])
    refs["series"] = refs.key.map(
        {"pilot_median": t("trends.pilot_median", lang), "national_median": t("trends.national_median", lang)}
    )
    refs["year_label"] = [fmt_year(y, era) for y in refs.year]
    rules = breaks.assign(
        year_label=[fmt_year(y, era) for y in breaks.first_year_after], note=breaks[f"note_{lang}"]
    )[["year_label", "note"]]
    notes = [
        t("trends.break_note", lang, before=fmt_year(b, era), after=fmt_year(a, era), note=n)
        for b, a, n in zip(
            breaks.last_year_before, breaks.first_year_after, breaks[f"note_{lang}"], strict=True
        )
    ]
    return lines, refs[["series", "year", "year_label", "value"]], rules, notes


def trend_table(lines: pd.DataFrame, refs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The data behind the trends chart: one row per area (or median) and year."""
    a = lines[["area", "year_label", "value"]].rename(columns={"area": "series"})
    b = refs[["series", "year_label", "value"]]
    out = pd.concat([a, b], ignore_index=True)
    return out.rename(
        columns={
            "series": t("views.col_area", lang),
            "year_label": t("views.col_year", lang),
            "value": t("views.col_value", lang, unit="").replace(" ()", ""),
        }
    )


def compare_view(
    series: pd.DataFrame,
    codes: list[str],
    indicators: pd.DataFrame,
    names: dict[str, str],
    lang: str,
    era: str,
    calendar=None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(heatmap cells, rank table, latest values table) for the chosen areas and indicators; with ``calendar``,
    a year the release calendar calls out of date says so (``ages.short_year``).

    Each indicator is compared in the latest year the chosen areas share; a score is the area's percentile
    among every province with a figure that year, 0–100 with 100 the best (direction respected; for
    indicators without a direction, 100 is the largest), so an outlier does not squeeze the others.
    """
    meta = indicators.set_index("id")
    latest = latest_common(series, codes)
    if latest.empty:
        empty = pd.DataFrame()
        return empty, empty, empty
    direction_of = {i: direction(meta.loc[i]) for i in latest.indicator_id.unique()}
    wide, scores, ranks_all = score_matrix(series, latest, direction_of)
    year_of = latest.groupby("indicator_id")["year"].first().to_dict()
    label = {i: meta.loc[i, f"name_{lang}"] for i in wide.columns}
    # an area without a figure in the year compared has no cell (pandas 3's stack keeps the empty ones)
    cells = scores.stack().dropna().rename("score").reset_index()
    values_long = wide.stack().rename("value").reset_index()
    cells = cells.merge(values_long, on=["area_code", "indicator_id"], how="left")
    cells["area"] = cells.area_code.map(names)
    cells["indicator"] = cells.indicator_id.map(label)
    unit = {i: meta.loc[i, f"unit_{lang}"] for i in wide.columns}
    cells["value_text"] = [
        f"{fmt_value(v)} {unit[i]}" for v, i in zip(cells.value, cells.indicator_id, strict=True)
    ]
    cells["year"] = cells.indicator_id.map(year_of)
    cells["year_label"] = [ages.short_year(calendar, i, year_of[i], lang, era) for i in cells.indicator_id]
    cells["rank_text"] = [
        t("compare.rank_of", lang, rank=int(ranks_all.loc[a, i]), n=int(ranks_all.loc["_n", i]))
        for a, i in zip(cells.area_code, cells.indicator_id, strict=True)
    ]

    mean = scores.mean(axis=1, skipna=True)
    ranks = pd.DataFrame(
        {
            t("views.col_area", lang): [names[c] for c in scores.index],
            t("compare.col_mean_score", lang): mean.round(1).values,
            t("compare.col_overall_rank", lang): mean.rank(ascending=False, method="min")
            .astype("Int64")
            .values,
            **{
                label[i]: scores[i].rank(ascending=False, method="min").astype("Int64").values
                for i in scores.columns
            },
        }
    ).sort_values(t("compare.col_overall_rank", lang))

    values = pd.DataFrame({t("views.col_area", lang): [names[c] for c in wide.index]})
    for i in wide.columns:
        col = f"{label[i]} ({meta.loc[i, f'unit_{lang}']}, {ages.short_year(calendar, i, year_of[i], lang, era)})"
        values[col] = wide[i].values
    return cells, ranks.reset_index(drop=True), values


def similar_provinces(
    series: pd.DataFrame, code: str, names: dict[str, str], k: int, lang: str
) -> pd.DataFrame:
    """The ``k`` provinces nearest to ``code`` on the indicators of ``series`` (each in its latest
    year shared by most provinces), with the distance and how many indicators were compared."""
    latest = latest_common(series, sorted(series.area_code.unique()))
    wide = latest.pivot(index="area_code", columns="indicator_id", values="value")
    if code not in wide.index or wide.empty:
        return pd.DataFrame()
    near = analysis.nearest(wide, code, k)
    return pd.DataFrame(
        {
            t("views.col_area", lang): near.area_code.map(names),
            t("views.col_code", lang): near.area_code,
            t("compare.col_distance", lang): near.distance.round(3),
            t("compare.col_shared", lang): near.shared,
        }
    )


def compare_targets(
    chains: dict[str, pd.DataFrame],
    series: pd.DataFrame,
    names: dict[str, str],
    calendar,
    lang: str,
    era: str,
) -> pd.DataFrame:
    """Targets of the chosen provinces' charts on this theme's indicators, with their status on
    ``calendar.today`` (a ``provdata.strategy.freshness.Calendar``)."""
    from provdata.strategy import statchart

    rows = []
    theme_ids = set(series.indicator_id)
    by_key = statchart.series_by_key(series[series.area_code.isin(list(chains))])
    for code, chain in chains.items():
        theme_chain = chain[chain.indicator_id.isin(theme_ids)]
        for link, p in statchart.target_progress(theme_chain, series, code, calendar, by_key).values():
            rows.append(
                {
                    t("views.col_area", lang): names[code],
                    t("chart.col_indicator", lang): link[f"indicator_{lang}"],
                    t("chart.col_target", lang): statchart.target_text(link, p, lang, era),
                    t("chart.col_note", lang): link[f"target_note_{lang}"] or "",
                }
            )
    return pd.DataFrame(rows)


def _text(text: object) -> str:
    return html.escape(" ".join(str(text).split()))


def legend_html(legend, unit: str, lang: str) -> str:
    """The map's key as HTML: its title and unit, then a swatch and range per class and one for areas without a
    figure (maps.Legend). An item wraps as a whole, never between its colour and its range."""
    swatches = " ".join(
        f'<span style="white-space:nowrap"><span style="display:inline-block;width:14px;height:14px;background:'
        f'rgb{c};border:1px solid #999;vertical-align:middle"></span>&nbsp;{_text(label)}</span>&emsp;'
        for c, label in [
            *zip(legend.colors, legend.labels, strict=True),
            (legend.no_data_color, t("map.no_data", lang)),
        ]
    )
    return f"<b>{_text(t('map.legend', lang))}</b> · {_text(unit)}<br/>{swatches}"


def source_caption(sources: pd.DataFrame, used: set[str], year: int, lang: str, era: str) -> str:
    """The map's line on its figures: the agencies, the year and era, the licences (sources: queries.sources)."""
    rows = sources.loc[sources.id.isin(used)]
    return t(
        "views.source_caption", lang,
        sources=", ".join(sorted(set(rows[f"agency_short_{lang}"]))),
        years=fmt_year(year, era), era=t(f"app.era_{era}", lang), license=licence_text("; ".join(sorted(set(rows["license"]))), lang),
    )  # fmt: skip
