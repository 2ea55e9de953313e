"""Command line: ``python -m provdata build`` (more commands as the project grows)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from provdata.errors import ProvdataError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m provdata", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build data/warehouse.duckdb from data/ and geo/")
    b.add_argument(
        "--out", type=Path, help="warehouse file (default: $PROVDATA_WAREHOUSE or data/warehouse.duckdb)"
    )
    args = parser.parse_args(argv)

    try:
        if args.command == "build":
            from provdata.build import build_warehouse

            result = build_warehouse(args.out)
            print(", ".join(f"{k}: {v:,}" for k, v in result.counts.items()))
    except ProvdataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
