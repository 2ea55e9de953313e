"""What the longer pages draw from their data: one module per page (``catalog``, ``chart``, ``compare``, ``map``,
``trends``), its functions the blocks of the page's Display (and a few choices drawn among them), in the
page's order. A page keeps its Selection → Data → Display and calls these for its Display; they draw with
the same widgets, keys and texts the page drew itself."""
