"""`make lint` checks the import contracts (pyproject.toml [tool.importlinter]): the layers, no Streamlit in the
core, no circles. Each contract is shown to fail, with a readable message, on a copy of the package that breaks it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

LINT = Path(sys.executable).with_name("lint-imports")


def lint(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
        cwd=folder, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("contracts")
    shutil.copytree(
        ROOT / "provdata", folder / "provdata", ignore=shutil.ignore_patterns("__pycache__", "locales")
    )
    return folder


def broken(package_copy: Path, module: str, line: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """Lint a copy of the package in which ``module`` (a path under provdata/) gains ``line``."""
    folder = tmp_path / "copy"
    shutil.copytree(package_copy, folder)
    path = folder / "provdata" / module
    path.write_text(path.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")
    return lint(folder)


def test_the_package_keeps_every_contract(package_copy):
    out = lint(package_copy)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Contracts: 3 kept, 0 broken." in out.stdout


def test_a_lower_layer_importing_a_higher_one_fails_and_names_the_import(package_copy, tmp_path):
    out = broken(package_copy, "basics/config.py", "from provdata.views import charts  # noqa", tmp_path)
    assert out.returncode == 1
    assert "provdata.basics is not allowed to import provdata.views" in out.stdout
    assert "provdata.basics.config -> provdata.views.charts" in out.stdout
    assert "Move the" in out.stdout  # the guidance on what to do


def test_sibling_domains_stay_independent(package_copy, tmp_path):
    out = broken(package_copy, "web/memory.py", "from provdata.cli import main as _main  # noqa", tmp_path)
    assert out.returncode == 1
    assert "provdata.web is not allowed to import provdata.cli" in out.stdout


def test_a_circle_between_two_modules_of_a_package_fails(package_copy, tmp_path):
    # statchart imports readiness; readiness importing statchart back closes a circle inside provdata.strategy
    out = broken(
        package_copy, "strategy/readiness.py", "from provdata.strategy import statchart  # noqa", tmp_path
    )
    assert out.returncode == 1
    assert "No cycles are allowed in provdata.strategy" in out.stdout
    assert ".readiness -> .statchart" in out.stdout or ".statchart -> .readiness" in out.stdout


def test_streamlit_outside_the_ui_fails(package_copy, tmp_path):
    out = broken(package_copy, "warehouse/db.py", "import streamlit  # noqa", tmp_path)
    assert out.returncode == 1
    assert "Only provdata.ui imports Streamlit BROKEN" in out.stdout
    assert "provdata.warehouse.db -> streamlit" in out.stdout


def test_a_new_top_level_package_must_be_placed_in_the_layers(package_copy, tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(package_copy, folder)
    (folder / "provdata" / "misc").mkdir()
    (folder / "provdata" / "misc" / "__init__.py").write_text('"""Unplaced."""\n')
    out = lint(folder)
    assert out.returncode == 1
    assert "provdata.misc" in out.stdout
