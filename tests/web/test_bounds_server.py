"""Bounds the running server keeps: a connection that does not send its headers is closed, an account's second
upload in flight is answered 429 with Retry-After (server.py over a tiny warehouse, small settings)."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

from provdata import accounts
from tests.conftest import make_exchange_env, serving

#: How long the test waits for the server to close a connection (the server's timeout is 2 s): a failure bound,
#: not a measurement.
WAIT = 30


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = make_exchange_env(tmp_path_factory.mktemp("bounds"))
    settings = {**env.env(), "PROVDATA_HEADER_TIMEOUT_S": "2", "PROVDATA_UPLOAD_TIMEOUT_S": "20",
                "PROVDATA_UPLOADS_PER_ACCOUNT": "1"}  # fmt: skip
    with pytest.MonkeyPatch.context() as mp:
        for k, v in settings.items():
            mp.setenv(k, v)
        token = accounts.new_token("dopa-steward")
        with serving(env.warehouse, "bounds") as base:
            yield urlsplit(base).port, token


def closed_by_server(sock: socket.socket) -> bool:
    """True when the server closes the connection (EOF or reset) before WAIT seconds pass."""
    sock.settimeout(WAIT)
    try:
        while sock.recv(65536):
            pass
        return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
    finally:
        sock.close()


@pytest.mark.slow
def test_a_connection_that_sends_half_its_headers_is_closed(server):
    port, _ = server
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(
        b"GET /api/v1/indicators HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    )  # no blank line: headers never end
    assert closed_by_server(sock)
    silent = socket.create_connection(("127.0.0.1", port))  # connects and sends nothing at all
    assert closed_by_server(silent)


@pytest.mark.slow
def test_a_kept_alive_connection_is_answered_then_closed_when_its_next_headers_stall(server):
    port, _ = server
    sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
    sock.sendall(b"GET /api/v1/openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(65536)
    assert head.startswith(b"HTTP/1.1 200 ")
    sock.sendall(b"GET /api/v1/indicators HTTP/1.1\r\n")  # the next request's headers stop half way
    assert closed_by_server(sock)


@pytest.mark.slow
def test_an_accounts_second_upload_in_flight_is_answered_429_with_retry_after(server):
    port, token = server
    first = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
    first.sendall(b"POST /api/v1/uploads?filename=a.csv&dry_run=true HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  b"Authorization: Bearer %s\r\nContent-Length: 1000\r\n\r\nprovince_code," % token.encode())  # fmt: skip
    # the first upload's body is still arriving: its account's slot is taken
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/uploads?filename=b.csv&dry_run=true",
                                 data=b"province_code,year,indicator_id,value\n",
                                 headers={"Authorization": f"Bearer {token}"}, method="POST")  # fmt: skip
    refused = None
    for _ in range(50):  # the first request may not have reached the route yet (bounded)
        try:
            urllib.request.urlopen(req, timeout=WAIT).close()
        except urllib.error.HTTPError as err:
            if err.code == 429:
                refused = err
                break
            # before the first is in flight the second is answered on its own: 422, a header without rows
            assert err.code == 422, err.code
            time.sleep(0.1)
    assert refused is not None and refused.headers["Retry-After"] == "10"
    assert json.loads(refused.read())["error"] == {
        "status": 429,
        "message": "account dopa-steward already has 1 upload(s) in flight (the limit is 1 per account, "
        "PROVDATA_UPLOADS_PER_ACCOUNT): send the next one when it is answered, in about 10 s",
        "parameter": "Authorization",
    }
    first.close()
