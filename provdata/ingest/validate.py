"""Check tidy rows against the catalog and the published figures: what would be published, and why not.

Every row ends in exactly one of: accepted (new, or a revision within the review threshold), flagged (a
revision that changes the published figure by more than ``config.CHANGE_REVIEW_SHARE``: held unless the
steward confirms it), unchanged (equal to the published figure: nothing to publish), rejected (with the
reason) or skipped (totals, exact duplicates, rows left out by --where).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from provdata.basics import config
from provdata.basics.sheets import safe_frame
from provdata.ingest.layout import Tidy

TIDY_COLUMNS = ["province_code", "year", "indicator_id", "value"]
WHERE = ["sheet", "row", "column"]


@dataclass
class Preview:
    accepted: pd.DataFrame  # TIDY_COLUMNS + previous, change, sheet, row, column
    flagged: pd.DataFrame  # same + reason
    unchanged: pd.DataFrame
    rejected: pd.DataFrame  # sheet, row, column, value, reason
    skipped: pd.DataFrame  # sheet, row, name, reason
    notes: list[str] = field(default_factory=list)
    proposed: dict[str, str] = field(default_factory=dict)  # province spelling → code, to confirm
    confirmed: dict[str, str] = field(default_factory=dict)  # spellings matched by a confirmation

    def counts(self) -> dict[str, int]:
        return {
            "accepted": len(self.accepted),
            "flagged": len(self.flagged),
            "unchanged": len(self.unchanged),
            "rejected": len(self.rejected),
            "skipped": len(self.skipped),
        }

    def to_publish(self, include_flagged: bool = False) -> pd.DataFrame:
        parts = [self.accepted] + ([self.flagged] if include_flagged else [])
        out = pd.concat([p[TIDY_COLUMNS] for p in parts], ignore_index=True)
        return out.sort_values(["indicator_id", "province_code", "year"], ignore_index=True)

    def tidy_csv(self, include_flagged: bool = False) -> bytes:
        """The rows that would be published: province_code,year,indicator_id,value."""
        return self.to_publish(include_flagged).to_csv(index=False, float_format="%.15g").encode("utf-8")

    def report_csv(self) -> bytes:
        """Every row that is not plainly accepted, with its outcome and reason (UTF-8 with BOM for Excel)."""
        parts = []
        for outcome, frame in (("flagged", self.flagged), ("rejected", self.rejected), ("skipped", self.skipped),
                               ("unchanged", self.unchanged)):  # fmt: skip
            if len(frame):
                parts.append(frame.assign(outcome=outcome))
        cols = ["outcome", "sheet", "row", "column", "value", "name", "previous", "reason"]
        report = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
        for c in cols:
            if c not in report:
                report[c] = ""
        buf = io.StringIO()
        for note in self.notes:
            buf.write(f"# note: {note}\n")
        safe_frame(report[cols]).to_csv(buf, index=False)  # a file's cell may read like a formula
        return buf.getvalue().encode("utf-8-sig")


#: A conflicting-duplicate group lists at most this many of its rows ("… and N more" for the rest).
LISTED_ROWS = 10


def listed(items: list, limit: int = LISTED_ROWS) -> str:
    """'12, 40, 77' or, past ``limit`` items, '12, 40, … and 1,204 more': a reason stays short however long the list."""
    shown = ", ".join(map(str, items[:limit]))
    return shown if len(items) <= limit else f"{shown} … and {len(items) - limit:,} more"


def _duplicate_groups(part: pd.DataFrame) -> pd.Series:
    """Reasons for rows giving different figures for one province-year-indicator. Each group is described once, on
    its first row (its rows listed, capped); the other rows refer to the group, so the report grows linearly."""
    key = ["indicator_id", "province_code", "year"]
    number = part.groupby(key, sort=False).ngroup() + 1
    where = part.row.astype(str)
    if part.sheet.nunique() > 1:
        where = "'" + part.sheet.astype(str) + "' row " + where
    rows = where.groupby(number).agg(lambda s: listed(s.tolist()))
    first = where.groupby(number).transform("first")
    what = "different figures for " + part.province_code + " " + part.year.astype(str)
    head = ~number.duplicated()
    return pd.Series(
        np.where(
            head,
            "conflicting duplicate, group " + number.astype(str) + ": " + what + " in rows "
            + number.map(rows) + ": keep one row",
            "conflicting duplicate: " + what + ", see group " + number.astype(str) + " (row " + first + ")",
        ),
        index=part.index,
    )  # fmt: skip


def _frame(rows: list[dict], cols: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=cols)


def _is_percent(unit: object) -> bool:
    text = str(unit or "").lower()
    return text.startswith("%") or text.startswith("percent")


def reject_implausible(rows, kinds: pd.DataFrame, published: pd.DataFrame, reject) -> None:
    """Refuse absurd figures of ``rows()`` (the rows not yet rejected: each ``reject`` removes some) (flagging them is not enough: a steward could confirm 1.7e308 people):

    - any figure beyond ±``config.PLAUSIBLE_MAX``;
    - a percentage (unit "%…" or "percent…") outside 0–100, an index of unit "index (0-1)" outside 0–1;
    - a figure more than ``config.plausible_factor()`` times the largest published figure of its indicator (any
      province, any year; only when it has published figures other than 0)."""
    cap = config.PLAUSIBLE_MAX
    reject(rows().value.abs() > cap, lambda p: p.value.map(lambda v: f"{v:.6g}")
           + f" is beyond ±{cap:.0e}, larger than any real figure of any indicator: check the cell")  # fmt: skip
    df = rows()
    units = df.indicator_id.map(kinds["unit_en"]) if "unit_en" in kinds else pd.Series("", index=df.index)
    percent = units.map(_is_percent).astype(bool)
    reject(percent & ((df.value < 0) | (df.value > 100)), lambda p: p.value.map(lambda v: f"{v:.6g}")
           + " is not a percentage (0–100): the unit is " + p.indicator_id.map(kinds["unit_en"]))  # fmt: skip
    df = rows()
    unit_index = units[df.index].astype(str).str.lower().eq("index (0-1)")
    reject(unit_index & ((df.value < 0) | (df.value > 1)),
           lambda p: p.value.map(lambda v: f"{v:.6g}") + " is outside 0–1, the range of this index")  # fmt: skip
    if published.empty:
        return
    largest = published.assign(value=published.value.abs()).groupby("indicator_id").value.max()
    largest = largest[largest > 0]
    factor = config.plausible_factor()
    df = rows()
    bound = df.indicator_id.map(largest) * factor
    reject(bound.notna() & (df.value.abs() > bound), lambda p: (
        p.value.map(lambda v: f"{v:,.6g}") + f" is more than {factor:g} times the largest published figure of "
        + p.indicator_id + " (" + p.indicator_id.map(largest).map(lambda v: f"{v:,.15g}")
        + ", any province and year; PROVDATA_PLAUSIBLE_FACTOR): check the unit (thousands?) and the cell"
    ))  # fmt: skip


def validate(
    tidy: Tidy,
    indicators: pd.DataFrame,
    published: pd.DataFrame,
    agency_id: str | None = None,
    today: dt.date | None = None,
    province_codes: set[str] | None = None,
    level: str = "province",
) -> Preview:
    """``indicators``: id, kind, agency_id; ``published``: indicator_id, area_code, year, value (current).

    ``agency_id``: the steward's agency; indicators of another agency are rejected (None: an admin).
    ``level``: what the rows' codes are ("district" for the district sums of a recipe; ``province_codes`` then
    holds the known district codes).
    """
    this_year = (today or dt.date.today()).year
    df = tidy.frame()
    df["year"] = df["year"].astype("int64")
    df["value"] = df["value"].astype("float64")
    rejected: list[pd.DataFrame] = []

    def reject(mask: pd.Series, reason) -> None:
        """Move the rows of ``mask`` to the rejected ones; ``reason(part)`` says why, row by row."""
        nonlocal df
        if mask.any():
            part = df[mask].copy()
            part["reason"] = reason(part)
            part["value"] = part["value"].map(lambda v: f"{v:.15g}")
            rejected.append(part)
            df = df[~mask]

    reject(~np.isfinite(df["value"]), lambda p: "not a finite number (infinity or NaN): write the figure")
    if province_codes is not None:
        reject(~df.province_code.isin(province_codes),
               lambda p: f"{level} " + p.province_code + " is not in this warehouse's areas"
               + (" (geo/districts.geojson): a district created after the boundaries is added there first"
                  if level == "district" else ""))  # fmt: skip
    kinds = indicators.set_index("id")
    reject(
        ~df.indicator_id.isin(kinds.index),
        lambda p: (
            "indicator " + p.indicator_id.astype(str).map(repr) + " is not in the catalog: check the id"
        ),
    )
    if agency_id is not None:
        reject(
            df.indicator_id.map(kinds["agency_id"]) != agency_id,
            lambda p: "indicator " + p.indicator_id + " belongs to agency " + p.indicator_id.map(kinds["agency_id"])
            + f", not {agency_id}: only its own agency (or an admin) may publish it",
        )  # fmt: skip
    reject(
        df.year < config.MIN_YEAR,
        lambda p: "year " + p.year.astype(str)
        + f" is before {config.MIN_YEAR}: a Gregorian year in a พ.ศ. (B.E.) column?",
    )  # fmt: skip
    reject(
        df.year > this_year,
        lambda p: "year " + p.year.astype(str)
        + f" is in the future (after {this_year}): a Buddhist-era year? subtract 543",
    )  # fmt: skip
    reject(
        (df.value < 0) & df.indicator_id.map(kinds["kind"]).isin(config.NON_NEGATIVE_KINDS),
        lambda p: "negative " + p.indicator_id.map(kinds["kind"]) + ": a " + p.indicator_id.map(kinds["kind"])
        + " cannot be below zero",
    )  # fmt: skip

    reject_implausible(lambda: df, kinds, published, reject)

    # Duplicates of one province-year-indicator: the same figure is loaded once, different figures rejected.
    key = ["indicator_id", "province_code", "year"]
    dup = df.duplicated(key, keep=False)
    skipped = [_frame(tidy.skipped, ["sheet", "row", "name", "reason"])]
    if dup.any():
        groups = df[dup].groupby(key)
        conflicting = groups["value"].transform("nunique") > 1
        first_row = groups["row"].transform("first")
        conflict_mask = pd.Series(False, index=df.index)
        conflict_mask[conflicting.index[conflicting]] = True
        if conflict_mask.any():
            reject(conflict_mask, _duplicate_groups)
        exact = df.duplicated(key, keep="first")
        if exact.any():
            part = df[exact]
            skipped.append(
                pd.DataFrame(
                    {
                        "sheet": part.sheet,
                        "row": part.row,
                        "name": part.province_code,
                        "reason": "exact duplicate of row " + first_row.reindex(part.index).astype(str)
                        + " (" + part.province_code + " " + part.year.astype(str) + "): loaded once",
                    }
                )
            )  # fmt: skip
            df = df[~exact]

    # Against the published figures.
    pub = published.rename(columns={"area_code": "province_code", "value": "previous"})
    pub = pub.astype({"year": "int64"})[["indicator_id", "province_code", "year", "previous"]]
    df = df.merge(pub, on=key, how="left")
    df["change"] = np.where(df.previous.isna(), "new", "revised")
    same = df.previous.notna() & (df.value == df.previous)
    unchanged = df[same].assign(reason="equal to the published figure: nothing to publish")
    df = df[~same]
    share = (df.value - df.previous).abs() / df.previous.abs()
    big = df.previous.notna() & ((share > config.CHANGE_REVIEW_SHARE) | (df.previous == 0))
    flagged = df[big].copy()
    flagged["reason"] = "" if flagged.empty else (
        "changes the published " + flagged.previous.map(lambda v: f"{v:,.15g}") + " by "
        + (share[big] * 100).map(lambda v: f"{v:,.0f}%" if np.isfinite(v) else "∞")
        + f" (more than {config.CHANGE_REVIEW_SHARE:.0%}): check it, then confirm to publish it"
    )  # fmt: skip
    accepted = df[~big]
    reject_cols = ["sheet", "row", "column", "value", "reason"]
    rejected_frame = pd.concat(
        [_frame(tidy.rejected, reject_cols), *[r[reject_cols] for r in rejected]], ignore_index=True
    ).sort_values(["sheet", "row"], kind="stable", ignore_index=True)
    return Preview(
        accepted=accepted.reset_index(drop=True),
        flagged=flagged.reset_index(drop=True),
        unchanged=unchanged.reset_index(drop=True),
        rejected=rejected_frame,
        skipped=pd.concat(skipped, ignore_index=True),
        notes=list(tidy.notes),
        proposed=dict(tidy.proposed),
        confirmed=dict(tidy.confirmed),
    )
