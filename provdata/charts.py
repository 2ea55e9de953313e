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
