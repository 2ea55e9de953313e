"""Screenshots of the pages on a phone (390×844, Chromium) for docs/: ``python -m bench.phone_shots``.

Starts the app over the shipped warehouse on a free port of 127.0.0.1, opens each page below in Thai as a phone
would (touch, mobile viewport, a phone's User-Agent: the profile and the map are their phone pages,
provdata/ui/lite.py; ``profile-full`` is the interactive page a phone reaches from it) and writes docs/phone-<page>.png: the page from its top, as tall as its content
up to HEIGHT px (a phone scrolls the rest). Not a benchmark: nothing is timed.
"""

from __future__ import annotations

import sys

from bench.serve import CHROMIUM, CHROMIUM_ARGS, PHONE_UA, free_port, start_server, stop_server
from provdata.basics import config

PAGES = {
    "profile": "/profile?lang=th&province=60",
    "compare": "/compare?lang=th&theme=economy",
    "chart": "/chart?lang=th&province=60",
    "map": "/map?lang=th",
    "profile-full": "/profile?lang=th&province=60&view=full",
}
WIDTH, HEIGHT = 390, 2400


def _shoot(page, name: str) -> None:
    out = config.ROOT / "docs" / f"phone-{name}.png"
    page.screenshot(path=str(out))
    print(out.relative_to(config.ROOT))


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    from tests.browser.test_browser_a11y import settle

    names = argv or list(PAGES)
    port = free_port()
    server = start_server(config.DEFAULT_WAREHOUSE, port)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(
                viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True, user_agent=PHONE_UA
            )
            page = context.new_page()
            for name in names:
                page.set_viewport_size({"width": WIDTH, "height": 844})
                page.goto(f"http://127.0.0.1:{port}{PAGES[name]}")
                if not page.locator("#root").count():  # the phone page: drawn with the HTML, nothing runs
                    page.evaluate("document.fonts.ready")
                    tall = page.evaluate("document.documentElement.scrollHeight")
                    page.set_viewport_size({"width": WIDTH, "height": min(tall, HEIGHT)})
                    _shoot(page, name)
                    continue
                settle(page)
                tall = 0
                for _ in range(15):  # until the page has stopped growing (the chart page draws for a while)
                    page.wait_for_timeout(1000)
                    now = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
                    if now == tall:
                        break
                    tall = now
                page.set_viewport_size({"width": WIDTH, "height": min(tall, HEIGHT)})
                page.wait_for_timeout(1500)  # charts redrawn at the new height
                _shoot(page, name)
            browser.close()
    finally:
        stop_server(server)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
