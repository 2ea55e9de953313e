"""The shipped reference files read and checked: the areas (77 provinces and their districts), the
agencies and their sources, and the themes; each as a frame for its warehouse table.
"""

from __future__ import annotations

import json

import pandas as pd

from provdata.warehouse.build.inputs import Inputs, Problems, read_csv_rows


def read_areas(inputs: Inputs, problems: Problems) -> pd.DataFrame:
    """77 provinces (geo/provinces.csv + pilot flag from the seed) and the districts (geojson)."""
    pilot_flags: dict[str, bool] = {}
    seed_provinces = inputs.seed_dir / "provinces.csv"
    for line, row in read_csv_rows(seed_provinces, ["province_code", "pilot"], problems):
        if row["pilot"] not in ("True", "False"):
            problems.add(seed_provinces, line, "pilot", f"{row['pilot']!r} must be True or False")
        pilot_flags[row["province_code"]] = row["pilot"] == "True"

    rows: list[dict] = []
    geo_provinces = inputs.geo_dir / "provinces.csv"
    cols = ["province_code", "name_th", "name_en", "region", "region_th", "area_km2", "alt_names"]
    for line, row in read_csv_rows(geo_provinces, cols, problems):
        code = row["province_code"]
        if not (len(code) == 2 and code.isdigit()):
            problems.add(geo_provinces, line, "province_code", f"{code!r} is not a 2-digit code")
            continue
        if code not in pilot_flags:
            problems.add(geo_provinces, line, "province_code", f"{code!r} is not in {seed_provinces.name}")
        rows.append(
            {
                "code": code,
                "level": "province",
                "parent": None,
                "name_th": row["name_th"],
                "name_en": row["name_en"],
                "region": row["region"],
                "region_th": row["region_th"],
                "cohort": "pilot" if pilot_flags.get(code) else "all",
                "area_km2": float(row["area_km2"]) if row["area_km2"] else None,
                "alt_names": row["alt_names"],
            }
        )
    province_codes = {r["code"] for r in rows}

    districts_path = inputs.geo_dir / "districts.geojson"
    if not districts_path.exists():
        problems.add(districts_path, None, None, "file is missing")
    else:
        features = json.loads(districts_path.read_text(encoding="utf-8"))["features"]
        for i, feat in enumerate(features, start=1):
            p = feat.get("properties") or {}
            code, parent = str(p.get("district_code", "")), str(p.get("province_code", ""))
            if parent not in province_codes or not code.startswith(parent) or len(code) != 4:
                problems.add(
                    districts_path,
                    None,
                    f"feature {i} district_code",
                    f"{code!r} (province {parent!r}) is not a 4-digit code of a known province",
                )
                continue
            rows.append(
                {
                    "code": code,
                    "level": "district",
                    "parent": parent,
                    "name_th": p.get("name_th", ""),
                    "name_en": p.get("name_en", ""),
                    "region": None,
                    "region_th": None,
                    "cohort": "pilot" if pilot_flags.get(parent) else "all",
                    "area_km2": None,
                    "alt_names": None,
                }
            )
    frame = pd.DataFrame(rows)
    dupes = frame[frame.duplicated("code")]["code"].tolist() if len(frame) else []
    for code in dupes:
        problems.add(geo_provinces, None, "code", f"area code {code!r} appears twice")
    return frame


def read_agencies_and_sources(inputs: Inputs, problems: Problems) -> tuple[pd.DataFrame, pd.DataFrame]:
    path = inputs.reference_dir / "agencies.csv"
    cols = ["agency_id", "name_th", "name_en", "short_th", "short_en", "ministry_th", "ministry_en"]
    agencies = [dict(row, id=row.pop("agency_id")) for _, row in read_csv_rows(path, cols, problems)]
    agency_ids = {a["id"] for a in agencies}

    mapping_path = inputs.reference_dir / "source_agency.csv"
    mapping = {}
    for line, row in read_csv_rows(
        mapping_path, ["source_id", "agency_id", "title_en", "title_th"], problems
    ):
        if row["agency_id"] not in agency_ids:
            problems.add(mapping_path, line, "agency_id", f"{row['agency_id']!r} is not in agencies.csv")
        mapping[row["source_id"]] = row

    seed_path = inputs.seed_dir / "sources.csv"
    cols = ["source_id", "agency", "upstream_repository", "upstream_path", "upstream_license", "notes"]
    sources = []
    for line, row in read_csv_rows(seed_path, cols, problems):
        m = mapping.get(row["source_id"])
        if m is None:
            problems.add(
                seed_path,
                line,
                "source_id",
                f"{row['source_id']!r} has no owning agency: add it to data/reference/source_agency.csv",
            )
            continue
        sources.append(
            {
                "id": row["source_id"],
                "agency_id": m["agency_id"],
                "title_en": m["title_en"],
                "title_th": m["title_th"],
                "upstream": f"{row['upstream_repository']}: {row['upstream_path']}",
                "license": row["upstream_license"],
                "notes": row["notes"],
            }
        )
    return pd.DataFrame(agencies), pd.DataFrame(sources)


def read_themes(inputs: Inputs, problems: Problems) -> pd.DataFrame:
    path = inputs.reference_dir / "themes.csv"
    rows = [
        {"id": r["theme"], "name_th": r["name_th"], "name_en": r["name_en"], "sort": int(r["sort"])}
        for _, r in read_csv_rows(path, ["theme", "name_th", "name_en", "sort"], problems)
    ]
    return pd.DataFrame(rows)


#: Columns of data/reference/release_calendar.csv.
CALENDAR_COLUMNS = ["source_id", "periodicity", "periodicity_from", "lag_months", "lag_from", "note_en"]


def read_release_calendar(inputs: Inputs, source_ids: list[str], problems: Problems) -> pd.DataFrame:
    """Each shipped source's periodicity and usual lag (data/reference/release_calendar.csv), every row checked:
    a known source, once; a periodicity and a basis from the lists in ``provdata.strategy.freshness``; a lag of
    0-120 whole months given exactly when its basis is not ``not_known``; a note saying where it comes from; and
    no source of ``source_ids`` (the seed's and the recipes') left without a row."""
    from provdata.strategy.freshness import BASES, PERIODICITY_STEP

    path = inputs.reference_dir / "release_calendar.csv"
    known, rows, seen = set(source_ids), [], set()
    for line, row in read_csv_rows(path, CALENDAR_COLUMNS, problems):
        sid = row["source_id"]
        bad = len(problems.items)
        if sid not in known:
            problems.add(path, line, "source_id", f"{sid!r} is not a source of the seed or of a recipe")
        elif sid in seen:
            problems.add(path, line, "source_id", f"{sid!r} appears twice")
        seen.add(sid)
        if row["periodicity"] not in PERIODICITY_STEP:
            problems.add(path, line, "periodicity",
                         f"{row['periodicity']!r} must be one of {', '.join(PERIODICITY_STEP)}")  # fmt: skip
        for col in ("periodicity_from", "lag_from"):
            if row[col] not in BASES:
                problems.add(path, line, col, f"{row[col]!r} must be one of {', '.join(BASES)}")
        if row["periodicity"] == "unknown" and row["periodicity_from"] != "not_known":
            problems.add(
                path, line, "periodicity_from", "an unknown periodicity comes from nowhere: write not_known"
            )
        lag = None
        if row["lag_months"]:
            if not (row["lag_months"].isdigit() and int(row["lag_months"]) <= 120):
                problems.add(
                    path, line, "lag_months", f"{row['lag_months']!r} must be a whole number of months, 0-120"
                )
            else:
                lag = int(row["lag_months"])
            if row["lag_from"] == "not_known":
                problems.add(
                    path,
                    line,
                    "lag_from",
                    "a lag is given: say where it comes from, or leave lag_months empty",
                )
        elif row["lag_from"] in BASES and row["lag_from"] != "not_known":
            problems.add(
                path,
                line,
                "lag_months",
                "empty, but lag_from says it is known: give the lag or write not_known",
            )
        if not row["note_en"]:
            problems.add(path, line, "note_en", "empty: say where the periodicity and the lag come from")
        if len(problems.items) == bad:
            rows.append({"source_id": sid, "periodicity": row["periodicity"],
                         "periodicity_from": row["periodicity_from"], "lag_months": lag,
                         "lag_from": row["lag_from"], "note_en": row["note_en"]})  # fmt: skip
    if path.exists():
        for sid in sorted(known - seen):
            problems.add(path, None, "source_id",
                         f"{sid!r} has no row: add its periodicity and lag (or 'unknown' and 'not_known')")  # fmt: skip
    frame = pd.DataFrame(rows, columns=CALENDAR_COLUMNS)
    return frame.astype({"lag_months": "Int64"})
