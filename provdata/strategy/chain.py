"""Read and check the provincial strategy chains in data/strategy/ (the system of record)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

ISSUE_COLS = [
    "province_code",
    "issue_id",
    "title_th",
    "title_en",
    "value_chain_th",
    "value_chain_en",
    "example",
]
CSF_COLS = ["province_code", "issue_id", "csf_id", "title_th", "title_en"]
LINK_COLS = [
    "province_code", "issue_id", "csf_id", "indicator_id", "needed_th", "needed_en", "role",
    "dataset_th", "dataset_en", "agency_id",
]  # fmt: skip
ROLES = ("key", "supporting")
STATUS_COLS = ["province_code", "link", "status", "note", "updated_at"]
STATUSES = ("open", "in_progress", "done")
TARGET_COLS = ["target_value", "target_year", "target_direction", "target_note_th", "target_note_en"]


#: The chain's files as planners edit them (app editors, Excel sheets): sheet name → (file, columns).
FILES = {
    "issues": ("issues.csv", ISSUE_COLS),
    "csfs": ("csfs.csv", CSF_COLS),
    "links": ("links.csv", [*LINK_COLS, *TARGET_COLS]),
}


def read_chains(
    strategy_dir: Path,
    provinces: set[str],
    indicator_ids: set[str],
    agency_ids: set[str],
    problems,
    read_csv_rows,
) -> dict[str, pd.DataFrame]:
    """Check the three chain files row by row; return the warehouse tables (empty if the folder is absent)."""
    if not strategy_dir.exists():
        return {
            "strategy_issue": pd.DataFrame(columns=[*ISSUE_COLS, "sort"]),
            "csf": pd.DataFrame(columns=[*CSF_COLS, "sort"]),
            "issue_indicator": pd.DataFrame(columns=[*LINK_COLS, "sort", *TARGET_COLS]),
            "plan_status": pd.DataFrame(columns=STATUS_COLS),
        }
    issues, csfs, links = [], [], []
    seen_issues: set[tuple[str, str]] = set()
    seen_csfs: dict[tuple[str, str], str] = {}
    path = strategy_dir / "issues.csv"
    for line, r in read_csv_rows(path, ISSUE_COLS, problems):
        key = (r["province_code"], r["issue_id"])
        if r["province_code"] not in provinces:
            problems.add(path, line, "province_code", f"{r['province_code']!r} is not a province code")
        elif not r["issue_id"]:
            problems.add(path, line, "issue_id", "empty: give the issue a short id")
        elif not r["title_th"] or not r["title_en"]:
            problems.add(path, line, "title_th/title_en", "an issue needs a Thai and an English title")
        elif key in seen_issues:
            problems.add(path, line, "issue_id", f"{r['issue_id']!r} appears twice for province {key[0]}")
        elif r["example"] not in ("true", "false"):
            problems.add(path, line, "example", f"{r['example']!r} must be true or false")
        else:
            seen_issues.add(key)
            issues.append({**r, "example": r["example"] == "true", "sort": len(issues)})
    path = strategy_dir / "csfs.csv"
    for line, r in read_csv_rows(path, CSF_COLS, problems):
        if (r["province_code"], r["issue_id"]) not in seen_issues:
            problems.add(
                path, line, "issue_id", f"{r['issue_id']!r} is not an issue of province {r['province_code']}"
            )
        elif not r["csf_id"] or not r["title_th"] or not r["title_en"]:
            problems.add(
                path, line, "csf_id/title_th/title_en", "a CSF needs an id and Thai and English titles"
            )
        elif (r["province_code"], r["csf_id"]) in seen_csfs:
            problems.add(
                path, line, "csf_id", f"{r['csf_id']!r} appears twice for province {r['province_code']}"
            )
        else:
            seen_csfs[(r["province_code"], r["csf_id"])] = r["issue_id"]
            csfs.append({**r, "sort": len(csfs)})
    path = strategy_dir / "links.csv"
    seen_links: set[tuple[str, str, str]] = set()
    for line, r in read_csv_rows(path, LINK_COLS, problems):
        where = (r["province_code"], r["csf_id"])
        iid = r["indicator_id"]
        if seen_csfs.get(where) != r["issue_id"]:
            problems.add(
                path, line, "csf_id", f"{r['csf_id']!r} is not a CSF of issue {r['issue_id']!r} in {where[0]}"
            )
        elif iid and iid not in indicator_ids:
            problems.add(
                path,
                line,
                "indicator_id",
                f"{iid!r} is not an indicator; leave it empty and fill needed_th/needed_en for data we lack",
            )
        elif not iid and not (r["needed_th"] and r["needed_en"]):
            problems.add(
                path,
                line,
                "needed_th/needed_en",
                "a needed-but-missing indicator needs its Thai and English name",
            )
        elif r["role"] not in ROLES:
            problems.add(path, line, "role", f"{r['role']!r} must be key or supporting")
        elif r["agency_id"] not in agency_ids:
            problems.add(path, line, "agency_id", f"{r['agency_id']!r} is not in data/reference/agencies.csv")
        elif (r["province_code"], r["csf_id"], iid or r["needed_en"]) in seen_links:
            problems.add(
                path, line, "indicator_id", f"{iid or r['needed_en']!r} is linked twice to {r['csf_id']!r}"
            )
        else:
            target = _target(r, path, line, problems)
            if target is None:
                continue
            seen_links.add((r["province_code"], r["csf_id"], iid or r["needed_en"]))
            links.append({**r, **target, "indicator_id": iid or None, "sort": len(links)})
    statuses = []
    path = strategy_dir / "plan_status.csv"
    link_keys = {(r["province_code"], r["indicator_id"] or r["needed_en"]) for r in links}
    seen_status: set[tuple[str, str]] = set()
    if path.exists():
        for line, r in read_csv_rows(path, STATUS_COLS, problems):
            key = (r["province_code"], r["link"])
            if key not in link_keys:
                problems.add(
                    path, line, "link", f"{r['link']!r} is not an indicator of province {key[0]}'s chart"
                )
            elif r["status"] not in STATUSES:
                problems.add(path, line, "status", f"{r['status']!r} must be one of {', '.join(STATUSES)}")
            elif key in seen_status:
                problems.add(path, line, "link", f"{r['link']!r} has two statuses for province {key[0]}")
            else:
                seen_status.add(key)
                statuses.append(r)
    return {
        "plan_status": pd.DataFrame(statuses, columns=STATUS_COLS),
        "strategy_issue": pd.DataFrame(issues, columns=[*ISSUE_COLS, "sort"]),
        "csf": pd.DataFrame(csfs, columns=[*CSF_COLS, "sort"]),
        "issue_indicator": pd.DataFrame(links, columns=[*LINK_COLS, "sort", *TARGET_COLS]),
    }


def _target(r: dict, path: Path, line: int, problems) -> dict | None:
    """The optional target of a link (value, year, direction, note), checked; None after a problem."""
    value, year, direction = (r.get(c, "") for c in ("target_value", "target_year", "target_direction"))
    notes = {
        "target_note_th": r.get("target_note_th") or None,
        "target_note_en": r.get("target_note_en") or None,
    }
    if not (value or year or direction):
        return {"target_value": None, "target_year": None, "target_direction": None, **notes}
    try:
        number = float(value)
    except ValueError:
        problems.add(path, line, "target_value", f"{value!r} is not a number")
        return None
    if not year.isdigit() or not 1900 <= int(year) <= 2100:
        problems.add(path, line, "target_year", f"{year!r} is not a Gregorian year")
        return None
    if direction not in ("increase", "decrease"):
        problems.add(path, line, "target_direction", f"{direction!r} must be increase or decrease")
        return None
    if not r["indicator_id"]:
        problems.add(path, line, "target_value", "a target needs an indicator with figures")
        return None
    return {"target_value": number, "target_year": int(year), "target_direction": direction, **notes}
