"""Presenter mode in Chromium at 1920×1080: the time from a key press to the next slide drawn, and the
screenshots in docs/.

    python -m bench.run present          (make bench runs it with the rest)
    python -m bench.bench_present --steps 6 --no-screenshots    (a quick run; tests/bench runs it so)

Starts one app process over the warehouse (PROVDATA_WAREHOUSE, else the shipped one), opens
``/present?province=60&lang=th`` and presses keys as a clicker sends them (PageDown, ArrowRight, Space forward;
PageUp, ArrowLeft back), stepping through the slides and back. Each step is timed in the page: from the key
event's time stamp to the frame after the next slide is shown (requestAnimationFrame, then a task: the frame has
been painted). Goal (issue #24): median ≤ 300 ms. Before, a step was a Streamlit rerun: 1.6–2.3 s.

The screenshots (docs/screenshot-presenter.png, a figure's slide; docs/screenshot-presenter-title.png, the title
slide) are taken from the same page.
"""

from __future__ import annotations

import argparse
import statistics
import sys

from bench.serve import CHROMIUM, CHROMIUM_ARGS, free_port, start_server, stop_server
from provdata.basics import config

PAGE = "/present?province=60&lang=th"
FORWARD, BACK = ("PageDown", "ArrowRight", " "), ("PageUp", "ArrowLeft")
WATCH = """() => {
  window.__pdDrawn = [];
  let t0 = 0;
  document.addEventListener('keydown', (e) => { t0 = e.timeStamp; }, true);
  new MutationObserver(() => {
    const start = t0;
    requestAnimationFrame(() => setTimeout(() => window.__pdDrawn.push(performance.now() - start), 0));
  }).observe(document.querySelector('.pd-deck'), {attributes: true, attributeFilter: ['data-n']});
}"""


def measure(base: str, steps: int, screenshots: bool) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(base + PAGE)
        page.wait_for_selector(".pd-deck[data-wired] .pd-slide:not([hidden])", timeout=60000)
        page.evaluate("async () => { await document.fonts.ready; }")
        total = page.locator(".pd-slide").count()
        if screenshots:
            page.screenshot(path=str(config.ROOT / "docs" / "screenshot-presenter-title.png"))
        page.evaluate(WATCH)
        n, way = 1, 1
        for i in range(steps):
            if not 1 <= n + way <= total:
                way = -way
            keys = FORWARD if way > 0 else BACK
            page.keyboard.press(keys[i % len(keys)])
            n += way
            page.wait_for_function(f"() => window.__pdDrawn.length === {i + 1}", timeout=10000)
            shown = page.evaluate("() => document.querySelector('.pd-deck').dataset.n")
            if shown != str(n):
                raise RuntimeError(f"step {i + 1}: slide {shown} shown, {n} expected")
        times = page.evaluate("() => window.__pdDrawn")
        if screenshots:
            page.keyboard.press("Home")
            page.keyboard.press("PageDown")
            page.wait_for_function("() => document.querySelector('.pd-deck').dataset.n === '2'")
            page.screenshot(path=str(config.ROOT / "docs" / "screenshot-presenter.png"))
        browser.close()
    return {"median": statistics.median(times), "max": max(times), "n": len(times), "slides": total}


def bench(report, steps: int = 20, screenshots: bool = True) -> None:
    port = free_port()
    proc = start_server(config.warehouse_path(), port)
    try:
        got = measure(f"http://127.0.0.1:{port}", steps, screenshots)
    finally:
        stop_server(proc)
    report(
        "present",
        f"key press → next slide drawn, median of {got['n']} steps (goal ≤ 300)",
        f"{got['median']:.0f} ms",
    )
    report("present", "key press → next slide drawn, slowest step", f"{got['max']:.0f} ms")
    report("present", "slides stepped through (province 60, Thai, 1920×1080)", str(got["slides"]))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--no-screenshots", action="store_true")
    args = parser.parse_args(argv)

    def report(section: str, name: str, value: str) -> None:
        print(f"{section:<12}  {name:<60}  {value}", flush=True)

    bench(report, args.steps, not args.no_screenshots)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
