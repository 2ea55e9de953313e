"""One figure per indicator × province × year where several copies give it: :func:`resolve` keeps the first copy
in the indicator's precedence, never averaging or mixing the others in, and lists where they differ;
:func:`with_seed` does the same between the shipped seed figures (data/seed/observations.csv) and the recipes
that extend a seed series, the order being the seed indicator's ``source_id`` (``seed_source;recipe_id``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

REPORT_COLUMNS = ["outcome", "indicator_id", "area_code", "year", "source_id", "value", "kept_source_id",
                  "kept_value", "reason", "recipe", "file", "sheet", "row", "column"]  # fmt: skip
#: A seed figure's place in the recipe report's columns (recipe, file) when a recipe's copy outranks it.
SEED = ("(seed)", "data/seed/observations.csv")


def resolve(
    frames: list[pd.DataFrame], precedence: dict[str, list[str]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One figure per indicator × province × year: the first copy in the indicator's precedence that has it.

    The figures of the other copies are never averaged or mixed in; where they differ from the kept one they
    are listed (outcome ``conflict``, or ``rounding`` when the two differ by at most one unit).
    """
    cols = ["indicator_id", "area_code", "year", "value", "source_id", "load_id", "recipe", "file", "sheet",
            "row", "column"]  # fmt: skip
    if not frames:
        return pd.DataFrame(columns=cols), pd.DataFrame(columns=REPORT_COLUMNS)
    allrows = pd.concat(frames, ignore_index=True)
    rank = {(iid, src): i for iid, order in precedence.items() for i, src in enumerate(order)}
    allrows["rank"] = [
        rank.get((i, s), 99) for i, s in zip(allrows.indicator_id, allrows.source_id, strict=True)
    ]
    allrows = allrows.sort_values(["indicator_id", "area_code", "year", "rank"], kind="stable")
    key = ["indicator_id", "area_code", "year"]
    first = ~allrows.duplicated(key, keep="first")
    kept = allrows[first]
    others = allrows[~first].merge(
        kept[[*key, "value", "source_id"]].rename(
            columns={"value": "kept_value", "source_id": "kept_source_id"}
        ),
        on=key,
    )
    differ = others[others.value != others.kept_value].copy()
    small = (differ.value - differ.kept_value).abs() <= 1
    differ["outcome"] = ["rounding" if s else "conflict" for s in small]
    differ["reason"] = [
        f"{src} has {v:.15g}; {ks} (first in the precedence) has {kv:.15g}: {ks} kept"
        for src, v, ks, kv in zip(differ.source_id, differ.value, differ.kept_source_id, differ.kept_value,
                                  strict=True)
    ]  # fmt: skip
    return kept[cols].reset_index(drop=True), differ[REPORT_COLUMNS].reset_index(drop=True)


def with_seed(
    seed: pd.DataFrame, kept: pd.DataFrame, indicators: pd.DataFrame, where: Path, problems
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Seed figures and recipe figures of one indicator (a recipe extending a seed series): one per key, the
    first source in the indicator's ``source_ids`` that has it. Returns the seed rows kept, the recipe rows kept
    and the report of the copies not kept whose figure differs (``rounding`` / ``conflict``).

    A recipe giving figures of an indicator whose sources do not name it is a problem: the order is stated, never
    guessed."""
    order = {i: str(s).split(";") for i, s in zip(indicators.id, indicators.source_ids, strict=True)}
    strays = kept[[s not in order.get(i, []) for i, s in zip(kept.indicator_id, kept.source_id, strict=True)]]
    for (iid, src), _ in strays.groupby(["indicator_id", "source_id"]):
        problems.add(where, None, iid, f"recipe source {src!r} gives figures of {iid!r}, whose sources "
                     f"({';'.join(order.get(iid, []))}) do not name it: add it to the indicator's source_id in "
                     "data/seed/indicators.csv, in precedence order")  # fmt: skip
    shared = set(seed.indicator_id) & set(kept.indicator_id)
    if not shared:
        return seed, kept, pd.DataFrame(columns=REPORT_COLUMNS)
    mine = seed.indicator_id.isin(shared)
    theirs = kept.indicator_id.isin(shared)
    both, differ = resolve(
        [seed[mine].assign(recipe=SEED[0], file=SEED[1], sheet=None, row=None, column=None), kept[theirs]],
        {i: order[i] for i in shared},
    )
    from_seed = both.recipe == SEED[0]
    seed_out = pd.concat([seed[~mine], both[from_seed][seed.columns]], ignore_index=True)
    kept_out = pd.concat([kept[~theirs], both[~from_seed][kept.columns]], ignore_index=True)
    return seed_out, kept_out, differ
