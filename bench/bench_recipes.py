"""Recipes: warehouse build time without the agencies' raw files (data/seed only, as before recipes) and with
every recipe of data/recipes/, and the seconds each recipe takes (read → layout → validate of its files)."""

from __future__ import annotations

import csv
import shutil
import statistics
import tempfile
import time
import tomllib
from pathlib import Path

from provdata.basics import config
from provdata.warehouse.build import Inputs, build_warehouse

ROUNDS = 3


def _strategy_without_recipe_links(dest: Path) -> Path:
    """The shipped chains minus the links to indicators that only the recipes declare (the build before them)."""
    declared = {
        i["id"]
        for p in config.input_dir("recipes").glob("*.toml")
        for i in tomllib.loads(p.read_text(encoding="utf-8")).get("indicator", [])
    }
    shutil.copytree(config.input_dir("strategy"), dest)
    with (dest / "links.csv").open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, [r for r in reader if r["indicator_id"] not in declared]
    with (dest / "links.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return dest


def bench(report) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        target = base / "bench.duckdb"
        state = dict(uploads_dir=base / "uploads", added_indicators=base / "added.csv")
        without = Inputs(recipes_dir=base / "no-recipes", inbox_dir=base / "no-inbox",
                         strategy_dir=_strategy_without_recipe_links(base / "strategy"), **state)  # fmt: skip
        with_recipes = Inputs(**state)
        seconds: dict[str, list[float]] = {}

        def log(msg: str) -> None:  # "  recipe NAME.toml: N figures kept in S s" (provdata.warehouse.build)
            msg = msg.strip()
            if msg.startswith("recipe ") and msg.endswith(" s"):
                name = msg.split()[1].rstrip(":")
                seconds.setdefault(name, []).append(float(msg.rsplit(" in ", 1)[1].split()[0]))

        for label, inputs in (
            ("seed only (no recipes, their chain links left out)", without),
            ("seed + every recipe", with_recipes),
        ):
            times, counts = [], {}
            for _ in range(ROUNDS):
                t0 = time.perf_counter()
                counts = build_warehouse(target, inputs, log=log).counts
                times.append(time.perf_counter() - t0)
            n = counts.get("seed observation", 0) + counts.get("recipe observation", 0)
            report("recipes", f"warehouse build, {label} (median of {ROUNDS})",
                   f"{statistics.median(times):.2f} s, {n:,} figures")  # fmt: skip
        for name, secs in sorted(seconds.items()):
            report("recipes", f"recipe {name} (median of {ROUNDS})", f"{statistics.median(secs):.2f} s")
