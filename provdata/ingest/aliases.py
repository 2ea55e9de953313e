"""Province spellings stewards confirmed, kept per agency so that the agency's next file passes.

A deployment's own record, under the state folder (``$PROVDATA_STATE/aliases.csv``: agency, spelling, code,
who, when) — never the shipped ``data/reference/province_aliases.csv``, which stays the release's list.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from pathlib import Path

from provdata import config
from provdata.publications import file_lock, fsync_dir

COLUMNS = ["agency", "spelling", "code", "who", "when"]


def aliases_path() -> Path:
    return config.state_dir() / "aliases.csv"


def confirmed(agency: str | None, path: Path | None = None) -> tuple[tuple[str, str], ...]:
    """(spelling, code) pairs this agency's stewards confirmed; () for no agency or no file."""
    path = path or aliases_path()
    if agency is None or not path.exists():
        return ()
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple((r["spelling"], r["code"]) for r in csv.DictReader(fh) if r["agency"] == agency)


def keep(agency: str, pairs: dict[str, str], who: str, path: Path | None = None) -> list[tuple[str, str]]:
    """Add confirmed spellings of ``agency`` (spelling → code) not kept yet; returns those added."""
    path = path or aliases_path()
    with file_lock(path.with_name(".aliases.lock")):
        rows = []
        if path.exists():
            with path.open(encoding="utf-8", newline="") as fh:
                rows = list(csv.DictReader(fh))
        known = {(r["agency"], r["spelling"]) for r in rows}
        added = [(s, c) for s, c in pairs.items() if (agency, s) not in known]
        if not added:
            return []
        when = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0).isoformat()
        rows += [{"agency": agency, "spelling": s, "code": c, "who": who, "when": when} for s, c in added]
        buf = io.StringIO()
        writer = csv.DictWriter(buf, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        tmp = path.with_name(path.name + ".part")
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            fh.write(buf.getvalue())
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
        fsync_dir(path.parent)
    return added
