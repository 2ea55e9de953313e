"""Start the app with `streamlit run` on 127.0.0.1 for benchmarks and browser tests."""

from __future__ import annotations

import os
import shutil
import socket
import string
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import IO

from provdata.basics import config

#: Debian's Chromium and the flags that run it headless and offline on these machines.
CHROMIUM = "/usr/bin/chromium"
#: What Chrome on an Android phone says of itself (Lighthouse's mobile run sends the same kind): the server answers a
#: phone's request for the profile or the map with the phone page (provdata/ui/lite.py)
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/156.0.0.0 Mobile Safari/537.36"
)
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
    proc = launch_server(warehouse, port, log=log, extra_args=extra_args, env=env, script=script)
    wait_until_healthy(proc, port, timeout)
    return proc


def start_servers(warehouse: Path, ports: list[int], timeout: float = 60, **kwargs) -> list[subprocess.Popen]:
    """start_server on each of ``ports`` at once (they start side by side); return once all answer."""
    procs = [launch_server(warehouse, port, **kwargs) for port in ports]
    try:
        for proc, port in zip(procs, ports, strict=True):
            wait_until_healthy(proc, port, timeout)
    except BaseException:
        for proc in procs:
            proc.kill()
        raise
    return procs


def launch_server(
    warehouse: Path, port: int, log: IO | int = subprocess.DEVNULL, extra_args: tuple[str, ...] = (),
    env: dict[str, str] | None = None, script: Path | None = None,
) -> subprocess.Popen:  # fmt: skip
    """start_server without the wait: the process, starting (wait_until_healthy waits for it)."""
    env = {**os.environ, **(env or {}), "PROVDATA_WAREHOUSE": str(warehouse)}
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script or "server.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", *extra_args],
        cwd=script.parent if script else config.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def wait_until_healthy(proc: subprocess.Popen, port: int, timeout: float = 60) -> None:
    """Poll /_stcore/health of a launched server until it answers (kill it and raise if it exits or is late)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"the app did not start on 127.0.0.1:{port} within {timeout:.0f} s")
        time.sleep(0.1)


def new_state() -> int:
    """Move the state store's sequence as a publish does (a build id is derived from the state: rebuilding the
    same state gives the same id); the new sequence."""
    from provdata import store
    from provdata.store import publications

    with store.current().transaction() as tx:
        return publications.bump_sequence(tx)


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


NGINX_TEMPLATE = config.ROOT / "deploy" / "nginx.conf.template"


def start_proxy(app_ports: list[int], runtime: Path) -> tuple[subprocess.Popen, int]:
    """nginx from the deployment template (deploy/nginx.conf.template) on 127.0.0.1 in front of the app
    processes on ``app_ports``, its configuration, logs and temp files in ``runtime``; returns (process, port).
    Stop it with ``terminate()``."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise RuntimeError("nginx is missing: apt-get install nginx-light")
    port = free_port()
    conf = runtime / "nginx.conf"
    conf.write_text(
        string.Template(NGINX_TEMPLATE.read_text(encoding="utf-8")).safe_substitute(
            PROXY_PORT=port,
            RUNTIME_DIR=runtime,
            UPSTREAMS="\n".join(
                f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in app_ports
            ),
        ),
        encoding="utf-8",
    )
    proc = subprocess.Popen([nginx, "-c", str(conf), "-g", "daemon off;"], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("nginx did not start") from None
            time.sleep(0.2)
