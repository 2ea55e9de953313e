"""The data catalogue: every indicator with its definition, source, licence, coverage and readiness,
and the tidy table of any selection for download. Never imports streamlit.

Readiness is :mod:`provdata.strategy.readiness` applied to every province × indicator cell; the catalogue
counts, per indicator, how many of the provinces are A (ready), B (partial) and C (none).
Figures are the warehouse's exact values: nothing here rounds or fills in.
"""

from __future__ import annotations

import re

import pandas as pd

from provdata.basics.i18n import fmt_date, fmt_year, fmt_years, licence_text, t
from provdata.strategy import readiness
from provdata.strategy.freshness import Calendar

#: Columns of the tidy download table (also the data package's schema, in this order).
TIDY_COLUMNS = ("indicator_id", "province_code", "province_name", "year", "value", "unit", "source_id")


def readiness_counts(
    years: pd.DataFrame, codes: list[str], indicator_ids: list[str], calendar: Calendar
) -> pd.DataFrame:
    """Per indicator, how many of ``codes`` are A, B and C (``ready_a``, ``ready_b``, ``ready_c``).

    ``years`` has ``area_code``, ``indicator_id``, ``year`` (one row per figure).
    """
    cells = readiness.matrix(years, codes, indicator_ids, calendar)
    counts = pd.crosstab(cells.indicator_id, cells.grade).reindex(
        index=indicator_ids, columns=["A", "B", "C"], fill_value=0
    )
    counts.columns = ["ready_a", "ready_b", "ready_c"]
    return counts.rename_axis("id").reset_index().astype({c: "int64" for c in counts.columns})


def build_catalog(
    indicators: pd.DataFrame, years: pd.DataFrame, codes: list[str], calendar: Calendar
) -> pd.DataFrame:
    """Every indicator (``queries.indicators``) with its readiness counts over the provinces ``codes`` and its
    release calendar on ``calendar.today`` for its latest year (``periodicity``, ``fresh``, ``missing_first``,
    ``missing_last``, ``overdue_since``, ``next_year``, ``next_due``)."""
    counts = readiness_counts(years, codes, indicators["id"].tolist(), calendar)
    out = indicators.merge(counts, on="id", how="left", validate="one_to_one")
    out["n_provinces"] = out["n_provinces"].fillna(0).astype("int64")
    fresh = []
    for iid, last in zip(out["id"], out["last_year"], strict=True):
        schedule = calendar.schedule(iid)
        f = calendar.assess(iid, None if pd.isna(last) else int(last))
        fresh.append(
            {
                "periodicity": schedule.periodicity if schedule else "unknown",
                "lag_months": schedule.lag_months if schedule else None,
                "fresh": f.state,
                "missing_first": f.missing[0] if f.missing else None,
                "missing_last": f.missing[-1] if f.missing else None,
                "overdue_since": f.overdue_since,
                "next_year": f.next_year,
                "next_due": f.next_due,
            }
        )
    return pd.concat([out, pd.DataFrame(fresh, index=out.index)], axis=1)


def release_text(row: pd.Series, lang: str, era: str) -> str:
    """The catalogue's release-calendar cell: the latest figure, how often and how long after the year the
    source publishes, the next figure expected and when, and, when late, "overdue since …"."""
    periodicity = t(f"catalog.periodicity_{row.periodicity}", lang)
    if row.fresh == "no_figure":
        return "–"
    latest = t("catalog.release_latest", lang, year=fmt_year(row.last_year, era))
    if row.fresh == "superseded":
        return f"{latest} · {t('catalog.release_superseded', lang)}"
    if row.fresh == "no_schedule":
        return f"{latest} · {t('catalog.release_not_known', lang, periodicity=periodicity)}"
    lag = int(row.lag_months)
    lag_text = t("catalog.lag_month", lang) if lag == 1 else t("catalog.lag_months", lang, n=lag)
    nxt = t("catalog.release_next", lang, periodicity=periodicity, lag=lag_text,
            year=fmt_year(row.next_year, era), due=fmt_date(row.next_due, lang, era))  # fmt: skip
    if row.fresh == "current":
        return f"{latest} · {nxt}"
    missing = fmt_years(int(row.missing_first), int(row.missing_last), era)
    late = t("catalog.release_overdue", lang, since=fmt_date(row.overdue_since, lang, era), missing=missing)
    return f"{latest} · {late}; {nxt}"


def themes(catalog: pd.DataFrame, lang: str) -> dict[str, str]:
    """Theme id → name, in catalogue order."""
    first = catalog.drop_duplicates("theme")
    return dict(zip(first["theme"], first[f"theme_{lang}"], strict=True))


SEARCHED = (
    "id", "name_th", "name_en", "definition_th", "definition_en", "unit_th", "unit_en", "theme_th",
    "theme_en", "agency_short_th", "agency_short_en", "agency_name_th", "agency_name_en", "source_ids",
)  # fmt: skip


def filter_catalog(catalog: pd.DataFrame, theme: str = "all", query: str = "") -> pd.DataFrame:
    """The indicators of ``theme`` (``"all"``: every theme) whose text holds every word of ``query``.

    The search ignores case and looks at ids, Thai and English names, definitions, units, themes,
    agencies and sources, whatever the language shown. Latin words match from the start of a word.
    """
    out = catalog if theme == "all" else catalog[catalog["theme"] == theme]
    words = query.casefold().split()
    if words:
        text = out[list(SEARCHED)].fillna("").astype(str).agg(" ".join, axis=1).str.casefold()
        keep = pd.Series(True, index=out.index)
        for word in words:
            # Latin words match at the start of a word ("rice" does not find "prices"); Thai is written
            # without spaces between words, so Thai text matches anywhere.
            pattern = rf"(?<![a-z0-9]){re.escape(word)}" if word.isascii() else re.escape(word)
            keep &= text.str.contains(pattern, regex=True)
        out = out[keep]
    return out


def year_span(first: int | float | None, last: int | float | None, era: str) -> str:
    if first is None or pd.isna(first):
        return "–"
    return f"{fmt_year(first, era)}–{fmt_year(last, era)}"


def catalog_table(catalog: pd.DataFrame, lang: str, era: str) -> pd.DataFrame:
    """The catalogue as shown: one row per indicator, headers and names in ``lang``, years in ``era``."""

    def col(key: str) -> str:
        return t(f"catalog.col_{key}", lang)

    return pd.DataFrame(
        {
            col("id"): catalog["id"].values,
            col("name"): catalog[f"name_{lang}"].values,
            col("theme"): catalog[f"theme_{lang}"].values,
            col("definition"): catalog[f"definition_{lang}"].values,
            col("unit"): catalog[f"unit_{lang}"].values,
            col("agency"): (
                catalog[f"agency_name_{lang}"] + " (" + catalog[f"agency_short_{lang}"] + ")"
            ).values,
            col("license"): [licence_text(x, lang) for x in catalog["license"]],
            col("years"): [
                year_span(f, la, era) for f, la in zip(catalog.first_year, catalog.last_year, strict=True)
            ],
            col("provinces"): catalog["n_provinces"].values,
            col("ready_a"): catalog["ready_a"].values,
            col("ready_b"): catalog["ready_b"].values,
            col("ready_c"): catalog["ready_c"].values,
            col("release"): [release_text(r, lang, era) for _, r in catalog.iterrows()],
        }
    )


def selection_years(catalog: pd.DataFrame, indicator_ids: list[str]) -> list[int]:
    """Every year from the first to the last figure of the chosen indicators (Gregorian)."""
    chosen = catalog[catalog["id"].isin(indicator_ids)].dropna(subset=["first_year"])
    if chosen.empty:
        return []
    return list(range(int(chosen.first_year.min()), int(chosen.last_year.max()) + 1))


def tidy(selection: pd.DataFrame, catalog: pd.DataFrame, provinces: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``queries.selection`` as the tidy download table: one row per indicator, province and year.

    Columns: ``indicator_id``, ``province_code``, ``province_name``, ``year``, ``value`` (exact, as
    stored), ``unit``, ``source_id``; names and units in ``lang``.
    """
    names = dict(zip(provinces["code"], provinces[f"name_{lang}"], strict=True))
    units = dict(zip(catalog["id"], catalog[f"unit_{lang}"], strict=True))
    out = pd.DataFrame(
        {
            "indicator_id": selection["indicator_id"].astype(str).values,
            "province_code": selection["area_code"].astype(str).values,
            "province_name": selection["area_code"].map(names).values,
            "year": selection["year"].astype("int64").values,
            "value": selection["value"].astype("float64").values,
            "unit": selection["indicator_id"].map(units).values,
            "source_id": selection["source_id"].astype(str).values,
        }
    )
    return out[list(TIDY_COLUMNS)]


def exact_text(value: float) -> str:
    """A stored figure as the shortest text that reads back to the same double (``1073495.0`` → ``1073495``).

    Grids in the browser print doubles to 17 digits (``405464.27051400003``); this shows the figure as published.
    """
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def preview(data: pd.DataFrame) -> pd.DataFrame:
    """The tidy table for display: values as exact text (the files keep the numbers)."""
    return data.assign(value=data["value"].map(exact_text))


def indicator_metadata(catalog: pd.DataFrame, indicator_ids: list[str]) -> list[dict]:
    """The description of each chosen indicator, in Thai and English, for a data package."""
    rows = catalog.set_index("id").loc[list(indicator_ids)]
    out = []
    for iid, r in rows.iterrows():
        hib = r["higher_is_better"]
        out.append(
            {
                "id": iid,
                "name_th": r["name_th"],
                "name_en": r["name_en"],
                "theme": r["theme"],
                "unit_th": r["unit_th"],
                "unit_en": r["unit_en"],
                "definition_th": r["definition_th"],
                "definition_en": r["definition_en"],
                "aggregation": r["aggregation"],
                "higher_is_better": None if pd.isna(hib) else bool(hib),
                "agency": r["agency_name_en"],
                "agency_th": r["agency_name_th"],
                "agency_short": r["agency_short_en"],
                "source_ids": str(r["source_ids"]).split(";"),
                "license": r["license"],
                "first_year": None if pd.isna(r["first_year"]) else int(r["first_year"]),
                "last_year": None if pd.isna(r["last_year"]) else int(r["last_year"]),
                "n_provinces": int(r["n_provinces"]),
            }
        )
    return out
