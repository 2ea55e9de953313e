"""Write a SYNTHETIC warehouse for scale tests: ``python -m bench.synth --size national --out FILE``.

Sizes (areas × indicators × years):
  national  77 provinces × 500 indicators × 25 years          (~0.96 million observations)
  district  928 districts (+77 provinces) × 300 × 20 years    (~6 million)
  stress    7,255 sub-district codes (+ districts, provinces) × 200 × 20 years (~32 million)
  tiny      77 provinces × 5 indicators × 3 years             (for the test suite)

Provinces and districts are the real areas of ``geo/`` (so maps draw on the real boundaries); the
sub-district codes, every indicator and every value are generated and labelled synthetic: the
``meta.synthetic`` flag is true, names say "synthetic", and the app refuses such a file unless
``PROVDATA_ALLOW_SYNTHETIC=1`` is set. Never shown as real figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import uuid
from pathlib import Path

import pandas as pd

from provdata.basics import config
from provdata.warehouse.build import Inputs, Problems, read_areas, write_warehouse

SIZES = {
    # name: (area level observed, indicators, years)
    "tiny": ("province", 5, 3),
    "national": ("province", 500, 25),
    "district": ("district", 300, 20),
    "stress": ("subdistrict", 200, 20),
}
SUBDISTRICTS = 7255
LAST_YEAR = 2022
THEMES = ["economy", "population", "society", "labour", "agriculture", "tourism", "health"]


def _areas(level: str) -> pd.DataFrame:
    problems = Problems()
    areas = read_areas(Inputs(), problems)
    problems.raise_if_any()
    if level != "subdistrict":
        return areas
    districts = areas[areas.level == "district"].reset_index(drop=True)
    # Sub-district codes: 6 digits under a real district, spread over all 928 districts.
    rows = []
    for i in range(SUBDISTRICTS):
        parent = districts.iloc[i % len(districts)]
        n = i // len(districts) + 1
        rows.append(
            {
                "code": f"{parent.code}{n:02d}",
                "level": "subdistrict",
                "parent": parent.code,
                "name_th": f"ตำบลสังเคราะห์ {parent.code}{n:02d}",
                "name_en": f"Synthetic sub-district {parent.code}{n:02d}",
                "region": None,
                "region_th": None,
                "cohort": parent.cohort,
                "area_km2": None,
                "alt_names": None,
            }
        )
    return pd.concat([areas, pd.DataFrame(rows)], ignore_index=True)


def write_synthetic(size: str, target: Path, seed: float = 0.42) -> dict:
    level, n_ind, n_years = SIZES[size]
    started = time.perf_counter()
    areas = _areas(level)
    indicators = pd.DataFrame(
        {
            "id": [f"syn_{i:04d}" for i in range(1, n_ind + 1)],
            "name_th": [f"ตัวชี้วัดสังเคราะห์ {i}" for i in range(1, n_ind + 1)],
            "name_en": [f"Synthetic indicator {i}" for i in range(1, n_ind + 1)],
            "unit_th": "หน่วยสังเคราะห์",
            "unit_en": "synthetic unit",
            "theme": [THEMES[i % len(THEMES)] for i in range(n_ind)],
            "definition_th": "ข้อมูลสังเคราะห์สำหรับทดสอบขนาด ไม่ใช่ตัวเลขจริง",
            "definition_en": "Synthetic data for scale tests; not a real figure.",
            "aggregation": "synthetic",
            "higher_is_better": [(None, True, False)[i % 3] for i in range(n_ind)],
            "frequency": "annual",
            "source_ids": "synthetic",
            "agency_id": "synthetic",
            "official": False,
            "profile_sort": [i + 1 if i < 8 else None for i in range(n_ind)],
            "profile_card": [f"card{i + 1}" if i < 8 else None for i in range(n_ind)],
            "kind": "count",
            "per_capita_factor": 100000.0,
            "per_capita_unit_th": "ต่อประชากรแสนคน (สังเคราะห์)",
            "per_capita_unit_en": "per 100000 people (synthetic)",
        }
    )
    tables = {
        "meta": pd.DataFrame(
            [
                {
                    "schema_version": config.SCHEMA_VERSION,
                    "build_id": f"synthetic-{size}-{uuid.uuid4().hex[:8]}",
                    "built_at": dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
                    "inputs_sha256": f"synthetic:{size}:seed={seed}",
                    "synthetic": True,
                }
            ]
        ),
        "area": areas,
        "agency": pd.DataFrame(
            [
                {
                    "id": "synthetic",
                    "name_th": "ข้อมูลสังเคราะห์",
                    "name_en": "Synthetic data",
                    "short_th": "สังเคราะห์",
                    "short_en": "SYNTHETIC",
                    "ministry_th": None,
                    "ministry_en": None,
                }
            ]
        ),
        "source": pd.DataFrame(
            [
                {
                    "id": "synthetic",
                    "agency_id": "synthetic",
                    "title_en": "Synthetic scale-test data (bench/synth.py)",
                    "title_th": "ข้อมูลสังเคราะห์สำหรับทดสอบขนาด",
                    "upstream": "generated",
                    "license": "CC0-1.0",
                    "notes": "not real figures",
                }
            ]
        ),
        "theme": pd.read_csv(config.REFERENCE_DIR / "themes.csv").rename(columns={"theme": "id"}),
        "indicator": indicators,
        "load": pd.DataFrame(
            [
                {
                    "id": 1,
                    "file_name": "bench/synth.py",
                    "sha256": "synthetic",
                    "rows_in": 0,
                    "rows_accepted": 0,
                    "rows_rejected": 0,
                    "loaded_by": "synthetic",
                    "loaded_at": dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
                    "note": f"synthetic {size}",
                }
            ]
        ),
    }
    rows = 0

    def fill(con) -> None:
        # Observations at the chosen level and every coarser one, generated inside DuckDB:
        # a smooth trend per area × indicator with noise.
        nonlocal rows
        con.execute(f"SELECT setseed({seed})")
        levels = {"province": ["province"], "district": ["province", "district"]}.get(
            level, ["province", "district", "subdistrict"]
        )
        con.execute(
            """
            INSERT INTO observation
            SELECT i.id, a.code, y.year,
                   round((100 + 900 * (hash(a.code || i.id) % 1000) / 1000.0)
                         * (1 + 0.03 * (y.year - $first)) * (0.95 + 0.1 * random()), 3)::DOUBLE,
                   'synthetic', 1
            FROM area a, indicator i, (SELECT range AS year FROM range($first, $last + 1)) y
            WHERE list_contains($levels, a.level)
            """,
            {"first": LAST_YEAR - n_years + 1, "last": LAST_YEAR, "levels": levels},
        )
        rows = con.execute("SELECT count(*) FROM observation").fetchone()[0]
        con.execute("UPDATE load SET rows_in = $n, rows_accepted = $n", {"n": rows})

    write_warehouse(target, tables, fill)
    return {
        "size": size,
        "observations": rows,
        "seconds": time.perf_counter() - started,
        "bytes": target.stat().st_size,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synth", description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.out.resolve() == config.DEFAULT_WAREHOUSE.resolve():
        parser.error("refusing to write synthetic data over the real warehouse; choose another --out")
    info = write_synthetic(args.size, args.out)
    print(
        f"synthetic {info['size']}: {info['observations']:,} observations, "
        f"{info['bytes'] / 1e6:.1f} MB, {info['seconds']:.1f} s → {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
