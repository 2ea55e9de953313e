"""Every Streamlit cache in one place, wrapping pure provdata functions.

Data functions take the warehouse build id as their first argument, so a newly published
warehouse gets fresh results without clearing anything. Every cache is bounded (``max_entries``): the entries
of older builds and rarely asked views fall out instead of growing with each publication and each visitor
(tests/project/test_contract.py checks it, and that no st.cache_* decorator lives outside this package).

One module per page or area, each importing its siblings directly (never this ``__init__``):

- ``base``: the warehouse handle, its build id and the tables every page reads;
- ``convert``: tables as pyarrow Tables and charts as Vega-Lite specs, converted once;
- ``profile``, ``map``, ``trends``, ``compare``, ``chart``, ``follow``: each page's cached views;
- ``catalogue``: the data catalogue and download selections;
- ``exchange``: publications and uploads;
- ``reports``: presenter slides, the plan PDF and the report makers (a bounded pool keeping what it made).

Pages and other modules use them as ``cached.<name>`` through the names re-exported here.
"""

from provdata.ui.cached.base import (
    areas,
    build_id,
    calendar,
    chain,
    chain_provinces,
    headlines,
    indicator,
    indicator_years,
    indicators,
    level_series,
    meta,
    plan_status,
    province,
    provinces,
    reference_year,
    series,
    series_breaks,
    sources,
    today,
    warehouse,
    year_values,
    years_present,
)
from provdata.ui.cached.catalogue import catalog, catalog_table, selection, selection_rows, selection_view
from provdata.ui.cached.chart import chart_shown, chart_view, readiness_why
from provdata.ui.cached.compare import compare_view, similar_provinces
from provdata.ui.cached.convert import chart_spec, fingerprint
from provdata.ui.cached.exchange import load_changes, loads, owed, sheet_tables, upload_check
from provdata.ui.cached.follow import agencies, follow_marks, follow_up, follow_version
from provdata.ui.cached.map import map_view
from provdata.ui.cached.profile import profile_history, profile_view
from provdata.ui.cached.reports import comparison_deck, plan_pdf, province_deck, report_queue
from provdata.ui.cached.trends import trend_view

__all__ = [
    "agencies",
    "areas",
    "build_id",
    "calendar",
    "catalog",
    "catalog_table",
    "chain",
    "chain_provinces",
    "chart_shown",
    "chart_spec",
    "chart_view",
    "compare_view",
    "comparison_deck",
    "fingerprint",
    "follow_marks",
    "follow_up",
    "follow_version",
    "headlines",
    "indicator",
    "indicator_years",
    "indicators",
    "level_series",
    "load_changes",
    "loads",
    "map_view",
    "meta",
    "owed",
    "plan_pdf",
    "plan_status",
    "profile_history",
    "profile_view",
    "province",
    "province_deck",
    "provinces",
    "readiness_why",
    "reference_year",
    "report_queue",
    "selection",
    "selection_rows",
    "selection_view",
    "series",
    "series_breaks",
    "sheet_tables",
    "similar_provinces",
    "sources",
    "today",
    "trend_view",
    "upload_check",
    "warehouse",
    "year_values",
    "years_present",
]
