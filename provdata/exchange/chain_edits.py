"""Planners change a province's chain: from the app's editors or an Excel workbook, checked by a full
build before anything is written, then kept in the state store as the province's rows (a layer over the
shipped data/strategy/ files, which are never written) and the warehouse republished.

Only a signed-in planner of that province (or an admin) may save, checked at the moment of writing. A save
holds the writers' lock from reading the files to republishing, and is refused when the province's rows
changed since the editor read them (:func:`chain_version`): "changed by … at …, reload". Nothing is
half-written: the new rows are first built into a throw-away warehouse; only when that build passes are they
kept in the store (one transaction) and the warehouse republished. Every save is in the
audit log with what changed.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import pandas as pd

from provdata import accounts, store
from provdata.accounts import Account
from provdata.basics import config, textfields
from provdata.basics.errors import BuildError, OverLimit, ProvdataError
from provdata.basics.pause import pause
from provdata.basics.sheets import unsafe_cell, workbook_bytes
from provdata.ingest.read import Limits, TooLarge, UnreadableFile, read_sheets
from provdata.store import audit, publications
from provdata.store.publications import publish_lock, remove_stale_temp_files
from provdata.strategy.chain import FILES, STATUS_COLS, TARGET_COLS
from provdata.warehouse import layers
from provdata.warehouse.build import BuildResult, Inputs, build_warehouse, incremental


class ChainImportError(ProvdataError):
    key = "chain_import"


class StaleEdit(ProvdataError):
    """The province's chain (or plan progress) was saved by someone else after this editor read it."""

    key = "stale_edit"


def _digest(frames: list[pd.DataFrame]) -> str:
    h = hashlib.sha256()
    for frame in frames:
        h.update(frame.to_csv(index=False, lineterminator="\n").encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()[:16]


def chain_version(strategy_dir: Path, code: str) -> str:
    """A fingerprint of the province's rows in issues, csfs and links (what an editor read)."""
    return _digest(list(province_frames(strategy_dir, code).values()))


def _status_rows(strategy_dir: Path) -> pd.DataFrame:
    """Plan progress as the deployment has it: the shipped file with the store's saved rows laid over."""
    return layers.layered_frames(strategy_dir, "plan_status.csv").reindex(columns=STATUS_COLS, fill_value="")


def plan_version(strategy_dir: Path, code: str) -> str:
    """A fingerprint of the province's plan progress rows."""
    rows = _status_rows(strategy_dir)
    return _digest([rows[rows.province_code == code].reset_index(drop=True)])


def _refuse_if_stale(action: str, code: str, expected: str | None, actual: str) -> None:
    if expected is None or expected == actual:
        return
    last = audit.last_write(action, f"province {code}")
    who = f"{last['actor']} at {last['at']} UTC" if last else "another writer"
    raise StaleEdit(f"province {code} was changed by {who} after you opened it: reload, then edit again",
                    who=who)  # fmt: skip


def _changes(before: pd.DataFrame, after: pd.DataFrame) -> dict:
    """Rows added and removed (as text), for the audit log."""
    old = set(before.astype(str).agg(" | ".join, axis=1)) if len(before) else set()
    new = set(after.astype(str).agg(" | ".join, axis=1)) if len(after) else set()
    return {"added": sorted(new - old)[:200], "removed": sorted(old - new)[:200]}


def read_all(strategy_dir: Path) -> dict[str, pd.DataFrame]:
    """Each chain file as the deployment has it: the shipped rows (``strategy_dir``, read only) with the
    provinces planners saved replaced by their rows from the state store."""
    edited = layers.strategy_layer()
    return {
        name: layers.merged_strategy_file(strategy_dir / file, edited.get(file, {}), cols).reindex(
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


def chart_limits() -> Limits:
    """What a chart workbook may hold (config.chart_workbook_*, config.chain_max): checked from its zip parts before
    any sheet is read, so a hostile workbook (huge dimension claims, many sheets, a zip bomb) costs no CPU."""
    rows = max(config.chain_max(w) for w in ("issues", "csfs", "links")) + 1
    return Limits(config.chart_workbook_max_bytes(), config.chart_workbook_max_cells(), rows, 50, 5_000,
                  20 * config.chart_workbook_max_bytes(), config.chart_workbook_max_sheets(),
                  " (a province's chart: export it from the app and edit that)")  # fmt: skip


def from_excel(data: bytes) -> dict[str, pd.DataFrame]:
    """Read the three sheets back within :func:`chart_limits`; a missing sheet or column is named."""
    limits = chart_limits()
    if len(data) > limits.bytes:
        raise OverLimit(f"the workbook is {len(data) / 1e6:.1f} MB; the limit for a chart workbook is "
                        f"{limits.bytes / 1e6:g} MB (PROVDATA_CHART_MAX_MB)")  # fmt: skip
    try:
        book = read_sheets(data, "chart.xlsx", limits=limits)
    except TooLarge as exc:
        raise OverLimit(str(exc)) from exc
    except UnreadableFile as exc:  # a damaged or non-Excel file: say so, keep the cause
        raise ChainImportError(f"the file is not a readable .xlsx workbook ({exc})") from exc
    out = {}
    for name, (_file, cols) in FILES.items():
        if name not in book:
            raise ChainImportError(
                f"sheet {name!r} is missing; the workbook needs sheets issues, csfs and links"
            )
        rows = [r for r in book[name] if any(r)]
        header = rows[0] if rows else []
        frame = pd.DataFrame([r + [""] * (len(header) - len(r)) for r in rows[1:]], columns=header, dtype=str)
        frame = frame.loc[:, [c != "" for c in frame.columns]]
        if "province_code" in frame.columns:
            raise ChainImportError(
                f"sheet {name!r} has a column province_code: a workbook holds one province's chart, the one you "
                "import it into; delete that column and import again"
            )
        needed = [c for c in cols if c != "province_code" and c not in TARGET_COLS]
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise ChainImportError(f"sheet {name!r} lacks column(s) {', '.join(missing)}")
        # a text cell the export protected with a leading ' (exports.safe_cell) reads back as it was typed
        out[name] = frame.astype(str).apply(lambda s: s.str.strip().map(unsafe_cell))
    return out


def check_size(code: str, frames: dict[str, pd.DataFrame]) -> None:
    """Refuse a chain past config.chain_max (issues, csfs, links, indicators linked), naming the count and the
    limit, before anything else is done with it."""
    counts = {name: len(frames[name]) for name in ("issues", "csfs", "links") if name in frames}
    if "links" in frames and "indicator_id" in frames["links"]:
        ids = frames["links"]["indicator_id"].fillna("").astype(str).str.strip()
        counts["indicators"] = ids[ids != ""].nunique()
    for what, count in counts.items():
        if count > config.chain_max(what):
            raise OverLimit(
                f"province {code}'s chain has {count:,} {what}; the limit is {config.chain_max(what):,} "
                f"(PROVDATA_CHAIN_MAX_{what.upper()}): a chart that long cannot be read or reported on",
                limit=config.chain_max(what), count=count,
            )  # fmt: skip


def save_province(
    code: str,
    frames: dict[str, pd.DataFrame],
    account: Account | None,
    strategy_dir: Path | None = None,
    inputs: Inputs | None = None,
    target: Path | None = None,
    *,
    expected_version: str | None = None,
    client: str = "",
) -> BuildResult:
    """Replace the province's rows with ``frames``, check by building, then write and republish.

    ``account`` must be a planner of ``code`` or an admin. ``expected_version``: :func:`chain_version` when the
    editor read the rows; a save on top of a newer edit is refused (StaleEdit). Raises BuildError (with sheet,
    row, column) or ChainImportError and writes nothing when a row is bad.
    """
    check_size(code, frames)
    strategy_dir = Path(strategy_dir or config.input_dir("strategy"))
    inputs = inputs or Inputs(strategy_dir=strategy_dir)
    with publish_lock(inputs.uploads_dir):
        account = accounts.authorise(account, "chain_edit", f"province {code}", province=code, client=client)
        _refuse_if_stale("chain_edit", code, expected_version, chain_version(strategy_dir, code))
        current = read_all(strategy_dir)
        new = {}
        changes = {}
        for name, (_file, cols) in FILES.items():
            mine = frames[name].copy()
            for col in mine.columns:
                mine[col] = [textfields.check(v, f"sheet {name}, row {i}, column {col}", 1000)
                             for i, v in enumerate(mine[col].fillna(""), start=1)]  # fmt: skip
            mine.insert(0, "province_code", code)
            mine = mine.reindex(columns=cols, fill_value="")
            others = current[name][current[name].province_code != code]
            changes[name] = _changes(current[name][current[name].province_code == code], mine)
            new[name] = pd.concat([others, mine], ignore_index=True)
        offsets = {
            file: len(current[name][current[name].province_code != code])
            for name, (file, _c) in FILES.items()
        }
        line = (account.name, account.role, "chain_edit", f"province {code}", changes, client)
        result = _check_write_publish(
            code,
            {file: new[name] for name, (file, _c) in FILES.items()},
            strategy_dir,
            inputs,
            target,
            offsets,
            line,
        )
    return result


def _check_write_publish(
    code: str,
    new_files: dict[str, pd.DataFrame],
    strategy_dir: Path,
    inputs: Inputs,
    target: Path | None,
    offsets: dict[str, int],
    line: tuple,
) -> BuildResult:
    """Trial-build with the new rows; if it passes, keep the province's rows and the audit ``line`` (actor,
    role, action, target, detail, client) in the state store (one transaction: both or neither) and republish.
    The shipped ``strategy_dir`` is only read. The caller holds the writers' lock.
    """
    remove_stale_temp_files(strategy_dir)
    target = Path(target or config.warehouse_path())
    # a warehouse at the store's sequence has the areas, indicators and agencies a trial build would have: the
    # rows are checked against it (the build's own reader), without building a throw-away warehouse
    current = incremental.refusal(target, inputs, publications.sequence()) is None
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / "strategy"
        if strategy_dir.exists():
            shutil.copytree(strategy_dir, trial)
        trial.mkdir(exist_ok=True)
        edited = layers.strategy_layer()
        for file in layers.STRATEGY_FILES:
            frame = new_files.get(file)
            if frame is None:
                frame = layers.merged_strategy_file(strategy_dir / file, edited.get(file, {}),
                                                    layers.file_columns(file))  # fmt: skip
            frame.to_csv(trial / file, index=False, lineterminator="\n")
        try:
            if not (current and incremental.check_chains(target, trial)):
                build_warehouse(
                    Path(tmp) / "check.duckdb", replace(inputs, strategy_dir=trial, strategy_layer=False),
                    log=lambda _m: None, publications=[],
                )  # fmt: skip
        except BuildError as exc:
            raise BuildError([_as_sheet_row(p, offsets) for p in exc.problems]) from exc
    with store.current().write() as tx:
        for file, frame in new_files.items():
            layers.put_strategy_rows(tx, code, file, frame[frame.province_code == code])
        pause("in_commit")  # the edit written, its audit line not yet (a test kills the writer here)
        audit.record(tx, *line)
        publications.bump_sequence(tx, line[2], province=code)  # every host applies the edit to its warehouse
    return incremental.catch_up_locked(target, inputs)


def save_plan_status(
    code: str,
    rows: pd.DataFrame,
    account: Account | None,
    strategy_dir: Path | None = None,
    inputs: Inputs | None = None,
    target: Path | None = None,
    *,
    expected_version: str | None = None,
    client: str = "",
) -> BuildResult:
    """Record the progress of the province's plan lines (``link``, ``status``, ``note``), checked and published.

    Same rules as :func:`save_province` (planner of the province or admin; stale saves refused).
    """
    import datetime as dt

    if len(rows) > config.chain_max("plan_status"):
        most = config.chain_max("plan_status")
        raise OverLimit(f"province {code}'s plan progress has {len(rows):,} rows; the limit is {most:,} "
                        "(PROVDATA_CHAIN_MAX_PLAN_STATUS)", limit=most, count=len(rows))  # fmt: skip
    strategy_dir = Path(strategy_dir or config.input_dir("strategy"))
    inputs = inputs or Inputs(strategy_dir=strategy_dir)
    with publish_lock(inputs.uploads_dir):
        account = accounts.authorise(account, "plan_status", f"province {code}", province=code, client=client)
        _refuse_if_stale("plan_status", code, expected_version, plan_version(strategy_dir, code))
        current = _status_rows(strategy_dir)
        others = current[current.province_code != code]
        stamp = f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M}"
        mine = rows[["link", "status", "note"]].astype(str).assign(province_code=code, updated_at=stamp)
        mine["note"] = [textfields.check(n, f"plan progress note, row {i}", 500, multiline=True)
                        for i, n in enumerate(mine.note, start=1)]  # fmt: skip
        before = current[current.province_code == code][["link", "status", "note"]]
        new = pd.concat([others, mine], ignore_index=True).reindex(columns=STATUS_COLS, fill_value="")
        line = (account.name, account.role, "plan_status", f"province {code}",
                _changes(before, mine[["link", "status", "note"]]), client)  # fmt: skip
        result = _check_write_publish(
            code,
            {"plan_status.csv": new},
            strategy_dir,
            inputs,
            target,
            {"plan_status.csv": len(others)},
            line,
        )
    return result


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
    "OverLimit",
    "StaleEdit",
    "chain_version",
    "check_size",
    "from_excel",
    "plan_version",
    "province_frames",
    "save_plan_status",
    "save_province",
    "to_excel",
]
