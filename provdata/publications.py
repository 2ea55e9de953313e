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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from provdata import config

RECORD = "record.json"
ROWS = "rows.parquet"
PENDING_PREFIX = ".pending-"


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
    """One writer of publications and of the warehouse at a time (blocks until the other is done)."""
    return file_lock(uploads / ".publish.lock")
