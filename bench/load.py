"""Load: N concurrent browser sessions walk the app's pages while a new warehouse is published.

    python -m bench.load --sessions 10 25 50 --rounds 2

Starts its own app server on 127.0.0.1 (over a private copy of the warehouse, so the publish in the
middle of the run does not touch data/warehouse.duckdb), opens N Chromium contexts at once (Playwright,
Debian's /usr/bin/chromium), and has each walk every registered page in order, as a user would.
Per N it prints the median and 95th-percentile time to a fully rendered page, the errors, and the
server's peak memory (RSS, with its children); after each round the server's RSS, to show growth.
Half-way through the first round it republishes the warehouse: every session must keep working and
show the new build on its next page. Bounded: each page load times out after --page-timeout seconds,
the whole run after --max-seconds. Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.serve import CHROMIUM, CHROMIUM_ARGS, free_port, new_state, start_proxy, start_servers, stop_server
from provdata.basics import config
from provdata.ui.nav import PAGES
from provdata.warehouse.build import build_warehouse

RENDERED = (
    "() => !document.querySelector('[data-testid=\"stStatusWidget\"]') "
    '&& document.querySelectorAll(\'[data-testid="stMain"] [data-testid="stElementContainer"]\').length > 0'
)
#: Default view parameters per page (a realistic first visit): the pilot Nakhon Sawan in Thai.
VIEW = "province=60&lang=th"


@dataclass
class Result:
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    after_publish: list[str] = field(default_factory=list)  # build id each session shows after the publish
    upstreams: list[str] = field(default_factory=list)  # the app process each session reached (behind nginx)


def rss_bytes(*pids: int) -> int:
    """Resident memory of the app processes and their children (from /proc)."""
    total = 0
    pids = list(pids)
    for pid in list(pids):
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            pids += [int(c) for c in children]
        except OSError:
            pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


BUILD_ID = re.compile(r"\b(?:s\d+|local)-[0-9a-f]{12}\b")


async def walk(
    browser, base: str, result: Result, page_timeout: float, publish_at: asyncio.Event | None
) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    try:
        for i, spec in enumerate(PAGES):
            if publish_at is not None and i == len(PAGES) // 2:
                await publish_at.wait()
            t0 = time.perf_counter()
            try:
                await page.goto(f"{base}/{spec.url_path}?{VIEW}", timeout=page_timeout * 1000)
                await page.wait_for_function(RENDERED, timeout=page_timeout * 1000)
                result.times.append(time.perf_counter() - t0)
                if await page.locator('[data-testid="stException"]').count():
                    result.errors.append(f"{spec.url_path}: exception shown")
                if publish_at is not None and i == len(PAGES) - 1:
                    caption = page.locator(
                        '[data-testid="stSidebar"] [data-testid="stCaptionContainer"]', has_text=BUILD_ID
                    )
                    found = BUILD_ID.search(await caption.first.inner_text(timeout=page_timeout * 1000))
                    result.after_publish.append(found.group(0) if found else "")
            except Exception as exc:  # every failure is counted and named
                result.errors.append(f"{spec.url_path}: {type(exc).__name__}")
    finally:
        await context.close()


async def run_round(base: str, n: int, page_timeout: float, publish) -> Result:
    from playwright.async_api import async_playwright

    result = Result()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            gate = asyncio.Event() if publish else None
            tasks = [asyncio.create_task(walk(browser, base, result, page_timeout, gate)) for _ in range(n)]
            if publish:
                await asyncio.sleep(0.5)
                await asyncio.to_thread(publish)
                gate.set()
            await asyncio.gather(*tasks)
        finally:
            await browser.close()
    return result


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def arguments(prog: str, doc: str, argv: list[str] | None, max_seconds: float) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=prog, description=doc.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 25, 50])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--page-timeout", type=float, default=60)
    parser.add_argument("--max-seconds", type=float, default=max_seconds)
    parser.add_argument("--settle", type=float, default=0,
                        help="then wait this long (past server.disconnectedSessionTTL, 120 s) and run the largest N "
                        "again: RSS before and after shows whether memory keeps growing")  # fmt: skip
    parser.add_argument("--soak", type=int, default=0, metavar="ROUNDS",
                        help="instead: ROUNDS rounds of the largest N, each followed by --idle seconds (past the "
                        "disconnected-session TTL); prints RSS after each round and each idle time")  # fmt: skip
    parser.add_argument("--idle", type=float, default=130, help="idle seconds after each soak round")
    parser.add_argument("--warmup", type=int, default=1,
                        help="soak rounds that fill caches and the allocator before RSS should stay flat")  # fmt: skip
    parser.add_argument("--processes", type=int, default=1,
                        help="app processes; more than one are served behind nginx from deploy/nginx.conf.template "
                        "(sticky by its routing cookie), as docs/deployment.md describes; RSS is their sum")  # fmt: skip
    parser.add_argument("--ttl", type=float, default=None,
                        help="the server's server.disconnectedSessionTTL (default: Streamlit's 120 s)")  # fmt: skip
    return parser.parse_args(argv)


def soak(section: str, run_round, args: argparse.Namespace, report, base: str, pids: list[int]) -> int:
    """Rounds of N sessions, each followed by an idle time; RSS after each. After warm-up (round 1) the RSS after
    each idle time should stay within 15 % of the first one: memory that stays flat."""
    n = max(args.sessions)
    who = f"soak N={n}" + (f" on {args.processes} processes" if args.processes > 1 else "")
    errors_total = 0
    idle_rss: list[int] = []
    times: list[float] = []
    for round_no in range(1, args.soak + 1):
        result = asyncio.run(run_round(base, n, args.page_timeout, None))
        errors_total += len(result.errors)
        times += result.times
        after = rss_bytes(*pids)
        time.sleep(args.idle)
        idle_rss.append(rss_bytes(*pids))
        report(section, f"{who} round {round_no}: median / p95, errors",
               f"{statistics.median(result.times):.2f} s / {p95(result.times):.2f} s, {len(result.errors)}")  # fmt: skip
        report(section, f"{who} round {round_no}: RSS after the round → after {args.idle:.0f} s idle",
               f"{after / 1e6:.0f} MB → {idle_rss[-1] / 1e6:.0f} MB ({idle_rss[-1] / idle_rss[0]:.2f}× round 1)")  # fmt: skip
    report(section, f"{who}: all rounds page median / p95",
           f"{statistics.median(times):.2f} s / {p95(times):.2f} s")  # fmt: skip
    warm = min(args.warmup, len(idle_rss) - 1)
    ref = idle_rss[warm]
    worst = max(idle_rss[warm:]) / ref
    report(section, f"{who}: idle RSS after warm-up ({warm} round(s)), per round",
           " → ".join(f"{r / 1e6:.0f}" for r in idle_rss[warm:]) + " MB")  # fmt: skip
    report(section, f"{who}: largest idle RSS / first idle RSS after warm-up (goal ≤ 1.15)", f"{worst:.2f}")
    return errors_total


def drive(section: str, run_round, args: argparse.Namespace, report, warm_up: bool = False) -> int:
    """Serve a private copy of the warehouse; for each N run ``args.rounds`` rounds of ``run_round(base, n,
    timeout, publish)`` (the first with a publish half-way) and report each round. Returns the error count."""
    started = time.monotonic()
    errors_total = 0
    with tempfile.TemporaryDirectory() as tmp:
        warehouse = Path(tmp) / "load.duckdb"
        shutil.copy(config.warehouse_path(), warehouse)
        ttl = ("--server.disconnectedSessionTTL", str(int(args.ttl))) if args.ttl is not None else ()
        ports = [free_port() for _ in range(args.processes)]
        servers = []
        proxy = None
        try:
            servers = start_servers(warehouse, ports, timeout=180, extra_args=ttl)  # side by side
            pids = [server.pid for server in servers]
            base = f"http://127.0.0.1:{ports[0]}"
            if len(ports) > 1:
                proxy, proxy_port = start_proxy(ports, Path(tmp))
                base = f"http://127.0.0.1:{proxy_port}"
                report(section, "app processes behind nginx (deploy/nginx.conf.template)", str(len(ports)))
            if warm_up:  # a first visit fills each process's caches (the processes side by side)

                async def warm() -> None:
                    await asyncio.gather(
                        *(run_round(f"http://127.0.0.1:{port}", 1, args.page_timeout, None) for port in ports)
                    )

                asyncio.run(warm())
            if args.soak:
                return soak(section, run_round, args, report, base, pids)
            for n in args.sessions:
                peak = 0
                for round_no in range(1, args.rounds + 1):
                    if time.monotonic() - started > args.max_seconds:
                        report(section, f"N={n}", "skipped: --max-seconds reached")
                        break
                    published: list[str] = []
                    publish = None
                    if round_no == 1:

                        def publish(published=published):
                            new_state()  # as a publish does: the build id follows the state
                            published.append(build_warehouse(warehouse, log=lambda _m: None).build_id)

                    result = asyncio.run(run_round(base, n, args.page_timeout, publish))
                    rss = rss_bytes(*pids)
                    peak = max(peak, rss)
                    errors_total += len(result.errors)
                    label = f"N={n} round {round_no}"
                    if result.times:
                        report(section, f"{label}: page median / p95",
                               f"{statistics.median(result.times):.2f} s / {p95(result.times):.2f} s")  # fmt: skip
                    errors = f" ({'; '.join(sorted(set(result.errors))[:3])})" if result.errors else ""
                    report(
                        section,
                        f"{label}: pages rendered, errors",
                        f"{len(result.times)}, {len(result.errors)}{errors}",
                    )
                    report(section, f"{label}: server RSS after the round", f"{rss / 1e6:.0f} MB")
                    if proxy is not None and result.upstreams:
                        report(section, f"{label}: sessions per app process",
                               ", ".join(str(result.upstreams.count(u)) for u in sorted(set(result.upstreams))))  # fmt: skip
                    if published:
                        saw = sum(1 for b in result.after_publish if b == published[0])
                        report(
                            section, f"{label}: sessions showing the build published mid-run", f"{saw}/{n}"
                        )
                        errors_total += n - saw
                report(section, f"N={n}: peak server RSS", f"{peak / 1e6:.0f} MB")
            if args.settle:
                time.sleep(args.settle)
                report(section, f"server RSS after {args.settle:.0f} s idle (disconnected sessions expired)",
                       f"{rss_bytes(*pids) / 1e6:.0f} MB")  # fmt: skip
                n = max(args.sessions)
                result = asyncio.run(run_round(base, n, args.page_timeout, None))
                errors_total += len(result.errors)
                report(section, f"N={n} again after the idle time: page median / p95, errors, server RSS",
                       f"{statistics.median(result.times):.2f} s / {p95(result.times):.2f} s, {len(result.errors)}, "
                       f"{rss_bytes(*pids) / 1e6:.0f} MB")  # fmt: skip
        finally:
            if proxy is not None:
                proxy.terminate()
                proxy.wait(10)
            for server in servers:
                stop_server(server)
    return errors_total


def main(argv: list[str] | None = None) -> int:
    args = arguments("python -m bench.load", __doc__, argv, max_seconds=1800)
    report = getattr(main, "report", lambda s, n, v: print(f"{s:<12}  {n:<60}  {v}", flush=True))
    return 1 if drive("load", run_round, args, report) else 0


if __name__ == "__main__":
    sys.exit(main())
