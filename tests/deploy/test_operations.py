"""What docs/operations.md tells an operator, tried on a real PostgreSQL: a backup (pg_dump) restored into a new
database serves the same state, and the application role needs no more than the privileges the runbook lists."""

from __future__ import annotations

import subprocess

import psycopg
import pytest

from provdata import accounts, store
from provdata.exchange import follow, health
from provdata.store import audit, publications
from provdata.warehouse.db import Warehouse
from tests.conftest import PASSWORD, PG_BIN, make_exchange_env, tiny_warehouse_copy

pytestmark = pytest.mark.slow  # a real PostgreSQL server


def database(url: str) -> str:
    return url.split("/")[3].split("?")[0]


def client(*args: str) -> None:
    """A PostgreSQL client program, run as this user (the server's socket takes the provdata role)."""
    out = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr


def test_a_backup_restored_into_a_new_database_serves_the_same_state(tmp_path, monkeypatch, postgres_server):
    url = postgres_server.new_database()
    monkeypatch.setenv("PROVDATA_STATE_URL", url)
    env = make_exchange_env(tmp_path)
    for k, v in env.env().items():
        monkeypatch.setenv(k, v)
    token = accounts.new_token("dopa-steward")
    with store.current().transaction() as tx:  # the state moved (as a publish moves it)
        publications.bump_sequence(tx)
    follow.catch_up(env.warehouse, env.inputs)
    before = health.check(env.warehouse)
    assert before.ready and before.store_seq == 1

    dump = tmp_path / "provdata.dump"
    folder = postgres_server.folder
    client(str(PG_BIN / "pg_dump"), "-h", str(folder), "-U", "provdata", "-Fc", "-f", str(dump),
        database(url))  # fmt: skip
    restored = url.replace(database(url), database(url) + "_restored")
    client(str(PG_BIN / "createdb"), "-h", str(folder), "-U", "provdata", database(restored))
    client(str(PG_BIN / "pg_restore"), "-h", str(folder), "-U", "provdata", "-d",
        database(restored), "--no-owner", str(dump))  # fmt: skip

    monkeypatch.setenv("PROVDATA_STATE_URL", restored)  # a new host on the restored database
    host = tiny_warehouse_copy(tmp_path / "restored.duckdb")
    follow.catch_up(host, env.inputs)
    after = health.check(host)
    assert after.ready
    assert (after.build_id, after.store_id, after.store_seq) == (before.build_id, before.store_id, 1)
    assert Warehouse(host).build_id == Warehouse(env.warehouse).build_id
    assert accounts.verify("admin", PASSWORD).role == "admin"
    assert accounts.by_token(token).name == "dopa-steward"


#: what docs/operations.md grants the application role on a database the owner set up (`provdata state init`)
GRANTS = """
GRANT CONNECT ON DATABASE "{db}" TO provdata_app;
GRANT USAGE ON SCHEMA public TO provdata_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO provdata_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO provdata_app;
"""


def test_the_application_role_needs_only_row_privileges_on_tables_the_owner_made(
    tmp_path, monkeypatch, postgres_server
):
    url = postgres_server.new_database()
    owner = store.open_store(url)
    with owner.transaction() as tx:  # the owner makes the tables (what `provdata state init` does)
        tx.execute("SELECT 1")
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("DROP ROLE IF EXISTS provdata_app")
        con.execute("CREATE ROLE provdata_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
        con.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        for statement in GRANTS.format(db=database(url)).strip().splitlines():
            con.execute(statement)
    app_url = url.replace("provdata@", "provdata_app@")
    monkeypatch.setenv("PROVDATA_STATE_URL", app_url)
    monkeypatch.setenv("PROVDATA_STATE", str(tmp_path / "state"))
    # every kind of write the app makes: an account and its token, the audit log, the sequence, a lock
    accounts.add("role-admin", PASSWORD, "nso", admin=True)
    token = accounts.new_token("role-admin")
    assert accounts.by_token(token).name == "role-admin"
    with store.current().lock("publish"), store.current().transaction() as tx:
        assert publications.bump_sequence(tx) == 1
    assert "role-admin" in set(audit.audit_log().target.str.replace("account ", ""))
    assert store.identity(store.current())
    # and it cannot change the tables' shape
    with psycopg.connect(app_url) as con, pytest.raises(psycopg.errors.InsufficientPrivilege):
        con.execute("CREATE TABLE intruder (x int)")
