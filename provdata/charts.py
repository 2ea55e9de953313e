"""Altair chart builders (pure: data in, chart out). Every chart uses Sarabun for Thai text.

Every chart carries a ``description`` — what a screen reader announces for the drawn SVG (Vega puts it in the
chart's ``aria-label``, role ``graphics-document``) — and ``aria: false`` for its marks and axes (hidden from
the accessibility tree), so that no mark group is announced as an unnamed image (axe-core's svg-img-alt).
"""

from __future__ import annotations

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
    text = base.mark_text(fontSize=11).encode(text=alt.Text("score:Q", format=".0f"))
    description = f"{title}: {cells['area'].nunique()} × {cells['indicator'].nunique()} ({area_title} × {indicator_title})"
    return _themed(alt.layer(rect, text), description).properties(height=alt.Step(30))


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


def sparkline(values: list[float], description: str) -> alt.Chart:
    """A headline card's small trend: the published values in order, no axes; ``description`` names it."""
    frame = pd.DataFrame({"step": range(len(values)), "value": values})
    chart = (
        alt.Chart(frame)
        .mark_line(color="#2c7fb8")
        .encode(x=alt.X("step:O", axis=None), y=alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False)))
        .properties(height=48)
    )
    return _themed(chart, description).configure_view(stroke=None)
