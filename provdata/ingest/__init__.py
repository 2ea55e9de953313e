"""Agency files in: read (read.py) → recognise and map the layout (layout/) → tidy rows → validate.py.

:func:`prepare` is what the upload wizard, the CLI (``python -m provdata ingest``) and the HTTP API share;
the warehouse build replays the shipped agency files (recipes) through the same path.

May use: ``accounts``, ``store`` (confirmed aliases) and ``basics``; never the warehouse it feeds.
"""

from __future__ import annotations

from provdata.ingest import aliases
from provdata.ingest.layout import (
    MappingError,
    Options,
    Table,
    Tidy,
    apply_options,
    crop_year_of,
    drop_zeros_after_creation,
    read_table,
    split_ref,
    tidy,
    tidy_districts,
)
from provdata.ingest.months import sum_months
from provdata.ingest.names import ProvinceNames
from provdata.ingest.read import UnreadableFile, read_sheets


def tables(
    data: bytes, file_name: str, options: Options, names: ProvinceNames, indicator_ids: set[str]
) -> list[Table]:
    """The sheets that hold a province table, recognised and with the steward's mapping applied."""
    sheets = read_sheets(data, file_name, only=options.sheet)
    if options.sheet is not None:
        if options.sheet not in sheets:
            raise MappingError(
                f"--sheet {options.sheet!r} is not in {file_name}; its sheets are: {', '.join(map(repr, sheets))}"
            )
        sheets = {options.sheet: sheets[options.sheet]}
    sheet_refs = {split_ref(ref)[0] for ref, _ in options.maps} - {None}
    if sheet_refs - set(sheets):
        missing = ", ".join(map(repr, sorted(sheet_refs - set(sheets))))
        raise MappingError(
            f"--map names sheet {missing}, not in {file_name}; its sheets are: {', '.join(map(repr, sheets))}"
        )
    found, problems = [], []
    for name, cells in sheets.items():
        try:
            table = read_table(cells, name, names)
        except UnreadableFile as exc:
            problems.append(str(exc))
            continue
        found.append(table)
    if not found:
        raise UnreadableFile("; ".join(problems) or f"{file_name} has no sheets")
    if len(found) == 1:
        apply_options(found[0], options, indicator_ids)
    else:
        unmatched = [set(apply_options(t, options, indicator_ids, strict=False)) for t in found]
        nowhere = set.intersection(*unmatched)
        if nowhere:
            ref = sorted(nowhere)[0]
            found[0].columns_for(split_ref(ref)[1])  # raises, naming the columns of the first sheet
    if options.year is None:
        for table in found:
            _year_from_names(table, file_name)
    return found


def _year_from_names(table: Table, file_name: str) -> None:
    """A table whose title and columns give no year takes the crop year its sheet name or, failing that, its
    file name states ("จังหวัด 54-55.xls" → 2011), with a note; --year overrides it."""
    if table.sheet_year is not None or _has_own_years(table):
        return
    for where, name in (("sheet name", table.sheet), ("file name", file_name)):
        year, text = crop_year_of(name)
        if year is not None:
            table.sheet_year = year
            table.notes.append(
                f"sheet {table.sheet!r}: year {year} from the {where} ({text!r}: a crop year is its planting year)"
            )
            return


def prepare(
    data: bytes, file_name: str, options: Options, names: ProvinceNames, indicator_ids: set[str]
) -> Tidy:
    """Tidy rows of every province sheet of the file; raises what the steward must still say."""
    return _prepare(data, file_name, options, names, indicator_ids)[0]


def prepare_with_districts(
    data: bytes, file_name: str, options: Options, names: ProvinceNames, indicator_ids: set[str], tambon: str
) -> tuple[Tidy, Tidy]:
    """:func:`prepare`, and the district sums of the same tables' tambon rows (column ``tambon``, see
    :mod:`provdata.ingest.layout.districts`): the file is read and recognised once."""
    return _prepare(data, file_name, options, names, indicator_ids, tambon)


def _prepare(
    data: bytes,
    file_name: str,
    options: Options,
    names: ProvinceNames,
    indicator_ids: set[str],
    tambon: str | None = None,
) -> tuple[Tidy, Tidy | None]:
    out = Tidy()
    try:
        kept = names.with_confirmed(aliases.confirmed(options.agency))
        confirmed = kept.with_confirmed(options.names)  # (a code that is no province is refused first)
    except ValueError as exc:
        raise MappingError(f"--name {exc}") from exc
    unproposed = kept.unproposed(options.names)
    if unproposed and not options.override_names:
        raise MappingError(
            f"--name {'; '.join(unproposed)}. Confirm only what the matcher proposed; an admin may override "
            "with --override-names (recorded in the audit log)"
        )
    names = confirmed
    out.notes += [f"--name {u}: taken as an admin's override" for u in unproposed]
    found = tables(data, file_name, options, names, indicator_ids)
    if len(found) > 1 and any(t.sheet_year is None for t in found) and options.year is None:
        years_unknown = [t.sheet for t in found if t.sheet_year is None and not _has_own_years(t)]
        if years_unknown:
            raise MappingError(
                f"{file_name} has {len(found)} sheets and these do not say their year: "
                f"{', '.join(map(repr, years_unknown))}; pick one with --sheet, or name each sheet by its year"
            )
    districts = Tidy() if tambon else None
    for table in found:
        tidy(table, options, names, out)
        if districts is not None:
            part = tidy_districts(table, options, names, tambon)
            for name in ("rows", "rejected", "notes"):
                getattr(districts, name).extend(getattr(part, name))
    drop_zeros_after_creation(out)
    monthly = any("month" in r for r in out.rows)
    if options.sum_months and not monthly and out.rows:
        raise MappingError("sum_months: say which column holds the month (COLUMN=month)")
    if monthly and not options.sum_months:
        raise MappingError(
            "the rows are monthly (a month column is mapped) and the warehouse holds yearly figures: upload one "
            "figure per year, or have a recipe sum each year's 12 months (sum_months, data/recipes/README.md)"
        )
    if options.sum_months:
        sum_months(out)
    for spelling, code in sorted(out.confirmed.items()):
        out.notes.append(f"province name {spelling!r} matched to {code} by a steward's confirmation")
    total = len(out.rows) + len(out.rejected)
    if total == 0 and out.skipped:
        reasons = sorted({s["reason"] for s in out.skipped})
        raise UnreadableFile(
            f"{file_name} has no province rows with figures: every row was skipped ({'; '.join(reasons)})"
        )
    if total == 0:
        raise UnreadableFile(f"{file_name} has a header but no rows of figures for provinces")
    if districts is not None and not districts.rows and not districts.rejected:
        raise UnreadableFile(f"{file_name} has no tambon rows in column {tambon!r}: no district figures")
    return out, districts


def _has_own_years(table: Table) -> bool:
    return any(c.year is not None or c.role == "year" for c in table.columns)


__all__ = [
    "MappingError", "Options", "ProvinceNames", "Tidy", "UnreadableFile", "prepare", "prepare_with_districts",
    "tables",
]  # fmt: skip
