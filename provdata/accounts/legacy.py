"""The legacy ``accounts.json`` (of a version before accounts moved into the state store): imported once, then
set aside."""

from __future__ import annotations

import json
import os
from pathlib import Path

from provdata.accounts.model import _role
from provdata.store import Store, audit
from provdata.store.base import next_seq


def _import_json(st: Store, legacy: Path) -> None:
    """Copy the accounts and tokens of an old ``accounts.json`` into the store once, then set the file aside
    (renamed ``accounts.json.imported``) so that it is never read or written again."""
    data = json.loads(legacy.read_text(encoding="utf-8"))
    with st.transaction() as tx:
        for name, e in data.get("accounts", {}).items():
            if tx.execute("SELECT 1 FROM account WHERE name = ?", (name,)).fetchone():
                continue
            tx.execute(
                "INSERT INTO account (name, role, agency_id, provinces, email, disabled, password) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (name, _role(e), e.get("agency_id") or "", json.dumps(list(e.get("provinces") or [])),
                 e.get("email"), int(bool(e.get("disabled"))), e["password"]),
            )  # fmt: skip
            for t in e.get("tokens", []):
                if isinstance(t, dict):  # a token made before tokens expired is not carried over
                    tx.execute(
                        "INSERT INTO token (id, account, digest, label, created, expires, seq) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (t["id"], name, t["digest"], t.get("label", ""), t["created"], t["expires"],
                         next_seq(tx, "token")),
                    )  # fmt: skip
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('accounts_imported', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (f"{legacy} at {audit.now()}",),
        )
    os.replace(legacy, legacy.with_name(legacy.name + ".imported"))
