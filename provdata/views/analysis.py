"""Derived views of the published figures: class breaks, per-capita, indexing, change, growth,
direction-aware scores and similarity. Pure functions over DataFrames; no figure is invented —
a derived value is missing wherever an input is missing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd


def class_breaks(values: Sequence[float], k: int = 5) -> list[float]:
    """Upper bounds of up to ``k`` quantile classes (suits skewed data: equal counts per class).

    Returns sorted, distinct bounds; the last is the maximum. Fewer classes when values repeat.
    """
    clean = np.asarray([v for v in values if v is not None and not math.isnan(v)], dtype=float)
    if clean.size == 0:
        return []
    qs = np.quantile(clean, [i / k for i in range(1, k + 1)], method="inverted_cdf")
    return sorted({float(q) for q in qs})


def classify(value: float | None, breaks: Sequence[float]) -> int | None:
    """Index of the class ``value`` falls in (0-based), or None for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or not breaks:
        return None
    for i, upper in enumerate(breaks):
        if value <= upper:
            return i
    return len(breaks) - 1


def per_capita(values: pd.DataFrame, population: pd.DataFrame, factor: float) -> pd.DataFrame:
    """``value × factor ÷ population`` of the same area and year.

    ``values`` and ``population`` have ``area_code``, ``year``, ``value``. Rows whose population is
    missing for that year keep the row with a missing value (the caller says "no population figure").
    """
    pop = population[["area_code", "year", "value"]].rename(columns={"value": "population"})
    out = values.merge(pop, on=["area_code", "year"], how="left")
    out["value"] = out["value"] * factor / out["population"]
    return out


def index_to_base(frame: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Each area's series as 100 × value ÷ value in ``base_year``; missing where the base is missing or 0."""
    base = frame.loc[frame.year == base_year, ["area_code", "value"]].rename(columns={"value": "base"})
    out = frame.merge(base, on="area_code", how="left")
    out["value"] = np.where(out["base"].fillna(0) != 0, out["value"] / out["base"] * 100, np.nan)
    return out.drop(columns="base")


def change_on_previous(frame: pd.DataFrame) -> pd.DataFrame:
    """Percent change of each area's value on the year before (exactly year − 1; else missing)."""
    prev = frame[["area_code", "year", "value"]].assign(year=frame.year + 1).rename(columns={"value": "prev"})
    out = frame.merge(prev, on=["area_code", "year"], how="left")
    out["value"] = np.where(
        out["prev"].fillna(0) != 0, (out["value"] - out["prev"]) / out["prev"].abs() * 100, np.nan
    )
    return out.drop(columns="prev")


def cagr(frame: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Compound annual growth (%) per area between ``start`` and ``end``; missing without both figures
    or with a non-positive start."""
    a = frame.loc[frame.year == start, ["area_code", "value"]].rename(columns={"value": "start_value"})
    b = frame.loc[frame.year == end, ["area_code", "value"]].rename(columns={"value": "end_value"})
    out = a.merge(b, on="area_code", how="outer")
    years = end - start
    ok = (out.start_value > 0) & out.end_value.notna() & (years > 0)
    ratio = out.end_value.where(ok) / out.start_value.where(ok)
    out["cagr_pct"] = (np.sign(ratio) * np.abs(ratio) ** (1 / years) - 1) * 100 if years > 0 else np.nan
    return out


def medians(frame: pd.DataFrame, pilots: set[str]) -> pd.DataFrame:
    """Per year: the median over the pilot provinces and over all provinces with a figure."""
    rows = []
    for year, g in frame.groupby("year"):
        rows.append(
            {
                "year": int(year),
                "pilot_median": g.loc[g.area_code.isin(pilots), "value"].median(),
                "national_median": g["value"].median(),
            }
        )
    return pd.DataFrame(rows, columns=["year", "pilot_median", "national_median"])


def direction_scores(wide: pd.DataFrame, higher_is_better: dict[str, bool | None]) -> pd.DataFrame:
    """Scores 0–100 per column across the rows (areas): 100 is the best area where the indicator has a
    direction (lower-is-better columns are flipped), the largest where it has none. Missing stays missing."""
    out = pd.DataFrame(index=wide.index)
    for col in wide.columns:
        s = wide[col].astype(float)
        lo, hi = s.min(), s.max()
        score = (s - lo) / (hi - lo) * 100 if hi > lo else s * 0 + 50
        if higher_is_better.get(col) is False:
            score = 100 - score
        out[col] = score
    out.columns.name = wide.columns.name
    return out


def percentile_scores(reference: pd.DataFrame, higher_is_better: dict[str, bool | None]) -> pd.DataFrame:
    """Percentile scores 0–100 per column among every row with a figure (all provinces, not only the chosen).

    A row's score is the share of the other rows it does better than, a tie counting half:
    ``(worse + ties / 2) / (n − 1) × 100`` — 100 for the best, 0 for the worst, 50 when alone. "Better" is
    larger where the indicator is higher-is-better or has no direction, smaller where lower is better. A
    score depends only on the order of the figures, so one outlier moves no other province's score. Missing
    stays missing.
    """
    out = pd.DataFrame(index=reference.index)
    for col in reference.columns:
        s = reference[col].astype(float)
        present = s.dropna()
        values = present.to_numpy()
        if higher_is_better.get(col) is False:
            values = -values
        n = len(values)
        below = (values[None, :] < values[:, None]).sum(axis=1)
        ties = (values[None, :] == values[:, None]).sum(axis=1) - 1
        score = (below + ties / 2) / (n - 1) * 100 if n > 1 else np.full(n, 50.0)
        out[col] = pd.Series(score, index=present.index).reindex(s.index)
    out.columns.name = reference.columns.name
    return out


def nearest(wide: pd.DataFrame, code: str, k: int = 5) -> pd.DataFrame:
    """The ``k`` areas closest to ``code`` on the columns of ``wide`` (rows: areas).

    Each column is standardised (z-score over the rows); the distance is Euclidean over the columns
    both areas have, scaled to the number of columns, so an area missing a figure is compared on the
    rest. Returns ``area_code``, ``distance``, ``shared`` (columns compared), nearest first.
    """
    z = (wide - wide.mean()) / wide.std(ddof=0).replace(0, np.nan)
    me = z.loc[code]
    rows = []
    for other, vals in z.drop(index=code).iterrows():
        both = me.notna() & vals.notna()
        n = int(both.sum())
        if n == 0:
            continue
        d = float(np.sqrt(((me[both] - vals[both]) ** 2).sum() * len(me) / n))
        rows.append({"area_code": other, "distance": d, "shared": n})
    out = pd.DataFrame(rows, columns=["area_code", "distance", "shared"])
    return out.sort_values(["distance", "area_code"]).head(k).reset_index(drop=True)
