"""`make bench`: N = 10, 25, 50 concurrent sessions over Streamlit's websocket protocol (see bench/wsload.py)."""

from bench import wsload


def bench(report) -> None:
    wsload.main.report = report
    try:
        wsload.main(["--sessions", "10", "25", "50", "--rounds", "3", "--settle", "130"])
    finally:
        del wsload.main.report
