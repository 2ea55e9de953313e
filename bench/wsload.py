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
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.load import BUILD_ID, VIEW, rss_bytes
from bench.serve import free_port, start_server, stop_server
from provdata import config
from provdata.build import build_warehouse
from provdata.ui.nav import PAGES

FINISHED = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")


@dataclass
class Result:
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    after_publish: list[str] = field(default_factory=list)


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
    async with websockets.connect(
        url, subprotocols=["streamlit"], max_size=None, open_timeout=timeout, ping_interval=None
    ) as ws:
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


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.wsload", description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 25, 50])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--page-timeout", type=float, default=60)
    parser.add_argument("--max-seconds", type=float, default=1200)
    parser.add_argument("--settle", type=float, default=0,
                        help="then wait this long (past server.disconnectedSessionTTL, 120 s) and run the largest N "
                        "again: RSS before and after shows whether memory keeps growing")  # fmt: skip
    args = parser.parse_args(argv)
    report = getattr(main, "report", lambda s, n, v: print(f"{s:<12}  {n:<60}  {v}", flush=True))

    started = time.monotonic()
    errors_total = 0
    with tempfile.TemporaryDirectory() as tmp:
        warehouse = Path(tmp) / "load.duckdb"
        shutil.copy(config.warehouse_path(), warehouse)
        port = free_port()
        server = start_server(warehouse, port)
        base = f"http://127.0.0.1:{port}"
        try:
            asyncio.run(run_round(base, 1, args.page_timeout, None))  # first visit: fills the process caches
            for n in args.sessions:
                peak = 0
                for round_no in range(1, args.rounds + 1):
                    if time.monotonic() - started > args.max_seconds:
                        report("wsload", f"N={n}", "skipped: --max-seconds reached")
                        break
                    published: list[str] = []
                    publish = None
                    if round_no == 1:

                        def publish(published=published):
                            published.append(build_warehouse(warehouse, log=lambda _m: None).build_id)

                    result = asyncio.run(run_round(base, n, args.page_timeout, publish))
                    rss = rss_bytes(server.pid)
                    peak = max(peak, rss)
                    errors_total += len(result.errors)
                    label = f"N={n} round {round_no}"
                    if result.times:
                        report("wsload", f"{label}: page median / p95",
                               f"{statistics.median(result.times):.2f} s / {p95(result.times):.2f} s")  # fmt: skip
                    errors = f" ({'; '.join(sorted(set(result.errors))[:3])})" if result.errors else ""
                    report(
                        "wsload",
                        f"{label}: pages rendered, errors",
                        f"{len(result.times)}, {len(result.errors)}{errors}",
                    )
                    report("wsload", f"{label}: server RSS after the round", f"{rss / 1e6:.0f} MB")
                    if published:
                        saw = sum(1 for b in result.after_publish if b == published[0])
                        report(
                            "wsload", f"{label}: sessions showing the build published mid-run", f"{saw}/{n}"
                        )
                        errors_total += n - saw
                report("wsload", f"N={n}: peak server RSS", f"{peak / 1e6:.0f} MB")
            if args.settle:
                time.sleep(args.settle)
                report("wsload", f"server RSS after {args.settle:.0f} s idle (disconnected sessions expired)",
                       f"{rss_bytes(server.pid) / 1e6:.0f} MB")  # fmt: skip
                n = max(args.sessions)
                result = asyncio.run(run_round(base, n, args.page_timeout, None))
                errors_total += len(result.errors)
                report("wsload", f"N={n} again after the idle time: page median / p95, errors, server RSS",
                       f"{statistics.median(result.times):.2f} s / {p95(result.times):.2f} s, {len(result.errors)}, "
                       f"{rss_bytes(server.pid) / 1e6:.0f} MB")  # fmt: skip
        finally:
            stop_server(server)
    return 1 if errors_total else 0


if __name__ == "__main__":
    sys.exit(main())
