"""Two app processes behind nginx on loopback: spread, sticky, websocket through the proxy, publish, failover; over
the tiny inputs (tests/fixtures/tiny; `make bench` runs it over the real data).

Run in a subprocess: the session's Playwright (sync API) already owns this process's event loop.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, figures_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_two_processes_behind_nginx(tiny_bench_env):
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        pytest.fail("nginx is missing: apt-get install nginx-light (.ci/run installs it)")
    out = subprocess.run(
        [sys.executable, "-m", "bench.scaleout"], cwd=ROOT, env=tiny_bench_env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    figures = figures_of(out.stdout)
    assert figures["processes behind the proxy / used by 20 browsers from one address"] == "2 / 2"
    assert figures["a browser stays on its process (routing cookie)"] == "yes"
    assert figures["new publish seen through the proxy"] == "yes"
    assert figures["health through the proxy with one process stopped"] == "20/20 OK"
