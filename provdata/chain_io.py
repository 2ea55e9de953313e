"""Planners change a province's chain: from the app's editors or an Excel workbook, checked by a full
build before anything is written, then saved to data/strategy/ and the warehouse republished.

Nothing is half-written: the new files are first built into a throw-away warehouse; only when that build
passes are the three CSV files replaced (each atomically, with ``os.replace``) and the warehouse
republished (atomically, under the writer lock).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import pandas as pd

from provdata import config
from provdata.build import BuildResult, Inputs, build_warehouse
from provdata.errors import BuildError, ProvdataError
from provdata.exports import unsafe_cell, workbook_bytes
from provdata.strategy import CSF_COLS, ISSUE_COLS, LINK_COLS, STATUS_COLS, TARGET_COLS

FILES = {
    "issues": ("issues.csv", ISSUE_COLS),
    "csfs": ("csfs.csv", CSF_COLS),
    "links": ("links.csv", [*LINK_COLS, *TARGET_COLS]),
}


class ChainImportError(ProvdataError):
    key = "chain_import"


def read_all(strategy_dir: Path) -> dict[str, pd.DataFrame]:
    return {
        name: pd.read_csv(strategy_dir / file, dtype=str, keep_default_na=False).reindex(
            columns=cols, fill_value=""
        )
        for name, (file, cols) in FILES.items()
    }


def province_frames(strategy_dir: Path, code: str) -> dict[str, pd.DataFrame]:
    """The province's rows of each file (without the province column: it is implied)."""
    return {
        name: frame[frame.province_code == code].drop(columns="province_code").reset_index(drop=True)
        for name, frame in read_all(strategy_dir).items()
    }


def to_excel(frames: dict[str, pd.DataFrame], code: str) -> bytes:
    """The province's chain as a workbook (README + one sheet per file); text cells stay text (exports.safe_cell)."""
    readme = pd.DataFrame(
        {
            "about": [
                f"provdata statistics chart of province {code}",
                "Edit the sheets issues, csfs and links; keep the column names; then import the file in the app.",
                "links.indicator_id empty = needed but missing (fill needed_th and needed_en); role = key or supporting.",
                "แก้ไขแผ่นงาน issues, csfs และ links โดยคงชื่อคอลัมน์ไว้ แล้วนำเข้าไฟล์ในแอป",
            ]
        }
    )
    return workbook_bytes({"README": readme, **frames})


def from_excel(data: bytes) -> dict[str, pd.DataFrame]:
    """Read the three sheets back; a missing sheet or column is named."""
    try:
        book = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, engine="openpyxl")
    except Exception as exc:  # a damaged or non-Excel file: say so, keep the cause
        raise ChainImportError(f"the file is not a readable .xlsx workbook ({exc})") from exc
    out = {}
    for name, (_file, cols) in FILES.items():
        if name not in book:
            raise ChainImportError(
                f"sheet {name!r} is missing; the workbook needs sheets issues, csfs and links"
            )
        frame = book[name].fillna("")
        needed = [c for c in cols if c != "province_code" and c not in TARGET_COLS]
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise ChainImportError(f"sheet {name!r} lacks column(s) {', '.join(missing)}")
        # a text cell the export protected with a leading ' (exports.safe_cell) reads back as it was typed
        out[name] = frame.astype(str).apply(lambda s: s.str.strip().map(unsafe_cell))
    return out


def save_province(
    code: str,
    frames: dict[str, pd.DataFrame],
    strategy_dir: Path | None = None,
    inputs: Inputs | None = None,
    target: Path | None = None,
) -> BuildResult:
    """Replace the province's rows with ``frames``, check by building, then write and republish.

    Raises BuildError (with file, line, column) or ChainImportError and writes nothing when a row is bad.
    """
    strategy_dir = Path(strategy_dir or config.input_dir("strategy"))
    inputs = inputs or Inputs(strategy_dir=strategy_dir)
    current = read_all(strategy_dir)
    new = {}
    for name, (_file, cols) in FILES.items():
        mine = frames[name].copy()
        mine.insert(0, "province_code", code)
        mine = mine.reindex(columns=cols, fill_value="")
        others = current[name][current[name].province_code != code]
        new[name] = pd.concat([others, mine], ignore_index=True)
    offsets = {
        file: len(current[name][current[name].province_code != code]) for name, (file, _c) in FILES.items()
    }
    return _check_write_publish(
        {file: new[name] for name, (file, _c) in FILES.items()}, strategy_dir, inputs, target, offsets
    )


def _check_write_publish(
    new_files: dict[str, pd.DataFrame],
    strategy_dir: Path,
    inputs: Inputs,
    target: Path | None,
    offsets: dict[str, int],
) -> BuildResult:
    """Trial-build with the new files; if it passes, replace them (each atomically) and republish."""
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / "strategy"
        shutil.copytree(strategy_dir, trial)
        for file, frame in new_files.items():
            frame.to_csv(trial / file, index=False, lineterminator="\n")
        try:
            build_warehouse(
                Path(tmp) / "check.duckdb", replace(inputs, strategy_dir=trial), log=lambda _m: None
            )
        except BuildError as exc:
            raise BuildError([_as_sheet_row(p, offsets) for p in exc.problems]) from exc
        for file in new_files:
            tmp_file = strategy_dir / f".{file}.{os.getpid()}.tmp"
            shutil.copyfile(trial / file, tmp_file)
            os.replace(tmp_file, strategy_dir / file)
    return build_warehouse(target or config.warehouse_path(), inputs, log=lambda _m: None)


def save_plan_status(
    code: str,
    rows: pd.DataFrame,
    strategy_dir: Path | None = None,
    inputs: Inputs | None = None,
    target: Path | None = None,
) -> BuildResult:
    """Record the progress of the province's plan lines (``link``, ``status``, ``note``), checked and published."""
    import datetime as dt

    strategy_dir = Path(strategy_dir or config.input_dir("strategy"))
    inputs = inputs or Inputs(strategy_dir=strategy_dir)
    path = strategy_dir / "plan_status.csv"
    current = (
        pd.read_csv(path, dtype=str, keep_default_na=False)
        if path.exists()
        else pd.DataFrame(columns=STATUS_COLS)
    )
    others = current[current.province_code != code]
    stamp = f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M}"
    mine = rows[["link", "status", "note"]].astype(str).assign(province_code=code, updated_at=stamp)
    new = pd.concat([others, mine], ignore_index=True).reindex(columns=STATUS_COLS, fill_value="")
    return _check_write_publish(
        {"plan_status.csv": new}, strategy_dir, inputs, target, {"plan_status.csv": len(others)}
    )


def _as_sheet_row(problem: str, offsets: dict[str, int]) -> str:
    """'…/strategy/links.csv line 7, column role: …' → 'sheet links, row 3, column role: …' (the planner's row)."""
    match = re.match(r"^.*?([a-z_]+)\.csv line (\d+)(.*)$", problem)
    if not match or f"{match.group(1)}.csv" not in offsets:
        return problem
    file, line, rest = f"{match.group(1)}.csv", int(match.group(2)), match.group(3)
    row = line - 1 - offsets[file]
    return f"sheet {match.group(1)}, row {row}{rest}" if row >= 1 else problem


__all__ = [
    "BuildError",
    "ChainImportError",
    "from_excel",
    "province_frames",
    "save_plan_status",
    "save_province",
    "to_excel",
]
