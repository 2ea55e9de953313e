"""Server-side page renders for the benches: a new AppTest session per run, sharing one component registry.

A real server scans the installed packages for Streamlit components once, when it starts
(``Runtime.__init__``); AppTest scans them again for every new AppTest instance (≈ 0.2 s here, growing with
the number of installed packages). Sharing one registry between the bench's sessions measures what a user's
page run costs on a running server, not the test harness's start-up.
"""

from __future__ import annotations

from functools import cache

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest, app_test


class _RegisteredPagesOnly(PagesManager):
    """AppTest resets ``PagesManager.uses_pages_directory`` before every run, and a ``pages/`` folder beside
    app.py would make each run a legacy multipage run; like server.py, serve only the registered pages."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


def registered_pages_only() -> None:
    """Make every AppTest in this process run app.py's ``st.navigation`` (called on import)."""
    app_test.PagesManager = _RegisteredPagesOnly


registered_pages_only()


@cache
def _components():
    from streamlit.components.v2.component_manager import BidiComponentManager

    manager = BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)
    return manager


def session(app: str, timeout: float = 120) -> AppTest:
    """A new AppTest session of ``app`` (its first ``run()`` is a first page view)."""
    at = AppTest.from_file(app, default_timeout=timeout)
    at._bidi_component_manager = _components()
    return at
