"""A test hook: a writer sleeps at a named point so that a test can kill it there, or stop its database."""

from __future__ import annotations

import os
import time
from pathlib import Path


def pause(point: str) -> None:
    """Sleep at ``point`` when ``PROVDATA_TEST_PAUSE`` names it (``PROVDATA_TEST_PAUSE_FILE`` is touched first,
    telling the test the writer got there; ``PROVDATA_TEST_PAUSE_SECONDS``, default 30). Nothing otherwise."""
    if os.environ.get("PROVDATA_TEST_PAUSE") == point:
        if os.environ.get("PROVDATA_TEST_PAUSE_FILE"):
            Path(os.environ["PROVDATA_TEST_PAUSE_FILE"]).touch()
        time.sleep(float(os.environ.get("PROVDATA_TEST_PAUSE_SECONDS", "30")))
