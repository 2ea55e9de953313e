"""The command line as an administrator and a careless clerk meet it (issue #23): confirmations only of what the
name matcher proposed (an admin's override audited), kept spellings listed and removed, ``account add`` that
will not silently replace, and one clear line — never a traceback — for a folder as input, a missing output
folder, a full disk, a busy store, a negative --limit, a year outside the data and a chart with a province_code
column."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess

import openpyxl
import pytest

from provdata import accounts
from provdata.cli.main import main
from provdata.exchange import chain_edits
from provdata.ingest import aliases
from provdata.store import audit, publications
from tests.conftest import PASSWORD
from tests.exchange.test_publish import POP, current


@pytest.fixture
def clerk(exchange_env, monkeypatch):
    """The exchange env with the test accounts' password for the command line, and a file whose Nakhon Sawan
    row is written "นว." (an abbreviation the matcher does not know) and whose Kamphaeng Phet row is spelled
    right; the figures are the real ones held back from the seed."""
    monkeypatch.setenv("PROVDATA_PASSWORD", PASSWORD)
    held = exchange_env.held_back
    file = exchange_env.base / "pop.csv"
    file.write_text(f"จังหวัด,พ.ศ. 2562,พ.ศ. 2563\nกำแพงเพชร,{held['62', 2019]:.0f},{held['62', 2020]:.0f}\n"
                    f"นว.,{held['60', 2019]:.0f},{held['60', 2020]:.0f}\n", encoding="utf-8")  # fmt: skip
    return exchange_env, file


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([*argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_confirmation_the_matcher_never_proposed_is_refused_and_an_admins_override_is_audited(
    clerk, capsys
):
    env, file = clerk
    ingest = ("ingest", str(file), "--indicator", POP)
    code, _out, err = run(capsys, *ingest, "--steward", "dopa-steward", "--name", "นว.=60")
    assert code == 2 and err == (
        "error: --name \"นว.=60\": the name matcher did not propose province 60 for 'นว.' (it proposed no "
        "province). Confirm only what the matcher proposed; an admin may override with --override-names "
        "(recorded in the audit log)\n"
    )
    code, _out, err = run(capsys, *ingest, "--steward", "dopa-steward", "--name", "กำแพงเพชร=60")
    assert (code, err) == (2, "error: --name 'กำแพงเพชร' is already the spelling of province 62, not 60\n")
    code, _out, err = run(
        capsys, *ingest, "--steward", "dopa-steward", "--name", "นว.=60", "--override-names"
    )
    assert (
        code == 2 and err == "error: --override-names is for admins: give --steward with an admin account\n"
    )
    assert publications.committed(env.inputs.uploads_dir) == [] and aliases.all_confirmed().empty

    code, out, err = run(capsys, *ingest, "--steward", "admin", "--agency", "dopa", "--name", "นว.=60",
                         "--override-names")  # fmt: skip
    assert code == 0, err
    assert "note: --name \"นว.=60\": the name matcher did not propose province 60 for 'นว.' (it proposed no " \
           "province): taken as an admin's override" in out  # fmt: skip
    assert current(env, "60", 2020) == (env.held_back["60", 2020], 101)
    line = audit.audit_log("alias_override").iloc[0]
    assert (line.actor, line.target, json.loads(line.detail)) == (
        "admin",
        "agency dopa",
        {"added": [["นว.", "60"]]},
    )
    assert audit.audit_log("alias_confirm").empty


def test_kept_spellings_are_listed_and_removed_by_an_admin_and_audited(clerk, capsys):
    from provdata.accounts.records import _actor

    aliases.keep("dopa", {"NAKORN SAWAN": "60", "Kampangphet": "62"}, "dopa-steward")
    code, out, _ = run(capsys, "alias", "list")
    rows = [line.split("\t") for line in out.splitlines()]
    assert code == 0 and [r[:4] for r in rows] == [["dopa", "NAKORN SAWAN", "60", "dopa-steward"],
                                                   ["dopa", "Kampangphet", "62", "dopa-steward"]]  # fmt: skip
    code, out, _ = run(capsys, "alias", "remove", "dopa", "NAKORN SAWAN")
    assert code == 0 and out == "removed 'NAKORN SAWAN' = 60 from the kept spellings of agency dopa\n"
    assert aliases.confirmed("dopa") == (("Kampangphet", "62"),)
    line = audit.audit_log("alias_remove").iloc[0]
    assert (line.actor, line.target, json.loads(line.detail)) == (
        _actor(), "agency dopa", {"spelling": "NAKORN SAWAN", "code": "60"})  # fmt: skip
    code, _, err = run(capsys, "alias", "remove", "dopa", "NAKORN SAWAN")
    assert code == 2 and "agency 'dopa' has no kept spelling 'NAKORN SAWAN'" in err


def test_account_add_refuses_an_existing_name_unless_told_to_replace_it(clerk, capsys):
    token = accounts.new_token("admin")
    code, _, err = run(capsys, "account", "add", "admin", "--agency", "dopa")
    assert code == 2 and err == (
        "error: account 'admin' exists (admin): give --replace to replace it (its password and tokens go), "
        "or choose another name\n"
    )
    assert accounts.verify("admin", PASSWORD).admin and accounts.by_token(token).name == "admin"
    code, out, _ = run(capsys, "account", "add", "admin", "--agency", "dopa", "--replace")
    assert code == 0 and out.startswith("account admin (steward: dopa) saved in ")
    assert accounts.by_token(token) is None and not accounts.verify("admin", PASSWORD).admin
    assert json.loads(audit.audit_log("account_add").iloc[0].detail)["replaced"] == "admin"


# ------------------------------------------------------------------------------------ one line, no traceback


def test_a_folder_as_input_and_an_output_into_a_missing_folder_are_one_line(clerk, capsys, tmp_path):
    _env, file = clerk
    code, _, err = run(capsys, "ingest", str(tmp_path), "--dry-run")
    assert (code, err) == (2, f"error: {tmp_path} is a folder, not a file: give one agency file\n")
    out = tmp_path / "no" / "such" / "tidy.csv"
    code, _, err = run(capsys, "ingest", str(file), "--indicator", POP, "--dry-run", "--out", str(out))
    assert (code, err) == (
        2,
        f"error: --out {out}: the folder {out.parent} does not exist; create it first\n",
    )
    code, _, err = run(capsys, "audit", "--out", str(out))
    assert (code, err) == (
        2,
        f"error: --out {out}: the folder {out.parent} does not exist; create it first\n",
    )


def test_a_full_disk_is_one_line_and_leaves_no_partial_file(clerk, capsys, tmp_path):
    _env, file = clerk
    disk = tmp_path / "small-disk"
    disk.mkdir()
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(disk)], capture_output=True
    ).returncode:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
        with pytest.raises(OSError, match="No space left"):
            while True:
                os.write(fd, b"x" * 4096)
        os.close(fd)
        code, _, err = run(capsys, "ingest", str(file), "--indicator", POP, "--name", "กำแพงเพชร=62", "--dry-run",
                           "--out", str(disk / "tidy.csv"))  # fmt: skip
        assert code == 2 and err.startswith("error: the disk is full (")
        assert err.endswith("): nothing was written; free some space and run the command again\n")
        assert sorted(p.name for p in disk.iterdir()) == ["filler"]
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_a_second_writer_holding_the_embedded_store_is_one_line(clerk, capsys, monkeypatch):
    env, _file = clerk
    monkeypatch.setenv("PROVDATA_STORE_BUSY_SECONDS", "0.5")
    other = sqlite3.connect(env.state / "state.sqlite", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process's writer, holding the store
    try:
        code, _, err = run(capsys, "account", "add", "clerk2", "--agency", "dopa")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 2 and err == (
        f"error: the state store sqlite:///{env.state / 'state.sqlite'} is busy: another writer held it for more "
        "than 0.5 s; nothing was written, try again\n"
    )
    assert "clerk2" not in [a.name for a, _ in accounts.all_accounts()]


def test_a_negative_limit_and_a_year_outside_the_data_are_refused(clerk, capsys, tmp_path):
    code, out, err = run(capsys, "audit", "--limit", "-5")
    assert (code, out) == (
        2,
        "",
    ) and err == "error: --limit -5: give how many of the newest lines to print, 1 or more\n"
    report = tmp_path / "r.html"
    code, _, err = run(
        capsys, "report", "--province", "60", "--year", "1800", "--format", "html", "--out", str(report)
    )
    assert (code, err) == (
        2,
        "error: --year 1800: the figures cover 1995–2022 (Gregorian years); give a year in that range\n",
    )
    assert not report.exists()


def test_a_chart_workbook_with_a_province_code_column_gets_a_clear_message():
    frames = {name: frame.assign(province_code="60") for name, frame in
              chain_edits.province_frames(chain_edits.config.input_dir("strategy"), "60").items()}  # fmt: skip
    with pytest.raises(chain_edits.ChainImportError) as refused:
        chain_edits.from_excel(chain_edits.to_excel(frames, "60"))
    assert str(refused.value) == (
        "sheet 'issues' has a column province_code: a workbook holds one province's chart, the one you import it "
        "into; delete that column and import again"
    )
    book = openpyxl.load_workbook(io.BytesIO(chain_edits.to_excel(frames, "60")))
    assert "province_code" in [c.value for c in book["issues"][1]]  # (the workbook had the column)


def test_the_matcher_says_what_it_proposed_when_another_province_is_sent():
    """The attack of issue #23: the matcher proposed 62 (Kamphaeng Phet) and the steward sent 60."""
    from provdata.exchange.publish import names

    assert names().unproposed([("Kampangphet", "60"), ("Kampangphet", "62")]) == [
        "\"Kampangphet=60\": the name matcher did not propose province 60 for 'Kampangphet' (it proposed province 62)"
    ]
