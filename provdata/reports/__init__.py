"""Documents of a province: ``report`` (the annual statistics report, HTML and PDF), ``pdf`` (WeasyPrint with
Sarabun), ``deck`` (PowerPoint), ``slides`` (presenter mode's slides), ``plan`` (the development plan as PDF)
and ``pictures`` (charts as PNG).

May use: ``views`` and everything below it.
"""
