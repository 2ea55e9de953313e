"""The HTTP API served by the app's own server (server.py): exact figures, filters, CSV, 4xx with the parameter
named, uploads with a bearer token through the same validation, and a schema-driven fuzz run with no 5xx."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.parse
import urllib.request

import pandas as pd
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from provdata import accounts, store
from provdata.store import audit, publications
from tests.conftest import make_exchange_env, serving, wide_population_xlsx

pytestmark = pytest.mark.slow  # a server of the file's own
POP = "population_registered"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """server.py over a tiny warehouse with held-back figures; yields (base URL, env, a DOPA steward's token)."""
    env = make_exchange_env(tmp_path_factory.mktemp("api"))
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.env().items():
            mp.setenv(k, v)
        token = accounts.new_token("dopa-steward")
        with serving(env.warehouse, "api") as base:
            yield base, env, token


def call(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, dict | str, dict]:
    req = urllib.request.Request(
        url, data=data, headers=headers or {}, method="POST" if data is not None else "GET"
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            status, body, hdrs = r.status, r.read().decode(), {k.lower(): v for k, v in r.headers.items()}
    except urllib.error.HTTPError as e:
        status, body, hdrs = e.code, e.read().decode(), {k.lower(): v for k, v in e.headers.items()}
    try:
        return status, json.loads(body), hdrs
    except json.JSONDecodeError:
        return status, body, hdrs


def test_indicators_areas_and_an_exact_observation(api):
    base, _env, _ = api
    status, body, headers = call(f"{base}/api/v1/indicators")
    assert status == 200 and body["meta"]["count"] == len(body["data"]) == 7
    gpp = next(i for i in body["data"] if i["id"] == "gpp_current_mb")
    assert gpp["agency_id"] == "nesdc" and gpp["unit_en"] == "million baht"
    status, body, _ = call(f"{base}/api/v1/areas")
    assert status == 200 and {"60", "62", "17"} <= {a["code"] for a in body["data"]}
    status, body, headers = call(
        f"{base}/api/v1/observations?indicator=gpp_current_mb&province=60&from=2020&to=2020"
    )
    assert status == 200 and body["meta"]["total"] == 1
    assert body["data"][0]["value"] == 111440.702788  # NESDC, Nakhon Sawan GPP 2020, million baht
    assert headers["x-provdata-build"] == body["meta"]["build_id"]


def test_csv_and_paging(api):
    base, _, _ = api
    status, text, headers = call(
        f"{base}/api/v1/observations?indicator=gpp_current_mb,dhf_cases&province=60&format=csv"
    )
    assert status == 200 and headers["content-type"].startswith("text/csv")
    frame = pd.read_csv(io.StringIO(text), dtype={"province_code": str})
    assert set(frame.indicator_id) == {"gpp_current_mb", "dhf_cases"}
    assert frame[(frame.indicator_id == "dhf_cases") & (frame.year == 2020)].value.item() == 274
    _, page1, _ = call(f"{base}/api/v1/observations?indicator=gpp_current_mb&limit=5&offset=5")
    _, all_rows, _ = call(f"{base}/api/v1/observations?indicator=gpp_current_mb")
    assert page1["data"] == all_rows["data"][5:10] and page1["meta"]["total"] == all_rows["meta"]["total"]


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("indicator=gdp", "indicator", "indicator 'gdp' is unknown"),
        ("province=99", "province", "province '99' is not a 2-digit DOPA code"),
        ("from=2020&to=2010", "from", "from=2020 is after to=2010"),
        ("from=abc", "from", "from='abc' is not a whole number"),
        ("limit=0", "limit", "limit=0 is outside 1–1000000"),
        ("format=xml", "format", "format='xml': use json or csv"),
        ("colour=red", "colour", "unknown parameter 'colour'"),
        ("format=json&format=csv", "format", "format takes one value, got 2"),
    ],
)
def test_bad_parameters_get_a_400_naming_them(api, query, parameter, message):
    base, _, _ = api
    status, body, _ = call(f"{base}/api/v1/observations?{query}")
    assert status == 400
    assert body["error"]["parameter"] == parameter and message in body["error"]["message"]


def test_unknown_paths_and_methods_are_4xx(api):
    base, _, _ = api
    assert call(f"{base}/api/v1/nothing")[0] == 404
    assert call(f"{base}/api/v1/indicators", data=b"x")[0] == 405


def test_openapi_document_lists_the_endpoints(api):
    base, _, _ = api
    status, doc, _ = call(f"{base}/api/v1/openapi.json")
    assert status == 200 and doc["openapi"].startswith("3.1")
    assert set(doc["paths"]) == {
        f"/api/v1/{p}"
        for p in (
            "indicators",
            "areas",
            "observations",
            "loads",
            "uploads",
            "follow-up",
            "actions",
            "actions/{action_id}",
        )
    }


def test_upload_needs_a_token_checks_like_the_wizard_and_publishes(api):
    base, env, token = api
    data = wide_population_xlsx(env.held_back)
    url = f"{base}/api/v1/uploads?" + urllib.parse.urlencode({"filename": "pop.xlsx", "indicator": POP})
    status, body, headers = call(url, data)
    assert status == 401 and headers["www-authenticate"] == "Bearer"
    assert call(url, data, {"Authorization": "Bearer pd_wrong"})[0] == 401
    auth = {"Authorization": f"Bearer {token}"}
    status, body, _ = call(url + "&dry_run=true", data, auth)
    assert status == 200 and body["counts"] == {
        "accepted": 4,
        "flagged": 0,
        "unchanged": 0,
        "rejected": 0,
        "skipped": 1,
    }
    status, body, _ = call(f"{base}/api/v1/uploads?filename=pop.xlsx", data, auth)
    assert status == 422 and "indicator=ID" in body["error"]["message"]
    status, body, _ = call(
        f"{base}/api/v1/uploads?filename=gpp.csv&indicator=gpp_current_mb",
        "จังหวัด,2563\nนครสวรรค์,5\n".encode(),
        auth,
    )
    assert status == 422 and "belongs to agency nesdc, not dopa" in body["rejected"][0]["reason"]
    # one-value parameters keep their commas (only map and name, lists, split on them)
    status, body, _ = call(
        url + "&dry_run=true&" + urllib.parse.urlencode({"sheet": "ประชากร, 2563"}), data, auth
    )
    assert (
        status == 422
        and body["error"]["message"] == "sheet='ประชากร, 2563' is not in pop.xlsx; its sheets are: 'ประชากร'"
    )
    where = urllib.parse.urlencode({"where": "จังหวัด=นครสวรรค์, กำแพงเพชร"})
    status, body, _ = call(url + "&dry_run=true&" + where, data, auth)
    assert (status, body["error"]["message"]) == (  # taken whole: no row's province is "นครสวรรค์, กำแพงเพชร"
        422, "pop.xlsx has no province rows with figures: every row was skipped (left out by where)")  # fmt: skip
    words = {"note": "revised, see DOPA letter", "license": "Open Government Licence, DOPA"}
    status, body, _ = call(url + "&" + urllib.parse.urlencode(words), data, auth)
    assert status == 201 and body["published"]["rows"] == 4
    load = body["published"]["load_id"]
    record = next(p.record for p in publications.committed(env.inputs.uploads_dir) if p.id == load)
    assert (record["note"], record["license"]) == (words["note"], words["license"])
    _, obs, _ = call(f"{base}/api/v1/observations?indicator={POP}&province=60&from=2020&to=2020")
    assert obs["data"][0]["value"] == 1040308 and obs["data"][0]["load_id"] == load
    _, loads, _ = call(f"{base}/api/v1/loads")
    assert loads["data"][0]["id"] == load and loads["data"][0]["loaded_by"] == "dopa-steward"


def _forget_failed_sign_ins() -> None:
    with store.current().transaction() as tx:
        tx.execute("DELETE FROM signin_failure")


def test_bad_tokens_are_audited_and_slowed_per_address_and_a_forwarded_address_is_not_believed(api):
    """Sent straight to the app port (no proxy is listed in PROVDATA_TRUSTED_PROXIES), X-Forwarded-For names no
    one: the failures count against the real peer, 127.0.0.1, audited with an unknown actor; the fifth locks the
    address out (429 with Retry-After), even for a valid token from there."""
    base, _env, token = api
    url = f"{base}/api/v1/uploads?filename=pop.csv&indicator={POP}&dry_run=true"
    _forget_failed_sign_ins()
    before = len(audit.audit_log("signin_failed"))
    try:
        forged = {"X-Forwarded-For": "203.0.113.5"}
        for _ in range(5):
            assert call(url, b"x", {"Authorization": "Bearer pd_guess", **forged})[0] == 401
        status, body, headers = call(url, b"x", {"Authorization": "Bearer pd_guess", **forged})
        assert status == 429 and 1 <= int(headers["retry-after"]) <= 30
        assert body["error"]["message"].startswith("too many failed sign-ins from this address: try again in")
        assert call(url, b"x", {"Authorization": f"Bearer {token}"})[0] == 429
        failed = audit.audit_log("signin_failed").head(5)
        assert len(audit.audit_log("signin_failed")) == before + 5
        assert set(failed.actor) == {audit.UNKNOWN} and set(failed.client) == {"127.0.0.1"}
        assert json.loads(failed.detail.iloc[0]) == {"attempted": "(api token)", "via": "api token"}
        locked = audit.audit_log("signin_locked").iloc[0]
        assert (locked.actor, locked.client, json.loads(locked.detail)["seconds"]) == (
            audit.UNKNOWN,
            "127.0.0.1",
            30,
        )
    finally:
        _forget_failed_sign_ins()


def test_upload_past_the_size_limit_is_413(api):
    base, _, token = api
    big = b"x" * 20_000_001
    status, body, _ = call(
        f"{base}/api/v1/uploads?filename=big.csv", big, {"Authorization": f"Bearer {token}"}
    )
    assert status == 413 and "the limit is 20 MB" in body["error"]["message"]


def test_upload_of_non_finite_figures_is_rejected_and_never_served(api):
    """inf, NaN and 1e400 are rejected by row and column; nothing is published; the JSON API stays strict JSON."""
    base, _, token = api
    auth = {"Authorization": f"Bearer {token}"}
    data = "จังหวัด,2562,2563\nนครสวรรค์,inf,1e400\nกำแพงเพชร,NaN,๑e๔๐๐\n".encode()
    url = f"{base}/api/v1/uploads?filename=nonfinite.csv&indicator={POP}"
    status, body, _ = call(url + "&dry_run=true", data, auth)
    assert status == 200 and body["counts"]["rejected"] == 4 and body["counts"]["accepted"] == 0
    assert [(r["row"], r["column"], r["value"]) for r in body["rejected"]] == [
        (2, "B “2562”", "inf"), (2, "C “2563”", "1e400"), (3, "B “2562”", "NaN"), (3, "C “2563”", "๑e๔๐๐")
    ]  # fmt: skip
    assert all("is not a finite number" in r["reason"] for r in body["rejected"])
    status, body, _ = call(url, data, auth)
    assert status == 422 and body["message"].startswith("nothing to publish")
    with urllib.request.urlopen(f"{base}/api/v1/observations?indicator={POP}", timeout=60) as r:
        text = r.read().decode()

    def refuse(constant):
        raise AssertionError(f"the API served {constant}")

    rows = json.loads(text, parse_constant=refuse)["data"]
    assert rows and all(isinstance(row["value"], (int, float)) for row in rows)


def test_fuzz_no_server_errors(api):
    """Schemathesis generates requests from the OpenAPI document (valid and invalid parameters, bodies and tokens);
    no answer may be a 5xx. Driven through hypothesis directly (the schemathesis pytest plugin is not used)."""
    base, _, _ = api
    schema = schemathesis.openapi.from_url(f"{base}/api/v1/openapi.json")
    calls = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            response = case.call_and_validate(checks=[not_a_server_error])
            calls.append((case.operation.label, response.status_code))

        run()
    assert len({label for label, _ in calls}) == 8
    assert all(status < 500 for _, status in calls) and len(calls) >= 60
