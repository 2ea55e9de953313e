"""The websocket-protocol load client runs at a tiny size: two sessions walk every page with no error and see
the build published mid-run."""

from __future__ import annotations

import subprocess
import sys

from provdata.ui.nav import PAGES
from tests.conftest import ROOT, figures_of


def test_protocol_load_client_walks_every_page_and_sees_the_new_build():
    out = subprocess.run(
        [sys.executable, "-m", "bench.wsload", "--sessions", "2", "--rounds", "1", "--page-timeout", "60"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    figures = figures_of(out.stdout)
    assert figures["N=2 round 1: pages rendered, errors"] == f"{2 * len(PAGES)}, 0"
    assert figures["N=2 round 1: sessions showing the build published mid-run"] == "2/2"
