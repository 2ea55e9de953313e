"""What every backend of the state store provides, and the tables they share."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol


class Tx(Protocol):
    """One open transaction: ``execute`` takes SQL with ``?`` placeholders and bound values."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...


class Store(Protocol):
    #: "sqlite" or "postgresql"
    kind: str

    def transaction(self) -> AbstractContextManager[Tx]:
        """A transaction, committed when the block ends, rolled back if it raises."""
        ...

    def write(self) -> AbstractContextManager[Tx]:
        """A transaction for a write and its audit line (both commit or neither). When the connection is lost
        while the commit is under way, the store is asked afterwards whether it was made: the block returns
        normally if it was, raises StoreUnavailable if it was not, CommitUnknown if the store cannot tell."""
        ...

    def lock(self, name: str) -> AbstractContextManager[None]:
        """An exclusive writers' lock called ``name``, held for the block (blocks until it is free)."""
        ...

    def describe(self) -> str:
        """Where the store is, for messages (never a password)."""
        ...


#: Tables common to both backends. {id} is the auto-numbered key, {blob} a byte string, {real} a double.
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
    id {id},
    at TEXT NOT NULL,            -- UTC, ISO 8601 to the second
    actor TEXT NOT NULL,         -- account name, or shell:<user> for the command line's account changes
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,        -- what was written: load 101, province 60, account x, indicator y
    detail TEXT NOT NULL,        -- JSON: what changed
    client TEXT NOT NULL         -- the client's address, or 'cli'
);
CREATE INDEX IF NOT EXISTS audit_action ON audit (action, target);
CREATE TABLE IF NOT EXISTS signin_failure (
    at {real} NOT NULL,          -- unix time
    account TEXT NOT NULL,
    client TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS signin_failure_account ON signin_failure (account, at);
CREATE INDEX IF NOT EXISTS signin_failure_client ON signin_failure (client, at);
CREATE TABLE IF NOT EXISTS account (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    agency_id TEXT NOT NULL,
    provinces TEXT NOT NULL,     -- JSON list of 2-digit codes
    email TEXT,
    disabled INTEGER NOT NULL,
    password TEXT NOT NULL       -- scrypt$salt$digest
);
CREATE TABLE IF NOT EXISTS token (
    id TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    digest TEXT NOT NULL,        -- SHA-256 of the token (the token itself is never kept)
    label TEXT NOT NULL,
    created TEXT NOT NULL,
    expires TEXT NOT NULL,
    seq INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS token_digest ON token (digest);
CREATE TABLE IF NOT EXISTS alias (
    agency TEXT NOT NULL,
    spelling TEXT NOT NULL,
    code TEXT NOT NULL,
    who TEXT NOT NULL,
    at TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (agency, spelling)
);
CREATE TABLE IF NOT EXISTS added_indicator (
    indicator_id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    fields TEXT NOT NULL         -- JSON: the columns of build.ADDED_COLUMNS
);
CREATE TABLE IF NOT EXISTS strategy_layer (
    province_code TEXT NOT NULL,
    file TEXT NOT NULL,          -- issues.csv, csfs.csv, links.csv or plan_status.csv
    rows TEXT NOT NULL,          -- the province's rows of that file as CSV (header included)
    at TEXT NOT NULL,
    PRIMARY KEY (province_code, file)
);
CREATE TABLE IF NOT EXISTS publication (
    id BIGINT PRIMARY KEY,       -- the load id (from counter 'load')
    status TEXT NOT NULL,        -- active or rolled_back
    file_name TEXT NOT NULL,
    record TEXT NOT NULL,        -- JSON: who, when, which file, rows, licence, mapping, status
    rows {blob} NOT NULL,        -- the tidy rows (province_code, year, indicator_id, value) as Parquet
    raw {blob} NOT NULL          -- the file as uploaded
);
CREATE TABLE IF NOT EXISTS write_mark (
    id TEXT PRIMARY KEY,         -- a write's id, inserted in the write's own transaction (Store.write): after a
    at {real} NOT NULL           --   connection lost during COMMIT, its presence says the write was made
);
CREATE TABLE IF NOT EXISTS warehouse_change (
    seq BIGINT PRIMARY KEY,      -- the warehouse sequence this change moved the store to (counter 'warehouse')
    kind TEXT NOT NULL,          -- publish, rollback, chain_edit, plan_status (applied to a warehouse in place),
                                 --   or another kind (indicator, import, upgrade, other: hosts rebuild)
    keys TEXT NOT NULL           -- JSON: what it changed (the load id of a publication, a province code)
);
CREATE TABLE IF NOT EXISTS follow_action (
    id {id},
    province_code TEXT NOT NULL,
    indicator_id TEXT NOT NULL,  -- a key indicator of the province's chain
    what TEXT NOT NULL,          -- what the province decided to do
    agency_id TEXT NOT NULL,     -- the owning agency (reference agency list)
    due_date TEXT NOT NULL,      -- YYYY-MM-DD
    expected_direction TEXT NOT NULL,  -- increase or decrease: how the figure is expected to move
    status TEXT NOT NULL,        -- planned, under_way, done or dropped
    dropped_reason TEXT NOT NULL,
    flags TEXT NOT NULL,         -- the indicator's flags when the action was recorded (comma-separated keys)
    baseline_year INTEGER,       -- the latest figure when the action was recorded (NULL: there was none)
    baseline_value {real},
    baseline_load BIGINT,        -- the load that published it (a revision of the same year is a new load)
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS follow_action_province ON follow_action (province_code, indicator_id);
CREATE TABLE IF NOT EXISTS counter (
    name TEXT PRIMARY KEY,       -- load: the last load id handed out, warehouse: bumped by every change
    value BIGINT NOT NULL        --   a warehouse is built from (hosts rebuild when it moves)
);
"""


_NEXT_SEQ = {
    "token": "SELECT COALESCE(MAX(seq), 0) + 1 FROM token",
    "alias": "SELECT COALESCE(MAX(seq), 0) + 1 FROM alias",
    "added_indicator": "SELECT COALESCE(MAX(seq), 0) + 1 FROM added_indicator",
}


def next_seq(tx: Tx, table: str) -> int:
    """The next ordering number of ``table`` (rows keep the order they were written in)."""
    row = tx.execute(_NEXT_SEQ[table]).fetchone()
    return int(row[0])
