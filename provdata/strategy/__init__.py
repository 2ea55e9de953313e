"""The NSO chain as a domain: ``chain`` (read and check the provinces' strategy chains: issues, critical
success factors, indicator links, targets), ``readiness`` (A/B/C of a province × indicator cell, computed),
``targets`` (on track, at risk, off track; met or missed once the deadline has passed), ``freshness``
(current or overdue by the release calendar) and ``graph`` (the chart drawn as Graphviz DOT), ``statchart`` (the official statistics chart, the readiness
matrix and the statistics development plan, as plain data).

Owns: the rules. May use: ``basics`` only. Pure functions over frames: the warehouse build reads the chains
through it, the views and reports draw it; planners' edits are written by ``provdata.exchange.chain_edits``.
"""
