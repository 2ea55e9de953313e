"""Province spellings stewards confirmed, kept per agency so that the agency's next file passes.

A deployment's own record, in the state store (:mod:`provdata.store`, table ``alias``: agency, spelling, code,
who, when) — never the shipped ``data/reference/province_aliases.csv``, which stays the release's list.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from provdata import store
from provdata.store import audit
from provdata.store.base import next_seq

COLUMNS = ["agency", "spelling", "code", "who", "when"]


def _store(path: Path | None):
    return store.for_folder(Path(path).parent) if path else store.current()


def aliases_path() -> str:
    """Where the confirmed spellings are kept (for messages)."""
    return store.current().describe() + " (table alias)"


def confirmed(agency: str | None, path: Path | None = None) -> tuple[tuple[str, str], ...]:
    """(spelling, code) pairs this agency's stewards confirmed, in the order they were confirmed."""
    if agency is None:
        return ()
    with _store(path).transaction() as tx:
        rows = tx.execute(
            "SELECT spelling, code FROM alias WHERE agency = ? ORDER BY seq", (agency,)
        ).fetchall()
    return tuple((s, c) for s, c in rows)


def all_confirmed(path: Path | None = None) -> pd.DataFrame:
    """Every kept spelling (agency, spelling, code, who, when), in the order they were confirmed."""
    with _store(path).transaction() as tx:
        rows = tx.execute("SELECT agency, spelling, code, who, at FROM alias ORDER BY seq").fetchall()
    return pd.DataFrame(rows, columns=COLUMNS)


def keep(agency: str, pairs: dict[str, str], who: str, path: Path | None = None) -> list[tuple[str, str]]:
    """Add confirmed spellings of ``agency`` (spelling → code) not kept yet; returns those added."""
    when = audit.now()
    with _store(path).transaction() as tx:
        known = {
            s for (s,) in tx.execute("SELECT spelling FROM alias WHERE agency = ?", (agency,)).fetchall()
        }
        added = [(s, c) for s, c in pairs.items() if s not in known]
        for s, c in added:
            tx.execute(
                "INSERT INTO alias (agency, spelling, code, who, at, seq) VALUES (?, ?, ?, ?, ?, ?)",
                (agency, s, c, who, when, next_seq(tx, "alias")),
            )
    if added:
        audit.audit(who, "", "alias_confirm", f"agency {agency}", {"added": added})
    return added
