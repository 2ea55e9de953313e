"""Documents of a province: ``report`` (the annual statistics report, HTML and PDF), ``pdf`` (WeasyPrint with
Sarabun), ``deck`` (PowerPoint), ``slides`` (presenter mode's slides: what each says), ``stage`` (presenter mode: every
slide as one HTML block stepped in the browser), ``plan`` (the development plan as PDF) and ``pictures`` (charts
as PNG and SVG).

May use: ``views`` and everything below it.
"""
