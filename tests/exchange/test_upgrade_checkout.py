"""An upgrade from an earlier release keeps everything its host made (deploy/upgrade.sh, ``state migrate
--from-checkout``): the 24 November release's accounts, API token and a chart edit in its tracked links.csv, on two
hosts sharing a real PostgreSQL; twice is the same as once; a checkout without git is compared with the recorded
releases; an edit this release cannot build is refused with nothing imported."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from provdata import accounts, store
from provdata.basics.errors import BuildError
from provdata.exchange import follow, health
from provdata.exchange.upgrade import SHIPPED, import_checkout, record_shipped
from provdata.warehouse import layers, queries
from provdata.warehouse.db import Warehouse
from tests.conftest import ROOT, tiny_warehouse_copy

#: the last commit of the 24 November 2026 release (accounts in var/accounts.json, edits in data/strategy/*.csv)
RELEASE_24_NOV = "d38beb35912e4f42fdb2b16a72b4ef53f5c94c98"
OLD_PASSWORD = "correct-horse-battery-1"
NOTE = "Agreed by the provincial committee on 20 November"


def edit_links(folder, note: str = NOTE, indicator: str | None = None) -> None:
    """A planner's edit of the old release: the first link of Nakhon Sawan (60) gets a target note."""
    path = folder / "data" / "strategy" / "links.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    first = next(r for r in rows if r["province_code"] == "60")
    first["target_note_en"] = note
    if indicator:
        first["indicator_id"] = indicator
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def release_24_nov(tmp_path_factory):
    """A checkout of the 24 November release (a git worktree at its commit) as its host left it: an admin and a
    steward made with that release's own command line (var/accounts.json), a token, and a chart edit."""
    folder = tmp_path_factory.mktemp("old") / "provdata"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), RELEASE_24_NOV],
                   check=True, capture_output=True)  # fmt: skip
    env = {**os.environ, "PROVDATA_STATE": str(folder / "var"), "PROVDATA_PASSWORD": OLD_PASSWORD}
    env.pop("PYTHONPATH", None)

    def old_cli(*args: str) -> str:
        out = subprocess.run([sys.executable, "-m", "provdata", *args], cwd=folder, env=env, capture_output=True,
                             text=True, timeout=120)  # fmt: skip
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    try:
        old_cli("steward", "add", "nso-admin", "--agency", "nso", "--admin")
        old_cli("steward", "add", "dopa-clerk", "--agency", "dopa")
        token = old_cli("steward", "token", "dopa-clerk").splitlines()[-1]
        edit_links(folder)
        yield folder, token
    finally:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)], capture_output=True
        )


def upgrade(old, env: dict) -> str:
    out = subprocess.run(["bash", str(ROOT / "deploy" / "upgrade.sh"), str(old)], cwd=ROOT, capture_output=True,
                         text=True, timeout=600, env={**os.environ, **env, "PROVDATA_PYTHON": sys.executable})  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


def edited_note(warehouse) -> set[str]:
    chain = queries.chain(Warehouse(warehouse), "60")
    return set(chain.target_note_en) if "target_note_en" in chain else set()


@pytest.mark.slow
def test_the_24_november_release_upgrades_onto_two_hosts_sharing_postgresql(
    release_24_nov, postgres_server, tmp_path, monkeypatch
):
    old, token = release_24_nov
    accounts_before = (old / "var" / "accounts.json").read_bytes()
    url = postgres_server.new_database()
    host1 = tmp_path / "host1.duckdb"
    env = {
        "PROVDATA_STATE_URL": url,
        "PROVDATA_STATE": str(tmp_path / "state1"),
        "PROVDATA_WAREHOUSE": str(host1),
    }
    out = upgrade(old, env)
    assert "accounts: 2 imported, 0 already in the store" in out
    assert "API tokens: 1 imported, 0 already in the store" in out
    assert "chart and plan edits: 1 imported, 0 already in the store, 0 kept" in out
    assert "imported: province 60 links.csv" in out

    monkeypatch.setenv("PROVDATA_STATE_URL", url)
    monkeypatch.setenv("PROVDATA_STATE", str(tmp_path / "state2"))  # the second host has its own folder
    admin = accounts.verify("nso-admin", OLD_PASSWORD)
    assert (admin.name, admin.role, admin.agency_id) == ("nso-admin", "admin", "nso")
    assert accounts.by_token(token).name == "dopa-clerk"  # the old token still works (now with an expiry)
    assert NOTE in set(layers.strategy_layer()["links.csv"]["60"].target_note_en)
    assert NOTE in edited_note(host1)

    host2 = tiny_warehouse_copy(
        tmp_path / "host2.duckdb"
    )  # another host's old warehouse, following the store
    follow.catch_up(host2)
    assert NOTE in edited_note(host2)
    one, two = health.check(host1), health.check(host2)
    assert one.ready and two.ready and one.build_id == two.build_id and one.store_id == two.store_id

    again = upgrade(old, env)  # twice is once
    assert "accounts: 0 imported, 2 already in the store" in again
    assert "API tokens: 0 imported, 1 already in the store" in again
    assert "chart and plan edits: 0 imported, 1 already in the store, 0 kept" in again
    assert health.check(host1).build_id == one.build_id  # nothing changed in the state
    assert (
        old / "var" / "accounts.json"
    ).read_bytes() == accounts_before  # the old checkout is left as it was
    with store.current().transaction() as tx:
        assert tx.execute("SELECT COUNT(*) FROM account").fetchone()[0] == 2


def plain_checkout(tmp_path, rev: str = RELEASE_24_NOV):
    """The strategy files of a release without git (a tarball's checkout)."""
    folder = tmp_path / "old"
    (folder / "data" / "strategy").mkdir(parents=True)
    for file in layers.STRATEGY_FILES:
        text = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:data/strategy/{file}"], capture_output=True,
                              text=True, check=True).stdout  # fmt: skip
        (folder / "data" / "strategy" / file).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.slow  # trial builds over the shipped data
def test_a_checkout_without_git_is_compared_with_every_recorded_release(tmp_path, monkeypatch):
    monkeypatch.delenv("PROVDATA_STATE_URL", raising=False)
    monkeypatch.setenv("PROVDATA_STATE", str(tmp_path / "state"))
    old = plain_checkout(tmp_path)
    assert import_checkout(old).counts.get("edit", 0) == 0  # as shipped: no edit
    edit_links(old)
    progress = old / "data" / "strategy" / "plan_status.csv"
    progress.write_text(
        progress.read_text() + "61,Annual mean PM2.5 concentration,in_progress,PCD asked,2026-11-24 10:00\n"
    )
    result = import_checkout(old)
    assert result.edits == ["province 60 links.csv (19 rows)", "province 61 plan_status.csv (1 rows)"]
    assert [layers.strategy_layer()["plan_status.csv"]["61"].note.tolist()] == [["PCD asked"]]
    assert import_checkout(old).counts == {"edit already": 2}


@pytest.mark.slow  # trial builds over the shipped data
def test_an_edit_this_release_cannot_build_is_refused_and_nothing_is_imported(tmp_path, monkeypatch):
    monkeypatch.delenv("PROVDATA_STATE_URL", raising=False)
    monkeypatch.setenv("PROVDATA_STATE", str(tmp_path / "state"))
    old = plain_checkout(tmp_path)
    edit_links(old, indicator="no_such_indicator")
    (old / "var").mkdir()
    (old / "var" / "accounts.json").write_text(json.dumps({"accounts": {"x-admin": {
        "agency_id": "nso", "admin": True, "password": "scrypt$AAAA$BBBB", "tokens": []}}}))  # fmt: skip
    with pytest.raises(BuildError, match="no_such_indicator"):
        import_checkout(old)
    with store.current().transaction() as tx:
        assert tx.execute("SELECT COUNT(*) FROM account").fetchone()[0] == 0
    assert layers.strategy_layer() == {}


def test_the_record_of_shipped_versions_lists_every_version_in_the_history():
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    recorded = pd.read_csv(SHIPPED, dtype=str, keep_default_na=False)
    history = record_shipped()
    missing = set(zip(history.file, history.province_code, history.sha256, strict=True)) - set(
        zip(recorded.file, recorded.province_code, recorded.sha256, strict=True)
    )
    assert not missing, (
        "data/strategy changed: run `python -m provdata state record-shipped` and commit the file"
    )
