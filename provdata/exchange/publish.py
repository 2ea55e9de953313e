"""Publish checked uploads, roll them back, and keep the record: one writer at a time, all or nothing.

Publishing builds a new warehouse file with the publication in it; once the file is complete, one store
transaction takes the load id, writes the record, tidy rows and raw file and bumps the warehouse sequence; only
then is the new file swapped in (``os.replace``). The store is the commit point: a failure or a kill before the
commit leaves the old store and the old warehouse; a kill after it leaves the new store and a warehouse one
step behind, which the next writer, or this host's follower (provdata/exchange/follow.py), rebuilds. Rolling back works
the same way. Every writer holds the publishers' lock (publications.publish_lock: a file lock on the host, and
a PostgreSQL advisory lock across hosts), so concurrent uploads are published one after the other.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from provdata import accounts, store
from provdata.accounts import Account
from provdata.basics import config, textfields
from provdata.basics.errors import ProvdataError
from provdata.basics.pause import pause
from provdata.ingest import Options, ProvinceNames, prepare
from provdata.ingest.validate import TIDY_COLUMNS, Preview, validate
from provdata.store import audit, publications
from provdata.store.publications import Publication, _read_warehouse, publish_lock, safe_name
from provdata.warehouse import layers, queries
from provdata.warehouse.build import BuildResult, Inputs, build_warehouse, incremental
from provdata.warehouse.build.incremental import Changes
from provdata.warehouse.db import Warehouse
from provdata.warehouse.layers import ADDED_COLUMNS


class PublishRefused(ProvdataError):
    """The steward may not do this (rights, nothing to publish, unknown publication)."""

    key = "publish_refused"


@dataclass(frozen=True)
class Published:
    load_id: int
    build_id: str
    rows: int
    seconds: float


def _pause(point: str) -> None:
    """Test hook (:func:`provdata.basics.pause.pause`): before_commit, in_commit (the write made, its audit line
    not yet, the transaction open), after_commit."""
    pause(point)


#: When no licence is given and the indicators' sources state none.
NO_LICENCE = "see the agency's terms"


def default_licence(indicators: pd.DataFrame, indicator_ids) -> str:
    """The licences the indicators' own sources state, for a publication whose steward gave none ('' if none)."""
    used = indicators[indicators.id.isin(set(indicator_ids))]
    return "; ".join(sorted(set(used.license.dropna())))


def publish(
    rows: pd.DataFrame,
    raw: bytes,
    file_name: str,
    account: Account,
    *,
    rows_in: int,
    rows_rejected: int,
    license: str,
    note: str = "",
    mapping: dict | None = None,
    target: Path | None = None,
    inputs: Inputs | None = None,
    log: Callable[[str], None] = lambda msg: None,
    client: str = "",
) -> Published:
    """Publish checked tidy ``rows`` (province_code, year, indicator_id, value) as a new load."""
    started = time.perf_counter()
    target = Path(target or config.warehouse_path())
    inputs = inputs or Inputs()
    uploads = inputs.uploads_dir
    if rows.empty:
        raise PublishRefused("nothing to publish: no row was accepted")
    license = textfields.check(license, "licence", 300, label=True)
    note = textfields.check(note, "note", 2000, multiline=True)
    with publish_lock(uploads), publications.snapshot(uploads, rows=False) as snap:
        publications.remove_stale_temp_files(target)
        owners = dict(_read_warehouse(target, "SELECT id, agency_id FROM w.indicator"))
        for agency_id in sorted({owners.get(i, "?") for i in rows.indicator_id.unique()}):
            account = accounts.authorise(account, "publish", "new load", agency_id=agency_id, client=client)
        load_id = snap.next_load_id
        buf = io.BytesIO()
        rows[TIDY_COLUMNS].astype({"year": "int32", "value": "float64"}).to_parquet(buf, index=False)
        tidy = buf.getvalue()
        (snap.folder / f"{load_id}.parquet").write_bytes(tidy)
        record = {
            "id": load_id,
            "file_name": safe_name(file_name),
            "sha256": hashlib.sha256(raw).hexdigest(),
            "size": len(raw),
            "steward": account.name,
            "agency_id": account.agency_id,
            "loaded_at": audit.now(),
            "rows_in": int(rows_in),
            "rows_accepted": len(rows),
            "rows_rejected": int(rows_rejected),
            "indicators": sorted(rows.indicator_id.unique()),
            "license": license.strip() or NO_LICENCE,
            "note": note,
            "mapping": mapping or {},
            "status": "active",
        }

        detail = {
            k: record[k] for k in ("file_name", "sha256", "rows_accepted", "rows_rejected", "indicators")
        }

        def commit() -> (
            None
        ):  # one transaction: the load id, the publication, its audit line, the announcement
            _pause("before_commit")
            with store.current().write() as tx:
                publications.insert(tx, record, tidy, raw)
                _pause("in_commit")  # (a test kills the writer or stops the database here)
                audit.record(tx, account.name, account.role, "publish", f"load {load_id}", detail, client)
                publications.expect_sequence(tx, snap.seq, "publish", load=load_id)
            _pause("after_commit")

        after = [*snap.publications, Publication(record, snap.folder / f"{load_id}.parquet")]
        result = _apply_or_build(
            target, inputs, log, after, Changes(loads=frozenset({load_id})), snap, commit
        )
    return Published(load_id, result.build_id, len(rows), time.perf_counter() - started)


def rollback(
    load_id: int,
    account: Account,
    *,
    target: Path | None = None,
    inputs: Inputs | None = None,
    log: Callable[[str], None] = lambda msg: None,
    client: str = "",
) -> Published:
    """Take a publication's figures out; the values it replaced become current again. Admins only."""
    started = time.perf_counter()
    target = Path(target or config.warehouse_path())
    inputs = inputs or Inputs()
    uploads = inputs.uploads_dir
    with publish_lock(uploads), publications.snapshot(uploads, rows=False) as snap:
        account = accounts.authorise(account, "roll_back", f"load {load_id}", admin=True, client=client)
        publications.remove_stale_temp_files(target)
        pubs = {p.id: p for p in snap.publications}
        if load_id not in pubs:
            raise PublishRefused(f"there is no publication {load_id}; see the list of publications")
        pub = pubs[load_id]
        if not pub.active:
            raise PublishRefused(f"publication {load_id} was already rolled back")
        record = {
            **pub.record,
            "status": "rolled_back",
            "rolled_back_by": account.name,
            "rolled_back_at": audit.now(),
        }

        def commit() -> None:
            _pause("before_commit")
            with store.current().write() as tx:
                publications.set_record(tx, record)
                _pause("in_commit")
                audit.record(tx, account.name, account.role, "rollback", f"load {load_id}",
                             {"file_name": pub.record["file_name"], "rows": pub.record["rows_accepted"]}, client)  # fmt: skip
                publications.expect_sequence(tx, snap.seq, "rollback", load=load_id)
            _pause("after_commit")

        replaced = [Publication(record) if p.id == load_id else p for p in pubs.values()]
        result = _apply_or_build(
            target, inputs, log, replaced, Changes(loads=frozenset({load_id})), snap, commit
        )
    return Published(
        load_id, result.build_id, int(pub.record["rows_accepted"]), time.perf_counter() - started
    )


def _apply_or_build(
    target: Path,
    inputs: Inputs,
    log: Callable[[str], None],
    after: list[Publication],
    changes: Changes,
    snap: publications.Snapshot,
    commit: Callable[[], None],
) -> BuildResult:
    """The warehouse at the snapshot's sequence + 1 with ``changes``: applied to the current file in place when it
    can take them (build/incremental.py), else built in full (with every active publication's rows, fetched
    then); ``commit`` (the store's transaction) runs before the swap."""
    seq = snap.seq
    result = incremental.apply_changes(target, inputs, after, changes, from_seq=seq, state_seq=seq + 1, log=log,
                                       before_swap=commit)  # fmt: skip
    if result is None:
        after = publications.with_rows(after, snap.folder)
        result = build_warehouse(target, inputs, log=log, publications=after, state_seq=seq + 1,
                                 before_swap=commit)  # fmt: skip
    return result


@cache
def names() -> ProvinceNames:
    """The province spellings (geo/provinces.csv and data/reference/province_aliases.csv), read once."""
    return ProvinceNames()


def check(data: bytes, file_name: str, options: Options, wh: Warehouse, account: Account | None) -> Preview:
    """Read, map and validate an upload against the catalog and the published figures (changes nothing).

    ``account``: the steward (indicators of other agencies are rejected); None checks as an admin would.
    """
    indicators = queries.indicators(wh)
    tidy = prepare(data, file_name, options, names(), set(indicators.id))
    published = queries.published(wh, sorted({r["indicator_id"] for r in tidy.rows}))
    agency = None if account is None or account.admin else account.agency_id
    return validate(tidy, indicators, published, agency, province_codes=set(queries.provinces(wh).code))


INDICATOR_ID = re.compile(r"^[a-z][a-z0-9_]{2,63}$")


def add_indicator(
    fields: dict[str, str],
    account: Account,
    *,
    target: Path | None = None,
    inputs: Inputs | None = None,
    log: Callable[[str], None] = lambda msg: None,
    client: str = "",
) -> Published:
    """Add (or redefine) an indicator of the catalog so that its agency can upload its figures. Admins only.

    ``fields``: the columns of ``layers.ADDED_COLUMNS`` except added_by/added_at. Checked by a trial build;
    a bad field is named and nothing changes.
    """
    started = time.perf_counter()
    iid = fields.get("indicator_id", "")
    if not INDICATOR_ID.match(iid):
        raise PublishRefused(
            f"indicator id {iid!r}: use 3–64 lower-case letters, digits and _ , starting with a letter"
        )
    target = Path(target or config.warehouse_path())
    inputs = inputs or Inputs()
    uploads = inputs.uploads_dir
    limits = {"definition_en": 2000, "definition_th": 2000, "name_en": 200, "name_th": 200, "unit_en": 60,
              "unit_th": 60}  # fmt: skip
    row = {
        c: textfields.check(
            fields.get(c, ""),
            c,
            limits.get(c, 100),
            multiline=c.startswith("definition"),
            label=not c.startswith("definition"),
        )
        for c in ADDED_COLUMNS
    }
    row |= {"added_by": account.name, "added_at": audit.now()}
    with publish_lock(uploads), publications.snapshot(uploads) as snap:
        account = accounts.authorise(account, "add_indicator", f"indicator {iid}", admin=True, client=client)
        row["added_by"] = account.name
        publications.remove_stale_temp_files(target)
        rows = layers.added_indicators()
        earlier = rows[rows.indicator_id == iid]
        before = (
            earlier.drop(columns=["added_by", "added_at"], errors="ignore").iloc[0].to_dict()
            if len(earlier)
            else None
        )
        rows = pd.concat([rows[rows.indicator_id != iid], pd.DataFrame([row])], ignore_index=True)

        # The new definitions are built from a throw-away CSV first; only a build that passes is recorded in
        # the store (before its file is swapped in), so a bad field changes nothing.
        fields = {k: v for k, v in row.items() if k not in ("added_by", "added_at")}

        def commit() -> None:
            with store.current().write() as tx:
                layers.put_added_indicator(tx, row)
                audit.record(tx, account.name, account.role, "indicator_add", f"indicator {iid}",
                             {"before": before, "after": fields}, client)  # fmt: skip
                publications.expect_sequence(tx, snap.seq, "indicator", indicator=iid)

        with tempfile.TemporaryDirectory(prefix="provdata-indicators-") as tmp:
            trial = Path(tmp) / "indicators.csv"
            rows[ADDED_COLUMNS].to_csv(trial, index=False)
            result = build_warehouse(target, dataclasses.replace(inputs, added_indicators=trial), log=log,
                                     publications=snap.publications, state_seq=snap.seq + 1,
                                     before_swap=commit)  # fmt: skip
    return Published(0, result.build_id, 1, time.perf_counter() - started)
