"""Documents of a province: ``report`` (the annual statistics report, HTML and PDF), ``pdf`` (WeasyPrint with
Sarabun), ``deck`` (PowerPoint), ``slides`` (presenter mode's slides: what each says), ``stage`` (presenter mode: every
slide as one HTML block stepped in the browser), ``plan`` (the development plan as PDF), ``pictures`` (charts
as PNG and SVG) and ``queue`` (reports made by a bounded pool, in line, once per build and request).

May use: ``views`` and everything below it.
"""
