"""Publications in the state store: the system of record of what stewards published.

One row per publication in the store's ``publication`` table (both backends): the record (who, when, which
file, rows accepted/rejected, status) as JSON, the tidy rows as a Parquet blob and the raw file as uploaded.
The tidy rows are one Parquet blob rather than rows of a table: a publication of 100,000 figures is one insert
(a short transaction on either backend), the types (year int32, value float64) travel with it, and the
warehouse build hands the file straight to DuckDB's ``read_parquet``.

Two counters sit beside them (table ``counter``): ``load``, the last load id handed out, so two hosts never
reuse an id; and ``warehouse``, bumped in the same transaction as every change the warehouse is built from
(publication, rollback, chain or plan edit, added indicator). Each warehouse keeps the ``warehouse`` value it
was built at (``meta.state_seq``); a host whose warehouse is behind rebuilds it (provdata/exchange/follow.py).

Publication folders of an earlier version (``uploads/<id>/record.json, rows.parquet, raw/<file>``) are copied
into the store once, then set aside as ``<id>.imported``. No streamlit here.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from provdata import store
from provdata.basics import config
from provdata.store.base import Store, Tx
from provdata.store.locks import file_lock

RECORD = "record.json"
ROWS = "rows.parquet"


@dataclass(frozen=True)
class Publication:
    record: dict
    #: the tidy rows as a Parquet file (a temporary copy of the store's blob while a build runs)
    rows_path: Path | None = None

    @property
    def id(self) -> int:
        return int(self.record["id"])

    @property
    def active(self) -> bool:
        return self.record["status"] == "active"

    @property
    def label(self) -> str:
        """How a message names it."""
        return f"publication {self.id}"


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def safe_name(file_name: str) -> str:
    """The uploaded file's own name, without folders or characters a file system would mind."""
    base = Path(file_name.replace("\\", "/")).name
    cleaned = re.sub(r"[^\w.\-ก-๙ ]+", "_", base).strip(" .") or "upload"
    return cleaned[:120]


def host_lock(uploads: Path):
    """This host's lock on its warehouse file: held by its writers and by its follower's rebuilds."""
    return file_lock(Path(uploads).parent / ".publish.lock")


@contextmanager
def publish_lock(uploads: Path) -> Iterator[None]:
    """One writer of publications, edits and the warehouse at a time (blocks until the other is done): this
    host's file lock, and with PostgreSQL also a database advisory lock (spans hosts)."""
    with ExitStack() as stack:
        stack.enter_context(host_lock(uploads))
        st = store.current()
        if st.kind == "postgresql":
            stack.enter_context(st.lock("publish"))
        yield


# ------------------------------------------------------------------------------------------- the counters


def counter(tx: Tx, name: str) -> int:
    row = tx.execute("SELECT value FROM counter WHERE name = ?", (name,)).fetchone()
    return int(row[0]) if row else 0


def bump(tx: Tx, name: str, start: int = 1) -> int:
    """Add one to a counter (``start`` if it has none yet) in the caller's transaction; the new value."""
    row = tx.execute(
        "INSERT INTO counter (name, value) VALUES (?, ?) "
        "ON CONFLICT (name) DO UPDATE SET value = counter.value + 1 RETURNING value",
        (name, start),
    ).fetchone()
    return int(row[0])


def bump_sequence(tx: Tx, kind: str = "other", **keys: object) -> int:
    """Announce a change the warehouse is built from, saying what it was (table ``warehouse_change``: ``kind`` and
    ``keys``, e.g. "publish" {"load": 101}): every host brings its own warehouse to the new sequence, applying
    the change in place when it knows how (provdata/warehouse/build/incremental.py), else rebuilding it."""
    seq = bump(tx, "warehouse")
    tx.execute(
        "INSERT INTO warehouse_change (seq, kind, keys) VALUES (?, ?, ?) "
        "ON CONFLICT (seq) DO UPDATE SET kind = excluded.kind, keys = excluded.keys",
        (seq, kind, json.dumps(keys, sort_keys=True)),
    )
    return seq


def changes(tx: Tx, after: int, upto: int) -> list[tuple[int, str, dict]]:
    """The store's changes that moved the warehouse sequence from ``after`` to ``upto``: (seq, kind, keys), in
    order (fewer than ``upto - after`` when some were made by a release that did not record them)."""
    rows = tx.execute(
        "SELECT seq, kind, keys FROM warehouse_change WHERE seq > ? AND seq <= ? ORDER BY seq", (after, upto)
    ).fetchall()
    return [(int(seq), kind, json.loads(keys)) for seq, kind, keys in rows]


def sequence(st: Store | None = None) -> int:
    """The store's warehouse sequence: what a warehouse built now would be built at."""
    with (st or store.current()).transaction() as tx:
        return counter(tx, "warehouse")


def warehouse_sequence(target: Path) -> int | None:
    """The sequence the warehouse file was built at (None: no file, an unreadable one, or one of an earlier
    version)."""
    try:
        rows = _read_warehouse(target, "SELECT state_seq FROM w.meta")
    except duckdb.Error:
        return None
    return int(rows[0][0]) if rows and rows[0][0] is not None else None


def warehouse_meta(target: Path) -> dict | None:
    """The warehouse file's meta row by column name (None: no file, an unreadable one)."""
    try:
        rows = _read_warehouse(target, "SELECT * FROM w.meta", named=True)
    except duckdb.Error:
        return None
    return rows[0] if len(rows) == 1 else None


def synthetic_warehouse(target: Path) -> bool:
    """True for a bench's synthetic scale warehouse (meta.synthetic): not built from the store, never followed."""
    try:
        rows = _read_warehouse(target, "SELECT synthetic FROM w.meta")
    except duckdb.Error:
        return False
    return bool(rows and rows[0][0])


# ------------------------------------------------------------------------------------------ reading, writing


@dataclass
class Snapshot:
    """What the store holds now, for one build: the sequence (read first, so a build is never labelled newer
    than what it read), the next load id, and every publication with its rows in a temporary folder."""

    seq: int
    next_load_id: int
    publications: list[Publication] = field(default_factory=list)
    folder: Path = Path()


@contextmanager
def snapshot(
    uploads: Path | None = None, st: Store | None = None, *, rows: bool = True
) -> Iterator[Snapshot]:
    """``rows``: write every active publication's rows into the snapshot's folder (False: none yet; a writer that
    applies its change in place needs only its own, :func:`with_rows` fetches them when it must rebuild)."""
    st = st or store.current()
    import_folders(Path(uploads or config.uploads_dir()), st)
    with tempfile.TemporaryDirectory(prefix="provdata-publications-") as tmp:
        if store.absent(st):  # never written: empty, and not created by reading it
            yield Snapshot(0, config.FIRST_UPLOAD_LOAD_ID + 1, [], Path(tmp))
            return
        with st.transaction() as tx:
            seq = counter(tx, "warehouse")
            next_id = max(counter(tx, "load"), config.FIRST_UPLOAD_LOAD_ID) + 1
            records = [json.loads(r[0]) for r in tx.execute("SELECT record FROM publication ORDER BY id")]
        pubs = [Publication(record) for record in records]
        if rows:
            pubs = with_rows(pubs, Path(tmp), st)
        yield Snapshot(seq, next_id, pubs, Path(tmp))


def with_rows(
    pubs: list[Publication],
    folder: Path,
    st: Store | None = None,
    only: set[int] | frozenset[int] | None = None,
) -> list[Publication]:
    """``pubs`` with the rows of each active one that has none yet (of those in ``only``, if given) copied from the
    store into ``folder``."""
    st = st or store.current()
    out = []
    for pub in pubs:
        if pub.active and pub.rows_path is None and (only is None or pub.id in only):
            with st.transaction() as tx:
                blob = tx.execute("SELECT rows FROM publication WHERE id = ?", (pub.id,)).fetchone()
            path = Path(folder) / f"{pub.id}.parquet"
            path.write_bytes(bytes(blob[0]))
            pub = Publication(pub.record, path)
        out.append(pub)
    return out


def committed(uploads: Path | None = None, st: Store | None = None) -> list[Publication]:
    """Every publication's record (active or rolled back), in load-id order (without the rows)."""
    st = st or store.current()
    import_folders(Path(uploads or config.uploads_dir()), st)
    with st.transaction() as tx:
        return [
            Publication(json.loads(r[0])) for r in tx.execute("SELECT record FROM publication ORDER BY id")
        ]


def raw_file(load_id: int, st: Store | None = None) -> tuple[str, bytes] | None:
    """A publication's file as uploaded: (name, bytes), or None if there is no such publication."""
    with (st or store.current()).transaction() as tx:
        row = tx.execute("SELECT file_name, raw FROM publication WHERE id = ?", (load_id,)).fetchone()
    return (row[0], bytes(row[1])) if row else None


class Conflict(RuntimeError):
    """Another writer changed the store while this one held the lock (a bug, or a lock that was lost)."""


def insert(tx: Tx, record: dict, rows: bytes, raw: bytes) -> None:
    """Add a publication in the caller's transaction: its load id is the store's next one (checked)."""
    load_id = bump(tx, "load", config.FIRST_UPLOAD_LOAD_ID + 1)
    if load_id < int(record["id"]):  # a store whose counter is behind its rows (imported folders)
        tx.execute("UPDATE counter SET value = ? WHERE name = 'load'", (int(record["id"]),))
        load_id = int(record["id"])
    if load_id != int(record["id"]):
        raise Conflict(f"load id {record['id']} was taken by another writer (the store's next is {load_id})")
    tx.execute(
        "INSERT INTO publication (id, status, file_name, record, rows, raw) VALUES (?, ?, ?, ?, ?, ?)",
        (load_id, record["status"], record["file_name"], json.dumps(record, ensure_ascii=False), rows, raw),
    )


def set_record(tx: Tx, record: dict) -> None:
    """Replace a publication's record (a rollback) in the caller's transaction."""
    tx.execute(
        "UPDATE publication SET status = ?, record = ? WHERE id = ?",
        (record["status"], json.dumps(record, ensure_ascii=False), int(record["id"])),
    )


def expect_sequence(tx: Tx, seq: int, kind: str = "other", **keys: object) -> int:
    """Bump the warehouse sequence (:func:`bump_sequence`), which must have been ``seq`` (what the build read);
    the new value."""
    new = bump_sequence(tx, kind, **keys)
    if new != seq + 1:
        raise Conflict(f"the store moved from {seq} to {new - 1} while this writer held the lock")
    return new


def import_folders(uploads: Path, st: Store) -> list[str]:
    """Copy publication folders of an earlier version into the store once, then set them aside."""
    folders = upload_folders(uploads)
    if not folders:
        return []
    done = []
    with st.transaction() as tx:
        for folder in folders:
            if copy_folder(tx, folder) == "imported":
                done.append(f"publication {folder.name}: copied from {folder} into the state store")
        if done:
            bump_sequence(tx, "import")
    for folder in folders:
        os.replace(folder, folder.with_name(folder.name + ".imported"))
    return done


def upload_folders(uploads: Path) -> list[Path]:
    """The publication folders of an earlier version under ``uploads`` (``101/record.json`` …), by load id."""
    if not uploads.is_dir():
        return []
    return sorted((f for f in uploads.iterdir() if f.is_dir() and f.name.isdigit() and (f / RECORD).exists()),
                  key=lambda f: int(f.name))  # fmt: skip


def copy_folder(tx: Tx, folder: Path) -> str:
    """Copy one publication folder of an earlier version into the store in the caller's transaction (the folder is
    left as it is): "imported", "already" (the same publication is there) or "taken" (its load id holds another
    publication: not copied). The load counter is moved past its id."""
    record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    have = tx.execute("SELECT record FROM publication WHERE id = ?", (int(record["id"]),)).fetchone()
    if have:
        return "already" if json.loads(have[0]).get("sha256") == record.get("sha256") else "taken"
    raws = sorted((folder / "raw").glob("*")) if (folder / "raw").is_dir() else []
    raw = raws[0].read_bytes() if raws else b""
    tx.execute(
        "INSERT INTO publication (id, status, file_name, record, rows, raw) VALUES (?, ?, ?, ?, ?, ?)",
        (int(record["id"]), record["status"], record["file_name"], json.dumps(record, ensure_ascii=False),
         (folder / ROWS).read_bytes(), raw),
    )  # fmt: skip
    if counter(tx, "load") < int(record["id"]):
        tx.execute(
            "INSERT INTO counter (name, value) VALUES ('load', ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (int(record["id"]),),
        )
    return "imported"


# --------------------------------------------------------------------------- recovery after a killed writer


def _read_warehouse(target: Path, sql: str, named: bool = False) -> list:
    """Rows of one query on the published warehouse file (attached read-only; [] if there is none): tuples, or
    dicts by column name when ``named``."""
    if not target.exists():
        return []
    con = duckdb.connect()
    try:
        literal = str(target).replace("'", "''")
        con.execute(f"ATTACH '{literal}' AS w (READ_ONLY)")
        cursor = con.execute(sql)
        rows = cursor.fetchall()
        if named:
            columns = [d[0] for d in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in rows]
        return rows
    finally:
        con.close()


_PID_TMP = re.compile(r"^\..+\.(\d+)\.tmp(\.wal)?$")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temp_files(*folders: Path) -> list[str]:
    """Remove what a killed writer left: ``.NAME.PID.tmp`` files (a warehouse being written, and its WAL) of
    processes that are gone (called with the writers' lock held)."""
    removed = []
    for folder in folders:
        folder = folder if folder.is_dir() else folder.parent
        if not folder.exists():
            continue
        for path in folder.iterdir():
            match = _PID_TMP.match(path.name)
            if path.is_file() and match and not _alive(int(match.group(1))):
                path.unlink(missing_ok=True)
                removed.append(
                    f"removed {path.name}, left by a writer that stopped (process {match.group(1)})"
                )
    return removed
