"""Build the warehouse (data/warehouse.duckdb) from the files under data/ and geo/.

The files are the system of record; the warehouse is derived from them. Every row is checked
first; a bad row stops the build with its file, line, column and value, and the old warehouse stays
in place. A good build is written to a temporary file beside the target and swapped in with
``os.replace`` (atomic on one file system), under a file lock so that only one writer runs at once.

The steps, one module each: ``inputs`` (where the files are, :class:`Problems`, reading and checking a
CSV row), ``reference`` (areas, agencies, sources, themes), ``indicators`` (the shipped and the added
indicators, :data:`KINDS`), ``observations`` (series breaks and the seed figures), ``write`` (the schema,
the publications' loads and figures, the new file swapped in under the writer lock) and ``run``
(:func:`build_warehouse` and :func:`rebuild_locked`: the steps in order, with what they log).
"""

from __future__ import annotations

from provdata.warehouse.build.indicators import KINDS, read_added_indicators, read_indicators
from provdata.warehouse.build.inputs import Inputs, Problems, read_csv_rows
from provdata.warehouse.build.observations import read_observations, read_series_breaks
from provdata.warehouse.build.reference import read_agencies_and_sources, read_areas, read_themes
from provdata.warehouse.build.run import BuildResult, build_warehouse, rebuild_locked
from provdata.warehouse.build.write import SQL_DIR, publish_file, schema_sql, write_warehouse, writer_lock

__all__ = [
    "KINDS",
    "SQL_DIR",
    "BuildResult",
    "Inputs",
    "Problems",
    "build_warehouse",
    "publish_file",
    "read_added_indicators",
    "read_agencies_and_sources",
    "read_areas",
    "read_csv_rows",
    "read_indicators",
    "read_observations",
    "read_series_breaks",
    "read_themes",
    "rebuild_locked",
    "schema_sql",
    "write_warehouse",
    "writer_lock",
]
