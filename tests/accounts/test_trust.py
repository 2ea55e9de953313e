"""Trust (issue #11): sign-in lockout, expiring and revocable tokens, accounts removed or disabled while signed
in, the audit log, nothing lost after a killed writer whichever writer comes next, leftover temp files, secrets
files, and what users type shown as text."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pandas as pd
import pytest

from provdata import accounts, store
from provdata.accounts.records import _actor
from provdata.basics import config, textfields
from provdata.exchange import chain_edits, publish
from provdata.ingest import Options
from provdata.store import audit
from provdata.store.publications import committed
from provdata.ui import markup
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse
from tests.conftest import PASSWORD, ROOT, open_page, sign_in, wide_population_xlsx
from tests.exchange.test_publish import POP, current, kill_publish_at, sha, steward

# ------------------------------------------------------------------------------------------------ lockout


def test_five_failed_sign_ins_lock_out_the_address_not_the_account_with_a_growing_wait(exchange_env):
    for _ in range(config.LOCKOUT_AFTER):
        assert accounts.verify("dopa-steward", "wrong password!", client="10.0.0.7") is None
    # locked: from that address even the right password is not checked now
    with pytest.raises(accounts.SignInLocked) as locked:
        accounts.verify("dopa-steward", PASSWORD, client="10.0.0.7")
    assert 25 <= locked.value.seconds <= 30 and locked.value.params == {"minutes": 1}
    assert str(locked.value).startswith("too many failed sign-ins from this address: try again in")
    # the account itself is not locked: its owner signs in from another address (no one can lock another out)
    assert accounts.verify("dopa-steward", PASSWORD, client="10.0.0.8").name == "dopa-steward"
    # each further failure doubles the wait (first 30 s, then 60 s, …, at most an hour)
    last = audit.failures_from_client("10.0.0.7", 0)[-1]
    audit.record_failure("dopa-steward", "10.0.0.7", last + 31)
    assert 55 <= accounts.lockout_seconds("10.0.0.7", at=last + 32) <= 60
    for i in range(20):
        audit.record_failure("dopa-steward", "10.0.0.7", last + 40 + i)
    assert accounts.lockout_seconds("10.0.0.7", at=last + 61) == config.LOCKOUT_MAX_SECONDS - 2
    log = audit.audit_log()
    failed = log[log.action == "signin_failed"]
    assert len(failed) == config.LOCKOUT_AFTER and set(failed.actor) == {audit.UNKNOWN}
    locked_entry = log[log.action == "signin_locked"].iloc[0]
    assert (locked_entry.actor, locked_entry.role, locked_entry.client) == (audit.UNKNOWN, "", "10.0.0.7")
    assert json.loads(locked_entry.detail) == {"attempted": "dopa-steward", "via": "password", "seconds": 30}


def test_a_right_password_clears_that_names_failures_from_that_address(exchange_env):
    for _ in range(config.LOCKOUT_AFTER - 1):
        accounts.verify("dopa-steward", "wrong password!")
    assert accounts.verify("dopa-steward", PASSWORD).name == "dopa-steward"
    accounts.verify("dopa-steward", "wrong password!")
    assert accounts.lockout_seconds() == 0


def test_one_address_guessing_many_accounts_is_locked_out(exchange_env):
    for i in range(config.LOCKOUT_AFTER):
        accounts.verify(f"guess-{i}", "wrong password!", client="203.0.113.9")
    with pytest.raises(accounts.SignInLocked):
        accounts.verify("admin", PASSWORD, client="203.0.113.9")
    assert accounts.verify("admin", PASSWORD, client="198.51.100.1").admin


def test_a_forged_name_never_becomes_an_actor_of_the_audit_log(exchange_env, capsys):
    """An anonymous attempt with a name made to look like an audit line: recorded as unknown, the name escaped in
    the detail; `provdata audit` prints no line whose actor is root1."""
    from provdata.cli.main import main

    forged = "root1\tadmin\trollback\tload 101\n2026-12-06T00:00:00\troot1\tadmin\trollback\u202e"
    assert accounts.verify(forged, "wrong password!", client="192.0.2.1") is None
    assert (
        accounts.verify("admin", "wrong password!", client="192.0.2.1") is None
    )  # a real name, not verified
    log = audit.audit_log("signin_failed")
    assert log.actor.tolist() == [audit.UNKNOWN, audit.UNKNOWN] and log.role.tolist() == ["", ""]
    assert json.loads(log.detail.iloc[1])["attempted"] == (
        "root1\\tadmin\\trollback\\tload 101\\n2026-12-06T00:00:00\\troot1\\tadmin\\trollback\\u202e"
    )
    assert main(["audit"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[1:5] for line in lines if "signin_failed" in line] == [
        [audit.UNKNOWN, "", "signin_failed", "sign-in"]] * 2  # fmt: skip
    assert [line.split("\t")[1] for line in lines] == [audit.UNKNOWN] * 2 + [_actor()] * 3  # the accounts
    assert "\u202e" not in "".join(lines) and all(len(line.split("\t")) == 7 for line in lines)


def test_the_sign_in_form_says_when_to_try_again(exchange_env):
    at = open_page("pages/exchange.py", lang="en")
    for _ in range(config.LOCKOUT_AFTER):
        sign_in(at, "dopa-steward", "wrong password!")
    assert at.error[-1].value == "Wrong account or password."
    sign_in(at, "dopa-steward")
    assert "Too many wrong passwords" in str(at.error[-1].proto)
    assert "try again in 1 minute(s)" in at.error[-1].value
    assert "account" not in at.session_state


# ------------------------------------------------------------------------------------------------- tokens


def test_tokens_expire_and_are_revoked_one_by_one(exchange_env):
    first = accounts.new_token("dopa-steward", label="census script")
    second = accounts.new_token("dopa-steward", days=1)
    listed = accounts.tokens("dopa-steward")
    assert [t["label"] for t in listed] == ["census script", ""] and not any(t["expired"] for t in listed)
    assert "digest" not in listed[0]
    accounts.revoke_token("dopa-steward", listed[0]["id"])
    assert accounts.by_token(first) is None
    assert accounts.by_token(second).name == "dopa-steward"
    # a token past its expiry no longer works
    with store.current().transaction() as tx:
        tx.execute("UPDATE token SET expires = '2020-01-01T00:00:00+00:00' WHERE id = ?", (listed[1]["id"],))
    assert accounts.by_token(second) is None
    assert accounts.tokens("dopa-steward")[0]["expired"]
    with pytest.raises(accounts.AccountError, match="has no token 'nope'"):
        accounts.revoke_token("dopa-steward", "nope")
    actions = audit.audit_log().action.tolist()
    assert actions.count("token_new") == 2 and actions.count("token_revoke") == 1


def test_a_disabled_account_cannot_sign_in_or_use_its_token(exchange_env):
    token = accounts.new_token("dopa-steward")
    accounts.set_disabled("dopa-steward", True)
    assert accounts.verify("dopa-steward", PASSWORD) is None
    assert accounts.by_token(token) is None
    accounts.set_disabled("dopa-steward", False)
    assert accounts.by_token(token).name == "dopa-steward"


def test_accounts_are_written_privately_with_roles(exchange_env):
    accounts.add("ns-planner", PASSWORD, role="planner", provinces=["60", "14"])
    planner = accounts.verify("ns-planner", PASSWORD)
    assert (planner.role, planner.provinces, planner.may_edit_chain("60"), planner.may_edit_chain("62")) == (
        "planner", ("14", "60"), True, False,
    )  # fmt: skip
    assert not planner.may_publish("dopa")
    assert audit.path().stat().st_mode & 0o777 == 0o600
    assert not config.accounts_path().exists()  # accounts live in the state store only
    with pytest.raises(accounts.AccountError, match="a planner needs the provinces"):
        accounts.add("p2", PASSWORD, role="planner")
    with pytest.raises(accounts.AccountError, match="province '6': give 2-digit"):
        accounts.add("p2", PASSWORD, role="planner", provinces=["6"])


# ------------------------------------------------------------------------------ removed while signed in


def test_a_steward_removed_while_signed_in_can_no_longer_publish(exchange_env):
    env = exchange_env
    signed_in = steward()  # the session signed in before the account was removed
    preview = publish.check(wide_population_xlsx(env.held_back), "pop.xlsx", Options(indicator=POP),
                             Warehouse(env.warehouse), signed_in)  # fmt: skip
    rows = preview.to_publish(False)
    accounts.remove("dopa-steward")
    before = sha(env.warehouse)
    with pytest.raises(accounts.WriteRefused, match="no longer exists"):
        publish.publish(rows, b"x", "pop.xlsx", signed_in, rows_in=4, rows_rejected=0, license="",
                         target=env.warehouse, inputs=env.inputs)  # fmt: skip
    assert sha(env.warehouse) == before and committed(env.state / "uploads") == []
    # the page signs the session out on its next run
    at = open_page("pages/exchange.py", lang="en")
    at.session_state["account"] = signed_in
    at.run()
    assert "Uploading needs a steward account" in at.info[0].value


def test_the_admin_sees_and_downloads_the_audit_log(exchange_env):
    env = exchange_env
    preview = publish.check(wide_population_xlsx(env.held_back), "pop.xlsx", Options(indicator=POP),
                             Warehouse(env.warehouse), steward())  # fmt: skip
    publish.publish(preview.to_publish(False), b"x", "pop.xlsx", steward(), rows_in=5, rows_rejected=0,
                     license="", target=env.warehouse, inputs=env.inputs, client="192.0.2.4")  # fmt: skip
    publish.rollback(101, steward("admin"), target=env.warehouse, inputs=env.inputs)

    at = sign_in(open_page("pages/exchange.py", lang="en"), "dopa-steward")
    assert [t.label for t in at.tabs] == ["Upload", "Publications", "Overdue figures"]
    at = sign_in(open_page("pages/exchange.py", lang="en"), "admin")
    assert [t.label for t in at.tabs] == ["Upload", "Publications", "Overdue figures", "Audit log"]
    log = audit_table(at)
    assert log.action.tolist()[:2] == ["rollback", "publish"]
    published = log[log.action == "publish"].iloc[0]
    assert (published.actor, published.role, published.target, published.client) == (
        "dopa-steward", "steward", "load 101", "192.0.2.4",
    )  # fmt: skip
    assert json.loads(published.detail)["rows_accepted"] == 4
    at.selectbox(key="audit_action").select("rollback").run()
    assert audit_table(at).action.tolist() == ["rollback"]
    assert at.get("download_button")  # CSV and Excel of the log


def audit_table(at):
    return next(d.value for d in at.dataframe if "action" in d.value.columns)


# ------------------------------------------------------------------------- nothing lost after a killed writer


def _next_writer(env, writer: str) -> None:
    """Run one other writer after the killed publish (each takes the lock and recovers first)."""
    if writer == "build":
        out = subprocess.run([sys.executable, "-m", "provdata", "build"], cwd=ROOT, capture_output=True,
                             text=True, env={**os.environ, **env.env()}, timeout=120)  # fmt: skip
        assert out.returncode == 0, out.stderr
    elif writer == "publish":
        held = env.held_back
        csv = f"Province,2020\nKamphaeng Phet,{held['62', 2020]:.0f}\n".encode()
        preview = publish.check(csv, "kpp.csv", Options(indicator=POP), Warehouse(env.warehouse), steward())
        publish.publish(preview.to_publish(True), csv, "kpp.csv", steward(), rows_in=1, rows_rejected=0,
                         license="", target=env.warehouse, inputs=env.inputs)  # fmt: skip
    elif writer == "chain":
        frames = chain_edits.province_frames(env.inputs.strategy_dir, "60")
        chain_edits.save_province(
            "60", frames, steward("admin"), env.inputs.strategy_dir, env.inputs, env.warehouse
        )
    elif writer == "indicator":
        fields = {"indicator_id": "rubber_area_rai", "name_en": "Rubber area", "name_th": "เนื้อที่ยางพารา",
                  "unit_en": "rai", "unit_th": "ไร่", "theme": "agriculture", "kind": "area", "agency_id": "oae"}  # fmt: skip
        publish.add_indicator(fields, steward("admin"), target=env.warehouse, inputs=env.inputs)


@pytest.mark.slow
@pytest.mark.parametrize("writer", ["build", "publish", "chain", "indicator"])
@pytest.mark.parametrize("point", ["before_commit", "after_commit"])
def test_after_a_killed_publish_every_other_writer_keeps_or_drops_it_whole(exchange_env, point, writer):
    env = exchange_env
    held = env.held_back
    file = env.base / "pop2019.csv"  # 2019 only: the next publish brings 2020
    file.write_text(
        f"Province,2019\nKamphaeng Phet,{held['62', 2019]:.0f}\nNakhon Sawan,{held['60', 2019]:.0f}\n"
    )
    kill_publish_at(env, file, point)
    _next_writer(env, writer)
    ids = [p.id for p in committed(env.inputs.uploads_dir)]
    loads = set(queries.loads(Warehouse(env.warehouse)).id)
    if point == "after_commit":  # the publication reached the store: it is kept, and never reused
        assert ids[0] == 101 and 101 in loads and current(env, "60", 2019) == (held["60", 2019], 101)
        assert ids == ([101, 102] if writer == "publish" else [101])
    else:  # it never did: gone whole, and the next publish takes its id
        assert ids == ([101] if writer == "publish" else []) and current(env, "60", 2019) is None
    assert not list(env.warehouse.parent.glob(".warehouse.duckdb.*.tmp"))  # the killed build's file is gone


def test_temp_files_of_a_killed_writer_are_removed_at_the_next_write(exchange_env):
    env = exchange_env
    dead = 2**22 + 12345  # no such process
    left = [env.warehouse.with_name(f".{env.warehouse.name}.{dead}.tmp"),
            env.warehouse.with_name(f".{env.warehouse.name}.{dead}.tmp.wal"),
            env.inputs.strategy_dir / f".links.csv.{dead}.tmp"]  # fmt: skip
    for path in left:
        path.write_bytes(b"half-written")
    live = env.warehouse.with_name(f".{env.warehouse.name}.{os.getppid()}.tmp")  # a running process
    live.write_bytes(b"being written by a running process")
    frames = chain_edits.province_frames(env.inputs.strategy_dir, "60")
    chain_edits.save_province(
        "60", frames, steward("admin"), env.inputs.strategy_dir, env.inputs, env.warehouse
    )
    assert [p.exists() for p in left] == [False, False, False]
    assert live.exists()
    live.unlink()


# --------------------------------------------------------------------------------------------------- secrets


def test_the_app_refuses_to_run_with_a_world_readable_secrets_file(exchange_env, monkeypatch):
    monkeypatch.setattr(config, "EXPOSED_CHECK_SECONDS", 0.0)  # look again at every run (the app: every 10 s)
    audit.path().chmod(0o644)
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert "refuses to start" in at.error[0].value and "state.sqlite" in at.error[0].value
    assert config.exposed_secret_files() == [audit.path()]
    audit.path().chmod(0o600)
    assert config.exposed_secret_files() == []
    assert not AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run().error


def test_secrets_files_are_ignored_by_git():
    out = subprocess.run(["git", "check-ignore", ".streamlit/secrets.toml", "var/accounts.json",
                          "var/state.sqlite"], cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert out.stdout.split() == [".streamlit/secrets.toml", "var/accounts.json", "var/state.sqlite"]


# --------------------------------------------------------------------------------- what users type is text


HOSTILE = (
    "[click](http://evil.example) ![x](http://evil.example/i.png) <b>b</b> :red[r] **bold** www.evil.example"
)


def test_markdown_is_escaped_to_literal_text():
    out = markup.literal(HOSTILE)
    for raw in ("[click]", "](http", "![x]", "<b>", ":red[", "**", "www.evil"):
        assert raw not in out, raw
    assert out.replace("\\", "") == HOSTILE  # the characters are all still there
    assert markup.code("a ` b") == "`` a ` b ``"


def test_an_unknown_url_value_is_shown_as_code_not_markdown(tiny_warehouse, use_warehouse):
    use_warehouse(tiny_warehouse)
    at = open_page("pages/profile.py", lang="en", province=HOSTILE)
    warning = at.warning[0].value
    assert "` province=" + HOSTILE[:90] in warning  # inside a code span: not a link, an image or HTML
    assert warning.count("`") == 2


def test_an_admin_defined_unit_is_escaped_on_the_map_legend(exchange_env):
    env = exchange_env
    fields = {"indicator_id": "population_copy", "name_en": "Registered population (copy)", "name_th": "ประชากร",
              "unit_en": "<a href='http://evil.example'>persons</a><iframe src=x>", "unit_th": "คน",
              "theme": "population", "kind": "count", "agency_id": "dopa"}  # fmt: skip
    publish.add_indicator(fields, steward("admin"), target=env.warehouse, inputs=env.inputs)
    # the held-back real figures, published under the copy so the map has something to draw
    preview = publish.check(wide_population_xlsx(env.held_back), "pop.xlsx",
                             Options(indicator="population_copy"), Warehouse(env.warehouse), steward())  # fmt: skip
    publish.publish(preview.to_publish(False), b"x", "pop.xlsx", steward(), rows_in=5, rows_rejected=0,
                     license="", target=env.warehouse, inputs=env.inputs)  # fmt: skip
    at = open_page("pages/map.py", lang="en", indicator="population_copy", year="2020")
    legend = next(h.proto.body for h in at.get("html") if "Legend" in h.proto.body)
    assert not re.search(r"<(a|iframe)\b", legend)  # every < of the unit is escaped
    assert "&lt;a href=&#x27;http://evil.example&#x27;&gt;persons&lt;/a&gt;&lt;iframe src=x&gt;" in legend


def test_an_indicator_without_figures_yet_is_said_on_the_map(exchange_env):
    fields = {"indicator_id": "rubber_area_rai", "name_en": "Rubber area", "name_th": "เนื้อที่ยางพารา",
              "unit_en": "rai", "unit_th": "ไร่", "theme": "agriculture", "kind": "area", "agency_id": "oae"}  # fmt: skip
    publish.add_indicator(fields, steward("admin"), target=exchange_env.warehouse, inputs=exchange_env.inputs)
    at = open_page("pages/map.py", lang="en", indicator="rubber_area_rai")
    assert at.info[0].value == "Rubber area has no published figures yet: nothing to map."


def test_a_planners_issue_title_is_shown_as_text(tiny_copy, tmp_path, monkeypatch, use_warehouse):
    from tests.conftest import tiny_inputs, tiny_warehouse_copy

    monkeypatch.setenv("PROVDATA_STATE", str(tmp_path / "state"))
    inputs = tiny_inputs(tiny_copy)
    target = tiny_warehouse_copy(tmp_path / "wh.duckdb")  # what those inputs build on an empty store
    frames = chain_edits.province_frames(inputs.strategy_dir, "60")
    frames["issues"].loc[0, "title_en"] = "[Win a prize](http://evil.example)"
    admin = accounts.add("admin2", PASSWORD, role="admin")
    chain_edits.save_province("60", frames, admin, inputs.strategy_dir, inputs, target)
    monkeypatch.setenv("PROVDATA_INPUTS", str(tiny_copy))
    monkeypatch.setattr(config, "STRATEGY_DIR", inputs.strategy_dir)
    use_warehouse(target)
    at = open_page("pages/chart.py", lang="en", province="60")
    title = next(m.value for m in at.subheader if "Win a prize" in m.value)
    assert "\\[Win a prize\\]\\(http\\:\\/\\/evil\\.example\\)" in title


def test_free_text_is_checked_where_it_enters(exchange_env):
    env = exchange_env
    preview = publish.check(wide_population_xlsx(env.held_back), "pop.xlsx", Options(indicator=POP),
                             Warehouse(env.warehouse), steward())  # fmt: skip
    rows = preview.to_publish(False)
    before = sha(env.warehouse)
    for licence, message in (
        ("=cmd|' /C calc'!A0", r"licence: .* starts like a spreadsheet formula \(=\)"),
        ("CC BY\x1b[31m", "licence: contains the control character U\\+001B"),
        ("x" * 301, "licence: 301 characters; at most 300"),
    ):
        with pytest.raises(textfields.BadText, match=message):
            publish.publish(rows, b"x", "pop.xlsx", steward(), rows_in=4, rows_rejected=0, license=licence,
                             target=env.warehouse, inputs=env.inputs)  # fmt: skip
    fields = {"indicator_id": "rubber_area_rai", "name_en": "@SUM(1+1)", "name_th": "ยาง", "unit_en": "rai",
              "unit_th": "ไร่", "theme": "agriculture", "kind": "area", "agency_id": "oae"}  # fmt: skip
    with pytest.raises(textfields.BadText, match="name_en: '@SUM"):
        publish.add_indicator(fields, steward("admin"), target=env.warehouse, inputs=env.inputs)
    note = pd.DataFrame({"link": ["dhf_cases"], "status": ["open"], "note": ["see\x00this"]})
    with pytest.raises(textfields.BadText, match="plan progress note, row 1: contains the control character"):
        chain_edits.save_plan_status(
            "60", note, steward("admin"), env.inputs.strategy_dir, env.inputs, env.warehouse
        )
    assert sha(env.warehouse) == before


def test_the_server_process_limits_malloc_arenas_and_trims_its_heap():
    """server.py tunes glibc once at start (issue #11: memory only grew); tested in a fresh interpreter."""
    code = (
        "import threading; from provdata.web import memory; ok = memory.tune(trim_every=0.05); "
        "memory.tune(); print(ok, [t.name for t in threading.enumerate() if t.name == 'provdata-malloc-trim'])"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == [
        "True",
        "['provdata-malloc-trim']",
    ]  # one thread, however often it is called
