"""The warehouse (``data/warehouse.duckdb``), derived and rebuildable: ``build`` (check every shipped row,
replay the publications and recipes, write a new file and swap it in), ``recipes`` (the shipped agency files
replayed through the upload path), ``layers`` (what the state store lays over the shipped files: added
indicators, planners' chain edits), ``db`` (one read-only connection per process, a cursor per query),
``queries`` (the one place for SQL) and ``sql/`` (the schema).

May use: ``strategy``, ``ingest``, ``accounts``, ``store``, ``basics``.
"""
