"""`make bench`: N = 10, 25, 50 concurrent browser sessions (see bench/load.py)."""

from bench import load


def bench(report) -> None:
    load.main.report = report
    try:
        load.main(["--sessions", "10", "25", "50", "--rounds", "2"])
    finally:
        del load.main.report
