"""Accessibility in a real browser: axe-core over every page in Thai and English, the page's language on <html>.

axe-core comes from npm (package.json, installed by `make test`); it is injected into the page as the
browser loaded it, after the app has drawn its charts.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from provdata.basics.i18n import t
from provdata.ui.nav import PAGES
from tests.conftest import HELD_BACK, PASSWORD, ROOT, make_exchange_env, serving, wait_for_app

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: what each page opens with: a pilot province and its neighbours, so every page has figures to draw
PARAMS = {"profile": "province=60", "present": "province=60&slide=2",
          "chart": "province=60&why_province=61&why_indicator=dhf_cases",
          "compare": "theme=economy", "follow": "province=60", "trends": "provinces=60,62", "map": "indicator=dhf_cases&year=2020"}  # fmt: skip


ORDER_RULES = {"heading-order", "empty-table-header"}


def axe_violations(pg) -> list[dict]:
    """Run axe-core on the page as drawn; return its violations (rule, impact, number of nodes, first target)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
    if pg.evaluate("typeof axe === 'undefined'"):  # once per document
        pg.add_script_tag(path=str(AXE))
    return pg.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                           target: v.nodes[0].target.join(' '), html: v.nodes[0].html.slice(0, 160)}));
        }"""
    )


def open_and_settle(pg, url: str) -> None:
    pg.goto(url)
    settle(pg)


def settle(pg) -> None:
    """Wait until the app has run and drawn its title, charts and shown tables."""
    wait_for_app(pg, timeout_ms=60000)
    pg.wait_for_selector(
        '[data-testid="stMain"] h1:visible', timeout=60000
    )  # presenter mode: the shown slide's
    # charts are drawn after the script has finished: wait for every vega chart's SVG
    pg.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                 .every(c => c.querySelector('svg.marks, canvas'))""",
        timeout=30000,
    )
    # and every table's header row (a data grid draws its accessible header after the data has arrived)
    pg.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
                 // a grid in a hidden tab or a closed expander draws nothing until shown
                 .filter(d => d.offsetParent !== null && d.checkVisibility())
                 .every(d => d.querySelector('[role="columnheader"]'))""",
        timeout=30000,
    )


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.url_path)
def test_no_serious_accessibility_violation_and_the_page_language(served_app, page, spec, lang):
    extra = PARAMS.get(spec.url_path)
    hosts = set()  # a government page asks no third party (no basemap, no icon from Google) and works offline
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    open_and_settle(page, f"{served_app}/{spec.url_path}?lang={lang}" + (f"&{extra}" if extra else ""))
    found = axe_violations(page)
    (ROOT / ".pytest_cache").mkdir(exist_ok=True)
    with open(ROOT / ".pytest_cache" / "axe-counts.jsonl", "a", encoding="utf-8") as fh:
        fh.write(
            json.dumps({"page": spec.url_path, "lang": lang, "violations": found}, ensure_ascii=False) + "\n"
        )
    # the sidebar's script sets it once the sidebar is drawn; a busy machine draws it after the main column
    page.wait_for_function(f"document.documentElement.lang === {lang!r}", timeout=15000)
    assert page.evaluate("document.documentElement.lang") == lang
    assert hosts == {"127.0.0.1"}, f"the page asked other hosts: {sorted(hosts - {'127.0.0.1'})}"
    # serious and critical violations, and two the testers named: headings out of order, an empty table header
    failing = [v for v in found if v["impact"] in ("serious", "critical") or v["id"] in ORDER_RULES]
    assert not failing, json.dumps(failing, ensure_ascii=False, indent=1)
    # every chart is announced by name (its description), none as an unnamed image
    named = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                 .every(c => c.getAttribute('role') === 'graphics-document' && c.getAttribute('aria-label'))"""
    try:
        page.wait_for_function(named, timeout=15000)
    except PlaywrightTimeout:
        labels = page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                     .map(c => [c.getAttribute('role'), c.getAttribute('aria-label')])"""
        )
        pytest.fail(f"a chart without an accessible name: {labels}")


@pytest.fixture(scope="module")
def signed_in_app(tmp_path_factory):
    """The app over the tiny exchange warehouse with a steward, an admin and a planner of Nakhon Sawan."""
    from provdata import accounts

    env = make_exchange_env(tmp_path_factory.mktemp("a11y-signed-in"))
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.env().items():
            mp.setenv(k, v)
        accounts.add("planner-60", PASSWORD, role="planner", provinces=["60"])
        with serving(env.warehouse, "a11y-signed-in") as base:
            yield base, env


def sign_in(pg, user: str) -> None:
    pg.locator(".st-key-login_user input").fill(user)
    pg.locator(".st-key-login_password input").fill(PASSWORD)
    pg.locator(".st-key-login_submit button").click()
    pg.wait_for_selector(".st-key-sign_out button", timeout=60000)
    settle(pg)


def no_violation_in_any_tab(pg, where: str) -> None:
    """axe over each tab of the page as shown (a hidden tab's content is not checked): no violation at all."""
    tabs = pg.get_by_role("tab")
    for i in range(max(tabs.count(), 1)):
        if tabs.count():
            tabs.nth(i).click()
            settle(pg)
        found = axe_violations(pg)
        assert not found, f"{where}, tab {i + 1}: " + json.dumps(found, ensure_ascii=False, indent=1)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("user", ["dopa-steward", "admin"])
def test_the_exchange_page_signed_in_has_no_accessibility_violation(signed_in_app, page, user, lang):
    base, env = signed_in_app
    open_and_settle(page, f"{base}/exchange?lang={lang}")
    sign_in(page, user)
    # upload, publications and overdue figures; the admin sees a fourth tab (the audit log) and the indicator form
    # above the upload wizard
    assert page.get_by_role("tab").count() == (4 if user == "admin" else 3)
    assert page.locator('[data-testid="stFileUploaderDropzone"]').get_attribute("role") == "group"
    no_violation_in_any_tab(page, f"exchange as {user} ({lang})")
    if user == "admin":  # and the form that adds an indicator, opened
        page.get_by_role("tab").first.click()
        page.locator('[data-testid="stExpander"] summary', has_text=t("exchange.add_indicator", lang)).click()
        page.locator('[data-testid="stForm"]').first.wait_for(timeout=30000)
        settle(page)
        found = axe_violations(page)
        assert not found, f"indicator form ({lang}): " + json.dumps(found, ensure_ascii=False, indent=1)
        return
    # the wizard's later steps: a tidy file of the held-back (real) figures is mapped, previewed, ready to publish
    tidy = "province_code,year,indicator_id,value\n" + "".join(
        f"{code},{year},{HELD_BACK['indicator_id']},{value:.0f}\n"
        for (code, year), value in env.held_back.items()
    )
    page.get_by_role("tab").first.click()
    page.locator('.st-key-upload_file input[type="file"]').set_input_files(
        files=[{"name": "tidy.csv", "mimeType": "text/csv", "buffer": tidy.encode()}]
    )
    page.wait_for_selector(".st-key-upload_publish button", timeout=60000)
    settle(page)
    assert page.locator('[data-testid="stMain"] h2').count() == 4  # file, mapping, preview, publish
    found = axe_violations(page)
    assert not found, f"exchange wizard ({lang}): " + json.dumps(found, ensure_ascii=False, indent=1)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_chart_page_signed_in_as_its_planner_has_no_accessibility_violation(signed_in_app, page, lang):
    open_and_settle(page, f"{signed_in_app[0]}/chart?lang={lang}&province=60")
    # the editor's expander, shut for a visitor
    page.locator('[data-testid="stExpander"] summary', has_text=t("chart.edit_title", lang)).click()
    sign_in(page, "planner-60")
    # the planner's editors are drawn: the chain tables, the plan's progress and the workbook import
    assert page.locator('[data-testid="stDataFrame"]').count() >= 3
    assert page.locator('[data-testid="stFileUploaderDropzone"]').get_attribute("role") == "group"
    no_violation_in_any_tab(page, f"chart as planner-60 ({lang})")
