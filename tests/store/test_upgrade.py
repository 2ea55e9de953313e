"""An upgrade under a running deployment: planners' edits and stewards' publications live in the state store,
the shipped files are only read, so a new release's files replace the old ones and the rebuild shows both."""

from __future__ import annotations

import csv
import hashlib

import pandas as pd
import pytest

from provdata import accounts
from provdata.exchange import chain_edits, publish
from provdata.ingest import Options
from provdata.warehouse import queries
from provdata.warehouse.build import build_warehouse
from provdata.warehouse.db import Warehouse
from tests.conftest import PASSWORD, figure_in, wide_population_xlsx

POP = "population_registered"
#: A real shipped row the old release lacked and the new release carries (BOI, Ang Thong, 2022: 98 projects).
NEW_ROW = {"province_code": "14", "year": "2022", "indicator_id": "boi_applications_projects", "value": "98",
           "source_id": "boi_applications_econvis"}  # fmt: skip


def tree_digest(folder) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


def rewrite(path, change) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
        fields = list(rows[0])
    rows = change(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def value(env, indicator: str, code: str, year: int):
    return figure_in(env.warehouse, indicator, code, year)


def issue_title(env, code: str, issue: str) -> set[str]:
    chain = queries.chain(Warehouse(env.warehouse), code)
    return set(chain.loc[chain.issue_id == issue, "issue_en"])


@pytest.mark.slow
def test_an_upgrade_keeps_edits_and_publications_and_shows_the_new_release(state_backend, exchange_env):
    env = exchange_env
    inputs_dir = env.base / "inputs"
    seed = inputs_dir / "seed" / "observations.csv"
    key = ("14", "2022", "boi_applications_projects")
    # the old release: without the row the new release adds
    rewrite(seed, lambda rows: [r for r in rows if (r["province_code"], r["year"], r["indicator_id"]) != key])
    build_warehouse(env.warehouse, env.inputs, log=lambda _m: None)
    assert value(env, "boi_applications_projects", "14", 2022) is None

    # the deployment's own work: a chain edit, plan progress and a publication
    accounts.add("uthai-planner", PASSWORD, role="planner", provinces=["60", "61"])
    planner = accounts.verify("uthai-planner", PASSWORD)
    shipped = tree_digest(inputs_dir)
    frames = chain_edits.province_frames(env.inputs.strategy_dir, "61")
    frames["issues"].loc[frames["issues"].issue_id == "agri", "title_en"] = "Uthai Thani's own rice plan"
    chain_edits.save_province("61", frames, planner, env.inputs.strategy_dir, env.inputs, env.warehouse)
    progress = pd.DataFrame({"link": ["Annual mean PM2.5 concentration"], "status": ["in_progress"],
                             "note": ["PCD station data requested"]})  # fmt: skip
    chain_edits.save_plan_status("60", progress, planner, env.inputs.strategy_dir, env.inputs, env.warehouse)
    steward = accounts.verify("dopa-steward", PASSWORD)
    data = wide_population_xlsx(env.held_back)
    preview = publish.check(data, "pop.xlsx", Options(indicator=POP), Warehouse(env.warehouse), steward)
    published = publish.publish(preview.to_publish(False), data, "pop.xlsx", steward, rows_in=4,
                                 rows_rejected=0, license="test licence", target=env.warehouse,
                                 inputs=env.inputs)  # fmt: skip
    assert tree_digest(inputs_dir) == shipped  # nothing written into the checkout

    # the new release: a new EXAMPLE chain title for provinces 60 and 61, and the added seed row
    def new_chain(rows):
        for r in rows:
            if r["province_code"] in ("60", "61") and r["issue_id"] == "agri":
                r["title_en"] = "Rice value chain (example of the new release)"
        return rows

    rewrite(inputs_dir / "strategy" / "issues.csv", new_chain)
    rewrite(seed, lambda rows: [*rows, NEW_ROW])
    released = tree_digest(inputs_dir)
    assert released != shipped

    result = build_warehouse(env.warehouse, env.inputs, log=lambda _m: None)
    assert result.counts["active publication"] == 1
    assert issue_title(env, "61", "agri") == {"Uthai Thani's own rice plan"}  # the planner's edit kept
    assert issue_title(env, "60", "agri") == {
        "Rice value chain (example of the new release)"
    }  # release shown
    status = queries.plan_status(Warehouse(env.warehouse), "60")
    assert status[["link", "status", "note"]].values.tolist() == [
        ["Annual mean PM2.5 concentration", "in_progress", "PCD station data requested"]
    ]
    assert value(env, "boi_applications_projects", "14", 2022) == (98.0, 1)  # the release's new figure
    for (code, year), figure in env.held_back.items():  # the steward's publication still served
        assert value(env, POP, code, year) == (figure, published.load_id)
    assert tree_digest(inputs_dir) == released  # the rebuild wrote nothing into the checkout either
