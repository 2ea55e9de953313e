"""A recipe's ``sum_months`` (a year = the sum of its 12 months) refuses a rate, and a recipe extending a seed series
(data/seed/indicators.csv) must be named in that series' sources, the first source winning where both give a year.
The real file: tests/warehouse/test_recipes_tourism.py."""

from __future__ import annotations

import pandas as pd

from provdata.ingest import ProvinceNames
from provdata.warehouse.build import Problems
from provdata.warehouse.precedence import SEED, precedence_of, resolve
from provdata.warehouse.recipes import produce, read_recipe
from tests.ingest.test_months import monthly_csv, year_of

NAMES = ProvinceNames()


def test_a_recipe_refuses_to_sum_a_rate(tmp_path):
    folder = tmp_path / "inbox" / "src"
    folder.mkdir(parents=True)
    (folder / "m.csv").write_bytes(monthly_csv(year_of("Phuket", 2021)))
    recipe_path = tmp_path / "src.toml"
    recipe_path.write_text(
        '[source]\nid = "src"\nagency = "mots"\ntitle_en = "t"\ntitle_th = "t"\nupstream = "u"\nlicense = "none stated"\n'
        '[[file]]\npath = "m.csv"\nsha256 = "x"\nsum_months = "month"\n'
        'map = ["visitors=hotel_occupancy_rate_pct", "receipts=skip"]\n',
        encoding="utf-8",
    )
    problems = Problems()
    recipe = read_recipe(recipe_path, problems)
    indicators = pd.DataFrame({"id": ["hotel_occupancy_rate_pct"], "kind": ["rate"], "agency_id": ["mots"]})
    rows, _, load = produce(recipe, recipe.files[0], tmp_path / "inbox", NAMES, indicators, {"83"}, problems)
    assert rows.empty and load == {}
    assert [p.split(": ", 1)[1] for p in problems.items] == [
        "recipe src.toml: file src/m.csv: hotel_occupancy_rate_pct is a rate, not a count or an amount: it cannot "
        "be summed over months (map its column to skip)"
    ]


def test_where_a_recipe_extends_a_seed_series_the_first_source_wins_and_the_other_copy_is_listed():
    # the seed's figure is a copy like any other (precedence.SEED); the seed indicator's source_ids give the order
    # (a recipe the order does not name stops the build: test_recipes_dopa)
    cols = ["indicator_id", "area_code", "year", "value", "source_id", "load_id", "recipe", "file", "sheet", "row",
            "column"]  # fmt: skip
    seed = pd.DataFrame([["v", "10", 2022, 2.7347, "seed_src", 1, SEED, "observations.csv", None, None, None]],
                        columns=cols)  # fmt: skip
    kept = pd.DataFrame(
        [["v", "10", 2022, 2.72, "rec", 3, "rec.toml", "f.csv", "f.csv", 2, "B"],
         ["v", "10", 2023, 5.0, "rec", 3, "rec.toml", "f.csv", "f.csv", 14, "B"]],
        columns=cols,
    )  # fmt: skip
    indicators = pd.DataFrame({"id": ["v"], "source_ids": ["seed_src;rec"]})
    out, report = resolve([seed, kept], precedence_of(indicators))
    assert out[["year", "value", "source_id"]].values.tolist() == [
        [2022, 2.7347, "seed_src"],
        [2023, 5.0, "rec"],
    ]
    assert report[
        ["outcome", "source_id", "value", "kept_source_id", "kept_value", "row"]
    ].values.tolist() == [["rounding", "rec", 2.72, "seed_src", 2.7347, 2]]
