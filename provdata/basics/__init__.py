"""Shared basics that every package may use: ``config`` (paths and settings), ``clock`` (today's date, injectable), ``errors`` (typed errors with a
user-facing title), ``i18n`` (UI words in ``locales/``, number and year formatting), ``textfields`` (free text
people type, checked) and ``sheets`` (cells, CSV and workbooks a spreadsheet shows as written).

Owns: nothing stateful. May use: nothing of provdata (the bottom layer; ``make lint`` checks it).
"""
