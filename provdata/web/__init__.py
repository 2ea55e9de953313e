"""HTTP: ``api`` (the read and upload API under ``/api/v1``, mounted by ``server.py``), ``admission`` (uploads in
flight per account and per process, for the API and the app), ``memory``, ``sockets`` and ``timeouts`` (server
process settings applied at start: memory, TCP_NODELAY, the request-header timeout).

May use: ``reports`` and everything below; never ``provdata.ui`` or ``provdata.cli``.
"""
