"""The shipped figures read and checked: the series breaks and the seed observations (province and
district), each row against the known areas, indicators and sources.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from provdata.warehouse.build.inputs import Inputs, Problems, _parse_value, _parse_year, read_csv_rows


def read_series_breaks(inputs: Inputs, indicator_ids: set[str], problems: Problems) -> pd.DataFrame:
    path = inputs.reference_dir / "series_breaks.csv"
    cols = ["indicator_id", "last_year_before", "first_year_after", "note_en", "note_th"]
    rows = []
    for line, r in read_csv_rows(path, cols, problems):
        if r["indicator_id"] not in indicator_ids:
            continue  # a break of an indicator this build does not carry (e.g. a test subset)
        before = _parse_year(r["last_year_before"], path, line, problems)
        after = _parse_year(r["first_year_after"], path, line, problems)
        if before is not None and after is not None:
            rows.append({**r, "last_year_before": before, "first_year_after": after})
    return pd.DataFrame(rows, columns=cols)


def read_observations(
    path: Path,
    code_column: str,
    area_codes: set[str],
    indicator_ids: set[str],
    source_ids: set[str],
    problems: Problems,
) -> tuple[pd.DataFrame, int]:
    """Check every row; return the good rows and the number of rows read."""
    cols = [code_column, "year", "indicator_id", "value", "source_id"]
    seen: dict[tuple[str, str, int], int] = {}
    out: dict[str, list] = {"indicator_id": [], "area_code": [], "year": [], "value": [], "source_id": []}
    n = 0
    for line, r in read_csv_rows(path, cols, problems):
        n += 1
        code = r[code_column]
        if code not in area_codes:
            problems.add(path, line, code_column, f"{code!r} is not a known area code")
            continue
        if r["indicator_id"] not in indicator_ids:
            problems.add(path, line, "indicator_id", f"{r['indicator_id']!r} is not in indicators.csv")
            continue
        if r["source_id"] not in source_ids:
            problems.add(path, line, "source_id", f"{r['source_id']!r} is not in sources.csv")
            continue
        year = _parse_year(r["year"], path, line, problems)
        value = _parse_value(r["value"], path, line, problems)
        if year is None or value is None:
            continue
        key = (r["indicator_id"], code, year)
        if key in seen:
            problems.add(
                path,
                line,
                f"{code_column}/year/indicator_id",
                f"duplicate of line {seen[key]} ({code}, {year}, {r['indicator_id']}): keep one row",
            )
            continue
        seen[key] = line
        out["indicator_id"].append(r["indicator_id"])
        out["area_code"].append(code)
        out["year"].append(year)
        out["value"].append(value)
        out["source_id"].append(r["source_id"])
    frame = pd.DataFrame(out).astype({"year": "int32", "value": "float64"})
    return frame, n
