"""What the state store lays over the shipped data when the warehouse is built: indicators admins added and
planners' chain edits and plan progress (a province's rows of ``issues.csv``, ``csfs.csv``, ``links.csv`` or
``plan_status.csv`` replace the shipped rows of that province in that file). The shipped folder is only read.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from provdata import store
from provdata.basics import config
from provdata.store import audit
from provdata.store.base import Store, Tx, next_seq
from provdata.strategy.chain import FILES, STATUS_COLS

#: The columns of an added indicator (the store keeps them as JSON; the build reads them as a CSV).
ADDED_COLUMNS = ["indicator_id", "name_en", "name_th", "unit_en", "unit_th", "theme", "kind", "agency_id",
                 "higher_is_better", "definition_en", "definition_th", "added_by", "added_at"]  # fmt: skip
STRATEGY_FILES = ("issues.csv", "csfs.csv", "links.csv", "plan_status.csv")


# ------------------------------------------------------------------------------------------ added indicators


def _import_legacy_indicators(st: Store) -> None:
    """An ``indicators.csv`` of an earlier version under the state folder is copied in once, then set aside."""
    legacy = config.added_indicators_path()
    if not legacy.exists() or st.kind != "sqlite" or Path(st.path).parent != legacy.parent:
        return
    rows = pd.read_csv(legacy, dtype=str, keep_default_na=False)
    with st.transaction() as tx:
        for row in rows.to_dict("records"):
            if not tx.execute(
                "SELECT 1 FROM added_indicator WHERE indicator_id = ?", (row["indicator_id"],)
            ).fetchone():
                put_added_indicator(tx, row)
    os.replace(legacy, legacy.with_name(legacy.name + ".imported"))


def added_indicators(st: Store | None = None) -> pd.DataFrame:
    """Every indicator admins added (the columns of :data:`ADDED_COLUMNS`), in the order they were added."""
    st = st or store.current()
    _import_legacy_indicators(st)
    with st.transaction() as tx:
        rows = tx.execute("SELECT fields FROM added_indicator ORDER BY seq").fetchall()
    return pd.DataFrame([json.loads(r[0]) for r in rows], columns=ADDED_COLUMNS).fillna("")


def put_added_indicator(tx: Tx, row: dict) -> None:
    """Add or redefine one indicator (a redefined one moves to the end, as it did in the CSV)."""
    tx.execute("DELETE FROM added_indicator WHERE indicator_id = ?", (row["indicator_id"],))
    tx.execute(
        "INSERT INTO added_indicator (indicator_id, seq, fields) VALUES (?, ?, ?)",
        (row["indicator_id"], next_seq(tx, "added_indicator"), json.dumps(row, ensure_ascii=False)),
    )


# ------------------------------------------------------------------------------------- chain edits, progress


def strategy_layer(st: Store | None = None) -> dict[str, dict[str, pd.DataFrame]]:
    """file → province → that province's rows as edited in the deployment (all columns, as text)."""
    st = st or store.current()
    with st.transaction() as tx:
        rows = tx.execute(
            "SELECT file, province_code, rows FROM strategy_layer ORDER BY file, province_code"
        ).fetchall()
    out: dict[str, dict[str, pd.DataFrame]] = {}
    for file, code, text in rows:
        out.setdefault(file, {})[code] = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    return out


def put_strategy_rows(tx: Tx, code: str, file: str, frame: pd.DataFrame) -> None:
    """Keep ``frame`` (with its province_code column) as the province's rows of ``file``."""
    assert file in STRATEGY_FILES
    text = frame.to_csv(index=False, lineterminator="\n")
    tx.execute(
        "INSERT INTO strategy_layer (province_code, file, rows, at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (province_code, file) DO UPDATE SET rows = excluded.rows, at = excluded.at",
        (code, file, text, audit.now()),
    )


def merged_strategy_file(shipped: Path, layer: dict[str, pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """The shipped file with the rows of every province in ``layer`` replaced by the layer's rows (the
    shipped provinces first, in their order, then the edited provinces by code)."""
    if shipped.exists():
        base = pd.read_csv(shipped, dtype=str, keep_default_na=False)
        columns = list(base.columns) or columns
    else:
        base = pd.DataFrame(columns=columns)
    kept = base[~base.province_code.isin(set(layer))] if len(base) else base
    frames = [kept, *(layer[c].reindex(columns=columns, fill_value="") for c in sorted(layer))]
    return pd.concat(frames, ignore_index=True).reindex(columns=columns, fill_value="")


def file_columns(file: str) -> list[str]:
    return STATUS_COLS if file == "plan_status.csv" else {f: c for f, c in FILES.values()}[file]


@contextmanager
def layered(inputs):
    """``inputs`` with the store's layers applied: a temporary strategy folder (the shipped files with the
    edited provinces' rows replaced) and a temporary CSV of the added indicators, when there are any."""
    st = store.current()
    if (
        store.absent(st) and not config.added_indicators_path().exists()
    ):  # nothing laid over; not created either
        yield inputs
        return
    changes = {}
    with tempfile.TemporaryDirectory(prefix="provdata-layers-") as tmp:
        if inputs.added_indicators is None:
            added = added_indicators(st)
            if len(added):
                path = Path(tmp) / "state" / "indicators.csv"
                path.parent.mkdir()
                added.to_csv(path, index=False, lineterminator="\n")
                changes["added_indicators"] = path
        if inputs.strategy_layer:
            layer = strategy_layer(st)
            if layer:
                folder = Path(tmp) / "strategy"
                if inputs.strategy_dir.exists():
                    shutil.copytree(inputs.strategy_dir, folder)
                folder.mkdir(exist_ok=True)
                for file, provinces in layer.items():
                    merged = merged_strategy_file(inputs.strategy_dir / file, provinces, file_columns(file))
                    merged.to_csv(folder / file, index=False, lineterminator="\n")
                changes["strategy_dir"] = folder
        yield dataclasses.replace(inputs, **changes) if changes else inputs


def layered_frames(strategy_dir: Path, file: str, st: Store | None = None) -> pd.DataFrame:
    """One strategy file as the deployment sees it (shipped rows with the store's edits laid over)."""
    provinces = strategy_layer(st).get(file, {})
    return merged_strategy_file(strategy_dir / file, provinces, file_columns(file))
