"""The README names every page, setting, make target and URL parameter a user meets."""

from __future__ import annotations

import re

from provdata.basics.i18n import t
from provdata.ui.nav import PAGES
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_page_is_in_the_readme():
    for spec in PAGES:
        assert t(spec.title_key, "en") in README, spec
        assert f"/{spec.url_path}" in README, spec


def test_every_make_target_is_in_the_readme():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"^([a-z]+):.*## ", makefile, flags=re.M)
    assert {"run", "test", "check", "warehouse", "bench"} <= set(targets)
    for target in targets:
        assert f"make {target}" in README, target


def test_settings_are_in_the_readme():
    for setting in ("PROVDATA_WAREHOUSE", "PORT", ".streamlit/config.toml"):
        assert setting in README
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert "gatherUsageStats = false" in config


def test_every_path_the_readme_and_the_architecture_name_exists():
    """'Where things are' and docs/architecture.md point a newcomer to real folders and files."""
    for doc in ("README.md", "docs/architecture.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        paths = set(re.findall(r"`((?:provdata|pages|tests|bench|data|deploy)/[\w./-]*)`", text))
        assert len(paths) >= 5, doc
        missing = sorted(p for p in paths if not (ROOT / p.rstrip("/")).exists())
        assert not missing, f"{doc} names paths that do not exist: {missing}"


def test_every_package_says_what_it_owns_and_may_use():
    for init in sorted((ROOT / "provdata").glob("*/__init__.py")):
        doc = init.read_text(encoding="utf-8").split('"""')
        assert len(doc) >= 3 and len(doc[1]) > 80, f"{init.relative_to(ROOT)} has no docstring"
