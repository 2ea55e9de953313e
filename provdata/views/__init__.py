"""What the pages show, as plain data: ``ages`` (a figure's year and "out of date" by the release calendar, the
same judgement everywhere), ``profile`` (headline cards), ``maps`` (choropleths), ``figures`` (the
map's, trends' and compare's frames), ``analysis`` (class breaks, per capita, index, growth), ``charts``
(Altair builders), ``catalog`` (every indicator with its coverage and readiness), ``exports`` (downloads
that carry their provenance) and ``firstview`` (a page's figures as plain HTML before the app has run).

May use: ``exchange`` and the layers below; takes query results as arguments rather than querying.
"""
