"""The map page's cached view: one indicator, year and level, as a picture or an interactive map."""

from __future__ import annotations

import streamlit as st

from provdata.ui.cached.base import areas, calendar, indicator, provinces, year_values
from provdata.ui.cached.convert import _arrow


@st.cache_data(show_spinner=False, max_entries=64)
def map_view(
    build: str,
    indicator_id: str,
    year: int,
    level: str,
    per_capita: bool,
    lang: str,
    era: str,
    interactive: bool,
    day: str,
) -> dict:
    """The map page of one indicator, year and level, made once per view: ``per_capita`` as shown (False with
    ``no_population`` when that year has no population), ``unit``, ``legend`` (maps.Legend; None without
    figures), ``picture`` (the static map as SVG, 0.2 MB for 928 districts) and its ``alt`` text, or with
    ``interactive`` the pydeck ``model`` (maps.choropleth with its deck already written as JSON, 0.6 MB for 928
    districts), ``areas`` (code → name, figure line, rank line, by name), ``stale`` ("out of date: overdue since …"
    when the release calendar on ``day`` expects a figure after ``year``, else ""), ``year_text`` (the year with that
    mark), ``table`` (the rows with their status, for the downloads) and ``table_arrow`` (shown), ``used`` (source ids).
    Ranking, tooltips and the table took a third of the page's run when made on every run (py-spy)."""
    import dataclasses

    from provdata.basics.i18n import t
    from provdata.views import ages, figures, maps

    ind = indicator(build, indicator_id)
    areas_ = areas(build, level)
    values = year_values(build, indicator_id, year, level)
    population = year_values(build, figures.POPULATION, year, "province") if per_capita else None
    no_population = population is not None and population.empty
    if no_population:
        per_capita, population = False, None
    unit = ind[f"per_capita_unit_{lang}"] if per_capita else ind[f"unit_{lang}"]
    direction = figures.direction(ind)
    shown = figures.ranked(
        figures.map_values(values, population, ind["per_capita_factor"] if per_capita else None), direction
    )
    provinces_ = provinces(build)
    pilots = set(provinces_.loc[provinces_.cohort == "pilot", "code"])
    restrict = None
    if level == "district":
        restrict = set(areas_.loc[areas_.code.isin(values.area_code), "parent"])
        areas_ = areas_[areas_.parent.isin(restrict)]
    cal = calendar(build, day)
    fresh = ages.status(cal, indicator_id, year)
    table = figures.map_table(shown, areas_, year, unit, lang, era, per_capita)
    has_figure = table[t("views.col_note", lang)] == ""
    table[t("views.col_status", lang)] = has_figure.map({True: ages.status_text(fresh, lang, era), False: ""})
    model = legend = picture = alt = None
    lines, ranks = figures.map_tooltips(shown, areas_, unit, year, lang, era)
    if ages.is_stale(fresh):
        lines = {code: f"{line} · {ages.short_mark(fresh, lang)}" for code, line in lines.items()}
    names = dict(zip(areas_.code, areas_[f"name_{lang}"], strict=True))
    # the areas for the keyboard and screen readers (the picker beside the map): code -> (name, figure, rank)
    area_lines = {
        code: (names[code], lines[code], ranks.get(code, "")) for code in sorted(names, key=names.get)
    }
    if not values.empty:
        drawn = maps.classes(level, shown[["area_code", "value"]], direction, restrict)
        legend = drawn.legend
        if interactive:
            model = maps.choropleth(drawn, level, ranks, lines, lang, pilots)
            model = dataclasses.replace(model, deck=maps.WrittenDeck(model.deck))
        else:
            picture = maps.picture(drawn, level, pilots)
            alt = figures.map_alt(
                shown, areas_, ind[f"name_{lang}"], unit, year, len(legend.labels), lang, era
            )
    return {
        "per_capita": per_capita,
        "no_population": no_population,
        "unit": unit,
        "legend": legend,
        "picture": picture,
        "alt": alt,
        "model": model,
        "stale": ages.mark(fresh, lang, era),
        "survey": figures.survey_caveat(ind, lang),
        "year_text": ages.year_text(year, fresh, lang, era),
        "areas": area_lines,
        "table": table,
        "table_arrow": _arrow(table),
        "used": set(values.source_id) | (set(population.source_id) if population is not None else set()),
    }
