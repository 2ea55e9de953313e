"""Every Streamlit cache in one place, wrapping pure provdata functions.

Data functions take the warehouse build id as their first argument, so a newly published
warehouse gets fresh results without clearing anything. Every cache is bounded (``max_entries``): the entries
of older builds and rarely asked views fall out instead of growing with each publication and each visitor
(tests/test_contract.py checks it).
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from provdata.basics import config
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse


@st.cache_resource(show_spinner=False)
def _warehouse(path: str) -> Warehouse:
    """One read-only warehouse handle per process and file (a cursor per query inside)."""
    return Warehouse(path)


def warehouse() -> Warehouse:
    return _warehouse(str(config.warehouse_path()))


def build_id() -> str:
    """The published build; raises WarehouseMissing/WarehouseCorrupt when it cannot be read."""
    return warehouse().build_id


@st.cache_data(show_spinner=False, max_entries=8)
def meta(build: str) -> dict:
    return queries.meta(warehouse())


@st.cache_data(show_spinner=False, max_entries=8)
def provinces(build: str) -> pd.DataFrame:
    return queries.provinces(warehouse())


@st.cache_data(show_spinner=False, max_entries=8)
def indicators(build: str) -> pd.DataFrame:
    return queries.indicators(warehouse())


@st.cache_data(show_spinner=False, max_entries=8)
def sources(build: str) -> pd.DataFrame:
    return queries.sources(warehouse())


@st.cache_data(show_spinner=False, max_entries=512)
def headlines(build: str, code: str, indicator_ids: tuple[str, ...]) -> pd.DataFrame:
    return queries.headlines(warehouse(), code, indicator_ids)


@st.cache_data(show_spinner=False, max_entries=512)
def series(build: str, indicator_ids: tuple[str, ...], area_codes: tuple[str, ...]) -> pd.DataFrame:
    return queries.series(warehouse(), indicator_ids, area_codes)


# --- decision views: map, trends, compare ---


@st.cache_data(show_spinner=False, max_entries=256)
def indicator_years(build: str, indicator_id: str, level: str) -> pd.DataFrame:
    return queries.indicator_years(warehouse(), indicator_id, level)


@st.cache_data(show_spinner=False, max_entries=64)
def level_series(build: str, indicator_ids: tuple[str, ...], level: str) -> pd.DataFrame:
    return queries.level_series(warehouse(), indicator_ids, level)


@st.cache_data(show_spinner=False, max_entries=8)
def series_breaks(build: str) -> pd.DataFrame:
    return queries.series_breaks(warehouse())


@st.cache_data(show_spinner=False, max_entries=512)
def year_values(build: str, indicator_id: str, year: int, level: str) -> pd.DataFrame:
    return queries.year_values(warehouse(), indicator_id, year, level)


@st.cache_data(show_spinner=False, max_entries=8)
def areas(build: str, level: str) -> pd.DataFrame:
    return queries.areas(warehouse(), level)


# --- statistics chart (strategy chain) and readiness ---


@st.cache_data(show_spinner=False, max_entries=128)
def chain(build: str, code: str) -> pd.DataFrame:
    return queries.chain(warehouse(), code)


@st.cache_data(show_spinner=False, max_entries=8)
def chain_provinces(build: str) -> list[str]:
    return queries.chain_provinces(warehouse())


@st.cache_data(show_spinner=False, max_entries=64)
def years_present(build: str, codes: tuple[str, ...], indicator_ids: tuple[str, ...]) -> pd.DataFrame:
    return queries.years_present(warehouse(), codes, indicator_ids)


@st.cache_data(show_spinner=False, max_entries=1024)
def province(build: str, code: str) -> dict:
    """One province's row of :func:`provinces` as a dict (names, region, cohort). Cached: indexing the table
    on every run cost a few ms a page."""
    return provinces(build).set_index("code").loc[code].to_dict()


@st.cache_data(show_spinner=False, max_entries=1024)
def indicator(build: str, indicator_id: str) -> pd.Series:
    """One indicator's row of :func:`indicators` (names, unit, direction, per-capita factor…)."""
    return indicators(build).set_index("id").loc[indicator_id]


@st.cache_data(show_spinner=False, max_entries=256)
def chart_view(build: str, code: str, lang: str, era: str):
    """The chart page's tables for one province (statchart.chart_view), once per build, province and language."""
    from provdata.strategy import statchart

    chain_ = chain(build, code)
    codes = chain_provinces(build)
    ids = tuple(statchart.chain_indicators(chain_))
    return statchart.chart_view(
        chain_, years_present(build, tuple(codes), ids), series(build, ids, (code,)), plan_status(build, code),
        codes, code, reference_year(build), lang, era,
    )  # fmt: skip


@st.cache_data(show_spinner=False, max_entries=256)
def chart_shown(build: str, code: str, lang: str, era: str) -> dict:
    """What the chart page draws of :func:`chart_view`, made once per view: the graph's DOT source (``dot``),
    and as pyarrow Tables the targets (``targets``), the plan (``plan``) and the provinces × indicators grid of
    grades (``grid``). Writing the DOT and converting the three tables were half of the page's run (py-spy)."""
    from provdata.basics.i18n import t
    from provdata.strategy import statchart
    from provdata.views import figures

    view = chart_view(build, code, lang, era)
    chain_ = chain(build, code)
    names = figures.area_names(provinces(build), lang)
    grid = statchart.readiness_grid(view.matrix, names, statchart.chain_labels(chain_, lang)).rename_axis(
        t("views.col_area", lang)
    )
    return {
        "dot": statchart.dot(view.chained, lang, era),
        "targets": _arrow(view.targets),
        "plan": None if view.plan is None else _arrow(view.plan),
        "grid": _arrow(grid),
    }


@st.cache_data(show_spinner=False, max_entries=1024)
def readiness_why(build: str, code: str, why_code: str, indicator_id: str, lang: str, era: str) -> str:
    """The chart page's line saying why one dataset of province ``code``'s chain has its grade in ``why_code``
    (working it out took a quarter of the page's run)."""
    from provdata.strategy import statchart
    from provdata.views import figures

    chain_ = chain(build, code)
    ids = tuple(statchart.chain_indicators(chain_))
    return statchart.why_line(
        chain_, years_present(build, tuple(chain_provinces(build)), ids), why_code, indicator_id,
        figures.area_names(provinces(build), lang), statchart.chain_labels(chain_, lang),
        reference_year(build), lang, era,
    )  # fmt: skip


@st.cache_data(show_spinner=False, max_entries=256)
def profile_view(build: str, code: str, lang: str, era: str):
    """The profile page of one province apart from its history section: (profile.ProfileView, the cards'
    sparklines by indicator id as (SVG, text alternative), the all-indicators table as a pyarrow Table). Every
    frame the page would otherwise filter, sort and convert on each run (a third of its run, py-spy) is made
    here once."""
    from provdata.basics.i18n import t
    from provdata.strategy import statchart
    from provdata.views import charts
    from provdata.views.exports import about_sources
    from provdata.views.profile import ProfileView, headline_cards, indicator_table

    indicators_ = indicators(build)
    all_ids = tuple(indicators_["id"])
    card_ids = indicators_.dropna(subset=["profile_sort"]).sort_values("profile_sort")["id"].tolist()
    headlines_ = headlines(build, code, all_ids)
    series_ = series(build, all_ids, (code,))
    cards = headline_cards(headlines_, indicators_, series_, province(build, code), lang, era, card_ids)
    table = indicator_table(headlines_, indicators_, lang, era)
    view = ProfileView(
        cards=cards,
        table=table,
        targets=statchart.target_progress(chain(build, code), series_, code),
        first_card=card_ids[0],
        sources=about_sources(sources(build), set(series_.source_id), lang),
        agencies=", ".join(sorted(set(indicators_[f"agency_short_{lang}"]))),
    )
    sparks = {
        card.indicator_id: (
            charts.sparkline(card.trend),
            t("profile.sparkline", lang, indicator=card.label, n=len(card.trend), year=card.year),
        )
        for card in cards
        if len(card.trend) > 1
    }
    return view, sparks, _arrow(table)


@st.cache_data(show_spinner=False, max_entries=512)
def profile_history(build: str, code: str, indicator_id: str, lang: str, era: str):
    """The profile's history of one indicator: (profile.History, its line chart's spec), or None when the
    province has no figure of it."""
    from provdata.basics.i18n import t
    from provdata.views.profile import history

    indicators_ = indicators(build)
    series_ = series(build, tuple(indicators_["id"]), (code,))
    one = history(
        series_[series_.indicator_id == indicator_id],
        indicator(build, indicator_id),
        sources(build),
        province(build, code)[f"name_{lang}"],
        lang,
        era,
    )
    if one is None:
        return None
    return one, _spec("series_line", one.chart_frame, one.chart_title, one.unit, t("profile.col_year", lang))


@st.cache_data(show_spinner=False, max_entries=256)
def province_slides(build: str, code: str, lang: str, era: str):
    """Presenter mode's slides of one province."""
    from provdata.reports.slides import province_slides as slides

    indicators_ = indicators(build)
    ids = tuple(indicators_["id"])
    return slides(
        province(build, code),
        headlines(build, code, ids),
        indicators_,
        series(build, ids, (code,)),
        lang,
        era,
    )


@st.cache_data(show_spinner=False, max_entries=8)
def reference_year(build: str) -> int:
    return queries.reference_year(warehouse())


@st.cache_data(show_spinner=False, max_entries=32)
def plan_pdf(build: str, code: str, lang: str, era: str) -> bytes:
    """The development plan PDF of a province (rebuilt when the warehouse changes)."""
    from provdata.basics import config
    from provdata.basics.i18n import fmt_year, t
    from provdata.reports.plan import plan_pdf as plan_document
    from provdata.strategy import statchart

    wh = warehouse()
    reference = queries.reference_year(wh)
    chain = queries.chain(wh, code)
    years = queries.years_present(wh, [code], statchart.chain_indicators(chain))
    chained = statchart.with_readiness(chain, years, code, reference)
    plan = statchart.development_plan(chained, lang, era, reference, queries.plan_status(wh, code))
    name = queries.provinces(wh).set_index("code").loc[code, f"name_{lang}"]
    rule = t("chart.rule", lang, years=config.READY_MIN_CONSECUTIVE_YEARS,
             oldest=fmt_year(reference - config.READY_MAX_AGE_YEARS, era), age=config.READY_MAX_AGE_YEARS,
             reference=fmt_year(reference, era), min_a=config.DECISION_READY_MIN_KEY_A)  # fmt: skip
    example = t("chart.example", lang, province=name) if chain.example.any() else None
    return plan_document(plan, name, lang, rule, example, build)


@st.cache_data(show_spinner=False, max_entries=128)
def plan_status(build: str, code: str) -> pd.DataFrame:
    return queries.plan_status(warehouse(), code)


# --- data exchange ---


@st.cache_data(show_spinner=False, max_entries=8)
def loads(build: str) -> pd.DataFrame:
    return queries.loads(warehouse())


@st.cache_data(show_spinner=False, max_entries=64)
def load_changes(build: str, load_id: int) -> pd.DataFrame:
    return queries.load_changes(warehouse(), load_id)


@st.cache_data(show_spinner=False, max_entries=8)
def sheet_tables(build: str, data: bytes, file_name: str) -> dict:
    """The province tables of an uploaded file, by sheet (layout recognised, no mapping applied yet)."""
    from provdata.exchange.publish import names
    from provdata.ingest import Options, tables

    return {tb.sheet: tb for tb in tables(data, file_name, Options(), names(), set(indicators(build).id))}


@st.cache_data(show_spinner=False, max_entries=8)
def _upload_check(
    build: str, data: bytes, file_name: str, sheet, year, indicator, maps, where, agency, admin, names=(),
    skip_unmapped=False,
):  # fmt: skip
    from provdata.accounts import Account
    from provdata.exchange import publish
    from provdata.ingest import Options

    options = Options(sheet=sheet, year=year, indicator=indicator, maps=maps, where=where, names=names,
                      agency=agency, skip_unmapped=skip_unmapped)  # fmt: skip
    return publish.check(data, file_name, options, warehouse(), Account("-", agency or "-", admin))


def upload_check(build: str, data: bytes, file_name: str, options, account):
    """Read, map and validate an upload (cached per file, mapping and agency)."""
    return _upload_check(build, data, file_name, options.sheet, options.year, options.indicator, options.maps,
                         options.where, account.agency_id, account.admin, options.names,
                         options.skip_unmapped)  # fmt: skip


# --- data catalogue and downloads ---


@st.cache_data(show_spinner=False, max_entries=8)
def catalog(build: str) -> pd.DataFrame:
    """Every indicator with coverage and readiness counts over the 77 provinces (both languages)."""
    from provdata.views.catalog import build_catalog

    wh = warehouse()
    codes = queries.provinces(wh)["code"].tolist()
    return build_catalog(
        queries.indicators(wh), queries.province_years(wh), codes, queries.reference_year(wh)
    )


@st.cache_data(show_spinner=False, max_entries=64)
def selection(
    build: str, indicator_ids: tuple[str, ...], area_codes: tuple[str, ...], first_year: int, last_year: int
) -> pd.DataFrame:
    return queries.selection(warehouse(), indicator_ids, area_codes, first_year, last_year)


def _arrow(frame: pd.DataFrame):
    """A table as st.dataframe would convert it, done once and cached: st.dataframe sends a pyarrow Table as is
    (converting the catalogue's two tables took a quarter of that page's run)."""
    from streamlit import dataframe_util

    return dataframe_util.convert_pandas_df_to_arrow_table(frame)


@st.cache_data(show_spinner=False, max_entries=256)
def catalog_table(build: str, theme: str, query: str, lang: str, era: str):
    """The catalogue as shown (filtered, in the page's language), as a pyarrow Table."""
    from provdata.views import catalog as cat

    return _arrow(cat.catalog_table(cat.filter_catalog(catalog(build), theme, query), lang, era))


@st.cache_data(show_spinner=False, max_entries=64)
def selection_rows(
    build: str, indicator_ids: tuple[str, ...], area_codes: tuple[str, ...], first_year: int, last_year: int,
    lang: str,
) -> pd.DataFrame:  # fmt: skip
    """A download selection's tidy rows (catalog.tidy): what its files hold."""
    from provdata.views import catalog as cat

    rows = selection(build, indicator_ids, area_codes, first_year, last_year)
    return cat.tidy(rows, catalog(build), provinces(build), lang)


@st.cache_data(show_spinner=False, max_entries=128)
def selection_view(
    build: str, indicator_ids: tuple[str, ...], area_codes: tuple[str, ...], first_year: int, last_year: int,
    lang: str,
) -> dict:  # fmt: skip
    """What the catalogue shows of a download selection: its preview as a pyarrow Table (``preview``), the
    number of rows, indicators and provinces (``rows``, ``indicators``, ``provinces``) and the source ids used
    (``used``). The rows themselves (:func:`selection_rows`) are only read when a file is made."""
    from provdata.views import catalog as cat

    data = selection_rows(build, indicator_ids, area_codes, first_year, last_year, lang)
    return {
        "preview": _arrow(cat.preview(data)),
        "rows": len(data),
        "indicators": data.indicator_id.nunique(),
        "provinces": data.province_code.nunique(),
        "used": set(data["source_id"]),
    }


# --- compare: the page's computed tables, per theme, provinces, language and era ---


@st.cache_data(show_spinner=False, max_entries=64)
def compare_view(build: str, theme: str, codes: tuple[str, ...], lang: str, era: str) -> dict:
    """The compare page of one theme and set of provinces, made once per view: ``cells`` (score cells),
    ``heatmap`` (their chart's spec), ``values`` (latest values, for the downloads), ``ranks``, ``values`` and
    ``targets`` as pyarrow Tables under ``*_table`` (``targets_table`` None without targets), the ``used``
    source ids. Converting the ranks table to Arrow alone was a third of the page's run when st.dataframe did
    it on every run (py-spy)."""
    from provdata.basics.i18n import t
    from provdata.views import figures

    indicators_ = indicators(build)
    theme_ids = tuple(indicators_.loc[indicators_.theme == theme, "id"])
    theme_name = indicators_.loc[indicators_.theme == theme, f"theme_{lang}"].iloc[0]
    series = level_series(build, theme_ids, "province")
    names = figures.area_names(provinces(build), lang)
    cells, ranks, values = figures.compare_view(series, list(codes), indicators_, names, lang, era)
    targets = figures.compare_targets({c: chain(build, c) for c in codes}, series, names, lang, era)
    heatmap = None
    if not cells.empty:
        heatmap = _spec(
            "score_heatmap", cells, t("compare.heatmap_title", lang, theme=theme_name), t("views.col_area", lang),
            t("views.indicator", lang), t("compare.score", lang), t("compare.value", lang),
            t("views.col_year", lang), t("compare.rank", lang),
        )  # fmt: skip
    return {
        "cells": cells,
        "heatmap": heatmap,
        "values": values,
        "ranks_table": _arrow(ranks),
        "values_table": _arrow(values),
        "targets_table": None if targets.empty else _arrow(targets),
        "used": set(series.loc[series.area_code.isin(codes), "source_id"]),
    }


@st.cache_data(show_spinner=False, max_entries=256)
def similar_provinces(build: str, theme_ids: tuple[str, ...], code: str, lang: str) -> pd.DataFrame:
    from provdata.views import figures

    names = figures.area_names(provinces(build), lang)
    return figures.similar_provinces(level_series(build, theme_ids, "province"), code, names, 5, lang)


# --- trends: the lines, reference medians and growth table of a view ---


@st.cache_data(show_spinner=False, max_entries=256)
def trend_view(build: str, indicator_id: str, codes: tuple[str, ...], mode: str, base, start, end, lang: str,
               era: str) -> dict:  # fmt: skip
    """The trends page of one indicator, provinces and mode, made once per view: the chart's spec (``chart``)
    and its y title (``y_title``), the series-break ``notes``, the growth table as a pyarrow Table (``growth``),
    the lines as a table for the downloads (``table``) and the source ids ``used``."""
    from provdata.basics.i18n import fmt_year, t
    from provdata.views import figures

    ind = indicator(build, indicator_id)
    country = level_series(build, (indicator_id,), "province")
    provs = provinces(build)
    names = figures.area_names(provs, lang)
    pilots = set(provs.loc[provs.cohort == "pilot", "code"])
    breaks = series_breaks(build)
    breaks = breaks[breaks.indicator_id == indicator_id]
    lines, refs, rules, notes = figures.trend_view(
        country, list(codes), names, pilots, mode, base, breaks, lang, era
    )
    growth = figures.growth_table(country, start, end, {c: names[c] for c in codes}, lang, era)
    y_title = {
        "absolute": ind[f"unit_{lang}"],
        "index": t("trends.y_index", lang, year=fmt_year(base, era)) if base else "",
        "change": t("trends.y_change", lang),
    }[mode]
    chart = _spec(
        "trend_chart", lines, refs, rules, t("trends.chart_title", lang, indicator=ind[f"name_{lang}"]), y_title,
        t("views.col_year", lang), t("views.col_area", lang),
    )  # fmt: skip
    return {
        "chart": chart,
        "y_title": y_title,
        "notes": notes,
        "growth": _arrow(growth),
        "table": figures.trend_table(lines, refs, lang),
        "used": set(country.loc[country.area_code.isin(codes), "source_id"]),
    }


def fingerprint(*values) -> str:
    """What identifies a cached view's inputs, passed instead of the inputs (as ``_``-named arguments, which
    Streamlit does not hash): its generic hashing walks lists and dicts element by element in Python."""
    parts = []
    for value in values:
        if isinstance(value, pd.DataFrame):
            cells = pd.util.hash_pandas_object(value, index=False).to_numpy().tobytes()
            parts.append(f"frame{value.shape}{list(value.columns)}{list(map(str, value.dtypes))}")
            parts.append(hashlib.blake2b(cells).hexdigest())
        elif isinstance(value, set | frozenset):
            parts.append(f"set:{sorted(value)!r}")  # a set's repr follows its hashing order, not its content
        else:
            parts.append(f"{type(value).__name__}:{value!r}")
    return "|".join(parts)


@st.cache_data(show_spinner=False, max_entries=1024)
def chart_spec(builder: str, fingerprint: str, _args: tuple) -> dict:
    """The Vega-Lite spec of ``provdata.views.charts.<builder>(*_args)``, made once per input (see :func:`_spec`).

    ``fingerprint`` identifies ``_args`` (widgets.chart makes it); Streamlit does not hash ``_args`` itself.
    A cached view makes its charts' specs itself (:func:`profile_view`): no fingerprint to compute per run.
    """
    return _spec(builder, *_args)


def _spec(builder: str, *args) -> dict:
    """``provdata.views.charts.<builder>(*args)`` as a Vega-Lite spec, exactly as ``st.altair_chart`` makes it
    (Streamlit's own conversion: no Altair default theme, the rows as Arrow). Building an Altair chart and
    converting it, which validates the spec against Vega-Lite's JSON schema, took half of the profile page's
    run and a fifth of the server's time under 25 sessions when ``st.altair_chart`` did it on every run
    (py-spy, docs/deployment.md); so it is only done inside cached functions."""
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    from provdata.views import charts

    return _convert_altair_to_vega_lite_spec(getattr(charts, builder)(*args))


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
) -> dict:
    """The map page of one indicator, year and level, made once per view: ``per_capita`` as shown (False with
    ``no_population`` when that year has no population), ``unit``, ``legend`` (maps.Legend; None without
    figures), ``picture`` (the static map as SVG, 0.2 MB for 928 districts) and its ``alt`` text, or with
    ``interactive`` the pydeck ``model`` (maps.choropleth with its deck already written as JSON, 0.6 MB for 928
    districts), ``table`` (the rows, for the downloads) and ``table_arrow`` (shown), ``used`` (source ids).
    Ranking, tooltips and the table took a third of the page's run when made on every run (py-spy)."""
    import dataclasses

    from provdata.views import figures, maps

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
    table = figures.map_table(shown, areas_, year, unit, lang, era, per_capita)
    model = legend = picture = alt = None
    if not values.empty:
        drawn = maps.classes(level, shown[["area_code", "value"]], direction, restrict)
        legend = drawn.legend
        if interactive:
            lines, ranks = figures.map_tooltips(shown, areas_, unit, year, lang, era)
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
        "table": table,
        "table_arrow": _arrow(table),
        "used": set(values.source_id) | (set(population.source_id) if population is not None else set()),
    }
