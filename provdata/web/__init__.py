"""HTTP: ``api`` (the read and upload API under ``/api/v1``, mounted by ``server.py``), ``memory`` and
``sockets`` (server process settings applied at start).

May use: ``reports`` and everything below; never ``provdata.ui`` or ``provdata.cli``.
"""
