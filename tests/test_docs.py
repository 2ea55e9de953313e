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
