"""The presenter bench runs at its smallest (4 steps, no screenshots) over the tiny warehouse; `make bench` runs
it over the real data. In a subprocess: the session's Playwright (sync API) already owns this process's loop."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT, figures_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_presenter_bench_times_key_presses_to_the_next_slide(tiny_bench_env):
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_present", "--steps", "4", "--no-screenshots"],
        cwd=ROOT, env=tiny_bench_env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    figures = figures_of(out.stdout)
    assert re.fullmatch(r"\d+ ms", figures["key press → next slide drawn, median of 4 steps (goal ≤ 300)"])
    assert int(figures["slides stepped through (province 60, Thai, 1920×1080)"]) > 2
