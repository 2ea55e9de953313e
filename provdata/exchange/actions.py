"""The province's follow-up register: what a planner decided to do about a key indicator, who owns it, by when,
and which way the figure is expected to move — kept in the state store (table ``follow_action``), so it survives
upgrades and every host shares it.

Only a signed-in planner of that province (or an admin) may record or change an action, checked at the moment of
writing (:func:`provdata.accounts.authorise`); the action and its audit line commit in one transaction
(``Store.write``). Every field is checked first and a bad one is refused naming the field (:class:`ActionError`).

When an action is recorded, the indicator's latest figure (year, value, load) and its flags are kept with it: the
review at the next release (:mod:`provdata.strategy.review`) compares the figure then with the figure now. The
flags themselves are computed (:func:`judgement`), never stored.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from provdata import accounts, store
from provdata.accounts import Account
from provdata.basics import clock, textfields
from provdata.basics.errors import ProvdataError
from provdata.basics.sheets import unsafe_cell
from provdata.store import audit, publications
from provdata.strategy import flags, statchart
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse

STATUSES = ("planned", "under_way", "done", "dropped")
OPEN = ("planned", "under_way")
#: status → the statuses it may become (staying the same is always allowed)
TRANSITIONS = {
    "planned": ("under_way", "done", "dropped"),
    "under_way": ("done", "dropped"),
    "done": (),
    "dropped": (),
}
DIRECTIONS = ("increase", "decrease")
COLUMNS = ["id", "province_code", "indicator_id", "what", "agency_id", "due_date", "expected_direction", "status",
           "dropped_reason", "flags", "baseline_year", "baseline_value", "baseline_load", "created_by",
           "created_at", "updated_by", "updated_at"]  # fmt: skip
#: What a planner types (the app's form, the API's body, the workbook's sheet ``actions``).
FIELDS = ("indicator_id", "what", "agency_id", "due_date", "expected_direction", "status", "dropped_reason")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ActionError(ProvdataError):
    """A field of an action is missing or wrong (``field`` names it)."""

    key = "follow_action"

    def __init__(self, detail: str, field: str) -> None:
        super().__init__(detail, field=field)
        self.field = field


# ------------------------------------------------------------------------------------------------ the flags


def judgement(wh: Warehouse, code: str, today: dt.date | None = None) -> flags.Judgement:
    """The flags of province ``code``'s key indicators, computed now from the warehouse (see strategy.flags)."""
    chain = queries.chain(wh, code)
    ids = statchart.chain_indicators(chain)
    if not ids:
        return flags.Judgement()
    return flags.judge(
        code, chain, statchart.series_by_key(queries.series(wh, ids, [code])), queries.indicator_rules(wh, ids),
        queries.medians(wh, ids), queries.calendar(wh, today or clock.today()),
    )  # fmt: skip


def key_indicators(wh: Warehouse, code: str) -> list[str]:
    """The indicators (with figures or not) that are key in province ``code``'s chain."""
    chain = queries.chain(wh, code)
    return sorted(set(chain.loc[(chain.role == "key") & chain.indicator_id.notna(), "indicator_id"]))


# ------------------------------------------------------------------------------------------------- reading


def actions(code: str | None = None, st=None) -> pd.DataFrame:
    """Every action (of province ``code``), oldest first, with the columns of :data:`COLUMNS`."""
    st = st or store.current()
    sql = f"SELECT {', '.join(COLUMNS)} FROM follow_action"  # noqa: S608 - fixed column names
    with st.transaction() as tx:
        if code is None:
            rows = tx.execute(sql + " ORDER BY id").fetchall()
        else:
            rows = tx.execute(sql + " WHERE province_code = ? ORDER BY id", (code,)).fetchall()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=COLUMNS)
    return frame.astype({"id": "int64", "baseline_year": "Int64", "baseline_load": "Int64",
                         "baseline_value": "float64"})  # fmt: skip


def version(st=None) -> str:
    """The register's write counter (store counter ``follow_action``, bumped by every write in its transaction):
    views cached on it are made again after any write, on any host."""
    st = st or store.current()
    with st.transaction() as tx:
        return str(publications.counter(tx, "follow_action"))


def action(action_id: int, st=None) -> dict | None:
    st = st or store.current()
    sql = f"SELECT {', '.join(COLUMNS)} FROM follow_action WHERE id = ?"  # noqa: S608 - fixed column names
    with st.transaction() as tx:
        row = tx.execute(sql, (int(action_id),)).fetchone()
    return dict(zip(COLUMNS, row, strict=True)) if row else None


# ---------------------------------------------------------------------------------------------- validation


def _due(value: object, today: dt.date, *, new: bool) -> str:
    raw = str(value or "").strip()
    if not _DATE.match(raw):
        raise ActionError(f"due_date: {raw!r} is not a date written YYYY-MM-DD (e.g. 2027-09-30)", "due_date")
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise ActionError(f"due_date: {raw!r} is not a day of the calendar", "due_date") from None
    if new and day < today:
        raise ActionError(f"due_date: {raw} is before today ({today.isoformat()}); give a day still to come",
                          "due_date")  # fmt: skip
    return raw


def _checked(fields: dict, code: str, wh: Warehouse, today: dt.date, before: dict | None) -> dict:
    """The action's fields checked (``before``: the stored action being changed, None for a new one)."""
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise ActionError(f"{unknown[0]}: not a field of an action (fields: {', '.join(FIELDS)})", unknown[0])
    new = before is None
    merged = {**(before or {}), **{k: v for k, v in fields.items() if v is not None}}
    out = {}
    iid = str(merged.get("indicator_id") or "").strip()
    if not new and iid != before["indicator_id"]:
        raise ActionError("indicator_id: an action stays on its indicator; record a new action instead",
                          "indicator_id")  # fmt: skip
    keys = key_indicators(wh, code)
    if new and iid not in keys:  # (an action already recorded can still be closed after the chain changed)
        raise ActionError(f"indicator_id: {iid!r} is not a key indicator of province {code}'s chain "
                          f"(key indicators: {', '.join(keys) or 'none'})", "indicator_id")  # fmt: skip
    out["indicator_id"] = iid
    out["what"] = textfields.check(merged.get("what"), "what", 500, multiline=True, label=True)
    if not out["what"]:
        raise ActionError("what: say what the province will do", "what")
    agency = str(merged.get("agency_id") or "").strip()
    known = set(queries.agencies(wh).id)
    if agency not in known:
        raise ActionError(f"agency_id: {agency!r} is not in the agency list (data/reference/agencies.csv)",
                          "agency_id")  # fmt: skip
    out["agency_id"] = agency
    due_changed = new or str(merged.get("due_date")) != before["due_date"]
    out["due_date"] = _due(merged.get("due_date"), today, new=due_changed)
    direction = str(merged.get("expected_direction") or "").strip()
    if direction not in DIRECTIONS:
        raise ActionError(
            f"expected_direction: {direction!r} must be increase or decrease", "expected_direction"
        )
    out["expected_direction"] = direction
    status = str(merged.get("status") or "planned").strip()
    if status not in STATUSES:
        raise ActionError(f"status: {status!r} must be one of {', '.join(STATUSES)}", "status")
    if new and status != "planned":
        raise ActionError(f"status: a new action starts as planned, not {status}", "status")
    if not new and status != before["status"] and status not in TRANSITIONS[before["status"]]:
        allowed = ", ".join(TRANSITIONS[before["status"]]) or "nothing: it is closed, record a new action"
        raise ActionError(f"status: an action {before['status']} cannot become {status} (it may become "
                          f"{allowed})", "status")  # fmt: skip
    out["status"] = status
    reason = textfields.check(merged.get("dropped_reason") or "", "dropped_reason", 500, multiline=True,
                              label=True)  # fmt: skip
    if status == "dropped" and not reason:
        raise ActionError("dropped_reason: say why the action was dropped", "dropped_reason")
    out["dropped_reason"] = reason if status == "dropped" else ""
    return out


# ------------------------------------------------------------------------------------------------- writing


def _baseline(wh: Warehouse, code: str, iid: str) -> tuple[int | None, float | None, int | None]:
    figures = queries.province_figures(wh, code, [iid])
    if figures.empty:
        return None, None, None
    last = figures.sort_values("year").iloc[-1]
    return int(last.year), float(last.value), int(last.load_id)


def _new_values(wh: Warehouse, code: str, row: dict, account: Account, today: dt.date, judged) -> dict:
    year, value, load = _baseline(wh, code, row["indicator_id"])
    flagged = ",".join(sorted({f.key for f in judged.flags if f.indicator_id == row["indicator_id"]}))
    now = audit.now()
    return {**row, "province_code": code, "flags": flagged, "baseline_year": year, "baseline_value": value,
            "baseline_load": load, "created_by": account.name, "created_at": now, "updated_by": account.name,
            "updated_at": now}  # fmt: skip


def _insert(tx, values: dict, account: Account, client: str) -> int:
    cols = [c for c in COLUMNS if c != "id"]
    new_id = int(tx.execute(
        f"INSERT INTO follow_action ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)}) RETURNING id",  # noqa: S608
        tuple(values[c] for c in cols),
    ).fetchone()[0])  # fmt: skip
    publications.bump(tx, "follow_action")
    added = {k: values[k] for k in (*FIELDS, "flags", "baseline_year", "baseline_value")}
    audit.record(tx, account.name, account.role, "follow_action", f"province {values['province_code']}",
                 {"id": new_id, "added": added}, client)  # fmt: skip
    return new_id


def _changes(before: dict, row: dict) -> dict:
    return {k: [before[k], v] for k, v in row.items() if before[k] != v}


def _update(tx, before: dict, changed: dict, account: Account, now: str, client: str) -> None:
    """Change the action as it was read (``before``): if someone changed it meanwhile, nothing is written and the
    writer is told to reload (so a status never jumps a transition on a stale read)."""
    sets = ", ".join(f"{k} = ?" for k in changed)
    done = tx.execute(
        f"UPDATE follow_action SET {sets}, updated_by = ?, updated_at = ? "  # noqa: S608 - fixed column names
        "WHERE id = ? AND status = ? AND updated_at = ? AND updated_by = ?",
        (*[v[1] for v in changed.values()], account.name, now, int(before["id"]), before["status"],
         before["updated_at"], before["updated_by"]),
    )  # fmt: skip
    if done.rowcount != 1:
        raise ActionError(f"id: action {before['id']} was changed by someone else after you read it: reload, "
                          "then change it again", "id")  # fmt: skip
    publications.bump(tx, "follow_action")
    audit.record(tx, account.name, account.role, "follow_action", f"province {before['province_code']}",
                 {"id": int(before["id"]), "changed": changed}, client)  # fmt: skip


def record(code: str, fields: dict, account: Account | None, wh: Warehouse | None = None, *,
           client: str = "") -> dict:  # fmt: skip
    """Record a new action on a key indicator of province ``code``; returns it as stored (with its ``id``)."""
    wh = wh or Warehouse()
    account = accounts.authorise(account, "follow_action", f"province {code}", province=code, client=client)
    today = clock.today()
    row = _checked(fields, code, wh, today, None)
    values = _new_values(wh, code, row, account, today, judgement(wh, code, today))
    with store.current().write() as tx:
        new_id = _insert(tx, values, account, client)
    return {**values, "id": new_id}


def update(action_id: int, fields: dict, account: Account | None, wh: Warehouse | None = None, *,
           client: str = "") -> dict:  # fmt: skip
    """Change an action (its status, due date, owner, text, expected direction); returns it as stored."""
    wh = wh or Warehouse()
    before = action(action_id)
    if before is None:
        raise ActionError(f"id: there is no action {action_id}", "id")
    code = before["province_code"]
    account = accounts.authorise(account, "follow_action", f"province {code}", province=code, client=client)
    row = _checked(fields, code, wh, clock.today(), before)
    changed = _changes(before, row)
    if not changed:
        return before
    now = audit.now()
    with store.current().write() as tx:
        _update(tx, before, changed, account, now, client)
    return {**before, **row, "updated_by": account.name, "updated_at": now}


# --------------------------------------------------------------------------------------- the chain workbook

#: The columns of the chain workbook's sheet ``actions`` (``id`` empty: a new action).
SHEET_COLUMNS = ["id", *FIELDS]


def sheet(code: str) -> pd.DataFrame:
    """The province's actions as the chain workbook's sheet ``actions`` (text cells)."""
    frame = actions(code)
    return frame[SHEET_COLUMNS].astype({"id": "str"}).fillna("")


def sheet_from_excel(data: bytes) -> pd.DataFrame | None:
    """The sheet ``actions`` of a chain workbook (None when it has none), its cells as text; read within the chain
    workbook's limits (chain_edits.chart_limits)."""
    from provdata.exchange.chain_edits import chart_limits
    from provdata.ingest.read import read_sheets

    book = read_sheets(data, "chart.xlsx", limits=chart_limits())
    if "actions" not in book:
        return None
    rows = [r for r in book["actions"] if any(r)]
    header = rows[0] if rows else []
    missing = [c for c in SHEET_COLUMNS if c not in header]
    if missing:
        raise ActionError(f"sheet actions lacks column(s) {', '.join(missing)}", missing[0])
    frame = pd.DataFrame([r + [""] * (len(header) - len(r)) for r in rows[1:]], columns=header, dtype=str)
    return frame[SHEET_COLUMNS].astype(str).apply(lambda s: s.str.strip().map(unsafe_cell))


def import_sheet(code: str, frame: pd.DataFrame, account: Account | None, wh: Warehouse | None = None, *,
                 client: str = "") -> dict[str, int]:  # fmt: skip
    """Apply the sheet ``actions`` of the province's workbook: a row without ``id`` records a new action, a row with
    one changes that action where it differs. Every row is checked before any is written, and all are written in
    one transaction with their audit lines; a bad row is named (``sheet actions, row 3, due_date: …``). Returns
    how many actions were added and changed."""
    wh = wh or Warehouse()
    account = accounts.authorise(account, "follow_action", f"province {code}", province=code, client=client)
    today = clock.today()
    mine = {int(r["id"]): r for r in actions(code).astype(object).where(actions(code).notna(), None)
            .to_dict("records")}  # fmt: skip
    judged = judgement(wh, code, today)
    adds, changes = [], []
    for i, r in enumerate(frame.to_dict("records"), start=1):
        fields = {k: r.get(k, "") for k in FIELDS}
        try:
            raw = str(r.get("id", "")).strip()
            if raw:
                number = int(float(raw)) if re.fullmatch(r"\d+(\.0)?", raw) else None
                if number not in mine:
                    raise ActionError(f"id: {raw!r} is not an action of province {code}", "id")
                changed = _changes(mine[number], _checked(fields, code, wh, today, mine[number]))
                if changed:
                    changes.append((mine[number], changed))
            else:
                adds.append(
                    _new_values(wh, code, _checked(fields, code, wh, today, None), account, today, judged)
                )
        except (ActionError, textfields.BadText) as exc:
            raise ActionError(f"sheet actions, row {i}, {exc}", exc.params.get("field", "")) from exc
    now = audit.now()
    with store.current().write() as tx:
        for values in adds:
            _insert(tx, values, account, client)
        for before, changed in changes:
            _update(tx, before, changed, account, now, client)
    return {"added": len(adds), "changed": len(changes)}


__all__ = [
    "COLUMNS",
    "DIRECTIONS",
    "FIELDS",
    "OPEN",
    "SHEET_COLUMNS",
    "STATUSES",
    "TRANSITIONS",
    "ActionError",
    "action",
    "actions",
    "import_sheet",
    "judgement",
    "key_indicators",
    "record",
    "sheet",
    "sheet_from_excel",
    "update",
    "version",
]
