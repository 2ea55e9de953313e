"""Documents of a province: ``report`` (the annual statistics report, HTML and PDF), ``pdf`` (WeasyPrint with
Sarabun), ``deck`` (PowerPoint), ``slides`` (presenter mode's slides), ``plan`` (the development plan as PDF)
``pictures`` (charts as PNG) and ``queue`` (reports made by a bounded pool, in line, once per build and
request).

May use: ``views`` and everything below it.
"""
