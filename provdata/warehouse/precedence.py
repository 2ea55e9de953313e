"""One figure per indicator × area × year where several copies give it: :func:`resolve` keeps the first copy in
the indicator's precedence (its ``source_ids`` in order: a recipe's ``precedence``, or the ``source_id`` list of
data/seed/indicators.csv for a shipped indicator that a recipe extends) and lists every other copy whose figure
differs. The shipped seed figures take part as copies too, so a recipe that extends a seed series (DOPA's
registered population to 2024) never hides a seed figure that disagrees with it.
"""

from __future__ import annotations

import pandas as pd

REPORT_COLUMNS = ["outcome", "indicator_id", "area_code", "year", "source_id", "value", "kept_source_id",
                  "kept_value", "reason", "recipe", "file", "sheet", "row", "column"]  # fmt: skip
#: What ``recipe`` says for a seed figure (data/seed/*.csv; ``file`` names the file).
SEED = "(seed)"
COLUMNS = ["indicator_id", "area_code", "year", "value", "source_id", "load_id", "recipe", "file", "sheet", "row",
           "column"]  # fmt: skip


def precedence_of(indicators: pd.DataFrame) -> dict[str, list[str]]:
    """Each indicator's copies in order of precedence (its ``source_ids``)."""
    return {iid: [s for s in str(ids or "").split(";") if s]
            for iid, ids in zip(indicators["id"], indicators["source_ids"], strict=True)}  # fmt: skip


def resolve(
    frames: list[pd.DataFrame], precedence: dict[str, list[str]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One figure per indicator × area × year: the first copy in the indicator's precedence that has it.

    The figures of the other copies are never averaged or mixed in; where they differ from the kept one they
    are listed (outcome ``conflict``, or ``rounding`` when the two differ by at most one unit).
    """
    cols = COLUMNS
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
