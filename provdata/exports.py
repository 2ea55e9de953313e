"""The data behind a view, as files that carry their provenance.

Every download names what it is (title), how it was filtered, its sources with their agencies and
licences, the warehouse build and the date. CSV: ``# key: value`` lines above the table (read it with
``pandas.read_csv(path, comment="#")``); Excel: a ``data`` sheet and an ``about`` sheet.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class About:
    title: str
    filters: dict[str, str]
    sources: list[str]  # "title — agency (licence)"
    build_id: str
    notes: list[str] = field(default_factory=list)
    made_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0))

    def rows(self) -> list[tuple[str, str]]:
        out = [("title", self.title)]
        out += [(f"filter: {k}", v) for k, v in self.filters.items()]
        out += [("source", s) for s in self.sources]
        out += [("note", n) for n in self.notes]
        out += [
            ("warehouse build", self.build_id),
            ("exported at (UTC)", f"{self.made_at:%Y-%m-%d %H:%M}"),
            ("made with", "provdata — figures as published; derived columns are marked"),
        ]
        return out


def about_sources(sources: pd.DataFrame, source_ids: set[str], lang: str) -> list[str]:
    """One line per upstream source used: title — agency (licence)."""
    used = sources[sources.id.isin(source_ids)]
    return [
        f"{r[f'title_{lang}']} — {r[f'agency_short_{lang}']} ({r['license']}; {r['upstream']})"
        for _, r in used.sort_values("id").iterrows()
    ]


def to_csv(frame: pd.DataFrame, about: About) -> bytes:
    head = "".join(f"# {k}: {v}\n" for k, v in about.rows())
    return (head + frame.to_csv(index=False)).encode("utf-8-sig")


def to_excel(frame: pd.DataFrame, about: About) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        frame.to_excel(xl, sheet_name="data", index=False)
        pd.DataFrame(about.rows(), columns=["field", "value"]).to_excel(xl, sheet_name="about", index=False)
        for sheet in xl.sheets.values():
            for col in sheet.columns:
                width = max(len(str(c.value or "")) for c in col[:200])
                sheet.column_dimensions[col[0].column_letter].width = min(60, max(10, width + 2))
    return buf.getvalue()
