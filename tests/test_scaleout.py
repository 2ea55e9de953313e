"""Two app processes behind nginx on loopback: spread, sticky, websocket through the proxy, publish, failover."""

from __future__ import annotations

import shutil

import pytest

from bench import scaleout

pytestmark = pytest.mark.browser


def test_two_processes_behind_nginx():
    if not shutil.which("nginx") and not scaleout.Path("/usr/sbin/nginx").exists():
        pytest.fail("nginx is missing: apt-get install nginx-light (.ci/run installs it)")
    figures = {}
    assert scaleout.run(lambda _s, name, value: figures.__setitem__(name, value))
    assert figures["processes behind the proxy / used by 20 client addresses"] == "2 / 2"
    assert figures["new publish seen through the proxy"] == "yes"
    assert figures["health through the proxy with one process stopped"] == "20/20 OK"
