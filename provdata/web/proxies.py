"""Which peer may say who the client is: ``X-Forwarded-For`` counts only when the connection comes from a proxy
the operator lists in ``PROVDATA_TRUSTED_PROXIES`` (comma-separated addresses or networks; default none).

The app's server (uvicorn, started by ``streamlit run server.py``) rewrites the client's address from
``X-Forwarded-For`` for peers it trusts, and by default it trusts 127.0.0.1 and ::1: anyone who reaches the app
port from the host itself could then name any address they like for the audit log and the sign-in lockout.
:func:`trust_only_listed_proxies` (called by server.py before uvicorn wraps the app) makes the listed proxies the
only ones trusted — none unless listed; the nginx of deploy/nginx.conf.template is 127.0.0.1.
"""

from __future__ import annotations

import os

from provdata.basics import config


def trust_only_listed_proxies() -> str:
    """Trust ``X-Forwarded-For`` from the listed proxies only (for every uvicorn Config made or loaded from now
    on); returns the list as given ('' for none)."""
    import uvicorn.config
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    listed = config.trusted_proxies()
    os.environ["FORWARDED_ALLOW_IPS"] = listed  # a Config made after this reads it

    def listed_only(app, trusted_hosts=None):
        return ProxyHeadersMiddleware(app, trusted_hosts=listed)

    # The Config of this very start was made before server.py was imported; it wraps the app after the import,
    # with the middleware this name holds then.
    uvicorn.config.ProxyHeadersMiddleware = listed_only
    return listed
