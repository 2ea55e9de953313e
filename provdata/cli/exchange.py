"""Command line of the data exchange: ``ingest``, ``rollback``, ``publications``, ``indicator``, ``account``
(alias ``steward``), ``alias`` and ``audit``."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from provdata import accounts, store
from provdata.basics import config
from provdata.basics.errors import ProvdataError
from provdata.ingest import MappingError, Options, aliases
from provdata.store import audit as audit_log


def _pair(text: str, option: str) -> tuple[str, str]:
    if "=" not in text:
        raise MappingError(f'{option} {text!r}: write it as "COLUMN=VALUE"')
    left, right = text.split("=", 1)
    return left.strip(), right.strip()


def options_from(args: argparse.Namespace, agency: str | None = None) -> Options:
    """The steward's options; once some columns are mapped, the columns not named are skipped and listed."""
    year = args.year
    if year is not None and year >= 2400:
        year -= 543  # a Buddhist-era year
    maps = tuple(_pair(m, "--map") for m in args.map)
    return Options(
        sheet=args.sheet,
        year=year,
        indicator=args.indicator,
        maps=maps,
        where=tuple(_pair(w, "--where") for w in args.where),
        names=tuple(_pair(n, "--name") for n in getattr(args, "name", [])),
        agency=getattr(args, "agency", None) or agency,
        skip_unmapped=bool(maps),
        override_names=bool(getattr(args, "override_names", False)),
    )


def _password(prompt: str = "password: ") -> str:
    return os.environ.get("PROVDATA_PASSWORD") or getpass.getpass(prompt)


def login(name: str) -> accounts.Account:
    account = accounts.verify(name, _password(f"password of {name}: "), client="cli")
    if account is None:
        raise accounts.AccountError(f"wrong account name or password for {name!r}")
    return account


def add_parsers(sub) -> None:
    i = sub.add_parser("ingest", help="read, map and check an agency file; publish it (or --dry-run)")
    i.add_argument("file", type=Path)
    i.add_argument("--sheet", help="the sheet to read (default: every sheet with a province table)")
    i.add_argument("--year", type=int, help="the year of the whole table (Gregorian, or Buddhist era ≥ 2400)")
    i.add_argument("--indicator", help="the indicator of the whole table (e.g. years as columns)")
    i.add_argument("--map", action="append", default=[], metavar="COLUMN=ROLE",
                   help="COLUMN (header as the preview shows it, or letter) = province|year|indicator|value|skip|INDICATOR_ID")  # fmt: skip
    i.add_argument("--where", action="append", default=[], metavar="COLUMN=VALUE",
                   help="keep only rows whose COLUMN equals VALUE")  # fmt: skip
    i.add_argument("--name", action="append", default=[], metavar="SPELLING=CODE",
                   help="confirm a province spelling the file uses (e.g. \"AMNAT CHAREON=37\"); kept as the agency's "
                   "alias when published")  # fmt: skip
    i.add_argument("--override-names", action="store_true",
                   help="admins: take --name confirmations the matcher did not propose (audited)")  # fmt: skip
    i.add_argument("--agency", help="whose confirmed spellings apply (default: the steward's agency)")
    i.add_argument("--dry-run", action="store_true", help="check only; change nothing")
    i.add_argument("--out", type=Path, help="write the tidy rows it would publish here (CSV)")
    i.add_argument("--report", type=Path, help="write the validation report here (default: OUT.report.csv)")
    i.add_argument("--steward", help="account that publishes (password from $PROVDATA_PASSWORD or a prompt)")
    i.add_argument("--accept-flagged", action="store_true", help="publish large revisions too")
    i.add_argument("--license", help="licence of the figures (default: the indicator's current licence)")
    i.add_argument("--note", default="", help="a note kept with the publication")
    r = sub.add_parser("rollback", help="take a publication's figures out (admins)")
    r.add_argument("load_id", type=int)
    r.add_argument("--steward", required=True)
    sub.add_parser("publications", help="list the loads in the warehouse")
    ind = sub.add_parser("indicator", help="admins: add or redefine an indicator so its agency can upload it")
    isub = ind.add_subparsers(dest="action", required=True)
    ia = isub.add_parser("add")
    ia.add_argument("indicator_id")
    for name in ("name-en", "name-th", "unit-en", "unit-th", "theme", "kind", "agency"):
        ia.add_argument(f"--{name}", required=True)
    ia.add_argument("--higher-is-better", choices=["true", "false", ""], default="")
    ia.add_argument("--definition-en", default="")
    ia.add_argument("--definition-th", default="")
    ia.add_argument("--steward", required=True, help="an admin account")
    s = sub.add_parser("account", aliases=["steward"], help="manage accounts: stewards, planners, admins")
    ss = s.add_subparsers(dest="action", required=True)
    a = ss.add_parser(
        "add", help="create an account (--replace: replace one); password from $PROVDATA_PASSWORD or a prompt"
    )
    a.add_argument("name")
    a.add_argument("--role", choices=accounts.ROLES, help="steward (default), planner or admin")
    a.add_argument("--agency", default="", help="a steward's agency id (see data/reference/agencies.csv)")
    a.add_argument("--provinces", default="", help="a planner's provinces, comma-separated codes, e.g. 60,62")
    a.add_argument("--admin", action="store_true", help="same as --role admin")
    a.add_argument("--email", help="e-mail for single sign-on (st.login), optional")
    a.add_argument("--replace", action="store_true",
                   help="replace an existing account of that name (its password and tokens go)")  # fmt: skip
    tk = ss.add_parser("token", help="make an API token for an account (shown once)")
    tk.add_argument("name")
    tk.add_argument("--days", type=int, default=None, help="how long it is valid (default 90 days)")
    tk.add_argument("--label", default="", help="what the token is for, e.g. the agency's script")
    tl = ss.add_parser("tokens", help="list an account's tokens (id, label, created, expires)")
    tl.add_argument("name")
    rv = ss.add_parser("revoke", help="revoke one token of an account by its id")
    rv.add_argument("name")
    rv.add_argument("token_id")
    ss.add_parser("list")
    rm = ss.add_parser("remove", help="delete an account (its sessions and tokens stop writing at once)")
    rm.add_argument("name")
    for verb in ("disable", "enable"):
        d = ss.add_parser(verb, help=f"{verb} an account (a disabled account cannot sign in or write)")
        d.add_argument("name")
    al = sub.add_parser("alias", help="admins: the province spellings agencies' stewards confirmed")
    alsub = al.add_subparsers(dest="action", required=True)
    alsub.add_parser("list", help="every kept spelling: agency, spelling, code, who, when")
    alr = alsub.add_parser("remove", help="take a kept spelling back (audited)")
    alr.add_argument("agency")
    alr.add_argument("spelling")
    au = sub.add_parser("audit", help="print or export the audit log (who wrote what, when)")
    au.add_argument("--action", choices=audit_log.ACTIONS)
    au.add_argument("--limit", type=int, default=50, help="the newest N lines (1 or more; default 50)")
    au.add_argument("--out", type=Path, help="write the whole log (or one action's) as CSV")


def writable(path: Path, option: str = "--out") -> Path:
    """``path`` if a file can be written there: its folder exists and it is not a folder itself."""
    if path.is_dir():
        raise ProvdataError(f"{option} {path} is a folder: give a file name in it")
    if not path.parent.is_dir():
        raise ProvdataError(f"{option} {path}: the folder {path.parent} does not exist; create it first")
    return path


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` whole or not at all (a partial file is removed, e.g. when the disk is full)."""
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from exc  # named: the file it was writing
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def ingest(args: argparse.Namespace) -> int:
    from provdata.exchange import publish
    from provdata.ingest.read import UnreadableFile
    from provdata.warehouse import queries
    from provdata.warehouse.db import Warehouse

    if not args.file.exists():
        raise UnreadableFile(f"{args.file} does not exist")
    if not args.file.is_file():
        raise UnreadableFile(f"{args.file} is a folder, not a file: give one agency file")
    for option, path in (("--out", args.out), ("--report", args.report)):
        if path is not None:
            writable(path, option)
    data = args.file.read_bytes()
    wh = Warehouse()
    account = None if args.dry_run and not args.steward else login(args.steward) if args.steward else None
    if not args.dry_run and account is None:
        raise accounts.AccountError("publishing needs --steward NAME (or check only with --dry-run)")
    if args.override_names and not (account is not None and account.admin):
        raise accounts.AccountError("--override-names is for admins: give --steward with an admin account")
    options = options_from(args, account.agency_id if account is not None else None)
    preview = publish.check(data, args.file.name, options, wh, account)
    counts = preview.counts()
    print(", ".join(f"{k}: {v:,}" for k, v in counts.items()))
    for note in preview.notes:
        print(f"note: {note}")
    for spelling, code in sorted(preview.proposed.items()):
        print(
            f'proposed: {spelling!r} looks like province {code}: confirm it with --name "{spelling}={code}"'
        )
    for _, r in preview.rejected.head(20).iterrows():
        print(
            f"rejected: sheet {r['sheet']!r} row {r['row']}, column {r['column']}: {r['value']!r}: {r['reason']}"
        )
    if counts["rejected"] > 20:
        print(f"rejected: … and {counts['rejected'] - 20:,} more (see the report)")
    if args.out:
        _write(args.out, preview.tidy_csv(args.accept_flagged))
        report = args.report or args.out.with_name(args.out.stem + ".report.csv")
        _write(report, preview.report_csv())
        print(f"wrote {args.out} ({len(preview.to_publish(args.accept_flagged)):,} rows) and {report}")
    if args.dry_run:
        print("dry run: nothing was published")
        return 0
    rows = preview.to_publish(args.accept_flagged)
    license = args.license or publish.default_licence(queries.indicators(wh), rows.indicator_id)
    result = publish.publish(
        rows, data, args.file.name, account, rows_in=sum(counts.values()), rows_rejected=counts["rejected"],
        license=license, note=args.note, mapping=vars(options),
        log=lambda m: print(m, file=sys.stderr),
    )  # fmt: skip
    if preview.confirmed and options.agency:
        for spelling, code in aliases.keep(options.agency, preview.confirmed, account.name,
                                           override=options.override_names, client="cli"):  # fmt: skip
            print(
                f"kept {spelling!r} = {code} as a spelling of agency {options.agency} ({aliases.aliases_path()})"
            )
    print(
        f"published load {result.load_id}: {result.rows:,} rows, build {result.build_id} ({result.seconds:.1f} s)"
    )
    return 0


def run(args: argparse.Namespace) -> int:
    from provdata.exchange import publish
    from provdata.warehouse import queries
    from provdata.warehouse.db import Warehouse

    if args.command == "ingest":
        return ingest(args)
    if args.command == "rollback":
        result = publish.rollback(args.load_id, login(args.steward), log=lambda m: print(m, file=sys.stderr))
        print(f"rolled back load {result.load_id}; build {result.build_id}")
        return 0
    if args.command == "indicator":
        fields = {
            "indicator_id": args.indicator_id, "name_en": args.name_en, "name_th": args.name_th,
            "unit_en": args.unit_en, "unit_th": args.unit_th, "theme": args.theme, "kind": args.kind,
            "agency_id": args.agency, "higher_is_better": args.higher_is_better,
            "definition_en": args.definition_en, "definition_th": args.definition_th,
        }  # fmt: skip
        result = publish.add_indicator(fields, login(args.steward), log=lambda m: print(m, file=sys.stderr))
        print(f"indicator {args.indicator_id} is in the catalog; build {result.build_id}")
        return 0
    if args.command == "publications":
        cols = ["id", "file_name", "loaded_by", "loaded_at", "rows_accepted", "rows_rejected", "status"]
        print(queries.loads(Warehouse())[cols].to_string(index=False))
        return 0
    if args.command == "audit":
        return audit(args)
    if args.command == "alias":
        return alias(args)
    if args.action == "add":
        role = args.role or ("admin" if args.admin else "steward")
        known = _agency_ids()
        if args.agency and args.agency not in known:
            raise accounts.AccountError(
                f"--agency {args.agency!r} is unknown; one of: {', '.join(sorted(known))}"
            )
        password = os.environ.get("PROVDATA_PASSWORD")
        if not password:
            password = getpass.getpass("new password: ")
            if getpass.getpass("again: ") != password:
                raise accounts.AccountError("the two passwords differ")
        a = accounts.add(args.name, password, args.agency, email=args.email, role=role,
                         provinces=args.provinces.split(","), replace=args.replace)  # fmt: skip
        what = a.agency_id if a.role == "steward" else ",".join(a.provinces) if a.role == "planner" else "all"
        print(f"account {a.name} ({a.role}: {what}) saved in {store.current().describe()}")
    elif args.action == "token":
        print(accounts.new_token(args.name, days=args.days, label=args.label))
    elif args.action == "tokens":
        for tok in accounts.tokens(args.name):
            flag = "expired" if tok["expired"] else "valid"
            print(f"{tok['id']}\t{flag}\texpires {tok['expires']}\tcreated {tok['created']}\t{tok['label']}")
    elif args.action == "revoke":
        accounts.revoke_token(args.name, args.token_id)
        print(f"revoked token {args.token_id} of {args.name}")
    elif args.action == "list":
        for a, disabled in accounts.all_accounts():
            scope = (
                a.agency_id if a.role == "steward" else ",".join(a.provinces) if a.role == "planner" else "*"
            )
            print(f"{a.name}\t{a.role}\t{scope}\t{a.email or ''}\t{'disabled' if disabled else 'active'}")
    elif args.action == "remove":
        accounts.remove(args.name)
        print(f"removed {args.name}")
    elif args.action in ("disable", "enable"):
        accounts.set_disabled(args.name, args.action == "disable")
        print(f"{args.action}d {args.name}")
    return 0


def audit(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise ProvdataError(f"--limit {args.limit}: give how many of the newest lines to print, 1 or more")
    if args.out:
        writable(args.out)
    log = audit_log.audit_log(args.action, limit=10_000_000 if args.out else args.limit)
    if args.out:
        from provdata.views.exports import About, to_csv

        about = About("provdata audit log", {"action": args.action or "*"}, ["provdata audit log"], "-")
        _write(args.out, to_csv(log, about))
        print(f"wrote {args.out} ({len(log):,} entries)")
        return 0
    for r in log.itertuples():  # every field escaped: no stored text can start a line or forge a column
        fields = (r.at, r.actor, r.role, r.action, r.target, r.client, r.detail)
        print("\t".join(audit_log.escape(str(f), 100_000) for f in fields))
    return 0


def alias(args: argparse.Namespace) -> int:
    """``alias list`` and ``alias remove AGENCY SPELLING`` (the shell is the admin's credential, as for accounts)."""
    from provdata.accounts.records import _actor

    if args.action == "list":
        for r in aliases.all_confirmed().itertuples():
            print(
                "\t".join(
                    audit_log.escape(str(f), 1000) for f in (r.agency, r.spelling, r.code, r.who, r.when)
                )
            )
        return 0
    code = aliases.remove(args.agency, args.spelling, _actor())
    print(f"removed {args.spelling!r} = {code} from the kept spellings of agency {args.agency}")
    return 0


def _agency_ids() -> set[str]:
    import csv

    with (config.input_dir("reference") / "agencies.csv").open(encoding="utf-8") as fh:
        return {r["agency_id"] for r in csv.DictReader(fh)}


__all__ = ["ProvdataError", "add_parsers", "run"]
