"""The ``provdata`` loggers printed by the server (stderr, so journald keeps them): INFO and above by default
(``PROVDATA_LOG_LEVEL`` sets another level). Streamlit configures only its own loggers; without this, the
follower's rebuilds and the health changes would go nowhere."""

from __future__ import annotations

import logging
import os


def setup() -> logging.Logger:
    logger = logging.getLogger("provdata")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    logger.setLevel(os.environ.get("PROVDATA_LOG_LEVEL", "INFO").upper())
    return logger
