"""`make bench`: bytes on the wire for one page view over the app's websocket, compressed and not.

    python -m bench.run wire

A page's elements, tables and pictures travel over Streamlit's websocket, not as HTTP files that nginx could
gzip. .streamlit/config.toml turns on permessage-deflate (``server.enableWebsocketCompression``). Two app
processes over the shipped warehouse, one with compression switched off on its command line; for each view a
websocket client (the ``websockets`` library, which offers permessage-deflate as browsers do) asks for the page
through a counting TCP relay and reads until the run has finished. Prints, per view, the bytes the server sent
(handshake excluded) without and with compression, and the ratio; then the map of all 928 districts on a
SYNTHETIC warehouse (figures not real; built here, ~20 s). Last, small answers on a kept-alive connection (as a
browser keeps its six): the median time of 30 requests for a small script, with Nagle's algorithm left on
(``PROVDATA_NODELAY=0``, Streamlit's default) and off (provdata/web/sockets.py).
"""

from __future__ import annotations

import asyncio
import http.client
import statistics
import tempfile
import time
from pathlib import Path

import websockets
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.serve import free_port, start_server, stop_server
from bench.synth import write_synthetic
from bench.wsload import rerun
from provdata.basics import config

#: (page, query string) of the views measured: each page at a typical view of a pilot province
VIEWS = [
    ("profile", "province=60&lang=th"),
    ("map", "lang=th&indicator=gpp_per_capita_baht&year=2020&level=province"),
    ("map", "lang=th&indicator=rice_inseason_production_t&year=2015&level=district"),
    ("trends", "lang=th"),
    ("compare", "lang=th"),
    ("chart", "province=60&lang=th"),
]
SYNTHETIC_VIEW = ("map", "lang=th&indicator=syn_0001&level=district")


async def _relay(target_port: int, counted: dict[str, int]) -> tuple[asyncio.Server, int]:
    """A TCP relay to 127.0.0.1:target_port that counts the bytes coming back (``counted["down"]``)."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", target_port)

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter, key: str | None) -> None:
            try:
                while data := await src.read(65536):
                    if key:
                        counted[key] += len(data)
                    dst.write(data)
                    await dst.drain()
            except ConnectionError:
                pass
            finally:
                dst.close()

        await asyncio.gather(pipe(reader, up_writer, None), pipe(up_reader, writer, "down"))

    port = free_port()
    return await asyncio.start_server(handle, "127.0.0.1", port), port


async def page_bytes(app_port: int, page: str, query: str) -> tuple[int, int, bool]:
    """(bytes on the wire, bytes of the messages, compressed?) of one run of ``page`` at ``query``."""
    counted = {"down": 0}
    relay, port = await _relay(app_port, counted)
    try:
        url = f"ws://127.0.0.1:{port}/_stcore/stream"
        async with websockets.connect(url, subprotocols=["streamlit"], max_size=None) as ws:
            deflate = "permessage-deflate" in (ws.response.headers.get("Sec-WebSocket-Extensions") or "")
            counted["down"] = 0  # the handshake is not the page
            payload = 0
            await ws.send(rerun(page, query))
            while True:
                raw = await asyncio.wait_for(ws.recv(), 60)
                payload += len(raw)
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                if msg.WhichOneof("type") == "script_finished":
                    break
    finally:
        relay.close()
    return counted["down"], payload, deflate


def measure(warehouse: Path, views: list[tuple[str, str]], report, env: dict[str, str] | None = None) -> None:
    plain_port, deflate_port = free_port(), free_port()
    plain = start_server(
        warehouse, plain_port, env=env, extra_args=("--server.enableWebsocketCompression", "false")
    )
    deflate = start_server(warehouse, deflate_port, env=env)
    try:
        for page, query in views:
            sizes = {}
            for name, port in (("plain", plain_port), ("deflate", deflate_port)):
                asyncio.run(page_bytes(port, page, query))  # the first run fills the server's caches
                sizes[name] = asyncio.run(page_bytes(port, page, query))
            (plain_wire, payload, plain_flag), (deflate_wire, _p, deflate_flag) = (
                sizes["plain"],
                sizes["deflate"],
            )
            if plain_flag or not deflate_flag:
                report(
                    "wire", f"/{page}?{query}", "compression not as configured: check .streamlit/config.toml"
                )
                continue
            report(
                "wire", f"/{page}?{query}: websocket bytes, plain → compressed",
                f"{plain_wire / 1e3:.1f} KB → {deflate_wire / 1e3:.1f} KB ({plain_wire / deflate_wire:.1f}×; "
                f"messages {payload / 1e3:.1f} KB)",
            )  # fmt: skip
    finally:
        stop_server(plain)
        stop_server(deflate)


def kept_alive_ms(port: int, path: str, requests: int = 30) -> float:
    """Median milliseconds of ``requests`` GETs of ``path`` one after another on one kept-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times = []
    try:
        for _ in range(requests + 1):
            t0 = time.perf_counter()
            conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
            conn.getresponse().read()
            times.append(time.perf_counter() - t0)
    finally:
        conn.close()
    return statistics.median(times[1:]) * 1000  # the first request opens the connection


def nagle(report) -> None:
    from streamlit import file_util

    script = min(
        (Path(file_util.get_static_dir()) / "static" / "js").glob("*.js"), key=lambda p: p.stat().st_size
    )
    path = f"/static/js/{script.name}"
    ports = {"Nagle on (Streamlit's default)": free_port(), "Nagle off (provdata)": free_port()}
    servers = [
        start_server(
            config.DEFAULT_WAREHOUSE, port, env={"PROVDATA_NODELAY": "0" if "default" in name else "1"}
        )
        for name, port in ports.items()
    ]
    try:
        for name, port in ports.items():
            report("wire", f"small script ({script.stat().st_size} B) on a kept-alive connection: {name}, median of 30",
                   f"{kept_alive_ms(port, path):.1f} ms")  # fmt: skip
    finally:
        for server in servers:
            stop_server(server)


def bench(report) -> None:
    measure(config.DEFAULT_WAREHOUSE, VIEWS, report)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.duckdb"
        write_synthetic("district", path)
        report("wire", "SYNTHETIC figures below (928 districts), not real", "")
        measure(path, [SYNTHETIC_VIEW], report, env={"PROVDATA_ALLOW_SYNTHETIC": "1"})
    nagle(report)
