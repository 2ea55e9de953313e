"""The app and its HTTP API in one server: ``streamlit run server.py`` (what ``make run`` starts).

``st.App`` serves app.py as usual, mounts the API routes of provdata/web/api/ under /api/v1 and answers the
pages' own URLs with Streamlit's index.html plus what the first paint needs (provdata/ui/head.py); its static
bundles and the app's fonts go out gzipped (provdata/ui/assets.py). On start it loads and simplifies the
boundaries once, so the first visitor's map does not pay for it, turns Nagle's algorithm off on its listening
sockets (provdata/web/sockets.py), closes connections that do not send their request headers in time
(provdata/web/timeouts.py) and starts the follower (provdata/exchange/follow.py) that rebuilds this host's warehouse
when the state store moved. The client's address is taken from X-Forwarded-For only when the peer is a proxy
listed in PROVDATA_TRUSTED_PROXIES (provdata/web/proxies.py). /healthz and /readyz (provdata/web/health.py) say whether it is alive and whether it serves
current figures from its store; its log (provdata/web/logs.py) names the store it uses and every rebuild. Before any session starts it tells Streamlit that ``pages/`` holds the registered pages, not a legacy multipage app, so that a deep
link is right from the first request (provdata/ui/nav.py ``registered_pages_only``).
"""

import asyncio
import os
from contextlib import asynccontextmanager

import streamlit as st
from starlette.middleware import Middleware

from provdata.web import logs, memory, proxies

if os.environ.get("PROVDATA_MEMORY_TUNING", "1") != "0":  # 0: Python's defaults (for a bench comparison)
    memory.tune()

from provdata.ui import head, icons
from provdata.ui.assets import GzipStatic
from provdata.ui.nav import PAGES, registered_pages_only
from provdata.web import health
from provdata.web.api import routes

registered_pages_only()
proxies.trust_only_listed_proxies()  # X-Forwarded-For only from PROVDATA_TRUSTED_PROXIES (default: none)


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
    from provdata.web import timeouts
    from provdata.web.sockets import nodelay_listeners

    await asyncio.to_thread(_say_what_this_host_is)
    # uvicorn has no header timeout of its own: set before the server accepts its first connection
    timeouts.install(config.header_timeout_s())

    if os.environ.get("PROVDATA_NODELAY", "1") != "0":  # 0: Streamlit's default (for a bench comparison)
        nodelay_listeners()  # Streamlit's own socket leaves Nagle on: small answers waited ~40 ms each

    follower = Follower().start()  # its first look is now: a host that was down catches up
    icons.start()  # Streamlit's icon font cut down to the app's icons, in the background (provdata/ui/icons.py)
    await asyncio.to_thread(_warm)
    try:
        yield
    finally:
        follower.stop()


def _say_what_this_host_is() -> None:
    """The log's first line names the store (with its host and database: the log is the administrator's) and
    where it was named, and whether this host is ready; a store it cannot reach is said here, not discovered later."""
    from provdata import store
    from provdata.basics.errors import ProvdataError
    from provdata.exchange import health as host

    log = logs.setup()
    try:
        address, named_by = store.configured()
        log.info("state store %s (named by %s)", store.open_store(address).describe(), named_by)
    except ProvdataError as exc:
        log.error("no state store: %s", exc)
    status = host.check()
    if status.ready:
        log.info("ready: build %s at state sequence %s", status.build_id, status.store_seq)
    else:  # the reason was logged by the check; the follower's first look catches up if it is only behind
        log.warning("not ready yet (%s)", status.problem)


app = st.App(
    "app.py",
    routes=[*routes(), *health.routes(), *head.routes([spec.url_path for spec in PAGES])],
    middleware=[Middleware(GzipStatic)],
    lifespan=lifespan,
)
