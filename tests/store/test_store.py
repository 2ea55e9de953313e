"""The state store: one interface for what a deployment creates (accounts, tokens, sign-in failures, audit,
aliases, added indicators, chain edits), an accounts.json of an earlier version imported once."""

from __future__ import annotations

import base64
import hashlib
import json
import os

import pytest

from provdata import accounts, store
from provdata.basics import config
from provdata.ingest import aliases
from provdata.store import audit
from tests.conftest import PASSWORD


@pytest.fixture
def fresh_state(tmp_path, monkeypatch, state_backend):
    """An empty state folder and an empty store: embedded, or a fresh PostgreSQL database."""
    monkeypatch.setenv("PROVDATA_STATE", str(tmp_path / "state"))
    return tmp_path / "state"


def test_an_accounts_file_of_an_earlier_version_is_imported_once_then_never_written(fresh_state):
    fresh_state.mkdir(parents=True)
    token = "pd_" + "x" * 43
    book = {"accounts": {
        "dopa-steward": {"role": "steward", "agency_id": "dopa", "provinces": [], "email": "s@dopa.go.th",
                         "disabled": False, "password": accounts._hash(PASSWORD, b"0123456789abcdef"),
                         "tokens": [{"id": "ab12cd34", "digest": hashlib.sha256(token.encode()).hexdigest(),
                                     "label": "script", "created": "2026-01-01T00:00:00+00:00",
                                     "expires": "2099-01-01T00:00:00+00:00"}, "old-style-token"]},
        "old-admin": {"admin": True, "agency_id": "nso",
                      "password": accounts._hash(PASSWORD, base64.b64decode(b"AAAAAAAAAAAAAAAAAAAAAA=="))},
    }}  # fmt: skip
    legacy = config.accounts_path()
    fd = os.open(legacy, os.O_WRONLY | os.O_CREAT, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(book, fh)

    assert accounts.verify("dopa-steward", PASSWORD).agency_id == "dopa"
    assert not legacy.exists() and legacy.with_name("accounts.json.imported").exists()
    assert [(a.name, a.role, d) for a, d in accounts.all_accounts()] == [
        ("dopa-steward", "steward", False), ("old-admin", "admin", False)]  # fmt: skip
    assert accounts.by_token(token).name == "dopa-steward"
    assert [t["id"] for t in accounts.tokens("dopa-steward")] == ["ab12cd34"]  # the pre-expiry token dropped
    assert accounts.by_email("S@DOPA.GO.TH").name == "dopa-steward"
    accounts.add("ns-planner", PASSWORD, role="planner", provinces=["60"])
    assert not legacy.exists()  # never written again
    with store.current().transaction() as tx:
        assert (
            tx.execute("SELECT value FROM meta WHERE key = 'accounts_imported'")
            .fetchone()[0]
            .startswith(str(legacy))
        )


def test_a_write_is_all_or_nothing(fresh_state):
    accounts.add("dopa-steward", PASSWORD, "dopa")
    with pytest.raises(RuntimeError), store.current().transaction() as tx:
        tx.execute("DELETE FROM token")
        tx.execute("DELETE FROM account")
        raise RuntimeError("killed half way")
    assert [a.name for a, _ in accounts.all_accounts()] == ["dopa-steward"]


def test_aliases_and_failures_are_kept_per_store(fresh_state, tmp_path):
    assert aliases.keep("dopa", {"NAKORN SAWAN": "60", "Kampangphet": "62"}, "dopa-steward") == [
        ("NAKORN SAWAN", "60"), ("Kampangphet", "62")]  # fmt: skip
    assert aliases.keep("dopa", {"NAKORN SAWAN": "60"}, "dopa-steward") == []
    assert aliases.confirmed("dopa") == (("NAKORN SAWAN", "60"), ("Kampangphet", "62"))
    assert aliases.confirmed("nesdc") == ()
    audit.record_failure("x", "10.0.0.1", 1000.0)
    assert audit.failures_from_client("10.0.0.1", 0) == [1000.0]
    assert audit.audit_log("alias_confirm").target.tolist() == ["agency dopa"]
    other = store.for_folder(tmp_path / "elsewhere")
    with other.transaction() as tx:
        assert tx.execute("SELECT COUNT(*) FROM alias").fetchone()[0] == 0
    if store.current().kind == "sqlite":
        assert audit.path().stat().st_mode & 0o777 == 0o600
    else:
        assert not audit.path().exists()  # nothing of the state on this host's disk


@pytest.mark.slow
def test_lockout_is_counted_across_processes_that_share_only_the_store(fresh_state, tmp_path):
    """Two processes, each with its own working folder, try wrong passwords: the store counts them together
    (on PostgreSQL the processes share nothing else; the embedded store is shared by one host's processes)."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    accounts.add("dopa-steward", PASSWORD, "dopa")
    script = (
        "import sys; from provdata import accounts\n"
        "print([accounts.verify('dopa-steward', 'wrong password ' + str(i), client=sys.argv[1]) is None "
        "for i in range(int(sys.argv[2]))])"
    )
    url = os.environ.get("PROVDATA_STATE_URL")
    for host, tries in (("host-a", 3), ("host-b", 2)):
        env = {**os.environ, "PROVDATA_STATE": str(fresh_state if url is None else tmp_path / host)}
        out = subprocess.run([sys.executable, "-c", script, f"10.0.0.{len(host)}", str(tries)], env=env,
                             cwd=ROOT, capture_output=True, text=True, check=True)  # fmt: skip
        assert out.stdout.strip() == str([True] * tries)
    fails = audit.failures_from_client("10.0.0.6", 0)
    assert len(fails) == 5
    assert accounts.lockout_seconds("10.0.0.6", at=fails[-1]) == 30  # LOCKOUT_AFTER = 5: the first wait, 30 s
    with pytest.raises(accounts.SignInLocked):
        accounts.verify("dopa-steward", PASSWORD, client="10.0.0.6")


def test_state_migrate_copies_an_embedded_store_to_postgresql_and_back(
    tmp_path, monkeypatch, postgres_server
):
    from provdata.cli.main import main
    from provdata.warehouse import layers

    monkeypatch.setenv("PROVDATA_STATE", str(tmp_path / "state"))
    monkeypatch.delenv("PROVDATA_STATE_URL", raising=False)
    accounts.add("dopa-steward", PASSWORD, "dopa")
    token = accounts.new_token("dopa-steward", label="census script")
    aliases.keep("dopa", {"NAKORN SAWAN": "60"}, "dopa-steward")
    audit.record_failure("dopa-steward", "10.0.0.1", 1000.0)
    with store.current().transaction() as tx:
        layers.put_strategy_rows(tx, "61", "plan_status.csv", __import__("pandas").DataFrame(
            [{"province_code": "61", "link": "x", "status": "done", "note": "", "updated_at": "2026-01-01 00:00"}]))  # fmt: skip
    from provdata.store import publications

    with store.current().transaction() as tx:  # a publication (its rows are not read here: any bytes do)
        publications.insert(tx, {"id": 101, "status": "active", "file_name": "nsw.csv"}, b"rows", b"raw file")
        publications.bump_sequence(tx)
    audit_before = audit.audit_log()
    pg = postgres_server.new_database()
    assert main(["state", "migrate", "--to", pg]) == 0

    monkeypatch.setenv("PROVDATA_STATE_URL", pg)  # the deployment now runs on PostgreSQL
    assert audit.failures_from_client("10.0.0.1", 0) == [1000.0]
    assert accounts.verify("dopa-steward", PASSWORD).agency_id == "dopa"  # (a right password clears them)
    assert accounts.by_token(token).name == "dopa-steward"
    assert aliases.confirmed("dopa") == (("NAKORN SAWAN", "60"),)
    assert layers.strategy_layer()["plan_status.csv"]["61"].status.tolist() == ["done"]
    assert [p.id for p in publications.committed(tmp_path / "no-folders")] == [101]
    assert publications.raw_file(101) == ("nsw.csv", b"raw file") and publications.sequence() == 1
    with publications.snapshot(tmp_path / "no-folders") as snap:
        assert snap.next_load_id == 102  # the load counter came along
    pd_testing = __import__("pandas").testing
    pd_testing.assert_frame_equal(audit.audit_log().iloc[len(audit.audit_log()) - len(audit_before):]
                                  .reset_index(drop=True), audit_before.reset_index(drop=True))  # fmt: skip
    audit.audit("admin", "admin", "rollback", "load 101")  # new entries number on after the copied ones
    assert audit.audit_log().id.iloc[0] == audit_before.id.max() + 1

    # … and back into an empty embedded store; a store that is not empty is refused, naming what it holds
    back = tmp_path / "back" / "state.sqlite"
    assert main(["state", "migrate", "--to", f"sqlite:///{back}"]) == 0
    assert [a.name for a, _ in accounts.all_accounts()] == ["dopa-steward"]
    assert main(["state", "migrate", "--from", pg, "--to", f"sqlite:///{back}"]) == 2
    assert main(["state", "migrate", "--to", "mysql://x"]) == 2
    monkeypatch.delenv("PROVDATA_STATE_URL")
    monkeypatch.setenv("PROVDATA_STATE", str(back.parent))
    assert (
        accounts.verify("dopa-steward", PASSWORD) is not None
        and len(audit.audit_log()) == len(audit_before) + 1
    )
