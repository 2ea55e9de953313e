"""Shared fixtures: a tiny warehouse built by the real loader, the real one, and a served app."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

import bench.apptest  # noqa: F401  (AppTest runs the registered pages, not pages/ as a legacy app)
from bench.serve import CHROMIUM, CHROMIUM_ARGS, free_port, start_server, stop_server
from provdata.basics import config
from provdata.warehouse.build import Inputs, build_warehouse

# Tests never touch a developer's accounts or publications (var/): they get a state folder of their own.
os.environ["PROVDATA_STATE"] = tempfile.mkdtemp(prefix="provdata-test-state-")
os.environ.pop("PROVDATA_ACCOUNTS", None)
os.environ.pop("PROVDATA_INPUTS", None)
# nor the machine's deployment file (/etc/provdata/provdata.toml): a test that wants one names its own
os.environ["PROVDATA_CONFIG"] = ""
os.environ.pop("PROVDATA_STATE_URL", None)
# Servers the tests start do not rebuild their warehouse from the store (the shared real warehouse must stay the
# release's); tests/exchange/test_hosts.py turns following on for its own hosts.
os.environ["PROVDATA_FOLLOW_SECONDS"] = "0"
# Every judgement of "current", "overdue" and "past deadline" asks provdata.basics.clock.today(): the tests pin the
# day so their expected grades and dates hold next year too (the `today` fixture sets another day for one test).
TEST_TODAY = "2026-12-06"
os.environ["PROVDATA_TODAY"] = TEST_TODAY

ROOT = Path(__file__).resolve().parent.parent
TINY = Path(__file__).with_name("fixtures") / "tiny"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items) -> None:
    """Every test that drives Chromium carries the ``browser`` marker; one that uses the session's app server is
    ``slow`` too (make test-fast leaves both out). Test files with slow tests run first, then those with browser
    tests, then the rest (each file's tests in their order): with ``--dist loadgroup`` the two workers start on the
    long tests and end on short ones, instead of one worker finishing the long ones alone."""
    unmarked = [
        item.nodeid
        for item in items
        if "browser" in item.fixturenames and not item.get_closest_marker("browser")
    ]
    if unmarked:
        raise pytest.UsageError("tests driving Chromium without the browser marker: " + ", ".join(unmarked))
    for item in items:
        if "served_app" in item.fixturenames:
            item.add_marker(pytest.mark.slow)
    rank: dict[str, int] = {}
    for item in items:
        kind = 0 if item.get_closest_marker("slow") else 1 if item.get_closest_marker("browser") else 2
        rank[item.path] = min(rank.get(item.path, 2), kind)
    items.sort(key=lambda item: rank[item.path])  # stable: a file's tests stay together and in order


#: Test files whose tests share a server or a document made once per file (module-scoped fixtures): pytest-xdist
#: hands each to one worker whole, so it is made once, not once per worker. (xdist_group marks would say this, but
#: with pytest 9.2 and pytest-xdist 3.8 they are silently ignored: pytest-dev/pytest-xdist#1386.)
SHARED_PER_FILE = {
    "tests/web/test_api.py",
    "tests/browser/test_browser_a11y.py",
    "tests/reports/test_report.py",
    "tests/ingest/test_upload_limits.py",
}


def pytest_xdist_make_scheduler(config, log):
    """--dist loadgroup, with the files of SHARED_PER_FILE as groups; every other test is a unit of its own, handed
    out in the order pytest_collection_modifyitems gives (with --no-loadscope-reorder)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class FileGroups(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            file = nodeid.split("::", 1)[0]
            return file if file in SHARED_PER_FILE else super()._split_scope(nodeid)

    return FileGroups(config, log)


def tiny_inputs(base: Path = TINY) -> Inputs:
    return Inputs(
        seed_dir=base / "seed",
        reference_dir=base / "reference",
        geo_dir=base / "geo",
        strategy_dir=base / "strategy",
        inbox_dir=base / "inbox",  # the tiny set has no raw agency files and no recipes
        recipes_dir=base / "recipes",
    )


@pytest.fixture(scope="session")
def tiny_warehouse(tmp_path_factory) -> Path:
    """A warehouse built by the real loader from tests/fixtures/tiny (real rows, 12 provinces)."""
    path = tmp_path_factory.mktemp("tiny") / "warehouse.duckdb"
    build_warehouse(path, tiny_inputs(), log=lambda _msg: None)
    return path


_TINY_BUILT: dict[str, Path] = {}


def tiny_warehouse_copy(dest: Path) -> Path:
    """A copy at ``dest`` of the warehouse the tiny inputs build on an empty store (either backend builds the same
    one), built once per test process: for tests that need one to change, not to watch being built."""
    if "path" not in _TINY_BUILT:
        folder = Path(tempfile.mkdtemp(prefix="provdata-tiny-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        with _state_env(folder / "state", None):
            build_warehouse(folder / "warehouse.duckdb", tiny_inputs(), log=lambda _m: None)
        _TINY_BUILT["path"] = folder / "warehouse.duckdb"
    shutil.copy2(_TINY_BUILT["path"], dest)
    return dest


@pytest.fixture
def tiny_bench_env(tiny_warehouse, tmp_path) -> dict[str, str]:
    """The environment for a bench script run at its smallest, in a subprocess: the tiny inputs
    (tests/fixtures/tiny) and their warehouse, and a state folder of its own. `make bench` runs the same scripts
    over the real data."""
    return {**os.environ, "PROVDATA_INPUTS": str(TINY), "PROVDATA_WAREHOUSE": str(tiny_warehouse),
            "PROVDATA_STATE": str(tmp_path / "bench-state")}  # fmt: skip


@pytest.fixture
def tiny_copy(tmp_path) -> Path:
    """A writable copy of the tiny input folders, for tests that break a file on purpose."""
    dest = tmp_path / "inputs"
    shutil.copytree(TINY, dest)
    return dest


@pytest.fixture(scope="session")
def real_warehouse(tmp_path_factory) -> Path:
    """The warehouse of all shipped data (built by `make test`; built here if missing)."""
    path = config.DEFAULT_WAREHOUSE
    if not path.exists():
        path = tmp_path_factory.mktemp("real") / "warehouse.duckdb"
        build_warehouse(path, log=lambda _msg: None)
    return path


@pytest.fixture
def today(monkeypatch):
    """Set the app's clock for one test: ``today("2027-03-01")`` (env PROVDATA_TODAY); returns the date."""
    import datetime as dt

    def _set(day: str) -> dt.date:
        monkeypatch.setenv("PROVDATA_TODAY", day)
        return dt.date.fromisoformat(day)

    return _set


@pytest.fixture
def use_warehouse(monkeypatch):
    """Point the app at a given warehouse file: ``use_warehouse(path)``."""

    def _use(path: Path) -> Path:
        monkeypatch.setenv("PROVDATA_WAREHOUSE", str(path))
        return path

    return _use


def figure_in(warehouse: Path, indicator: str, code: str, year: int) -> tuple | None:
    """(value, load id) of one figure as a warehouse file holds it, or None."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            "SELECT value, load_id FROM observation WHERE indicator_id = ? AND area_code = ? AND year = ?",
            [indicator, code, year],
        ).fetchone()
    finally:
        con.close()


def run_async(awaitable):
    """Run a coroutine to its end in a thread of its own: a worker that ran Playwright's sync API before has an
    event loop in its main thread, where ``asyncio.run`` refuses to start."""
    import asyncio
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, awaitable).result()


def open_page(path: str, **params):
    """A page run by AppTest with the given URL parameters, as a deep link opens it; fails on an exception."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(path)
    at.run()
    assert not at.exception, at.exception
    return at


def sign_in(at, name: str, password: str | None = None):
    """Sign in through the page's form (password: the test accounts' one)."""
    at.text_input(key="login_user").set_value(name)
    at.text_input(key="login_password").set_value(password or PASSWORD)
    at.button(key="login_submit").click().run()
    assert not at.exception, at.exception
    return at


def figures_of(stdout: str) -> dict[str, str]:
    """Parse bench output lines ``section  measure  figure`` (columns separated by 2+ spaces)."""
    out = {}
    for line in stdout.splitlines():
        parts = re.split(r"\s{2,}", line.strip(), maxsplit=2)
        if len(parts) == 3:
            out[parts[1]] = parts[2]
    return out


@contextmanager
def serving(warehouse: Path, name: str) -> Iterator[str]:
    """server.py over ``warehouse`` on a free port of 127.0.0.1 with the environment as it is now, its log in
    .pytest_cache/NAME-PORT.log; yields its base URL and stops it afterwards."""
    port = free_port()
    (ROOT / ".pytest_cache").mkdir(exist_ok=True)
    with open(ROOT / ".pytest_cache" / f"{name}-{port}.log", "w") as log:
        try:
            proc = start_server(warehouse, port, log=log)
        except RuntimeError as exc:
            pytest.fail(str(exc))
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            stop_server(proc)


@pytest.fixture(scope="session")
def served_app(real_warehouse):
    """The app served by `streamlit run` on 127.0.0.1 over the real warehouse; yields its base URL."""
    with serving(real_warehouse, "streamlit") as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Missing Chromium is an error, not a skip."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    yield pg
    context.close()


def download(pg, button, timeout_ms: int = 30000):
    """Click a download button and return the Playwright download (``.path()``, ``.suggested_filename``).

    The app's download buttons make their file when clicked (a deferred download: one more round trip to the
    server); if no download starts, the click is tried once more after the app settles.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(2):
        wait_for_app(pg)
        try:
            with pg.expect_download(timeout=timeout_ms) as dl:
                button.click()
            return dl.value
        except PlaywrightTimeout:
            if attempt:
                raise
    raise AssertionError("unreachable")


def wait_for_app(pg, timeout_ms: int = 30000) -> None:
    """Wait until Streamlit has finished running the script, the server's first view of the page has given way
    to it (provdata/views/firstview.py) and fonts are loaded."""
    pg.wait_for_selector('[data-testid="stMain"]', timeout=timeout_ms)
    pg.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]') && !document.getElementById('pd-first') "
        "&& document.querySelectorAll('[data-testid=\"stElementContainer\"]').length > 0",
        timeout=timeout_ms,
    )
    pg.evaluate("async () => { await document.fonts.ready; }")


# --- data exchange: a tiny warehouse with some real figures held back, to be uploaded as new ------------------

PASSWORD = "a-long-test-password"
HELD_BACK = {"indicator_id": "population_registered", "years": (2019, 2020), "provinces": ("60", "62")}


@dataclass
class ExchangeEnv:
    base: Path
    inputs: Inputs
    warehouse: Path
    state: Path
    held_back: dict  # (province, year) -> the real registered population held back from the seed

    def env(self) -> dict[str, str]:
        return {
            "PROVDATA_INPUTS": str(self.base / "inputs"),
            "PROVDATA_WAREHOUSE": str(self.warehouse),
            "PROVDATA_STATE": str(self.state),
        }


def make_exchange_env(base: Path, stand_ins: dict | None = None) -> ExchangeEnv:
    """Tiny inputs without the registered population of Nakhon Sawan and Kamphaeng Phet for 2019–2020 (real
    rows, held back so an upload of them is new), a warehouse built from them, and three accounts.

    ``stand_ins`` {(province, year): value} puts another real figure in place of a held-back one, as an
    earlier vintage for revision tests (every value there is a published figure, of another year or province).

    The inputs and warehouse are built once per test process for each ``stand_ins`` (see _exchange_template) and
    copied into ``base``: the same files, the same warehouse (an empty store at sequence 0 builds the same one on
    either backend). The accounts come with the embedded store's file, or are added to PROVDATA_STATE_URL's
    database when it is set.
    """
    template = _exchange_template(tuple(sorted((stand_ins or {}).items())))
    shutil.copytree(template.base / "inputs", base / "inputs")
    shutil.copy2(template.warehouse, base / "warehouse.duckdb")
    state = base / "state"
    if os.environ.get("PROVDATA_STATE_URL"):
        state.mkdir()
        _add_exchange_accounts(state)
    else:
        shutil.copytree(template.state, state)
    return _exchange_env(base, state, template.held_back)


def _exchange_env(base: Path, state: Path, held: dict) -> ExchangeEnv:
    inputs = Inputs(
        seed_dir=base / "inputs" / "seed",
        reference_dir=base / "inputs" / "reference",
        geo_dir=base / "inputs" / "geo",
        strategy_dir=base / "inputs" / "strategy",
        inbox_dir=base / "inputs" / "inbox",
        recipes_dir=base / "inputs" / "recipes",
        uploads_dir=state / "uploads",
    )
    return ExchangeEnv(base, inputs, base / "warehouse.duckdb", state, dict(held))


@contextmanager
def _state_env(state: Path, url: str | None) -> Iterator[None]:
    """PROVDATA_STATE (and PROVDATA_STATE_URL: None for the embedded store) for a moment."""
    saved = {k: os.environ.get(k) for k in ("PROVDATA_STATE", "PROVDATA_STATE_URL")}
    os.environ["PROVDATA_STATE"] = str(state)
    os.environ.pop("PROVDATA_STATE_URL", None)
    if url:
        os.environ["PROVDATA_STATE_URL"] = url
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _add_exchange_accounts(state: Path) -> None:
    from provdata import accounts

    with _state_env(state, os.environ.get("PROVDATA_STATE_URL")):
        accounts.add("dopa-steward", PASSWORD, "dopa")
        accounts.add("nesdc-steward", PASSWORD, "nesdc")
        accounts.add("admin", PASSWORD, "nso", admin=True)


_EXCHANGE_TEMPLATES: dict[tuple, ExchangeEnv] = {}


def _exchange_template(stand_ins: tuple) -> ExchangeEnv:
    """The exchange env for ``stand_ins``, built once per test process (on the embedded store) in a folder of its
    own; make_exchange_env copies it."""
    if stand_ins not in _EXCHANGE_TEMPLATES:
        import csv

        base = Path(tempfile.mkdtemp(prefix="provdata-exchange-template-"))
        shutil.copytree(TINY, base / "inputs")
        path = base / "inputs" / "seed" / "observations.csv"
        with path.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        held = {}
        kept = []
        wanted = dict(stand_ins)
        for r in rows:
            key = (r["province_code"], int(r["year"]))
            if (r["indicator_id"] == HELD_BACK["indicator_id"] and key[0] in HELD_BACK["provinces"]
                    and key[1] in HELD_BACK["years"]):  # fmt: skip
                held[key] = float(r["value"])
                if key in wanted:
                    kept.append({**r, "value": f"{wanted[key]:.0f}"})
                continue
            kept.append(r)
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(kept)
        env = _exchange_env(base, base / "state", held)
        with _state_env(env.state, None):  # the template's own embedded store
            build_warehouse(env.warehouse, env.inputs, log=lambda _m: None)  # from that store, at sequence 0
            _add_exchange_accounts(env.state)
        atexit.register(shutil.rmtree, base, ignore_errors=True)
        _EXCHANGE_TEMPLATES[stand_ins] = env
    return _EXCHANGE_TEMPLATES[stand_ins]


@pytest.fixture
def exchange_env(tmp_path, monkeypatch) -> ExchangeEnv:
    env = make_exchange_env(tmp_path)
    for k, v in env.env().items():
        monkeypatch.setenv(k, v)
    return env


def wide_population_xlsx(held: dict) -> bytes:
    """The registered population as DOPA publishes it: Thai names, Buddhist-era years as columns, a title row and a
    whole-kingdom row (skipped); the figures are the real ones held back from the seed."""
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ประชากร"
    ws.append(["จำนวนประชากรจากการทะเบียน จำแนกรายจังหวัด (คน)"])
    ws.append(["จังหวัด", "พ.ศ. 2562", "พ.ศ. 2563"])
    ws.append(["ทั่วราชอาณาจักร", None, None])
    ws.append(["จังหวัดกำแพงเพชร", held["62", 2019], held["62", 2020]])
    ws.append(["นครสวรรค์", f"{held['60', 2019]:,.0f}", f"{held['60', 2020]:,.0f}"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------------------------- a real PostgreSQL

PG_BIN = Path("/usr/lib/postgresql/15/bin")


@dataclass
class PostgresServer:
    folder: Path  # holds the data directory and the Unix socket (no network)
    as_user: list[str]
    made: int = 0

    def run(self, *args: str) -> None:
        import subprocess

        subprocess.run([*self.as_user, *args], check=True, capture_output=True, text=True)

    def new_database(self) -> str:
        """A fresh, empty database; its URL."""
        import psycopg

        self.made += 1
        name = f"state_{os.getpid()}_{self.made}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def url(self, database: str) -> str:
        return f"postgresql://provdata@/{database}?host={self.folder}"

    def start(self) -> None:
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.folder / "data"), "-l", str(self.folder / "log"), "-w",
                 "-o", f"-k {self.folder} -c listen_addresses='' -c fsync=off", "start")  # fmt: skip

    def stop(self) -> None:
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL (Debian's ``postgresql``) in a temporary folder, on a Unix socket there: initdb, start,
    and stop after the session. As root it runs as the ``postgres`` user (initdb refuses root)."""
    folder = Path(tempfile.mkdtemp(prefix="provdata-pg-"))
    as_user = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    if as_user:
        shutil.chown(folder, "postgres")
    server = PostgresServer(folder, as_user)
    server.run(str(PG_BIN / "initdb"), "-D", str(folder / "data"), "-U", "provdata", "--auth=trust", "-E", "UTF8",
               "--locale=C.UTF-8")  # fmt: skip
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def state_backend(request, monkeypatch) -> str:
    """Runs a test on the embedded store and again on a fresh PostgreSQL database (PROVDATA_STATE_URL)."""
    if request.param == "postgresql":
        monkeypatch.setenv("PROVDATA_STATE_URL", request.getfixturevalue("postgres_server").new_database())
    else:
        monkeypatch.delenv("PROVDATA_STATE_URL", raising=False)
    return request.param
