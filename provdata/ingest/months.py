"""A file of monthly rows (a ``month`` column, ``Options.sum_months``) to yearly figures: a year's figure is the
sum of its 12 months, and only of 12.

- Every indicator × province × year needs each month 1-12 exactly once. A year with fewer months (a part year,
  e.g. January-September of a year still running) is **held**: not summed, not loaded, each of its rows listed
  as skipped with the reason, and one note per year naming the months it has. A part year is never a year.
- A month given twice for one province and year (two rows) is rejected, naming both rows, and the year is held.
- Only counts and amounts add up over months: a rate (an occupancy rate) is never summed; the caller maps such
  a column to ``skip`` (the warehouse's recipes refuse a summed indicator whose kind is not count or amount).
- The sum is exact to the figures' own decimals (``math.fsum``, then binary noise beyond 15 significant digits
  dropped, as every figure read is); each yearly row names the first of its 12 rows and the rows it sums.
"""

from __future__ import annotations

import math

from provdata.ingest.layout import Tidy

MONTHS = tuple(range(1, 13))
#: The kinds of indicator whose monthly figures add up to a year's figure.
SUMMABLE_KINDS = ("count", "amount")
#: The words of the note that says a part year was held (a recipe's load note carries it).
HELD = "a part year is held"


def _months_text(months: list[int]) -> str:
    """[1, 2, 3, 5] → '1-3, 5'."""
    runs: list[list[int]] = []
    for m in sorted(set(months)):
        if runs and m == runs[-1][-1] + 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def sum_months(out: Tidy) -> None:
    """Replace ``out.rows`` (one per month) by one row per indicator × province × year: the sum of 12 months."""
    groups: dict[tuple[str, str, int], list[dict]] = {}
    for r in out.rows:
        if "month" not in r:
            raise ValueError("sum_months needs a month column: map it (COLUMN=month)")
        groups.setdefault((r["indicator_id"], r["province_code"], r["year"]), []).append(r)
    rows: list[dict] = []
    held: dict[tuple[int, str], set[str]] = {}  # (year, months present) → provinces
    skipped_rows: set[tuple[str, int]] = set()
    for (indicator, code, year), part in groups.items():
        by_month: dict[int, dict] = {}
        twice = False
        for r in part:
            first = by_month.setdefault(r["month"], r)
            if first is not r:
                twice = True
                out.rejected.append({"sheet": r["sheet"], "row": r["row"], "column": r["column"],
                                     "value": f"{r['value']:.15g}",
                                     "reason": f"month {r['month']} of {year} for province {code} is also in row "
                                               f"{first['row']}: keep one row (the year is not summed)"})  # fmt: skip
        if twice or len(by_month) != 12:
            if not twice:
                held.setdefault((year, _months_text(list(by_month))), set()).add(code)
            for r in part:
                if (r["sheet"], r["row"]) not in skipped_rows:
                    skipped_rows.add((r["sheet"], r["row"]))
                    out.skipped.append({"sheet": r["sheet"], "row": r["row"], "name": code,
                                        "reason": f"{year} has months {_months_text(list(by_month))} only "
                                                  f"({len(by_month)} of 12): a part year is not a year's figure; "
                                                  "not summed, not loaded"})  # fmt: skip
            continue
        ordered = [by_month[m] for m in MONTHS]
        lines = sorted(r["row"] for r in ordered)
        rows.append(
            {
                "province_code": code,
                "year": year,
                "indicator_id": indicator,
                "value": float(f"{math.fsum(r['value'] for r in ordered):.15g}"),
                "sheet": ordered[0]["sheet"],
                "row": lines[0],
                "column": f"{ordered[0]['column']}, sum of months 1-12 (rows {', '.join(map(str, lines))})",
            }
        )
    out.rows = rows
    for (year, months), codes in sorted(held.items()):
        out.notes.append(
            f"{year}: months {months} only for {len(codes)} province(s): {HELD} (not summed, not loaded); a "
            "year's figure is the sum of its 12 months"
        )
