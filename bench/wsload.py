"""Load over Streamlit's own websocket protocol: N concurrent sessions walk every page, no browser.

    python -m bench.wsload --sessions 10 25 50 --rounds 2

``bench/load.py`` drives real Chromium contexts, but on a 2-core machine 25 headless browsers saturate the
cores the server needs, so it measures the clients as much as the server. This client speaks the protocol the
browser speaks (``/_stcore/stream``, protobuf ``BackMsg``/``ForwardMsg``): each session opens one websocket,
asks for each registered page in turn (``rerun_script`` with the page and the view's query string, as the
browser does on navigation) and times the run until ``script_finished``: the server has sent every element
of the page. Drawing in a browser is not included (``bench/mapdraw.py`` measures that for the map). An
exception element or an unfinished run is an error. Half-way through the first round a new warehouse is
published; every session must show the new build id (the sidebar prints it) on its next page. Per N: median
and 95th-percentile page time, errors, server RSS after each round and its peak. Streamlit keeps a
disconnected session for ``server.disconnectedSessionTTL`` (120 s), so RSS rises while rounds follow each other
quickly; ``--settle`` waits past that and runs the largest N again, to show whether memory keeps growing.
``--processes K`` serves K app processes behind nginx (the documented deployment; each session is routed by
a routing cookie of its own) and reports their summed RSS.
"""

from __future__ import annotations

import asyncio
import secrets
import sys
import time

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.load import BUILD_ID, VIEW, Result, arguments, drive
from provdata.ui.nav import PAGES

FINISHED = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")


def rerun(page: str, query: str) -> bytes:
    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = page
    return msg.SerializeToString()


async def run_page(ws, page: str, query: str, timeout: float) -> tuple[float, str | None, set[str]]:
    """(seconds, error or None, build ids seen) for one page run."""
    t0 = time.perf_counter()
    await ws.send(rerun(page, query))
    builds: set[str] = set()
    error = None
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout=timeout)
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "delta":
            if msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                if element.WhichOneof("type") == "exception":
                    error = error or f"{page}: {element.exception.type}: {element.exception.message[:80]}"
            builds.update(BUILD_ID.findall(raw.decode("utf-8", "ignore")))
        elif kind == "page_not_found":
            error = error or f"{page or 'default page'}: page not found"
        elif kind == "script_finished" and msg.script_finished == FINISHED:
            return time.perf_counter() - t0, error, builds


async def session(base: str, result: Result, timeout: float, publish_at: asyncio.Event | None) -> None:
    url = base.replace("http://", "ws://") + "/_stcore/stream"
    # No keep-alive pings: a browser does not send them, and a busy server would be dropped for a late pong.
    # Each session is a browser of its own: behind nginx (--processes) its routing cookie picks its process.
    cookie = {"Cookie": f"provdata_route={secrets.token_hex(16)}"}
    async with websockets.connect(
        url, subprotocols=["streamlit"], max_size=None, open_timeout=timeout, ping_interval=None,
        additional_headers=cookie,
    ) as ws:  # fmt: skip
        result.upstreams.append(ws.response.headers.get("X-Provdata-Upstream", ""))
        for i, spec in enumerate(PAGES):
            if publish_at is not None and i == len(PAGES) // 2:
                await publish_at.wait()
            try:
                page = "" if spec.default else spec.url_path  # the default page has no path of its own
                seconds, error, builds = await run_page(ws, page, VIEW, timeout)
            except (TimeoutError, websockets.ConnectionClosed) as exc:
                result.errors.append(f"{spec.url_path}: {type(exc).__name__}")
                return
            if error:
                result.errors.append(error)
            else:
                result.times.append(seconds)
            if publish_at is not None and i == len(PAGES) // 2:
                result.after_publish.append(sorted(builds)[-1] if builds else "")


async def run_round(base: str, n: int, timeout: float, publish) -> Result:
    result = Result()
    gate = asyncio.Event() if publish else None
    tasks = [asyncio.create_task(session(base, result, timeout, gate)) for _ in range(n)]
    if publish:
        await asyncio.sleep(0.5)
        await asyncio.to_thread(publish)
        gate.set()
    await asyncio.gather(*tasks)
    return result


def main(argv: list[str] | None = None) -> int:
    args = arguments("python -m bench.wsload", __doc__, argv, max_seconds=1200)
    report = getattr(main, "report", lambda s, n, v: print(f"{s:<12}  {n:<60}  {v}", flush=True))
    return 1 if drive("soak" if args.soak else "wsload", run_round, args, report, warm_up=True) else 0


if __name__ == "__main__":
    sys.exit(main())
