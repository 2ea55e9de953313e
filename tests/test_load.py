"""The load script runs at a tiny size: one session walks every page while a new build is published."""

from __future__ import annotations

import pytest

from bench import load

pytestmark = pytest.mark.browser


def test_load_script_runs_one_session_and_sees_the_new_build(capsys):
    lines = []
    load.main.report = lambda s, n, v: lines.append((n, v))
    try:
        assert load.main(["--sessions", "1", "--rounds", "1", "--page-timeout", "60"]) == 0
    finally:
        del load.main.report
    figures = dict(lines)
    assert figures["N=1 round 1: sessions showing the build published mid-run"] == "1/1"
    assert figures["N=1 round 1: pages rendered, errors"].endswith(", 0")
