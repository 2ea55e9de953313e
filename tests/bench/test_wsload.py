"""The websocket-protocol load client runs at a tiny size, through nginx in front of two app processes (the
documented deployment): four sessions walk every page with no error and see the build published mid-run; over the
tiny inputs (tests/fixtures/tiny; `make bench` runs it over the real data)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from provdata.ui.nav import PAGES
from tests.conftest import ROOT, figures_of

pytestmark = pytest.mark.slow


def test_protocol_load_client_walks_every_page_and_sees_the_new_build(tiny_bench_env):
    out = subprocess.run(
        [sys.executable, "-m", "bench.wsload", "--sessions", "4", "--rounds", "1", "--page-timeout", "60",
         "--processes", "2"],
        cwd=ROOT, env=tiny_bench_env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    figures = figures_of(out.stdout)
    assert figures["app processes behind nginx (deploy/nginx.conf.template)"] == "2"
    assert figures["N=4 round 1: pages rendered, errors"] == f"{4 * len(PAGES)}, 0"
    assert figures["N=4 round 1: sessions showing the build published mid-run"] == "4/4"
    per_process = [int(n) for n in figures["N=4 round 1: sessions per app process"].split(", ")]
    assert sum(per_process) == 4 and len(per_process) <= 2
