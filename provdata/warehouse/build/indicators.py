"""The indicator table: the shipped indicators (with their Thai labels, kinds and profile order) and the
ones admins added, each checked against the themes, sources and agencies.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from provdata.warehouse.build.inputs import Inputs, Problems, read_csv_rows
from provdata.warehouse.layers import ADDED_COLUMNS

KINDS = ("count", "amount", "rate", "ratio", "index", "stock", "area")


def read_indicators(
    inputs: Inputs, sources: pd.DataFrame, themes: pd.DataFrame, problems: Problems
) -> pd.DataFrame:
    labels_path = inputs.reference_dir / "indicator_labels.csv"
    labels = {
        r["indicator_id"]: r
        for _, r in read_csv_rows(
            labels_path, ["indicator_id", "name_th", "unit_th", "definition_th"], problems
        )
    }
    kinds_path = inputs.reference_dir / "indicator_kinds.csv"
    kinds = {
        r["indicator_id"]: (line, r)
        for line, r in read_csv_rows(
            kinds_path,
            ["indicator_id", "kind", "per_capita_factor", "per_capita_unit_en", "per_capita_unit_th"],
            problems,
        )
    }
    source_agency = dict(zip(sources.get("id", []), sources.get("agency_id", []), strict=True))
    theme_ids = set(themes.get("id", []))

    path = inputs.seed_dir / "indicators.csv"
    cols = [
        "indicator_id",
        "name_en",
        "name_th",
        "unit",
        "theme",
        "aggregation",
        "higher_is_better",
        "definition",
        "source_id",
    ]
    rows = []
    for line, r in read_csv_rows(path, cols, problems):
        iid = r["indicator_id"]
        label = labels.get(iid)
        if label is None or not label["name_th"] or not label["unit_th"]:
            problems.add(labels_path, None, "indicator_id", f"{iid!r} has no Thai name and unit: add a row")
            continue
        if r["theme"] not in theme_ids:
            problems.add(path, line, "theme", f"{r['theme']!r} is not in data/reference/themes.csv")
        if r["higher_is_better"] not in ("true", "false", ""):
            problems.add(
                path, line, "higher_is_better", f"{r['higher_is_better']!r} must be true, false or empty"
            )
        source_ids = r["source_id"].split(";")
        agencies = {source_agency.get(s) for s in source_ids}
        if None in agencies:
            problems.add(path, line, "source_id", f"{r['source_id']!r} names a source not in sources.csv")
            continue
        if len(agencies) != 1:
            problems.add(path, line, "source_id", f"{r['source_id']!r} mixes agencies {sorted(agencies)}")
            continue
        kind_line, kind = kinds.get(iid, (None, None))
        if kind is None:
            problems.add(kinds_path, None, "indicator_id", f"{iid!r} has no kind: add a row")
            continue
        if kind["kind"] not in KINDS:
            problems.add(kinds_path, kind_line, "kind", f"{kind['kind']!r} must be one of {', '.join(KINDS)}")
        factor = None
        if kind["per_capita_factor"]:
            try:
                factor = float(kind["per_capita_factor"])
            except ValueError:
                problems.add(
                    kinds_path,
                    kind_line,
                    "per_capita_factor",
                    f"{kind['per_capita_factor']!r} is not a number",
                )
        rows.append(
            {
                "id": iid,
                "kind": kind["kind"],
                "per_capita_factor": factor,
                "per_capita_unit_en": kind["per_capita_unit_en"] or None,
                "per_capita_unit_th": kind["per_capita_unit_th"] or None,
                "name_th": label["name_th"],
                "name_en": r["name_en"],
                "source_label_th": r["name_th"] or None,
                "unit_th": label["unit_th"],
                "unit_en": r["unit"],
                "theme": r["theme"],
                "definition_th": label["definition_th"],
                "definition_en": r["definition"],
                "aggregation": r["aggregation"],
                "higher_is_better": {"true": True, "false": False}.get(r["higher_is_better"]),
                "frequency": "annual",
                "source_ids": r["source_id"],
                "agency_id": agencies.pop(),
                "official": True,
                "profile_sort": None,
                "profile_card": None,
            }
        )
    return pd.DataFrame(rows)


def apply_profile(indicators: pd.DataFrame, inputs: Inputs, problems: Problems) -> pd.DataFrame:
    """``indicators`` (shipped, recipe and added) with ``profile_sort`` and ``profile_card`` from
    data/reference/profile_indicators.csv: each row an indicator that may fill a headline card (``card``, a
    concept such as population); a card shows, per province, its candidate with the latest year, the one
    listed first (lower ``sort``) on a tie. Cards are shown in the order of their first candidate."""
    path = inputs.reference_dir / "profile_indicators.csv"
    sort, card = {}, {}
    for line, r in read_csv_rows(path, ["indicator_id", "sort", "card"], problems):
        iid = r["indicator_id"]
        if iid not in set(indicators.id):
            problems.add(path, line, "indicator_id", f"{iid!r} is not an indicator")
        elif iid in sort:
            problems.add(path, line, "indicator_id", f"{iid!r} is listed twice")
        if not r["sort"].isdigit():
            problems.add(path, line, "sort", f"{r['sort']!r} is not a whole number")
            continue
        if int(r["sort"]) in sort.values():
            problems.add(path, line, "sort", f"{r['sort']} is taken by another row: each row its own place")
        if not r["card"]:
            problems.add(path, line, "card", "is empty: name the card (concept) the indicator fills")
        sort[iid], card[iid] = int(r["sort"]), r["card"]
    return indicators.assign(
        profile_sort=indicators["id"].map(sort).astype("Int64"), profile_card=indicators["id"].map(card)
    )


def read_added_indicators(
    path: Path | None, seed_ids: set[str], themes: set[str], agencies: set[str], problems: Problems
) -> pd.DataFrame:
    """Indicators admins added (``python -m provdata indicator add`` or the exchange page); their figures come
    from uploads, each upload its own source."""
    rows = []
    if path is None or not path.exists():
        return pd.DataFrame(rows)
    for line, r in read_csv_rows(path, ADDED_COLUMNS, problems):
        iid = r["indicator_id"]
        if iid in seed_ids:
            problems.add(path, line, "indicator_id", f"{iid!r} is already a shipped indicator")
        if r["theme"] not in themes:
            problems.add(path, line, "theme", f"{r['theme']!r} is not a theme ({', '.join(sorted(themes))})")
        if r["kind"] not in KINDS:
            problems.add(path, line, "kind", f"{r['kind']!r} must be one of {', '.join(KINDS)}")
        if r["agency_id"] not in agencies:
            problems.add(
                path,
                line,
                "agency_id",
                f"{r['agency_id']!r} is not an agency ({', '.join(sorted(agencies))})",
            )
        if r["higher_is_better"] not in ("true", "false", ""):
            problems.add(
                path, line, "higher_is_better", f"{r['higher_is_better']!r} must be true, false or empty"
            )
        for col in ("name_en", "name_th", "unit_en", "unit_th"):
            if not r[col]:
                problems.add(
                    path, line, col, "is empty: every indicator needs a Thai and English name and unit"
                )
        rows.append(
            {
                "id": iid, "kind": r["kind"], "per_capita_factor": None, "per_capita_unit_en": None,
                "per_capita_unit_th": None, "name_th": r["name_th"], "name_en": r["name_en"], "source_label_th": None,
                "unit_th": r["unit_th"], "unit_en": r["unit_en"], "theme": r["theme"],
                "definition_th": r["definition_th"] or r["name_th"], "definition_en": r["definition_en"] or r["name_en"],
                "aggregation": "as published", "higher_is_better": {"true": True, "false": False}.get(r["higher_is_better"]),
                "frequency": "annual", "source_ids": "", "agency_id": r["agency_id"], "official": False,
                "profile_sort": None, "profile_card": None,
            }
        )  # fmt: skip
    return pd.DataFrame(rows)
