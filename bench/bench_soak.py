"""`make bench`: memory that stays flat — 6 rounds of N = 25 sessions over Streamlit's websocket protocol, each
followed by an idle time past the disconnected-session TTL (40 s here, set to 30 s so the run stays short), with
the server's RSS after each round and each idle time (see bench/wsload.py --soak). Goal: after warm-up, RSS
after each idle time within 15 % of the first; page p95 ≤ 3 s at N = 25. Run twice: one app process (as `make run`
serves) and two behind nginx (the deployment docs/deployment.md describes for this 2-core machine)."""

from bench import wsload


def bench(report) -> None:
    wsload.main.report = report
    try:
        for processes in ("1", "2"):
            wsload.main(
                ["--sessions", "25", "--soak", "6", "--idle", "40", "--ttl", "30", "--processes", processes]
            )
    finally:
        del wsload.main.report
