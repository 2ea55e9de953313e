"""The app's listening socket has Nagle's algorithm off (provdata/web/sockets.py): small answers on a kept-alive
connection go out at once instead of waiting ~40 ms for the browser's delayed ACK."""

from __future__ import annotations

import socket

from provdata.web.sockets import nodelay_listeners


def test_a_listener_made_as_streamlit_makes_it_gets_tcp_nodelay_and_its_connections_inherit_it():
    listener = socket.socket(family=socket.AF_INET)  # protocol 0, as Streamlit 1.67 binds: asyncio skips it
    other = socket.socket(family=socket.AF_INET)  # a client socket, not listening: left alone
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
        assert nodelay_listeners() >= 1
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        assert other.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
        client = socket.create_connection(listener.getsockname())
        accepted, _address = listener.accept()
        with client, accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        listener.close()
        other.close()
