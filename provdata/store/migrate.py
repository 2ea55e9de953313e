"""Copy a whole state store into another (embedded → PostgreSQL when a deployment grows to several hosts,
and back): every table, in one transaction on the target, which must be empty."""

from __future__ import annotations

from provdata.basics.errors import ProvdataError
from provdata.store.base import Store

#: Each table with its columns, in an order that needs no other table first. (Fixed text: no identifier
#: ever comes from input.)
TABLES = {
    "meta": "key, value",
    "audit": "id, at, actor, role, action, target, detail, client",
    "signin_failure": "at, account, client",
    "account": "name, role, agency_id, provinces, email, disabled, password",
    "token": "id, account, digest, label, created, expires, seq",
    "alias": "agency, spelling, code, who, at, seq",
    "added_indicator": "indicator_id, seq, fields",
    "strategy_layer": "province_code, file, rows, at",
    "publication": "id, status, file_name, record, rows, raw",
    "warehouse_change": "seq, kind, keys",
    "follow_action": "id, province_code, indicator_id, what, agency_id, due_date, expected_direction, status, "
    "dropped_reason, flags, baseline_year, baseline_value, baseline_load, created_by, created_at, updated_by, "
    "updated_at",
    "counter": "name, value",
}


class MigrateRefused(ProvdataError):
    """The target store is not empty (a command-line message)."""


def migrate(source: Store, target: Store) -> dict[str, int]:
    """Copy every row of ``source`` into the empty ``target``; rows copied per table."""
    with source.transaction() as src:
        rows = {t: src.execute(f"SELECT {cols} FROM {t}").fetchall() for t, cols in TABLES.items()}  # noqa: S608
    with target.transaction() as dst:
        filled = [t for t in TABLES if t != "meta" and dst.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]]  # noqa: S608
        if filled:
            raise MigrateRefused(
                f"the target store {target.describe()} already holds {', '.join(filled)}: give an empty one"
            )
        for table, cols in TABLES.items():
            marks = ", ".join("?" for _ in cols.split(", "))
            for row in rows[table]:
                if table == "meta":
                    dst.execute(
                        "INSERT INTO meta (key, value) VALUES (?, ?) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        row,
                    )
                else:
                    dst.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", row)  # noqa: S608
        if (
            target.kind == "postgresql"
        ):  # the numbering of audit lines and actions goes on after the copied ids
            for table in ("audit", "follow_action"):
                dst.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, "  # noqa: S608
                            f"false) FROM {table}")  # fmt: skip
    return {t: len(r) for t, r in rows.items()}
