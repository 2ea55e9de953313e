"""`make bench`: two processes behind nginx on loopback (see bench/scaleout.py)."""

from bench.scaleout import run


def bench(report) -> None:
    run(report)
