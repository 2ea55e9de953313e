"""Province spellings stewards confirmed, kept per agency so that the agency's next file passes.

A deployment's own record, in the state store (:mod:`provdata.store`, table ``alias``: agency, spelling, code,
who, when), listed and removed by an admin (``python -m provdata alias list|remove``) — never the shipped ``data/reference/province_aliases.csv``, which stays the release's list.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from provdata import store
from provdata.basics.errors import ProvdataError
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


def keep(agency: str, pairs: dict[str, str], who: str, path: Path | None = None, *, override: bool = False,
         client: str = "") -> list[tuple[str, str]]:  # fmt: skip
    """Add confirmed spellings of ``agency`` (spelling → code) not kept yet, with their audit line in the same
    transaction (``alias_override`` when an admin overrode the matcher); returns those added."""
    when = audit.now()
    with _store(path).write() as tx:
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
            action = "alias_override" if override else "alias_confirm"
            audit.record(tx, who, "", action, f"agency {agency}", {"added": added}, client)
    return added


class AliasError(ProvdataError):
    """No such kept spelling (a command-line message)."""


def remove(agency: str, spelling: str, who: str, path: Path | None = None, client: str = "cli") -> str:
    """Take a kept spelling of ``agency`` back (its next files must confirm it again); audited in the same
    transaction. Returns the province code it stood for; an unknown spelling is named."""
    with _store(path).write() as tx:
        row = tx.execute(
            "SELECT code FROM alias WHERE agency = ? AND spelling = ?", (agency, spelling)
        ).fetchone()
        if row is None:
            raise AliasError(
                f"agency {agency!r} has no kept spelling {spelling!r}: see `python -m provdata alias list`"
            )
        tx.execute("DELETE FROM alias WHERE agency = ? AND spelling = ?", (agency, spelling))
        audit.record(tx, who, "shell" if who.startswith("shell:") else "admin", "alias_remove",
                     f"agency {agency}", {"spelling": spelling, "code": row[0]}, client)  # fmt: skip
    return row[0]
