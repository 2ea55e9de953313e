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

    source = (ROOT / "provdata" / "ui" / "cached.py").read_text(encoding="utf-8")
    decorators = re.findall(r"@st\.cache_data\(([^)]*)\)", source)
    assert decorators and all("max_entries=" in d for d in decorators), decorators
    assert source.count("@st.cache_data") == len(decorators)
