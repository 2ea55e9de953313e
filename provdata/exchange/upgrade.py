"""An upgrade from any earlier release keeps everything its host made: ``provdata state migrate --from-checkout OLD``
(what deploy/upgrade.sh runs) copies into the state store, in one transaction and without changing the old checkout:

- the accounts and API tokens of its ``accounts.json`` (the 24 November release kept them there; a token of that
  release had no expiry and is kept for ``config.TOKEN_DAYS`` from the upgrade), an account already in the store
  being kept as it is;
- its publication folders (``var/uploads/101/`` …) and the indicators admins added (``var/indicators.csv``);
- its planners' chain and plan edits: the provinces whose rows of ``data/strategy/*.csv`` differ from every
  shipped version of that file (the versions of every release are recorded in ``data/releases/strategy_shipped.csv``
  — :func:`record_shipped` writes it from the repository's history — and, when the old checkout is a git
  checkout, the version its own commit shipped). The edits are first checked by a trial build on this release.

The embedded store of a later release (``var/state.sqlite``) is copied whole into an empty target first
(provdata/store/migrate.py; it gets the store id the copy keeps). Running it again imports nothing twice: every count says what was already there.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from provdata import store
from provdata.accounts import legacy
from provdata.basics import config
from provdata.basics.errors import ProvdataError
from provdata.store import Store, publications
from provdata.store.migrate import TABLES, migrate
from provdata.warehouse import layers
from provdata.warehouse.build import Inputs, build_warehouse

#: every shipped version of each strategy file, per province: file, province_code, sha256, version
SHIPPED = config.ROOT / "data" / "releases" / "strategy_shipped.csv"


class UpgradeRefused(ProvdataError):
    """The old checkout cannot be imported as it is (named with why and what to do)."""


@dataclass
class Imported:
    counts: dict[str, int] = field(default_factory=dict)
    edits: list[str] = field(default_factory=list)  # "province 60 links.csv" imported
    notes: list[str] = field(default_factory=list)

    def add(self, counts: dict[str, int]) -> None:
        for k, v in counts.items():
            self.counts[k] = self.counts.get(k, 0) + v

    def lines(self) -> list[str]:
        c = self.counts
        out = [
            f"accounts: {c.get('account', 0)} imported, {c.get('account already', 0)} already in the store, "
            f"{c.get('account kept', 0)} kept as the store has them (another account of that name)",
            f"API tokens: {c.get('token', 0)} imported, {c.get('token already', 0)} already in the store",
            f"publications: {c.get('publication', 0)} imported, {c.get('publication already', 0)} already in the "
            f"store, {c.get('publication taken', 0)} not imported (their load id holds another publication)",
            f"added indicators: {c.get('indicator', 0)} imported, {c.get('indicator already', 0)} already in the store",
            f"chart and plan edits: {c.get('edit', 0)} imported, {c.get('edit already', 0)} already in the store, "
            f"{c.get('edit kept', 0)} kept as the store has them (edited since)",
        ]
        if c.get("store copied"):
            out.insert(0, f"embedded store of the old checkout: {c['store copied']:,} rows copied")
        return out + [f"imported: {e}" for e in self.edits] + self.notes


# ---------------------------------------------------------------------------------------- shipped versions


def province_digests(text: str) -> dict[str, str]:
    """province_code → SHA-256 of that province's rows of one strategy file (its own columns, as CSV)."""
    if not text.strip():
        return {}
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    if "province_code" not in frame.columns:
        return {}
    return {
        code: hashlib.sha256(rows.to_csv(index=False, lineterminator="\n").encode()).hexdigest()
        for code, rows in frame.groupby("province_code", sort=True)
    }


def _git(repo: Path, *args: str) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout if out.returncode == 0 else None


def shipped_by_checkout(old: Path, file: str) -> str:
    """The file as the old checkout's own commit shipped it ("" when the checkout is not a git checkout)."""
    top = _git(old, "rev-parse", "--show-toplevel")
    if (
        top is None or Path(top.strip()).resolve() != old.resolve()
    ):  # not a checkout of its own (or inside another)
        return ""
    return _git(old, "show", f"HEAD:data/strategy/{file}") or ""


def record_shipped(repo: Path = config.ROOT) -> pd.DataFrame:
    """Every version of each strategy file in the repository's history, per province (what SHIPPED holds)."""
    rows = {}
    for file in layers.STRATEGY_FILES:
        log = (
            _git(repo, "log", "--reverse", "--format=%h %ad", "--date=short", "--", f"data/strategy/{file}")
            or ""
        )
        for line in log.splitlines():
            rev, day = line.split()
            text = _git(repo, "show", f"{rev}:data/strategy/{file}")
            for code, digest in province_digests(text or "").items():
                rows.setdefault((file, code, digest), f"{day} {rev}")
    return pd.DataFrame(
        [(*k, v) for k, v in rows.items()], columns=["file", "province_code", "sha256", "version"]
    )


def _known(old: Path, strategy_dir: Path) -> set[tuple[str, str, str]]:
    known: set[tuple[str, str, str]] = set()
    if SHIPPED.exists():
        shipped = pd.read_csv(SHIPPED, dtype=str, keep_default_na=False)
        known |= set(zip(shipped.file, shipped.province_code, shipped.sha256, strict=True))
    for file in layers.STRATEGY_FILES:
        texts = [(strategy_dir / file).read_text(encoding="utf-8") if (strategy_dir / file).exists() else ""]
        texts.append(shipped_by_checkout(old, file))  # the old checkout's own release
        for text in texts:
            known |= {(file, code, digest) for code, digest in province_digests(text).items()}
    return known


def checkout_edits(old: Path, strategy_dir: Path) -> dict[tuple[str, str], pd.DataFrame]:
    """(province, file) → the province's rows in the old checkout, for every province whose rows no release shipped."""
    known = _known(old, strategy_dir)
    out = {}
    for file in layers.STRATEGY_FILES:
        path = old / "data" / "strategy" / file
        if not path.exists():
            continue
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for code, digest in province_digests(path.read_text(encoding="utf-8")).items():
            if (file, code, digest) not in known:
                out[code, file] = frame[frame.province_code == code].reset_index(drop=True)
    return out


# -------------------------------------------------------------------------------------------------- import


def _as_release(file: str, rows: pd.DataFrame, notes: list[str], code: str) -> pd.DataFrame:
    """The old rows in this release's columns (a column this release lacks is named when it held anything)."""
    columns = layers.file_columns(file)
    dropped = [c for c in rows.columns if c not in columns and (rows[c] != "").any()]
    if dropped:
        notes.append(
            f"province {code} {file}: column(s) {', '.join(dropped)} are not in this release (not kept)"
        )
    return rows.reindex(columns=columns, fill_value="")


def _trial_build(edits: dict[tuple[str, str], pd.DataFrame], inputs: Inputs, st: Store) -> None:
    """Build this release with the store's edits and the imported ones laid over; BuildError names the bad rows."""
    layer = layers.strategy_layer(st)
    for (code, file), rows in edits.items():
        layer.setdefault(file, {})[code] = rows
    with tempfile.TemporaryDirectory(prefix="provdata-upgrade-") as tmp:
        folder = Path(tmp) / "strategy"
        folder.mkdir()
        for file in layers.STRATEGY_FILES:
            merged = layers.merged_strategy_file(inputs.strategy_dir / file, layer.get(file, {}),
                                                 layers.file_columns(file))  # fmt: skip
            merged.to_csv(folder / file, index=False, lineterminator="\n")
        build_warehouse(Path(tmp) / "trial.duckdb", replace(inputs, strategy_dir=folder, strategy_layer=False),
                        log=lambda _m: None, publications=[])  # fmt: skip


def _copy_embedded(old_state: Path, st: Store, result: Imported) -> None:
    """A later release's embedded store in the old checkout: copied whole into an empty target, once."""
    path = old_state / "state.sqlite"
    if not path.exists() or (st.kind == "sqlite" and Path(st.path).resolve() == path.resolve()):
        return
    source = store.for_folder(old_state)
    mine, theirs = store.identity(st), store.identity(source)
    if mine == theirs:
        result.notes.append(f"{path}: already copied into this store")
        return
    with st.transaction() as tx:
        filled = [t for t in TABLES if t != "meta" and tx.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]]  # noqa: S608
    if filled:
        raise UpgradeRefused(
            f"{path} holds the old host's state and the target store already holds {', '.join(filled)}: copy it "
            "into an empty store first (`python -m provdata state migrate --from sqlite:///… --to …`)"
        )
    result.add({"store copied": sum(migrate(source, st).values())})


def import_checkout(old: Path, state_dir: Path | None = None, st: Store | None = None,
                    inputs: Inputs | None = None) -> Imported:  # fmt: skip
    """Bring what the host of the checkout ``old`` made into ``st`` (see the module's text)."""
    old = Path(old)
    if not (old / "data" / "strategy").is_dir():
        raise UpgradeRefused(f"{old} is not a provdata checkout (it has no data/strategy folder)")
    state_dir = Path(state_dir) if state_dir else old / "var"
    st = st or store.current()
    inputs = inputs or Inputs()
    result = Imported()
    _copy_embedded(state_dir, st, result)
    edits = {
        k: _as_release(k[1], rows, result.notes, k[0])
        for k, rows in checkout_edits(old, inputs.strategy_dir).items()
    }
    have = layers.strategy_layer(st)
    new_edits = {}
    for (code, file), rows in sorted(edits.items()):
        stored = have.get(file, {}).get(code)
        if stored is None:
            new_edits[code, file] = rows
        elif stored.reindex(columns=rows.columns, fill_value="").equals(rows):
            result.add({"edit already": 1})
        else:
            result.add({"edit kept": 1})
    for code, file in new_edits:
        was = province_digests(shipped_by_checkout(old, file))
        now = province_digests((inputs.strategy_dir / file).read_text(encoding="utf-8"))
        if was and was.get(code) != now.get(
            code
        ):  # the planner's rows replace the province's rows of the release
            result.notes.append(f"province {code} {file}: this release also changed the province's shipped rows; "
                                "the planner's rows are kept in their place: review the province's chart")  # fmt: skip
    if new_edits:
        _trial_build(new_edits, inputs, st)
    accounts_file = state_dir / "accounts.json"
    indicators_file = state_dir / "indicators.csv"
    with st.transaction() as tx:
        if accounts_file.exists():
            result.add(
                legacy.merge_json(
                    tx, json.loads(accounts_file.read_text(encoding="utf-8")), config.TOKEN_DAYS
                )
            )
        for folder in publications.upload_folders(state_dir / "uploads"):
            outcome = publications.copy_folder(tx, folder)
            result.add({"publication" if outcome == "imported" else f"publication {outcome}": 1})
        if indicators_file.exists():
            for row in pd.read_csv(indicators_file, dtype=str, keep_default_na=False).to_dict("records"):
                if tx.execute(
                    "SELECT 1 FROM added_indicator WHERE indicator_id = ?", (row["indicator_id"],)
                ).fetchone():
                    result.add({"indicator already": 1})
                else:
                    layers.put_added_indicator(tx, row)
                    result.add({"indicator": 1})
        for (code, file), rows in new_edits.items():
            layers.put_strategy_rows(tx, code, file, rows)
            result.add({"edit": 1})
            result.edits.append(f"province {code} {file} ({len(rows)} rows)")
        if any(result.counts.get(k) for k in ("publication", "indicator", "edit")):
            publications.bump_sequence(tx, "upgrade")  # every host rebuilds with what was imported
    return result
