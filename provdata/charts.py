"""Altair chart builders (pure: data in, chart out). Every chart uses Sarabun for Thai text."""

from __future__ import annotations

import altair as alt
import pandas as pd

FONT = "Sarabun"


def _themed(chart: alt.Chart) -> alt.Chart:
    return (
        chart.configure(font=FONT)
        .configure_axis(labelFont=FONT, titleFont=FONT)
        .configure_legend(labelFont=FONT, titleFont=FONT)
    )


def series_line(frame: pd.DataFrame, title: str, y_title: str, year_title: str) -> alt.Chart:
    """One province's series of one indicator: ``frame`` has ``year_label``, ``year`` and ``value``.

    ``year_label`` is the year as the reader wants it (พ.ศ. or ค.ศ.); x stays ordinal so no year is
    invented between two published ones.
    """
    base = alt.Chart(frame, title=title).encode(
        x=alt.X("year_label:O", title=year_title, sort=alt.SortField("year")),
        y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
        tooltip=[
            alt.Tooltip("year_label:O", title=year_title),
            alt.Tooltip("value:Q", title=y_title, format=",.6~f"),
        ],
    )
    return _themed(base.mark_line(point=True)).properties(height=280)


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
    return _themed(alt.layer(*layers, title=title)).properties(height=380)


def score_heatmap(
    cells: pd.DataFrame, title: str, area_title: str, indicator_title: str, score_title: str
) -> alt.Chart:
    """Areas × indicators coloured by a 0–100 score (100 = best); ``cells`` has ``area``, ``indicator``,
    ``score``, ``value_text`` and ``year_label``."""
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
            alt.Tooltip("value_text:N", title="value"),
            alt.Tooltip("year_label:N", title="year"),
            alt.Tooltip("score:Q", title=score_title, format=".0f"),
        ],
    )
    text = base.mark_text(fontSize=11).encode(text=alt.Text("score:Q", format=".0f"))
    return _themed(alt.layer(rect, text)).properties(height=alt.Step(30))


def bars(frame: pd.DataFrame, x_title: str) -> alt.Chart:
    """Provinces as horizontal bars, in the order given (``area``, ``value``)."""
    chart = (
        alt.Chart(frame)
        .mark_bar(color="#2c7fb8")
        .encode(
            x=alt.X("value:Q", title=x_title),
            y=alt.Y("area:N", title=None, sort=None),
            tooltip=[alt.Tooltip("area:N"), alt.Tooltip("value:Q", format=",.6~f")],
        )
    )
    return _themed(chart).properties(height=alt.Step(26))
