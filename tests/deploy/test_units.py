"""The systemd units and the deployment file example in deploy/ are valid and name only settings the app reads."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from provdata import store
from tests.conftest import ROOT

UNITS = ["provdata@.service", "provdata-backup.service", "provdata-backup.timer"]


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_the_units_pass_systemd_analyze_verify():
    for unit in UNITS:
        out = subprocess.run(["systemd-analyze", "verify", str(ROOT / "deploy" / unit)], capture_output=True,
                             text=True, timeout=60)  # fmt: skip
        # the release's path exists only on a deployed host
        problems = [line for line in (out.stdout + out.stderr).splitlines()
                    if line.strip() and "/srv/provdata/current" not in line]  # fmt: skip
        assert problems == [], unit


def test_the_service_sets_only_settings_the_app_reads_and_runs_the_server():
    unit = (ROOT / "deploy" / "provdata@.service").read_text()
    names = re.findall(r"^Environment=(PROVDATA_\w+)=", unit, re.M)
    assert names == ["PROVDATA_CONFIG", "PROVDATA_STATE", "PROVDATA_WAREHOUSE", "PROVDATA_LOG_LEVEL"]
    source = "".join(p.read_text() for p in (ROOT / "provdata").rglob("*.py"))
    for name in names:
        assert f'"{name}"' in source, name
    assert re.search(r"^ExecStart=\S+/streamlit run server\.py --server\.port %i --server\.address 127\.0\.0\.1", unit,
                     re.M)  # fmt: skip
    assert (ROOT / "server.py").exists()


def test_the_example_deployment_file_names_the_store(tmp_path, monkeypatch):
    conf = tmp_path / "provdata.toml"
    conf.write_text((ROOT / "deploy" / "provdata.toml.example").read_text())
    monkeypatch.setenv("PROVDATA_CONFIG", str(conf))
    monkeypatch.delenv("PROVDATA_STATE_URL", raising=False)
    address, named_by = store.configured()
    assert address.startswith("postgresql://provdata_app:") and named_by == str(conf)
    monkeypatch.setenv("PROVDATA_STATE_URL", "postgresql://other@db/x")
    with pytest.raises(store.StoreMisconfigured, match="name different state stores: name it once"):
        store.configured()
