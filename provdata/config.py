"""Paths and settings, in one place. Each setting can be overridden by an environment variable."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

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

#: Warehouse schema version: bump when provdata/sql/schema.sql changes shape.
SCHEMA_VERSION = 7

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


def editing_enabled() -> bool:
    """Planners may change chains in the app (env PROVDATA_EDITING=1; `make run` turns it on locally).

    Off by default: a public server shows the charts read-only until steward accounts exist.
    """
    return os.environ.get("PROVDATA_EDITING") == "1"


# --- Data exchange (uploads by agency stewards) ----------------------------------------------------
def state_dir() -> Path:
    """Where a deployment keeps what is not in the repository: accounts, publications (env PROVDATA_STATE).

    Back it up: the publications in it are part of the system of record (the warehouse replays them).
    """
    return Path(os.environ.get("PROVDATA_STATE", ROOT / "var"))


def uploads_dir() -> Path:
    """Published uploads, one folder each: the raw file, its tidy rows and its record."""
    return state_dir() / "uploads"


def added_indicators_path() -> Path:
    """Indicators admins added to the catalog (a CSV the build reads beside the shipped ones)."""
    return state_dir() / "indicators.csv"


def accounts_path() -> Path:
    """Steward accounts (hashed passwords and API tokens); never committed (env PROVDATA_ACCOUNTS)."""
    return Path(os.environ.get("PROVDATA_ACCOUNTS", state_dir() / "accounts.json"))


def upload_max_bytes() -> int:
    """Largest file a steward may upload (env PROVDATA_UPLOAD_MAX_MB, default 20 MB)."""
    return int(float(os.environ.get("PROVDATA_UPLOAD_MAX_MB", "20")) * 1_000_000)


#: A revised figure that differs from the published one by more than this share is held for review.
CHANGE_REVIEW_SHARE = 0.5
#: Indicator kinds whose figures cannot be negative (a negative one is rejected).
NON_NEGATIVE_KINDS = ("count", "stock", "area")
#: Load ids of uploads start above this (ids below are the shipped seed files).
FIRST_UPLOAD_LOAD_ID = 100
