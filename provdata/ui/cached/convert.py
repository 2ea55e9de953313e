"""What Streamlit would convert on every run, converted once inside cached functions: tables as pyarrow Tables
(:func:`_arrow`) and charts as Vega-Lite specs (:func:`_spec`, :func:`chart_spec` keyed by :func:`fingerprint`).
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st


def _arrow(frame: pd.DataFrame):
    """A table as st.dataframe would convert it, done once and cached: st.dataframe sends a pyarrow Table as is
    (converting the catalogue's two tables took a quarter of that page's run)."""
    from streamlit import dataframe_util

    return dataframe_util.convert_pandas_df_to_arrow_table(frame)


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
