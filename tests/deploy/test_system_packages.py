"""deploy/system-packages.sh decides the same on every run: a fully installed host never runs apt."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

SCRIPT = ROOT / "deploy" / "system-packages.sh"


def check(purpose: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SCRIPT), "check", purpose, sys.executable], capture_output=True,
                          text=True, timeout=60, env=env)  # fmt: skip


def test_an_installed_host_never_decides_to_install_in_twenty_runs():
    for run in range(20):
        for purpose in ("run", "test"):
            out = check(purpose)
            assert (out.returncode, out.stdout.strip(), out.stderr) == (0, "", ""), f"run {run}, {purpose}"


def fake_ldconfig(tmp_path, lines: list[str]) -> dict:
    """PATH with an ``ldconfig`` printing ``lines`` (a cache of many libraries, as a real host has)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "cache.txt").write_text("\n".join(lines) + "\n")
    (bin_dir / "ldconfig").write_text(f"#!/bin/sh\ncat {bin_dir / 'cache.txt'}\n")
    (bin_dir / "ldconfig").chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}


def test_a_library_found_early_in_a_long_cache_is_found_every_time(tmp_path):
    # the library first, then 200,000 lines: `grep -q` stopped reading there and the writer died of SIGPIPE
    cache = ["\tlibpangoft2-1.0.so.0 (libc6,x86-64) => /lib/libpangoft2-1.0.so.0"]
    cache += [f"\tlibfiller{i}.so.1 (libc6,x86-64) => /lib/libfiller{i}.so.1" for i in range(200_000)]
    env = fake_ldconfig(tmp_path, cache)
    for _ in range(5):
        assert check("run", env).stdout.strip() == ""


def test_a_missing_library_is_named(tmp_path):
    env = fake_ldconfig(tmp_path, ["\tlibfiller.so.1 (libc6,x86-64) => /lib/libfiller.so.1"])
    out = check("run", env)
    assert (out.returncode, out.stdout.strip()) == (0, "libpango-1.0-0 libpangoft2-1.0-0")
