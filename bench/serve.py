"""Start the app with `streamlit run` on 127.0.0.1 for benchmarks and browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import IO

from provdata import config

#: Debian's Chromium and the flags that run it headless and offline on these machines.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    warehouse: Path, port: int, log: IO | int = subprocess.DEVNULL, timeout: float = 60,
    extra_args: tuple[str, ...] = (), env: dict[str, str] | None = None, script: Path | None = None,
) -> subprocess.Popen:  # fmt: skip
    """Serve app.py over ``warehouse`` on 127.0.0.1:``port``; return once /_stcore/health answers.
    ``env``: settings of this server on top of the environment (its own state folder, say). ``script``: another
    Streamlit script, run from its own folder (so without the project's .streamlit/config.toml)."""
    env = {**os.environ, **(env or {}), "PROVDATA_WAREHOUSE": str(warehouse)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script or "server.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", *extra_args],
        cwd=script.parent if script else config.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"the app did not start on 127.0.0.1:{port} within {timeout:.0f} s")
        time.sleep(0.3)


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
