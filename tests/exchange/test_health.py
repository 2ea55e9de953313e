"""A host says what it is: readiness (store reachable, seconds behind, one build id for one state), outages as JSON
503 with Retry-After, no connection detail to anyone but the log, and a host without its store says so.

On a real PostgreSQL (tests/conftest.py ``postgres_server``) over the tiny inputs."""

from __future__ import annotations

import json
import logging
import shutil

import pytest
from starlette.requests import Request

from provdata import accounts, store
from provdata.exchange import follow, health
from provdata.store import publications
from provdata.ui import head
from provdata.warehouse.build import build_warehouse
from provdata.warehouse.db import Warehouse
from provdata.web import health as web_health
from provdata.web import logs
from provdata.web.api import post_upload
from tests.conftest import make_exchange_env, open_page, run_async, tiny_inputs, tiny_warehouse_copy

pytestmark = pytest.mark.slow  # a real PostgreSQL server


def get(handler, path: str = "/readyz"):
    response = handler(
        Request({"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b""})
    )
    return response.status_code, dict(response.headers), json.loads(response.body)


def post_upload_with(token: str):
    async def receive():
        return {"type": "http.request", "body": b"province,value\n", "more_body": False}

    scope = {"type": "http", "method": "POST", "path": "/api/v1/uploads", "query_string": b"filename=pop.csv",
             "headers": [(b"authorization", f"Bearer {token}".encode())], "client": ("127.0.0.1", 5000)}  # fmt: skip
    response = run_async(post_upload(Request(scope, receive)))
    return response.status_code, dict(response.headers), response.body.decode()


def bump() -> int:
    with store.current().transaction() as tx:
        return publications.bump_sequence(tx)


@pytest.fixture
def pg_host(tmp_path, monkeypatch, postgres_server):
    """A host on a fresh PostgreSQL database with the tiny inputs' warehouse (built at sequence 0)."""
    url = postgres_server.new_database()
    monkeypatch.setenv("PROVDATA_STATE_URL", url)
    env = make_exchange_env(tmp_path)
    for k, v in env.env().items():
        monkeypatch.setenv(k, v)
    return env, url


def test_readiness_says_how_far_behind_and_two_hosts_agree_on_the_build_id(pg_host, tmp_path, monkeypatch):
    env, _url = pg_host
    status, headers, body = get(web_health.ready)
    assert (status, body["ready"], body["problem"], body["store_kind"]) == (200, True, None, "postgresql")
    assert (body["store_seq"], body["warehouse_seq"], body["store_named_by"]) == (0, 0, "PROVDATA_STATE_URL")
    assert "Retry-After" not in headers

    bump()  # another host published: this one is behind until it rebuilds
    status, headers, body = get(web_health.ready)
    assert (status, headers["retry-after"], body["ready"], body["problem"]) == (503, "5", False, "behind")
    assert (body["store_seq"], body["warehouse_seq"]) == (1, 0)
    assert (
        body["seconds_behind"] >= 0 and health.check().seconds_behind > 0
    )  # since this host first saw the gap
    # this test's hosts do not follow (PROVDATA_FOLLOW_SECONDS=0): they serve their pages
    assert health.refuses_pages(health.check()) is False
    monkeypatch.setenv(
        "PROVDATA_FOLLOW_SECONDS", "2"
    )  # a following host sends a new visitor to a current one
    health._last.clear()
    page = head._page(
        Request({"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b""})
    )
    assert (page.status_code, page.headers["retry-after"]) == (503, "5")
    assert "เซิร์ฟเวอร์นี้กำลังปรับตัวเลขให้เป็นปัจจุบัน" in page.body.decode()  # Thai by default

    follow.catch_up(env.warehouse, env.inputs)
    health._last.clear()
    home = Request({"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b""})
    assert head._page(home).status_code == 200  # current again: it serves its pages
    status, _headers, first = get(web_health.ready)
    assert (status, first["ready"], first["store_seq"], first["warehouse_seq"]) == (200, True, 1, 1)
    assert first["seconds_behind"] == 0

    second = tiny_warehouse_copy(tmp_path / "host2.duckdb")  # a second host on the same store
    follow.catch_up(second, env.inputs)
    other = health.check(second)
    assert other.ready and other.build_id == first["build_id"] == Warehouse(env.warehouse).build_id
    assert other.store_id == first["store_id"]
    assert first["build_id"].startswith("s1-")


def connection_details(url: str) -> list[str]:
    """What must not reach a visitor: the database's name, its socket folder (host), the role."""
    database = url.split("/")[3].split("?")[0]
    folder = url.split("host=")[1]
    return [database, folder, "provdata@", "5432"]


def test_an_outage_is_not_ready_and_api_writes_answer_json_503_with_retry_after(
    pg_host, postgres_server, caplog
):
    env, url = pg_host
    token = accounts.new_token("dopa-steward")
    postgres_server.stop()
    try:
        status, headers, body = get(web_health.ready)
        assert (status, body["ready"], body["problem"], headers["retry-after"]) == (
            503,
            False,
            "store_unreachable",
            "5",
        )
        assert body["build_id"] == Warehouse(env.warehouse).build_id  # still serving the figures it had
        assert health.banner(health.check()) == "health.store_unreachable"
        status, headers, text = post_upload_with(token)
        assert (status, headers["retry-after"], headers["content-type"]) == (503, "30", "application/json")
        message = json.loads(text)["error"]["message"]
        assert message.startswith("the state store (PostgreSQL) cannot be reached; this write was not made")
        for detail in connection_details(url):
            assert detail not in json.dumps(body) and detail not in text
    finally:
        postgres_server.start()
    # the administrator's log has the detail
    assert any(
        url.split("/")[3].split("?")[0] in r.getMessage()
        for r in caplog.records
        if r.name == "provdata.store"
    )
    assert get(web_health.ready)[0] == 200


def test_the_sign_in_page_shows_no_connection_detail_to_anonymous_visitors(
    pg_host, postgres_server, use_warehouse
):
    env, url = pg_host
    use_warehouse(env.warehouse)
    at = open_page("pages/exchange.py", lang="en")
    postgres_server.stop()
    health._last.clear()  # the page's next run looks at the store again
    try:
        at.text_input(key="login_user").set_value("dopa-steward")
        at.text_input(key="login_password").set_value("whatever-the-password")
        at.button(key="login_submit").click().run()
    finally:
        postgres_server.start()
    assert not at.exception
    assert [e.value for e in at.error][:1] == [
        "The database that keeps accounts, publications and edits cannot be reached right now, so nothing was "
        "written. The figures shown are the ones this server already had. Try again in a minute; if it lasts, "
        "tell the administrator."
    ]
    build = Warehouse(env.warehouse).build_id
    assert [w.value for w in at.warning if "state store" in w.value] == [
        "This server cannot reach its state store. The figures shown are those of data build "
        f"{build}; sign-in, uploads and edits wait until the store is back."
    ]
    shown = " ".join(str(getattr(e, "value", "")) + str(getattr(e, "body", "")) for e in at.main)
    shown += " ".join(str(e.value) for kind in (at.error, at.warning, at.info, at.markdown, at.code, at.caption)
                      for e in kind)  # fmt: skip
    for detail in connection_details(url):
        assert detail not in shown


def test_a_host_without_its_store_says_so_and_does_not_follow_an_empty_one(pg_host, monkeypatch, tmp_path):
    env, url = pg_host
    bump()
    bump()
    follow.catch_up(env.warehouse, env.inputs)  # built from PostgreSQL at sequence 2
    before = Warehouse(env.warehouse).build_id
    monkeypatch.delenv("PROVDATA_STATE_URL")  # restarted without it: the embedded store, empty
    monkeypatch.setenv("PROVDATA_STATE", str(tmp_path / "elsewhere"))
    status, _headers, body = get(web_health.ready)
    assert (status, body["problem"], body["store_kind"], body["store_named_by"]) == (
        503, "other_store", "sqlite", "embedded default")  # fmt: skip
    assert (body["store_seq"], body["warehouse_seq"]) == (0, 2)
    with pytest.raises(follow.OtherStore, match="pointed at another store"):
        follow.catch_up(env.warehouse, env.inputs)
    assert Warehouse(env.warehouse).build_id == before  # the figures were not replaced by an empty store's
    monkeypatch.setenv("PROVDATA_FOLLOW_SECONDS", "2")
    assert health.banner(health.check()) == "health.other_store"

    # named once, in the deployment file (no environment variable needed); a dead database is said so
    conf = tmp_path / "provdata.toml"
    conf.write_text(f'[store]\nurl = "{url}"\n')
    conf.chmod(0o600)
    monkeypatch.setenv("PROVDATA_CONFIG", str(conf))
    assert store.configured() == (url, str(conf))
    status, _headers, body = get(web_health.ready)
    assert (status, body["ready"], body["store_named_by"], body["store_seq"]) == (
        200,
        True,
        "deployment file",
        2,
    )
    conf.write_text(f'[store]\nurl = "{url.replace("/state_", "/gone_")}"\n')
    status, _headers, body = get(web_health.ready)
    assert (status, body["problem"]) == (503, "store_unreachable")
    # named twice, differently: refused, said in the readiness answer and on API writes
    conf.write_text(f'[store]\nurl = "{url}"\n')
    monkeypatch.setenv("PROVDATA_STATE_URL", url + "&application_name=x")
    status, _headers, body = get(web_health.ready)
    assert (status, body["problem"]) == (503, "misconfigured")
    status, headers, text = post_upload_with("pd_anything")
    assert (status, headers["retry-after"]) == (503, "60") and "not configured correctly" in text
    assert url not in text


def test_follower_rebuilds_are_in_the_default_log(pg_host, capfd):
    env, _url = pg_host
    logger = logs.setup()
    try:
        bump()
        follow.catch_up(env.warehouse, env.inputs)
        err = capfd.readouterr().err
    finally:
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.propagate = True
        logger.setLevel(logging.NOTSET)
    assert (
        "INFO provdata.exchange.follow: warehouse built at sequence 0, the state store is at 1: rebuilding"
        in err
    )
    assert "INFO provdata.exchange.follow: rebuilt" in err and "at sequence 1 (build s1-" in err


def test_a_build_leaves_no_empty_store_behind(tmp_path, monkeypatch):
    monkeypatch.delenv("PROVDATA_STATE_URL", raising=False)
    monkeypatch.setenv("PROVDATA_STATE", str(tmp_path / "var"))
    result = build_warehouse(tmp_path / "wh.duckdb", tiny_inputs(), log=lambda _m: None)
    assert result.build_id.startswith("s0-")
    assert not (tmp_path / "var" / "state.sqlite").exists()
    shutil.rmtree(tmp_path / "var", ignore_errors=True)
