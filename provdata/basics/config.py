"""Paths and settings, in one place. Each setting can be overridden by an environment variable."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: The warehouse file the app reads (env PROVDATA_WAREHOUSE).
DEFAULT_WAREHOUSE = ROOT / "data" / "warehouse.duckdb"
#: Published figures copied unchanged from the shared data set.
SEED_DIR = ROOT / "data" / "seed"
#: Labels and mappings written by the team (no figures).
REFERENCE_DIR = ROOT / "data" / "reference"
#: Provincial strategy chains (issues, CSFs, indicator links): the system of record, edited by planners.
STRATEGY_DIR = ROOT / "data" / "strategy"
#: Boundaries and province attributes.
GEO_DIR = ROOT / "geo"

#: The ten pilot provinces of the programme, in the order the programme lists them.
PILOT_PROVINCES = ("62", "60", "61", "18", "16", "17", "15", "14", "25", "26")

#: Warehouse schema version: bump when provdata/warehouse/sql/schema.sql changes shape.
SCHEMA_VERSION = 10

#: Plausible years for an observation (Gregorian). A year outside is a bad row.
MIN_YEAR = 1900


def input_dir(name: str) -> Path:
    """The build's input folder ``seed``, ``reference``, ``geo``, ``strategy``, ``inbox`` or ``recipes``.

    Env PROVDATA_INPUTS points at one folder holding all four (as tests/fixtures/tiny does); by default they
    are the repository's data/seed, data/reference, geo and data/strategy.
    """
    base = os.environ.get("PROVDATA_INPUTS")
    if base:
        return Path(base) / name
    return {"seed": SEED_DIR, "reference": REFERENCE_DIR, "geo": GEO_DIR, "strategy": STRATEGY_DIR,
            "inbox": ROOT / "data" / "inbox", "recipes": ROOT / "data" / "recipes"}[name]  # fmt: skip


def warehouse_path() -> Path:
    """The warehouse the app and the CLI use: env PROVDATA_WAREHOUSE or data/warehouse.duckdb."""
    return Path(os.environ.get("PROVDATA_WAREHOUSE", DEFAULT_WAREHOUSE))


# --- Data readiness (one place; the app shows these rules in Thai and English) -------------------
#: A: "more than 3 years" of time series — at least this many consecutive years, ending recently.
READY_MIN_CONSECUTIVE_YEARS = 4
#: "Recent": the latest figure is at most this many years older than the reference year.
READY_MAX_AGE_YEARS = 5
#: A strategic issue is decision-ready when at least this many of its key indicators are A.
DECISION_READY_MIN_KEY_A = 2

# --- Target monitoring (one place; the app states the rule) --------------------------------------
#: The recent trend is the average yearly change over at most this many latest consecutive years.
TARGET_TREND_YEARS = 3
#: "At risk": the trend projected to the target year covers at least this share of the way.
TARGET_AT_RISK_SHARE = 0.8

# --- Flags on key indicators (one place; the follow-up page states each rule with its numbers) ------------
#: Target statuses (strategy.targets) that raise an "off track" flag.
FLAG_TARGET_STATUSES = ("off_track", "missed")
#: "Worse than the median": worse than the median of the same year by more than this share of the median.
FLAG_MEDIAN_MARGIN = 0.10
#: A median is only compared against when at least this many provinces of the group have a figure that year.
FLAG_MEDIAN_MIN_PROVINCES = 5
#: Only indicators whose figures do not grow with a province's size are compared with a median (a count or an
#: amount of a large province is not "worse" than a small one's).
FLAG_MEDIAN_KINDS = ("ratio", "rate", "index")
#: "Significant change": the latest figure moved the wrong way by at least this share of the previous figure.
FLAG_CHANGE_SHARE = 0.10


# --- Data exchange (uploads by agency stewards) ----------------------------------------------------
def state_dir() -> Path:
    """Where a deployment keeps what is not in the repository: accounts, publications (env PROVDATA_STATE).

    Back it up: the publications in it are part of the system of record (the warehouse replays them).
    """
    return Path(os.environ.get("PROVDATA_STATE", ROOT / "var"))


#: Where a deployment names its store and settings once (env PROVDATA_CONFIG names another file; empty: none).
DEFAULT_DEPLOYMENT_FILE = Path("/etc/provdata/provdata.toml")
_DEPLOYMENT: dict[Path, tuple[tuple[int, int], dict]] = {}


def deployment_file() -> Path | None:
    """The deployment's settings file: env PROVDATA_CONFIG (empty: none), else /etc/provdata/provdata.toml when
    it exists. It holds the store's address with its password: mode 0600 (the app refuses to start otherwise)."""
    named = os.environ.get("PROVDATA_CONFIG")
    if named is not None:
        return Path(named) if named.strip() else None
    return DEFAULT_DEPLOYMENT_FILE if DEFAULT_DEPLOYMENT_FILE.exists() else None


def deployment() -> dict:
    """The deployment file's settings (``{}`` without one), read again when the file changes. A named file that
    is missing or not TOML is an error that names it (a host never runs on a guess)."""
    import tomllib

    from provdata.basics.errors import ProvdataError

    path = deployment_file()
    if path is None:
        return {}
    try:
        info = path.stat()
        stamp = (info.st_mtime_ns, info.st_size)
        seen = _DEPLOYMENT.get(path)
        if seen is None or seen[0] != stamp:
            seen = (stamp, tomllib.loads(path.read_text(encoding="utf-8")))
            _DEPLOYMENT[path] = seen
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProvdataError(f"the deployment file {path} (PROVDATA_CONFIG) cannot be read: {exc}") from exc
    return seen[1]


def uploads_dir() -> Path:
    """Publication folders of an earlier version, imported once into the state store (provdata/store/publications.py)."""
    return state_dir() / "uploads"


def added_indicators_path() -> Path:
    """Indicators admins added to the catalog (a CSV the build reads beside the shipped ones)."""
    return state_dir() / "indicators.csv"


def accounts_path() -> Path:
    """Steward accounts (hashed passwords and API tokens); never committed (env PROVDATA_ACCOUNTS)."""
    return Path(os.environ.get("PROVDATA_ACCOUNTS", state_dir() / "accounts.json"))


def secret_files() -> list[Path]:
    """Files holding secrets: Streamlit's secrets (OIDC client secret), the accounts, the state database."""
    return [
        ROOT / ".streamlit" / "secrets.toml",
        Path.cwd() / ".streamlit" / "secrets.toml",
        Path.home() / ".streamlit" / "secrets.toml",
        accounts_path(),
        state_dir() / "state.sqlite",
        *[p for p in [deployment_file()] if p is not None],
    ]


_EXPOSED: dict[str, tuple[float, list[Path]]] = {}
#: How long one look at the secret files' modes holds (every page run asks; stat + resolve is not free).
EXPOSED_CHECK_SECONDS = 10.0


def exposed_secret_files() -> list[Path]:
    """The secret files every user of the machine can read (the app refuses to run until they are private).

    Looked at again at most every EXPOSED_CHECK_SECONDS per state folder."""
    import time

    key = str(state_dir()) + "|" + os.environ.get("PROVDATA_ACCOUNTS", "")
    seen_at, found = _EXPOSED.get(key, (-1e9, []))
    if time.monotonic() - seen_at < EXPOSED_CHECK_SECONDS:
        return list(found)
    found = _exposed_now()
    _EXPOSED[key] = (time.monotonic(), found)
    return list(found)


def _exposed_now() -> list[Path]:
    seen, out = set(), []
    for path in secret_files():
        try:
            real = path.resolve()
            if real not in seen and real.is_file() and real.stat().st_mode & 0o004:
                out.append(path)
            seen.add(real)
        except OSError:  # unreadable or vanished: nothing to say about it here
            continue
    return out


def trusted_proxies() -> str:
    """The proxies whose ``X-Forwarded-For`` names the client (env PROVDATA_TRUSTED_PROXIES: comma-separated
    addresses or networks, e.g. ``127.0.0.1`` for the nginx of deploy/nginx.conf.template; default none)."""
    return ",".join(p.strip() for p in os.environ.get("PROVDATA_TRUSTED_PROXIES", "").split(",") if p.strip())


def upload_max_bytes() -> int:
    """Largest file a steward may upload (env PROVDATA_UPLOAD_MAX_MB, default 20 MB)."""
    return int(float(os.environ.get("PROVDATA_UPLOAD_MAX_MB", "20")) * 1_000_000)


# --- Accounts (one place; `provdata.accounts.lockout_seconds` states the rule) ---------------------------
#: Failed sign-ins (wrong passwords, bad API tokens) from one source address within a day after which that
#: address must wait before its next try. Counted per address, never per account: no one can lock another out.
LOCKOUT_AFTER = 5
#: The first wait; it doubles at every further failure, up to LOCKOUT_MAX_SECONDS.
LOCKOUT_FIRST_SECONDS = 30
LOCKOUT_MAX_SECONDS = 3600
#: An API token's default lifetime.
TOKEN_DAYS = 90


def _setting(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def upload_max_cells() -> int:
    """Most cells a file may hold, over all its sheets (env PROVDATA_UPLOAD_MAX_CELLS, default 2,000,000)."""
    return int(_setting("PROVDATA_UPLOAD_MAX_CELLS", 2_000_000))


def upload_max_rows() -> int:
    """Most rows one sheet may hold (env PROVDATA_UPLOAD_MAX_ROWS, default 500,000)."""
    return int(_setting("PROVDATA_UPLOAD_MAX_ROWS", 500_000))


def upload_max_columns() -> int:
    """Most columns one sheet may hold (env PROVDATA_UPLOAD_MAX_COLUMNS, default 2,000)."""
    return int(_setting("PROVDATA_UPLOAD_MAX_COLUMNS", 2_000))


def upload_max_line_chars() -> int:
    """Longest line of a CSV/TSV file, in characters (env PROVDATA_UPLOAD_MAX_LINE_CHARS, default 200,000)."""
    return int(_setting("PROVDATA_UPLOAD_MAX_LINE_CHARS", 200_000))


def upload_max_unzipped_bytes() -> int:
    """Most bytes an XLSX may expand to, measured while decompressing (env PROVDATA_UPLOAD_MAX_UNZIPPED_MB,
    default 100 MB)."""
    return int(_setting("PROVDATA_UPLOAD_MAX_UNZIPPED_MB", 100) * 1_000_000)


def upload_timeout_s() -> float:
    """How long the API waits for the next part of an upload's body before answering 408
    (env PROVDATA_UPLOAD_TIMEOUT_S, default 30 s)."""
    return _setting("PROVDATA_UPLOAD_TIMEOUT_S", 30)


#: A revised figure that differs from the published one by more than this share is held for review.
CHANGE_REVIEW_SHARE = 0.5
#: Indicator kinds whose figures cannot be negative (a negative one is rejected).
NON_NEGATIVE_KINDS = ("count", "stock", "area")
#: Load ids of uploads start above this (ids below are the shipped seed files).
FIRST_UPLOAD_LOAD_ID = 100


# --- Bounded cost (one place; docs/deployment.md lists them and how to change them) ---------------------------
def uploads_per_account() -> int:
    """Uploads one account may have in flight at once (API and app together; env PROVDATA_UPLOADS_PER_ACCOUNT,
    default 1). One more is answered 429 with Retry-After."""
    return max(1, int(_setting("PROVDATA_UPLOADS_PER_ACCOUNT", 1)))


def uploads_at_once() -> int:
    """Uploads the whole process reads and checks at once (env PROVDATA_UPLOADS_AT_ONCE, default 2: each can take a
    few hundred MB while its cells are read). One more is answered 503 with Retry-After."""
    return max(1, int(_setting("PROVDATA_UPLOADS_AT_ONCE", 2)))


#: Seconds a client refused for a full queue is told to wait (Retry-After).
RETRY_AFTER_SECONDS = 10


def chain_max(what: str) -> int:
    """Most rows of one province's chain: ``issues`` (env PROVDATA_CHAIN_MAX_ISSUES, default 100), ``csfs``
    (PROVDATA_CHAIN_MAX_CSFS, 500), ``links`` (PROVDATA_CHAIN_MAX_LINKS, 2,000), ``indicators`` (distinct indicators
    linked, PROVDATA_CHAIN_MAX_INDICATORS, 500), ``plan_status`` (PROVDATA_CHAIN_MAX_PLAN_STATUS, 2,000)."""
    defaults = {"issues": 100, "csfs": 500, "links": 2_000, "indicators": 500, "plan_status": 2_000}
    return int(_setting(f"PROVDATA_CHAIN_MAX_{what.upper()}", defaults[what]))


def chart_workbook_max_bytes() -> int:
    """Largest chart workbook a planner may import (env PROVDATA_CHART_MAX_MB, default 2 MB)."""
    return int(_setting("PROVDATA_CHART_MAX_MB", 2) * 1_000_000)


def chart_workbook_max_cells() -> int:
    """Most cells a chart workbook may hold over all its sheets, counted from its parts before any is read
    (env PROVDATA_CHART_MAX_CELLS, default 100,000)."""
    return int(_setting("PROVDATA_CHART_MAX_CELLS", 100_000))


def chart_workbook_max_sheets() -> int:
    """Most sheets a chart workbook may have (env PROVDATA_CHART_MAX_SHEETS, default 10; an export has 5: README, issues, csfs, links, actions)."""
    return int(_setting("PROVDATA_CHART_MAX_SHEETS", 10))


def header_timeout_s() -> float:
    """Seconds a connection may take to send a request's headers, the first one or the next on a kept-alive
    connection, before the server closes it (env PROVDATA_HEADER_TIMEOUT_S, default 10)."""
    return _setting("PROVDATA_HEADER_TIMEOUT_S", 10)


def report_workers() -> int:
    """Reports made at once (env PROVDATA_REPORT_WORKERS, default 2, one per core)."""
    return max(1, int(_setting("PROVDATA_REPORT_WORKERS", 2)))


def report_queue() -> int:
    """Reports that may wait for a worker (env PROVDATA_REPORT_QUEUE, default 40); one more is refused with its
    place in line."""
    return max(0, int(_setting("PROVDATA_REPORT_QUEUE", 40)))


def report_cache_mb() -> float:
    """Memory for made reports, kept per build and request (env PROVDATA_REPORT_CACHE_MB, default 200)."""
    return _setting("PROVDATA_REPORT_CACHE_MB", 200)


def plausible_factor() -> float:
    """A figure more than this many times the largest published figure of its indicator (any province, any year)
    is refused (env PROVDATA_PLAUSIBLE_FACTOR, default 10)."""
    return _setting("PROVDATA_PLAUSIBLE_FACTOR", 10)


#: The largest absolute figure of any indicator: past it a figure is refused whatever its indicator (the largest
#: real one, the kingdom's product in million baht, is about 2e7).
PLAUSIBLE_MAX = 1e13
