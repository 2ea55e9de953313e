"""The core never imports streamlit: only provdata.ui may."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import provdata
from tests.conftest import ROOT


def test_core_modules_do_not_import_streamlit():
    core = [
        m.name
        for m in pkgutil.walk_packages(provdata.__path__, "provdata.")
        if not m.name.startswith("provdata.ui") and m.name != "provdata.__main__"
    ]
    assert "provdata.warehouse.build" in core and "provdata.warehouse.queries" in core
    code = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in core)
    code += "print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_cli_does_not_import_streamlit():
    code = "import sys; import provdata.__main__; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_every_streamlit_cache_is_bounded():
    """An unbounded st.cache_data keyed by build grows with every publication (issue #11: memory only grew)."""
    import re

    package = sorted((ROOT / "provdata" / "ui" / "cached").rglob("*.py"))
    assert len(package) > 1, package
    source = "\n".join(path.read_text(encoding="utf-8") for path in package)
    decorators = re.findall(r"@st\.cache_data\(([^)]*)\)", source)
    assert decorators and all("max_entries=" in d for d in decorators), decorators
    assert source.count("@st.cache_data") == len(decorators)


def test_every_streamlit_cache_lives_in_provdata_ui_cached():
    """One place for caching: no st.cache_* outside the provdata.ui.cached package (so the test above sees all)."""
    import re

    cache = re.compile(r"\bcache_(data|resource)\b")
    package = ROOT / "provdata" / "ui" / "cached"
    files = [
        *(ROOT / "provdata").rglob("*.py"),
        *(ROOT / "pages").glob("*.py"),
        ROOT / "app.py",
        ROOT / "server.py",
    ]
    found = {
        f"{path.relative_to(ROOT)}:{n}": package in path.parents
        for path in files
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if cache.search(line)
    }
    assert any(found.values()), "the pattern finds the package's own caches"
    assert not [where for where, inside in found.items() if not inside]
