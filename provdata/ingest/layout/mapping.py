"""The steward's mapping of a recognised table: :func:`split_ref` reads ``SHEET!COLUMN@GROUP``,
:func:`apply_options` applies ``--map`` (roles, indicator ids, per measure or per group of rows) and checks
``--indicator`` and ``--where``, and :func:`plan` lists the figure columns and what the steward still has to
say.

``SHEET!COLUMN`` limits a map to one sheet (the crime groups of a police workbook, one per sheet).
"""

from __future__ import annotations

from provdata.ingest.layout.model import ROLES, Column, MappingError, Options, Table
from provdata.ingest.layout.years import _BE_WORDS, _CE_WORDS
from provdata.ingest.names import normalise
from provdata.ingest.read import parse_number


def split_ref(ref: str) -> tuple[str | None, str, str | None]:
    """``SHEET!COLUMN@GROUP`` → (sheet or None, column, group or None)."""
    sheet, column, group = None, ref.strip(), None
    if "!" in column:
        sheet, column = (p.strip() for p in column.split("!", 1))
    if "@" in column:
        column, group = (p.strip() for p in column.rsplit("@", 1))
    return sheet, column, group


def apply_options(table: Table, options: Options, indicator_ids: set[str], strict: bool = True) -> list[str]:
    """Apply the steward's ``--map`` and check that the table can now say province, year and indicator.

    ``strict=False`` (a workbook of several sheets): a map that names no column of this sheet is returned,
    not raised, so the caller can say which maps named no column in any sheet.
    """
    unmatched: list[str] = []
    for ref, role in options.maps:
        sheet, column, group = split_ref(ref)
        if sheet is not None and sheet != table.sheet:
            continue
        role = role.strip()
        if role not in ROLES and role not in indicator_ids:
            raise MappingError(
                f"--map {ref}={role}: {role!r} is neither a role ({', '.join(ROLES)}) nor an indicator id; "
                "see the catalog for indicator ids"
            )
        try:
            cols = table.columns_for(column)
        except MappingError:
            if strict:
                raise
            unmatched.append(ref)
            continue
        if group is not None:
            if role in ROLES and role != "skip":
                raise MappingError(f"--map {ref}={role}: rows of one group take an indicator id or skip")
            for col in cols:
                table.group_roles[(normalise(group), col.index)] = role
            continue
        for col in cols:
            if role == "province":
                for other in table.columns:
                    if other.role == "province":
                        other.role = "skip"
            col.role = role
            if role == "year":
                col.era = (
                    "BE" if _BE_WORDS.search(col.label) else "CE" if _CE_WORDS.search(col.label) else None
                )
    if options.indicator is not None and options.indicator not in indicator_ids:
        raise MappingError(f"--indicator {options.indicator!r} is not an indicator id; see the catalog")
    for ref, _ in options.where:
        table.column(ref)
    for col in table.columns:
        if col.role is None and col.year is None and col.label in indicator_ids:
            col.role = col.label
    return unmatched


def plan(table: Table, options: Options) -> tuple[list[tuple[Column, str | None, int | None]], list[str]]:
    """The figure columns as (column, indicator or None: the row's indicator column, year or None: the
    row's year), and what the steward still has to say before the table gives tidy rows (empty: ready)."""
    asks: list[str] = []
    skip = options.skip_unmapped
    if not any(c.role == "province" for c in table.columns):
        asks.append('which column names the provinces: --map "COLUMN=province"')
    indicator_col = any(c.role == "indicator" for c in table.columns)
    has_year = any(c.role == "year" for c in table.columns) or table.sheet_year or options.year
    in_groups = {i for _, i in table.group_roles}
    year_cols = [
        c
        for c in table.columns
        if c.year is not None and c.role in (None, "value") and c.index not in in_groups
    ]
    value_cols = [c for c in table.columns if c.role == "value" and c.year is None]
    unmapped = [
        c for c in table.columns
        if c.role is None and c.year is None and c.index not in in_groups and _has_numbers(table, c)
    ]  # fmt: skip
    targets: list[tuple[Column, str | None, int | None]] = []
    measures = sorted({c.measure for c in year_cols})
    if year_cols and len(measures) > 1:
        for measure in measures:
            cols = [c for c in year_cols if c.measure == measure]
            if skip:
                table.notes.append(f"sheet {table.sheet!r}: columns of {measure!r} are not mapped: skipped")
            else:
                asks.append(
                    f'which indicator the columns of {measure!r} hold ({len(cols)}): --map "{measure}=ID"'
                )
    elif year_cols:
        if options.indicator is None and skip:
            table.notes.append(
                f"sheet {table.sheet!r}: the year columns are not mapped (--indicator): skipped"
            )
        elif options.indicator is None:
            asks.append(f"which indicator the year columns hold (e.g. {year_cols[0].name}): --indicator ID")
        else:
            targets += [(c, options.indicator, c.year) for c in year_cols]
    for c in value_cols:
        if not indicator_col and options.indicator is None:
            asks.append(f"which indicator column {c.name} holds: --indicator ID")
        targets.append((c, None if indicator_col else options.indicator, None))
    targets += [(c, c.role, c.year) for c in table.columns if c.role is not None and c.role not in ROLES]
    for c in unmapped:
        if options.indicator is not None and len(unmapped) == 1 and not year_cols and not value_cols:
            targets.append((c, options.indicator, None))
        elif skip:
            table.notes.append(f"sheet {table.sheet!r}: column {c.name} is not mapped: skipped")
        else:
            asks.append(
                f'which indicator column {c.name} holds: --map "{c.label or c.letter}=INDICATOR_ID" (or =skip)'
            )
    grouped = [(table.columns[i], ind, table.columns[i].year) for (_, i), ind in table.group_roles.items()]
    if not targets and not asks and not grouped and not skip:
        asks.append(f"sheet {table.sheet!r} has no column of figures")
    if any(year is None for _, _, year in targets + grouped) and not has_year:
        asks.append(
            f'which year sheet {table.sheet!r} holds: --year YYYY, or a year column: --map "COLUMN=year"'
        )
    return targets, asks


def _has_numbers(table: Table, col: Column) -> bool:
    for _, r in table.body():
        if r[col.index]:
            try:
                if parse_number(r[col.index]) is not None:
                    return True
            except ValueError:
                continue
    return False
