"""`make bench`: run every ``bench/bench_*.py`` module's ``bench(report)`` and print the figures.

Each module measures one area and calls ``report(section, name, value)``; the figures are printed
as they come and written to ``bench/RESULTS.md`` with the machine and date. Medians and ratios,
never timed assertions: these machines are shared and noisy.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _previous_rows() -> list[str]:
    """Table rows of sections not re-run this time (``make bench`` runs all; ``bench.run x`` only x)."""
    path = HERE / "RESULTS.md"
    if not path.exists():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("| ") and " | " in line
            and not line.startswith("| section")]  # fmt: skip


def main(argv: list[str]) -> int:
    only = set(argv)
    rows: list[tuple[str, str, str]] = []

    def report(section: str, name: str, value: str) -> None:
        rows.append((section, name, value))
        print(f"{section:<12}  {name:<60}  {value}", flush=True)

    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    for name in modules:
        if only and name.removeprefix("bench_") not in only:
            continue
        importlib.import_module(f"bench.{name}").bench(report)

    cpu = platform.processor() or platform.machine()
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; "
        f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}. Shared, noisy machine: "
        "read medians and ratios.",
        "",
        "| section | measure | figure |",
        "|---|---|---|",
        *[f"| {s} | {n} | {v} |" for s, n, v in rows],
        "",
    ]
    ran = {s for s, _n, _v in rows}
    kept = [line for line in _previous_rows() if line.split(" | ")[0].strip("| ") not in ran]
    lines[6:6] = kept
    (HERE / "RESULTS.md").write_text("\n".join(lines), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
