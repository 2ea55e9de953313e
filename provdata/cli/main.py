"""Command line: ``python -m provdata build|report|state|ingest|rollback|publications|account|audit|indicator`` (--help for each)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from provdata.basics.errors import ProvdataError


def write_report(args: argparse.Namespace) -> None:
    from provdata.basics.errors import UnknownArea
    from provdata.cli import exchange
    from provdata.cli.exchange import writable
    from provdata.reports import report
    from provdata.warehouse import queries
    from provdata.warehouse.db import Warehouse

    writable(args.out)
    wh = Warehouse()
    if args.province not in set(queries.provinces(wh)["code"]):
        raise UnknownArea(f"--province {args.province!r} is not a province code (e.g. 60 for Nakhon Sawan)")
    first, last = queries.year_range(wh)
    if not first <= args.year <= last:
        raise ProvdataError(
            f"--year {args.year}: the figures cover {first}–{last} (Gregorian years); give a year in that range"
        )

    def progress(fraction: float, part: str) -> None:
        print(f"[{fraction:4.0%}] {part}", file=sys.stderr)

    data = report.make(wh, args.province, args.year, args.lang, args.format, progress)
    exchange._write(args.out, data)
    print(f"wrote {args.out} ({len(data):,} bytes)")


def state(args: argparse.Namespace) -> int:
    from provdata import store

    if args.state_command == "record-shipped":
        from provdata.exchange.upgrade import SHIPPED, record_shipped

        shipped = record_shipped()
        SHIPPED.parent.mkdir(exist_ok=True)
        shipped.to_csv(SHIPPED, index=False, lineterminator="\n")
        print(f"wrote {SHIPPED} ({len(shipped)} province versions)")
        return 0
    if args.state_command == "init":
        st = store.current()
        print(f"the state store {st.describe()} has its tables (id {store.identity(st)})")
        return 0
    target = store.open_store(args.to) if args.to else store.current()
    if args.from_checkout:
        from provdata.accounts.records import _actor
        from provdata.exchange.upgrade import import_checkout
        from provdata.store import audit

        result = import_checkout(args.from_checkout, args.state_dir, target)
        audit.audit(_actor(), "admin", "state_import", f"checkout {args.from_checkout}", result.counts, "cli")
        print(f"imported {args.from_checkout} into the state store ({target.kind}):")
        print("\n".join(f"  {line}" for line in result.lines()))
        return 0
    from provdata.store.migrate import migrate

    if not args.to:
        raise ProvdataError(
            "state migrate needs --to (a store to copy into) or --from-checkout (an old checkout)"
        )
    source = store.open_store(args.source) if args.source else store.current()
    copied = migrate(source, target)
    print(f"copied {source.describe()} → {target.describe()}: "
          + ", ".join(f"{k}: {v:,}" for k, v in copied.items()))  # fmt: skip
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m provdata", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build data/warehouse.duckdb from data/ and geo/")
    b.add_argument(
        "--out", type=Path, help="warehouse file (default: $PROVDATA_WAREHOUSE or data/warehouse.duckdb)"
    )
    r = sub.add_parser("report", help="write the annual provincial statistics report")
    r.add_argument("--province", required=True, help="2-digit province code, e.g. 60")
    r.add_argument("--year", type=int, required=True, help="Gregorian year: figures up to this year")
    r.add_argument("--lang", choices=["th", "en"], default="th")
    r.add_argument("--format", choices=["pdf", "html", "pptx"], default="pdf")
    r.add_argument("--out", type=Path, required=True, help="file to write")
    st = sub.add_parser("state", help="the deployment's state store")
    st_sub = st.add_subparsers(dest="state_command", required=True)
    m = st_sub.add_parser(
        "migrate",
        help="copy the whole store into another, empty one; or (--from-checkout) import what a host of an earlier "
        "release kept in its checkout: accounts, tokens, uploads, added indicators, chart and plan edits",
    )
    m.add_argument(
        "--to", help="postgresql://… or sqlite:///path/state.sqlite (default: the deployment's store)"
    )
    m.add_argument("--from", dest="source", help="default: the current store (the deployment's, or embedded)")
    m.add_argument(
        "--from-checkout", type=Path, help="the old release's checkout (deploy/upgrade.sh passes it)"
    )
    m.add_argument("--state-dir", type=Path, help="the old host's state folder (default: CHECKOUT/var)")
    st_sub.add_parser(
        "init", help="make the store's tables (run once as the database's owner; docs/operations.md)"
    )
    st_sub.add_parser("record-shipped", help="write data/releases/strategy_shipped.csv from the git history")
    from provdata.cli import exchange

    exchange.add_parsers(sub)
    args = parser.parse_args(argv)

    try:
        if args.command == "build":
            from provdata.warehouse.build import build_warehouse

            result = build_warehouse(args.out)
            print(", ".join(f"{k}: {v:,}" for k, v in result.counts.items()))
        elif args.command == "report":
            write_report(args)
        elif args.command == "state":
            return state(args)
        else:
            return exchange.run(args)
    except ProvdataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file the command reads or writes: one line, never a traceback
        print(f"error: {os_error(exc)}", file=sys.stderr)
        return 2
    return 0


def os_error(exc: OSError) -> str:
    """An operating-system error said in one line: what failed, on which file, and what to do."""
    import errno

    where = f" ({exc.filename})" if exc.filename else ""
    if exc.errno == errno.ENOSPC:
        return f"the disk is full{where}: nothing was written; free some space and run the command again"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"permission denied{where}: run it as a user who may read or write there"
    if exc.errno == errno.EISDIR:
        return f"{exc.filename or 'that path'} is a folder: give a file"
    if exc.errno == errno.ENOENT:
        return f"no such file or folder{where}"
    return f"{exc.strerror or exc}{where}"


if __name__ == "__main__":
    sys.exit(main())
