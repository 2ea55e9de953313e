"""The official statistics chart as graphs (Graphviz DOT), one per strategic issue: success factor → indicator →
dataset and its agency, each indicator coloured by its readiness grade.

One graph per issue, not one for the whole chain: the whole chain of a pilot (21 links) drawn in a 900-pixel
column shrank its text to 4–6 px (issue #24). An issue's graph has three columns (its title is the heading
above it, the agency shares the dataset's box) and text of 14 pt, which the page draws at natural size: ≥ 12 px.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fontpkg_sarabun
import pandas as pd

from provdata.basics.i18n import fmt_date, fmt_year, t
from provdata.strategy.statchart import GRADE_COLOURS

#: the graph's text size (pt: drawn at natural size, 1 pt = 1.33 CSS px) and a box's padding around its label
FONT_SIZE, PAD_X, PAD_Y = 14, 10, 6
#: a label longer than this is broken at its space nearest the middle (Thai names without spaces stay whole)
WRAP = 26


def _q(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _wrap(text: str) -> str:
    text = str(text)
    spaces = [i for i, c in enumerate(text) if c == " "]
    if len(text) <= WRAP or not spaces:
        return text
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return f"{text[:cut]}\n{text[cut + 1 :]}"


@cache
def _font():
    from PIL import ImageFont

    return ImageFont.truetype(
        str(Path(fontpkg_sarabun.__file__).parent / "files" / "Sarabun-Regular.ttf"), FONT_SIZE
    )


def _size(label: str) -> dict[str, str]:
    """A box's width and height (inches) for ``label`` in Sarabun, measured: Graphviz in the browser has no font
    metrics and guessed Thai text three times too wide, which made the whole graph shrink."""
    lines = label.split("\n")
    width = max(_font().getlength(line) for line in lines) + 2 * PAD_X
    height = len(lines) * FONT_SIZE * 1.3 + 2 * PAD_Y
    return {"fixedsize": "true", "width": f"{width / 72:.2f}", "height": f"{height / 72:.2f}"}


def by_issue(chained: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The chain's rows per issue, in the chain's order: [(issue id, its rows)]."""
    order = list(dict.fromkeys(chained.issue_id))
    return [(issue, chained[chained.issue_id == issue]) for issue in order]


def indicator_line(r, lang: str, era: str) -> str:
    """An indicator's grade, role and latest year: "B · key · 2558"."""
    latest = f" · {fmt_year(r.latest, era)}" if pd.notna(r.latest) else ""
    return f"{r.grade} · {t(f'chart.role_{r.role}', lang)}{latest}"


def overdue_line(r, lang: str, era: str) -> str:
    """ "overdue from DOPA since 1 Feb 2026" under an indicator whose series the release calendar calls out of date."""
    if getattr(r, "fresh", None) != "out_of_date":
        return ""
    return "\n" + t(
        "chart.overdue_from", lang, agency=r[f"agency_{lang}"], since=fmt_date(r.overdue_since, lang, era)
    )


def dot(rows: pd.DataFrame, lang: str, era: str, marks: dict[str, str] | None = None) -> str:
    """One issue's rows as a Graphviz graph: CSF → indicator (coloured by readiness) → dataset · agency.

    ``marks``: indicator id → a line under the indicator (its flags and open actions: "⚑ 1 flag(s) · 1 open
    action(s)", from the follow-up register)."""
    marks = marks or {}
    lines = [
        "digraph chart {",
        "  rankdir=LR; splines=true; nodesep=0.2; ranksep=0.4;",
        f'  node [shape=box, style="rounded,filled", fontname="Sarabun", fontsize={FONT_SIZE}, fillcolor="#ffffff"];',
        '  edge [color="#999999"];',
    ]
    seen: set[str] = set()

    def node(name: str, label: str, **attrs: str) -> None:
        if name in seen:
            return
        seen.add(name)
        attrs = {**_size(label), **attrs}
        extra = "".join(f", {k}={_q(v)}" for k, v in attrs.items())
        lines.append(f"  {_q(name)} [label={_q(label)}{extra}];")

    edges: set[tuple[str, str]] = set()
    for _, r in rows.iterrows():
        csf = f"csf:{r.csf_id}"
        ind = f"ind:{r.csf_id}:{r.indicator_id or r.indicator_en}"
        data = f"data:{r[f'dataset_{lang}']}:{r.agency_id}"
        node(csf, _wrap(r[f"csf_{lang}"]), fillcolor="#eef3f8")
        mark = f"\n{marks[r.indicator_id]}" if marks.get(r.indicator_id) else ""
        node(ind, f"{_wrap(r[f'indicator_{lang}'])}\n{indicator_line(r, lang, era)}{overdue_line(r, lang, era)}{mark}",
             fillcolor=GRADE_COLOURS[r.grade], fontcolor="#ffffff" if r.grade != "B" else "#000000",
             penwidth="2.5" if r.role == "key" else "1")  # fmt: skip
        node(data, f"{_wrap(r[f'dataset_{lang}'])}\n{r[f'agency_{lang}']}", shape="note", fillcolor="#f7f7f7")
        for a, b in ((csf, ind), (ind, data)):
            if (a, b) not in edges:
                edges.add((a, b))
                lines.append(f"  {_q(a)} -> {_q(b)};")
    lines.append("}")
    return "\n".join(lines)
