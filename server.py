"""The app and its HTTP API in one server: ``streamlit run server.py`` (what ``make run`` starts).

``st.App`` serves app.py as usual and mounts the API routes of provdata/api.py under /api/v1. On start it
loads and simplifies the boundaries once, so the first visitor's map does not pay for it. Before any session
starts it tells Streamlit that ``pages/`` holds the registered pages, not a legacy multipage app, so that a deep
link is right from the first request (provdata/ui/nav.py ``registered_pages_only``).
"""

import asyncio
from contextlib import asynccontextmanager

import streamlit as st

from provdata.api import routes
from provdata.ui.nav import registered_pages_only

registered_pages_only()


def _warm() -> None:
    from provdata import maps

    for level in ("province", "district"):
        maps.boundaries(level)


@asynccontextmanager
async def lifespan(_app):
    await asyncio.to_thread(_warm)
    yield


app = st.App("app.py", routes=routes(), lifespan=lifespan)
