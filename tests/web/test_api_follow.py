"""The follow-up register over HTTP, in process (the same Starlette routes server.py mounts): the same rules as the
app — a planner's token records and changes, anyone else is refused (403, audited), a bad field is a 422 naming it —
and the province's flags, actions and review lines read back as JSON and CSV."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from starlette.applications import Starlette

from provdata import accounts
from provdata.store import audit
from provdata.web.api import common, mount
from tests.conftest import PASSWORD, run_async
from tests.exchange.test_actions import GOOD


def call(method: str, path: str, body: dict | None = None, token: str | None = None, query: str = ""):
    """One request through the API's routes; (status, parsed JSON or text)."""
    app = Starlette(routes=mount.routes())
    data = json.dumps(body).encode() if body is not None else b""
    headers = [(b"content-length", str(len(data)).encode()), (b"content-type", b"application/json")]
    if token:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    scope = {"type": "http", "method": method, "path": path, "raw_path": path.encode(), "query_string": query.encode(),
             "headers": headers, "client": ("10.0.0.9", 1234), "server": ("test", 80), "scheme": "http",
             "root_path": "", "http_version": "1.1"}  # fmt: skip
    sent = {"body": b"", "status": None, "headers": {}}

    async def receive():
        return {"type": "http.request", "body": data, "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            sent["status"] = message["status"]
            sent["headers"] = dict(message["headers"])
        elif message["type"] == "http.response.body":
            sent["body"] += message.get("body", b"")

    run_async(app(scope, receive, send))
    text = sent["body"].decode()
    is_json = sent["headers"].get(b"content-type", b"").startswith(b"application/json")
    return sent["status"], json.loads(text) if is_json else text


@pytest.fixture
def api(exchange_env):
    common.warehouse.cache_clear()
    accounts.add("ns-planner", PASSWORD, role="planner", provinces=["60"])
    tokens = {name: accounts.new_token(name) for name in ("ns-planner", "dopa-steward")}
    yield tokens
    common.warehouse.cache_clear()


def test_a_planner_records_and_changes_an_action_over_the_api(api):
    status, body = call("POST", "/api/v1/actions", {"province": "60", **GOOD}, api["ns-planner"])
    assert status == 201, body
    new = body["action"]
    assert (new["indicator_id"], new["status"], new["baseline_year"], new["baseline_value"]) == (
        "dhf_cases", "planned", 2020, 274.0)  # fmt: skip
    status, body = call("POST", f"/api/v1/actions/{new['id']}", {"status": "under_way"}, api["ns-planner"])
    assert status == 200 and body["action"]["status"] == "under_way"
    lines = audit.audit_log("follow_action")
    assert lines.actor.tolist() == ["ns-planner", "ns-planner"] and set(lines.client) == {"10.0.0.9"}


def test_the_api_refuses_like_the_app(api):
    assert call("POST", "/api/v1/actions", {"province": "60", **GOOD})[0] == 401
    status, body = call("POST", "/api/v1/actions", {"province": "60", **GOOD}, api["dopa-steward"])
    assert status == 403 and "may not edit the statistics chart of province 60" in body["error"]["message"]
    assert audit.audit_log("write_refused").actor.tolist() == ["dopa-steward"]
    status, body = call("POST", "/api/v1/actions", {"province": "60", **GOOD, "due_date": "tomorrow"},
                        api["ns-planner"])  # fmt: skip
    assert status == 422 and body["error"]["parameter"] == "due_date"
    assert "'tomorrow' is not a date written YYYY-MM-DD" in body["error"]["message"]
    assert call("POST", "/api/v1/actions/999", {"status": "done"}, api["ns-planner"])[0] == 404
    assert call("POST", "/api/v1/actions", {"province": 60}, api["ns-planner"])[0] == 422  # not text
    assert audit.audit_log("follow_action").empty


def test_the_follow_up_reads_back_as_json_and_csv(api):
    call("POST", "/api/v1/actions", {"province": "60", **GOOD}, api["ns-planner"])
    status, body = call("GET", "/api/v1/follow-up", query="province=60")
    assert status == 200
    assert [(f["indicator_id"], f["flag_key"], f["year"]) for f in body["flags"]] == [
        ("rice_inseason_production_t", "significant_change", 2015)]  # fmt: skip
    assert body["flags"][0]["rule"] == ("1,192,895 in 2015 against 1,355,321 in 2014: -12.0 %, a change the wrong "
                                        "way of at least 10 % (higher is better)")  # fmt: skip
    assert [a["what"] for a in body["actions"]] == [GOOD["what"]]
    assert body["actions"][0]["review"] == ("No new figure since the action was recorded (latest still 274, 2020): "
                                            "awaiting the next release")  # fmt: skip
    assert "never that the action caused it" in body["meta"]["note"]
    status, text = call("GET", "/api/v1/follow-up", query="province=60&format=csv&lang=th")
    rows = pd.read_csv(io.StringIO(text), dtype=str)
    assert rows.record.tolist() == ["flag", "action"]
    assert rows.rule[0].startswith("1,192,895 ในปี 2558")
    assert call("GET", "/api/v1/follow-up", query="province=99")[0] == 400
