"""Recognise the layout of an agency table and turn it into tidy rows.

A sheet of text cells (:mod:`provdata.ingest.read`) becomes a :class:`Table` with a role per column
(:func:`read_table`), the steward's :class:`Options` map it (:func:`apply_options`), and :func:`tidy` turns
it into :class:`Tidy` rows, each row it does not take listed with the reason. Which module holds what:

* :mod:`.model` — the table and column model, the steward's options, the tidy result, ``MappingError``,
  ``ROLES``
* :mod:`.recognise` — ``read_table``: header rows (one to three lines, units, years over measures), the
  sheet's year
* :mod:`.provinces` — the province column (names or DOPA codes), the first body row, provinces as columns
* :mod:`.years` — year headers and era words, the year of a title, crop years in sheet and file names
* :mod:`.roles` — guessed column roles: year, indicator, value, codes of another numbering, row numbers
* :mod:`.rows` — sub-rows and split rows (groups) that belong to a province row
* :mod:`.mapping` — ``split_ref``, ``apply_options`` (``--map``) and ``plan`` (what the steward still has
  to say)
* :mod:`.tidying` — ``tidy`` and ``drop_zeros_after_creation``
* :mod:`.districts` — ``tidy_districts``: district sums of a table's tambon rows (DOPA's registration statistics)
"""

from __future__ import annotations

from provdata.ingest.layout.districts import tidy_districts
from provdata.ingest.layout.mapping import apply_options, split_ref
from provdata.ingest.layout.model import ROLES, MappingError, Options, Table, Tidy
from provdata.ingest.layout.recognise import read_table
from provdata.ingest.layout.tidying import drop_zeros_after_creation, tidy
from provdata.ingest.layout.years import crop_year_of

__all__ = [
    "ROLES",
    "MappingError",
    "Options",
    "Table",
    "Tidy",
    "apply_options",
    "crop_year_of",
    "drop_zeros_after_creation",
    "read_table",
    "split_ref",
    "tidy",
    "tidy_districts",
]
