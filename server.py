"""The app and its HTTP API in one server: ``streamlit run server.py`` (what ``make run`` starts).

``st.App`` serves app.py as usual, mounts the API routes of provdata/web/api/ under /api/v1 and answers the
pages' own URLs with Streamlit's index.html plus what the first paint needs (provdata/ui/head.py); its static
bundles and the app's fonts go out gzipped (provdata/ui/assets.py). On start it loads and simplifies the
boundaries once, so the first visitor's map does not pay for it, turns Nagle's algorithm off on its listening
sockets (provdata/web/sockets.py) and starts the follower (provdata/exchange/follow.py) that rebuilds this host's warehouse
when the state store moved. Before any session starts it tells Streamlit that ``pages/`` holds the registered pages, not a legacy multipage app, so that a deep
link is right from the first request (provdata/ui/nav.py ``registered_pages_only``).
"""

import asyncio
import os
from contextlib import asynccontextmanager

import streamlit as st
from starlette.middleware import Middleware

from provdata.web import memory

if os.environ.get("PROVDATA_MEMORY_TUNING", "1") != "0":  # 0: Python's defaults (for a bench comparison)
    memory.tune()

from provdata.ui import head, icons
from provdata.ui.assets import GzipStatic
from provdata.ui.nav import PAGES, registered_pages_only
from provdata.web.api import routes

registered_pages_only()


def _warm() -> None:
    from provdata.views import maps

    for level in ("province", "district"):
        maps.boundaries(level)


@asynccontextmanager
async def lifespan(_app):
    from provdata.basics import config

    exposed = config.exposed_secret_files()
    if exposed:
        names = ", ".join(str(p) for p in exposed)
        raise SystemExit(f"provdata refuses to start: {names} can be read by every user; chmod 600 it")
    from provdata.exchange.follow import Follower
    from provdata.web.sockets import nodelay_listeners

    if os.environ.get("PROVDATA_NODELAY", "1") != "0":  # 0: Streamlit's default (for a bench comparison)
        nodelay_listeners()  # Streamlit's own socket leaves Nagle on: small answers waited ~40 ms each

    follower = Follower().start()  # its first look is now: a host that was down catches up
    icons.start()  # Streamlit's icon font cut down to the app's icons, in the background (provdata/ui/icons.py)
    await asyncio.to_thread(_warm)
    try:
        yield
    finally:
        follower.stop()


app = st.App(
    "app.py",
    routes=[*routes(), *head.routes([spec.url_path for spec in PAGES])],
    middleware=[Middleware(GzipStatic)],
    lifespan=lifespan,
)
