"""District figures of a recipe file (``district_from_tambon``): the district sums the ingest path made of the
file's tambon rows (:func:`provdata.ingest.prepare_with_districts`), checked like an upload's rows
(:func:`provdata.ingest.validate.validate`, against the warehouse's districts), then checked against the file's
own province rows: for every province × year × indicator the districts must add up exactly to the province row.
Anything else stops the build, naming the recipe, the file, the province and both figures: a district figure
that does not add up to its province is never published.
"""

from __future__ import annotations

import pandas as pd

from provdata.ingest import Tidy
from provdata.ingest.validate import validate

COLUMNS = ["province_code", "year", "indicator_id", "value", "sheet", "row", "column"]


def district_rows(
    districts: Tidy,
    provinces: pd.DataFrame,
    indicators: pd.DataFrame,
    district_codes: set[str],
    where: tuple,
    label: str,
    problems,
) -> pd.DataFrame:
    """The district rows to load (``province_code`` holds the district code). ``provinces``: the file's province
    rows as validated; ``where``: (recipe path, file label) for the problems."""
    path, _ = where
    empty = pd.DataFrame(columns=COLUMNS)
    preview = validate(districts, indicators, pd.DataFrame(columns=["indicator_id", "area_code", "year", "value"]),
                       None, province_codes=district_codes, level="district")  # fmt: skip
    for _, r in preview.rejected.iterrows():
        problems.add(path, None, None, f"{label} (district figures), sheet {r['sheet']!r} row {r['row']}, column "
                     f"{r['column']}: {r['value']!r}: {r['reason']}")  # fmt: skip
    if len(preview.rejected):
        return empty
    rows = preview.accepted[COLUMNS]
    sums = (
        rows.assign(province=rows.province_code.str[:2])
        .groupby(["province", "year", "indicator_id"])["value"]
        .sum()
        .rename("districts")
    )
    own = provinces.set_index(["province_code", "year", "indicator_id"])[["value", "row"]]
    own.index = own.index.set_names(["province", "year", "indicator_id"])
    both = own.join(sums, how="outer")
    off = both[both.value.isna() | both.districts.isna() | (both.value != both.districts)]
    for (province, year, indicator), r in off.iterrows():
        if pd.isna(r.value):
            said = "the file has no province row"
        else:
            said = f"the province row (row {int(r.row)}) says {r.value:,.15g}"
        summed = "no district figures" if pd.isna(r.districts) else f"districts sum to {r.districts:,.15g}"
        problems.add(path, None, None, f"{label}: province {province} {year} {indicator}: {summed}, {said}: "
                     "the tambon rows do not add up to the province, so no district figure is loaded")  # fmt: skip
    return empty if len(off) else rows.reset_index(drop=True)
