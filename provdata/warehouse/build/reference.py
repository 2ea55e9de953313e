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
