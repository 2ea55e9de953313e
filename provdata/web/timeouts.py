"""A header timeout for the app's HTTP server (server.py installs it when it is loaded).

Streamlit 1.67 serves ``st.App`` with uvicorn's h11 protocol. uvicorn closes an idle kept-alive connection after
``timeout_keep_alive`` (5 s) but has no timeout for a request's headers: a client that sends half a request line
and stops holds its connection (and a file descriptor) for ever; 3,000 such connections were held. Streamlit
passes no option for it, and uvicorn has resolved its protocol class before server.py is imported, so the class's
own hooks are extended here: from a connection's start, and again after each answer on a kept-alive connection,
the next request's headers must have arrived within ``config.header_timeout_s()`` or the connection is closed.
A request whose headers have arrived is never cut (an answer may take long; a websocket lives for the session);
a stalled upload body is the upload route's own 408 (provdata/web/api/upload.py). Behind nginx the same bounds
are nginx's ``client_header_timeout`` and ``client_body_timeout`` (deploy/nginx.conf.template).
"""

from __future__ import annotations

import logging

_LOG = logging.getLogger(__name__)
_TIMER = "_provdata_header_timer"


def install(seconds: float) -> bool:
    """Close connections whose request headers have not arrived ``seconds`` after they opened (or after the
    previous answer). True when uvicorn's h11 protocol was extended (once per process; later calls change the
    time)."""
    try:
        import h11
        from uvicorn.protocols.http.h11_impl import H11Protocol
    except ImportError:  # another server: nothing to extend
        return False
    H11Protocol._provdata_header_timeout = float(seconds)
    if getattr(H11Protocol, "_provdata_extended", False):
        return True
    made, complete, lost = (
        H11Protocol.connection_made,
        H11Protocol.on_response_complete,
        H11Protocol.connection_lost,
    )

    def expire(self) -> None:
        setattr(self, _TIMER, None)
        waiting = self.conn.their_state is h11.IDLE and (self.cycle is None or self.cycle.response_complete)
        if waiting and not self.transport.is_closing():
            _LOG.info("closed a connection from %s: no request headers within %g s", self.client,
                      self._provdata_header_timeout)  # fmt: skip
            self.transport.close()

    def arm(self) -> None:
        disarm(self)
        setattr(self, _TIMER, self.loop.call_later(self._provdata_header_timeout, expire, self))

    def disarm(self) -> None:
        timer = getattr(self, _TIMER, None)
        if timer is not None:
            timer.cancel()
            setattr(self, _TIMER, None)

    def connection_made(self, transport) -> None:
        made(self, transport)
        arm(self)

    def on_response_complete(self) -> None:
        complete(self)
        if not self.transport.is_closing():
            arm(self)

    def connection_lost(self, exc) -> None:
        disarm(self)
        lost(self, exc)

    H11Protocol.connection_made = connection_made
    H11Protocol.on_response_complete = on_response_complete
    H11Protocol.connection_lost = connection_lost
    H11Protocol._provdata_extended = True
    return True
