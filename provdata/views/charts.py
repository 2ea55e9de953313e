"""Altair chart builders (pure: data in, chart out). Every chart uses Sarabun for Thai text. (The cards'
sparklines are small SVG pictures, made here too.)

Every chart carries a ``description`` — what a screen reader announces for the drawn SVG (Vega puts it in the
chart's ``aria-label``, role ``graphics-document``) — and ``aria: false`` for its marks and axes (hidden from
the accessibility tree), so that no mark group is announced as an unnamed image (axe-core's svg-img-alt).
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

FONT = "Sarabun"


def _themed(chart: alt.Chart, description: str) -> alt.Chart:
    return (
        chart.properties(description=description)
        .configure(font=FONT, aria=False)
        .configure_mark(aria=False)
        .configure_axis(labelFont=FONT, titleFont=FONT)
        .configure_legend(labelFont=FONT, titleFont=FONT)
    )


def _span(frame: pd.DataFrame) -> str:
    """The years a chart covers, as the reader sees them (``2556–2563``)."""
    if frame.empty:
        return ""
    ordered = frame.sort_values("year")
    first, last = str(ordered["year_label"].iloc[0]), str(ordered["year_label"].iloc[-1])
    return first if first == last else f"{first}–{last}"


def series_line(frame: pd.DataFrame, title: str, y_title: str, year_title: str) -> alt.Chart:
    """One province's series of one indicator: ``frame`` has ``year_label``, ``year`` and ``value``.

    ``year_label`` is the year as the reader wants it (พ.ศ. or ค.ศ.); x stays ordinal so no year is
    invented between two published ones.
    """
    description = f"{title or y_title}, {year_title} {_span(frame)}"
    base = alt.Chart(frame, title=title).encode(
        x=alt.X("year_label:O", title=year_title, sort=alt.SortField("year")),
        y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
        tooltip=[
            alt.Tooltip("year_label:O", title=year_title),
            alt.Tooltip("value:Q", title=y_title, format=",.6~f"),
        ],
    )
    return _themed(base.mark_line(point=True), description).properties(height=280)


def trend_chart(
    lines: pd.DataFrame,
    references: pd.DataFrame,
    breaks: pd.DataFrame,
    title: str,
    y_title: str,
    year_title: str,
    area_title: str,
) -> alt.LayerChart:
    """Several areas on one chart, with dashed reference lines and rules at known series breaks.

    ``lines``: ``area``, ``year``, ``year_label``, ``value``; ``references``: ``series``, ``year``,
    ``year_label``, ``value``; ``breaks``: ``year_label`` (first year after the break), ``note``.
    """
    x = alt.X("year_label:O", title=year_title, sort=alt.SortField("year"))
    layers = [
        alt.Chart(lines)
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
            color=alt.Color("area:N", title=area_title),
            tooltip=[
                alt.Tooltip("area:N", title=area_title),
                alt.Tooltip("year_label:O", title=year_title),
                alt.Tooltip("value:Q", title=y_title, format=",.6~f"),
            ],
        )
    ]
    if not references.empty:
        layers.append(
            alt.Chart(references)
            .mark_line(strokeDash=[6, 4], color="#555")
            .encode(
                x=x,
                y="value:Q",
                detail="series:N",
                tooltip=[alt.Tooltip("series:N"), alt.Tooltip("value:Q", format=",.6~f")],
            )
        )
    if not breaks.empty:
        layers.append(
            alt.Chart(breaks).mark_rule(color="#b00", strokeDash=[2, 2]).encode(x=x, tooltip=["note:N"])
        )
    areas = ", ".join(dict.fromkeys(lines["area"].astype(str)))
    description = f"{title}: {areas}, {year_title} {_span(lines)}"
    return _themed(alt.layer(*layers, title=title), description).properties(height=380)


#: a heatmap column's width in CSS pixels: room for a score of three digits at 13 px
HEAT_STEP = 56


def score_heatmap(
    cells: pd.DataFrame,
    title: str,
    area_title: str,
    indicator_title: str,
    score_title: str,
    value_title: str = "value",
    year_title: str = "year",
    rank_title: str = "rank",
) -> alt.Chart:
    """Areas × indicators coloured by a 0–100 score (100 = best); ``cells`` has ``area``, ``indicator``,
    ``score``, ``value_text`` (the published figure with its unit), ``year_label`` and optionally
    ``rank_text``; the tooltip shows them all."""
    base = alt.Chart(cells, title=title).encode(
        x=alt.X(
            "indicator:N",
            title=indicator_title,
            axis=alt.Axis(labelAngle=-35, labelLimit=220, labelOverlap=False),
        ),
        y=alt.Y("area:N", title=area_title),
    )
    rect = base.mark_rect().encode(
        color=alt.Color(
            "score:Q", title=score_title, scale=alt.Scale(scheme="redyellowgreen", domain=[0, 100])
        ),
        tooltip=[
            alt.Tooltip("area:N", title=area_title),
            alt.Tooltip("indicator:N", title=indicator_title),
            alt.Tooltip("value_text:N", title=value_title),
            alt.Tooltip("year_label:N", title=year_title),
            *([alt.Tooltip("rank_text:N", title=rank_title)] if "rank_text" in cells else []),
            alt.Tooltip("score:Q", title=score_title, format=".0f"),
        ],
    )
    text = base.mark_text(fontSize=13).encode(text=alt.Text("score:Q", format=".0f"))
    description = f"{title}: {cells['area'].nunique()} × {cells['indicator'].nunique()} ({area_title} × {indicator_title})"
    # cells of a fixed size, not squeezed to the column: on a phone the scores stay readable and the heatmap
    # scrolls sideways in its own box (provdata/ui/style.py), the page does not
    return _themed(alt.layer(rect, text), description).properties(
        height=alt.Step(32), width=alt.Step(HEAT_STEP)
    )


def bars(frame: pd.DataFrame, x_title: str) -> alt.Chart:
    """Provinces as horizontal bars, in the order given (``area``, ``value``)."""
    description = f"{x_title}: " + ", ".join(frame["area"].astype(str))
    chart = (
        alt.Chart(frame)
        .mark_bar(color="#2c7fb8")
        .encode(
            x=alt.X("value:Q", title=x_title),
            y=alt.Y("area:N", title=None, sort=None),
            tooltip=[alt.Tooltip("area:N"), alt.Tooltip("value:Q", format=",.6~f")],
        )
    )
    return _themed(chart, description).properties(height=alt.Step(26))


#: A card's sparkline, in CSS pixels (the cards are about 250 px wide).
SPARK_WIDTH, SPARK_HEIGHT = 240, 48


def sparkline(values: list[float]) -> str:
    """A headline card's small trend as an SVG picture: the published values in order, oldest at the left, no
    axes, the range filling the height (not from zero), the latest value dotted. A picture, not a Vega chart:
    eight Vega views cost the profile's first load about 0.3 s of script in the browser. A value that is not a
    number breaks the line (never bridged)."""
    if len(values) < 2:
        raise ValueError("a sparkline needs two values or more")
    finite = [v for v in values if v is not None and math.isfinite(v)]
    low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
    span = (high - low) or 1.0
    pad = 4
    step = (SPARK_WIDTH - 2 * pad) / (len(values) - 1)

    def point(i: int, v: float) -> tuple[float, float]:
        y = (
            SPARK_HEIGHT - pad - (v - low) / span * (SPARK_HEIGHT - 2 * pad)
            if high != low
            else SPARK_HEIGHT / 2
        )
        return pad + i * step, y

    runs, run = [], []
    for i, v in enumerate(values):
        if v is not None and math.isfinite(v):
            run.append(point(i, v))
            continue
        if run:
            runs.append(run)
        run = []
    if run:
        runs.append(run)
    marks = []
    for r in runs:  # a lone value between gaps is a dot; the latest value is a dot too
        if len(r) > 1:
            marks.append(
                f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in r)}" fill="none" stroke="#2c7fb8" '
                'stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>'
            )
    dots = [r[0] for r in runs if len(r) == 1] + ([runs[-1][-1]] if runs and len(runs[-1]) > 1 else [])
    for x, y in dots:
        marks.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#2c7fb8"/>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}" '
        f'viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}">{"".join(marks)}</svg>'
    )
