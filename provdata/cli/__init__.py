"""The command line (``python -m provdata …``): ``main`` (build, report, state) and ``exchange`` (ingest,
publications, rollback, indicator, account, audit).

May use: ``reports`` and everything below; never ``provdata.ui`` or ``provdata.web``.
"""
