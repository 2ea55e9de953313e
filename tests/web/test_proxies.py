"""X-Forwarded-For names the client only when the peer is a proxy listed in PROVDATA_TRUSTED_PROXIES (default
none): uvicorn, which serves the app, trusts 127.0.0.1 and ::1 by default; provdata/web/proxies.py replaces that
for the server being started (its Config was made before server.py was imported)."""

from __future__ import annotations

import pytest
import uvicorn
import uvicorn.config

from provdata.web import proxies
from tests.conftest import run_async


def _client_seen(peer: str, forwarded: str) -> str:
    """The client address the app sees behind uvicorn's loaded middleware for one HTTP request."""
    seen = {}

    async def app(scope, receive, send):
        seen["client"] = scope["client"][0]

    config = uvicorn.Config(app)  # made first, as `streamlit run` makes it before importing server.py
    proxies.trust_only_listed_proxies()  # what server.py does when it is imported
    config.load()
    scope = {"type": "http", "client": (peer, 50000), "headers": [(b"x-forwarded-for", forwarded.encode())]}
    run_async(config.loaded_app(scope, None, None))
    return seen["client"]


@pytest.fixture(autouse=True)
def _restore_uvicorn(monkeypatch):
    monkeypatch.setattr(uvicorn.config, "ProxyHeadersMiddleware", uvicorn.config.ProxyHeadersMiddleware)
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)


def test_no_proxy_is_trusted_unless_listed(monkeypatch):
    monkeypatch.delenv("PROVDATA_TRUSTED_PROXIES", raising=False)
    assert _client_seen("127.0.0.1", "203.0.113.5") == "127.0.0.1"
    assert _client_seen("::1", "203.0.113.5") == "::1"


def test_a_listed_proxy_names_the_client_and_only_it(monkeypatch):
    monkeypatch.setenv("PROVDATA_TRUSTED_PROXIES", "127.0.0.1, 10.1.0.0/16")
    assert _client_seen("127.0.0.1", "203.0.113.5") == "203.0.113.5"
    assert _client_seen("10.1.2.3", "198.51.100.7") == "198.51.100.7"
    assert _client_seen("192.0.2.9", "203.0.113.5") == "192.0.2.9"  # not listed: the peer itself
    # a client that sends its own X-Forwarded-For through the proxy: the proxy appends the real peer, which wins
    assert _client_seen("127.0.0.1", "10.9.9.9, 203.0.113.5") == "203.0.113.5"
