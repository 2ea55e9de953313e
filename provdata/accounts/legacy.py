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


#: a token of a release before tokens expired (a bare SHA-256 digest) is kept this long from the upgrade
LEGACY_TOKEN_LABEL = "kept from an earlier release (had no expiry)"


def merge_json(tx, data: dict, days: int) -> dict[str, int]:
    """Copy the accounts and tokens of an earlier release's ``accounts.json`` into the store in the caller's
    transaction, leaving the file as it is; an account of the same name already in the store is kept as it is
    (never replaced). A token of a release before tokens expired (a bare digest) is kept, expiring ``days`` after
    now. Counts: accounts and tokens imported, already there, and accounts kept (another of that name)."""
    import datetime as dt

    made = dt.datetime.now(dt.UTC).replace(microsecond=0)
    counts = dict.fromkeys(("account", "account already", "account kept", "token", "token already"), 0)
    for name, e in data.get("accounts", {}).items():
        row = tx.execute("SELECT password FROM account WHERE name = ?", (name,)).fetchone()
        if row is None:
            tx.execute(
                "INSERT INTO account (name, role, agency_id, provinces, email, disabled, password) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (name, _role(e), e.get("agency_id") or "", json.dumps(list(e.get("provinces") or [])),
                 e.get("email"), int(bool(e.get("disabled"))), e["password"]),
            )  # fmt: skip
            counts["account"] += 1
        elif row[0] == e["password"]:
            counts["account already"] += 1
        else:  # another account of that name was made in the store: its tokens are not this one's either
            counts["account kept"] += 1
            continue
        for t in e.get("tokens", []):
            if isinstance(t, str):  # a bare digest: no id, no expiry
                t = {"id": f"legacy-{t[:8]}", "digest": t, "label": LEGACY_TOKEN_LABEL, "created": made.isoformat(),
                     "expires": (made + dt.timedelta(days=days)).isoformat()}  # fmt: skip
            if tx.execute("SELECT 1 FROM token WHERE digest = ?", (t["digest"],)).fetchone():
                counts["token already"] += 1
                continue
            tx.execute(
                "INSERT INTO token (id, account, digest, label, created, expires, seq) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (t["id"], name, t["digest"], t.get("label", ""), t["created"], t["expires"], next_seq(tx, "token")),
            )  # fmt: skip
            counts["token"] += 1
    return counts
