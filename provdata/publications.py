"""Published uploads on disk: the system of record of what stewards published (config.uploads_dir()).

One folder per publication, named by its load id::

    uploads/101/record.json     who, when, which file (name, sha256), rows accepted/rejected, status
    uploads/101/rows.parquet    the tidy rows published (province_code, year, indicator_id, value)
    uploads/101/raw/<file>      the file as uploaded, archived unchanged

A folder being written is ``.pending-<id>``; a status change being written is ``record.json.pending``.
The warehouse build replays every committed publication in id order (see build.py), so the warehouse stays
derivable from files. No streamlit here.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from provdata import config
from provdata.errors import ProvdataError

RECORD = "record.json"
ROWS = "rows.parquet"
PENDING_PREFIX = ".pending-"


class RecoveryNeeded(ProvdataError):
    """A writer stopped mid-publication and the warehouse cannot be read to tell whether it reached it."""

    key = "generic"


@dataclass(frozen=True)
class Publication:
    record: dict
    folder: Path

    @property
    def id(self) -> int:
        return int(self.record["id"])

    @property
    def rows_path(self) -> Path:
        return self.folder / ROWS

    @property
    def active(self) -> bool:
        return self.record["status"] == "active"


def write_json(path: Path, data: dict) -> None:
    """Write a JSON file durably in one step (a temporary file, fsync, rename)."""
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1, default=str)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def committed(uploads: Path | None = None) -> list[Publication]:
    """Every committed publication (active or rolled back), in load-id order."""
    uploads = uploads or config.uploads_dir()
    if not uploads.exists():
        return []
    out = []
    for folder in uploads.iterdir():
        if folder.is_dir() and folder.name.isdigit() and (folder / RECORD).exists():
            record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
            out.append(Publication(record, folder))
    return sorted(out, key=lambda p: p.id)


def pending_folders(uploads: Path) -> list[tuple[int, Path]]:
    if not uploads.exists():
        return []
    return [
        (int(f.name[len(PENDING_PREFIX) :]), f)
        for f in uploads.iterdir()
        if f.is_dir() and re.fullmatch(rf"{re.escape(PENDING_PREFIX)}\d+", f.name)
    ]


def next_id(uploads: Path) -> int:
    ids = [p.id for p in committed(uploads)] + [i for i, _ in pending_folders(uploads)]
    return max([config.FIRST_UPLOAD_LOAD_ID, *ids]) + 1


def safe_name(file_name: str) -> str:
    """The uploaded file's own name, without folders or characters a file system would mind."""
    base = Path(file_name.replace("\\", "/")).name
    cleaned = re.sub(r"[^\w.\-ก-๙ ]+", "_", base).strip(" .") or "upload"
    return cleaned[:120]


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` (created if missing), held for the block; blocks until it is free."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def publish_lock(uploads: Path):
    """One writer of publications, edits and the warehouse at a time (blocks until the other is done): a file
    lock with the embedded store, a database advisory lock when the store is PostgreSQL (spans hosts)."""
    from provdata import store

    st = store.current()
    if st.kind == "postgresql":
        return st.lock("publish")
    return file_lock(uploads / ".publish.lock")


# --------------------------------------------------------------------------- recovery after a killed writer


def _read_warehouse(target: Path, sql: str) -> list[tuple]:
    """Rows of one query on the published warehouse file (attached read-only; [] if there is none)."""
    if not target.exists():
        return []
    con = duckdb.connect()
    try:
        literal = str(target).replace("'", "''")
        con.execute(f"ATTACH '{literal}' AS w (READ_ONLY)")
        return con.execute(sql).fetchall()
    finally:
        con.close()


def warehouse_loads(target: Path) -> dict[int, str]:
    """Load id → status as the published warehouse has them (empty if there is no warehouse)."""
    return dict(_read_warehouse(target, "SELECT id, status FROM w.load"))


def recover(target: Path, uploads: Path, added_indicators: Path | None = None) -> list[str]:
    """Make the publication folders agree with the warehouse after an interrupted writer; say what was done."""
    done = remove_stale_temp_files(uploads, target)
    pending_records = [p for p in committed(uploads) if (p.folder / (RECORD + ".pending")).exists()]
    try:
        loads = warehouse_loads(target)
    except duckdb.Error as exc:  # a damaged warehouse file: what reached it cannot be known
        if pending_folders(uploads) or pending_records:
            raise RecoveryNeeded(
                f"{target} cannot be read ({str(exc).splitlines()[0]}) and a publication was being written when "
                f"a writer stopped: restore the warehouse from a backup (or the last build), then run again"
            ) from exc
        return done  # nothing pending: the rebuild replaces the damaged file

    for load_id, folder in pending_folders(uploads):
        if load_id in loads:
            os.replace(folder, uploads / str(load_id))
            done.append(f"publication {load_id} was in the warehouse: committed its record")
        else:
            shutil.rmtree(folder)
            done.append(f"publication {load_id} never reached the warehouse: removed its pending folder")
    for pub in committed(uploads):
        pending = pub.folder / (RECORD + ".pending")
        if pending.exists():
            wanted = json.loads(pending.read_text(encoding="utf-8"))
            if loads.get(pub.id) == wanted["status"]:
                os.replace(pending, pub.folder / RECORD)
                done.append(f"publication {pub.id}: status {wanted['status']} was in the warehouse: recorded")
            else:
                pending.unlink()
                done.append(f"publication {pub.id}: status change never reached the warehouse: dropped")
    pending = added_indicators.with_name(added_indicators.name + ".pending") if added_indicators else None
    if pending is not None and pending.exists():
        wanted = set(pd.read_csv(pending, dtype=str).indicator_id)
        if wanted <= {r[0] for r in _read_warehouse(target, "SELECT id FROM w.indicator")}:
            os.replace(pending, added_indicators)
            done.append("indicator definitions were in the warehouse: recorded")
        else:
            pending.unlink()
            done.append("indicator definitions never reached the warehouse: dropped")
    if done:
        fsync_dir(uploads)
    return done


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
    """Remove what a killed writer left: ``.NAME.PID.tmp`` files of processes that are gone, and the
    ``*.tmp`` of durable JSON writes under the uploads folder (called with the writers' lock held)."""
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
    uploads = folders[0] if folders else None
    if uploads is not None and uploads.exists():
        for path in uploads.glob("*/*.tmp"):
            path.unlink(missing_ok=True)
            removed.append(f"removed {path.parent.name}/{path.name}, a record write that never finished")
    return removed
