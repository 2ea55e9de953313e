"""The load script runs at a tiny size: one session walks every page while a new build is published, over the
tiny inputs (tests/fixtures/tiny; `make bench` runs it over the real data).

Run in a subprocess: the session's Playwright (sync API) already owns this process's event loop.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT, figures_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_load_script_runs_one_session_and_sees_the_new_build(tiny_bench_env):
    out = subprocess.run(
        [sys.executable, "-m", "bench.load", "--sessions", "1", "--rounds", "1", "--page-timeout", "60"],
        cwd=ROOT,
        env=tiny_bench_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    figures = figures_of(out.stdout)
    assert figures["N=1 round 1: sessions showing the build published mid-run"] == "1/1"
    assert figures["N=1 round 1: pages rendered, errors"].endswith(", 0")
