"""TCP_NODELAY on the app's listening sockets (server.py sets it at start).

Streamlit 1.67 binds its listening socket itself (``socket.socket(family=...)``, protocol 0). asyncio turns
Nagle's algorithm off only on sockets whose protocol is IPPROTO_TCP, so every connection the app accepts keeps it
on: a small answer written in two parts (headers, then body) on a kept-alive connection waits for the browser's
delayed ACK, about 40 ms. Browsers keep their connections alive, so most of a first load's ~150 small scripts
waited that long (straight at the app, and behind nginx on the long-lived websocket); so did small websocket
frames. An accepted socket inherits TCP_NODELAY from its listener on Linux. Figures: ``python -m bench.run wire``.
"""

from __future__ import annotations

import os
import socket
import stat


def _fds() -> list[int]:
    folder = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"
    return [int(name) for name in os.listdir(folder) if name.isdigit()]


def nodelay_listeners() -> int:
    """Set TCP_NODELAY on every listening TCP socket of this process; return how many."""
    done = 0
    for fd in _fds():
        try:
            if not stat.S_ISSOCK(os.fstat(fd).st_mode):
                continue
            sock = socket.socket(fileno=os.dup(fd))  # a second handle on the same socket
        except OSError:  # closed meanwhile, or not a socket Python can open
            continue
        with sock:
            if (
                sock.family in (socket.AF_INET, socket.AF_INET6)
                and sock.type == socket.SOCK_STREAM
                and sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
            ):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                done += 1
    return done
