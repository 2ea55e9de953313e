"""The official statistics chart as a graph (Graphviz DOT): issue → success factor → indicator → dataset → agency,
each indicator coloured by its readiness grade."""

from __future__ import annotations

import pandas as pd

from provdata.basics.i18n import fmt_date, fmt_year, t
from provdata.strategy.statchart import GRADE_COLOURS


def _q(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot(chained: pd.DataFrame, lang: str, era: str) -> str:
    """The chain as a Graphviz graph: issue → CSF → indicator (coloured by readiness) → dataset → agency."""
    lines = [
        "digraph chart {",
        "  rankdir=LR; splines=true; nodesep=0.25; ranksep=0.5;",
        '  node [shape=box, style="rounded,filled", fontname="Sarabun", fontsize=11, fillcolor="#ffffff"];',
        '  edge [color="#999999"];',
    ]
    seen: set[str] = set()

    def node(name: str, label: str, **attrs: str) -> None:
        if name in seen:
            return
        seen.add(name)
        extra = "".join(f", {k}={_q(v)}" for k, v in attrs.items())
        lines.append(f"  {_q(name)} [label={_q(label)}{extra}];")

    edges: set[tuple[str, str]] = set()
    for _, r in chained.iterrows():
        issue = f"issue:{r.issue_id}"
        csf = f"csf:{r.csf_id}"
        ind = f"ind:{r.csf_id}:{r.indicator_id or r.indicator_en}"
        data = f"data:{r[f'dataset_{lang}']}"
        agency = f"agency:{r.agency_id}"
        node(issue, r[f"issue_{lang}"], fillcolor="#dbe9f6", fontsize="13")
        node(csf, r[f"csf_{lang}"], fillcolor="#eef3f8")
        latest = f" · {fmt_year(r.latest, era)}" if pd.notna(r.latest) else ""
        role = t(f"chart.role_{r.role}", lang)
        if r.fresh == "out_of_date":  # "overdue from DOPA since 1 Feb 2022" under the indicator
            latest += "\n" + t("chart.overdue_from", lang, agency=r[f"agency_{lang}"],
                                since=fmt_date(r.overdue_since, lang, era))  # fmt: skip
        node(ind, f"{r[f'indicator_{lang}']}\n{r.grade} · {role}{latest}", fillcolor=GRADE_COLOURS[r.grade],
             fontcolor="#ffffff" if r.grade != "B" else "#000000",
             penwidth="2.5" if r.role == "key" else "1")  # fmt: skip
        node(data, r[f"dataset_{lang}"], shape="note", fillcolor="#f7f7f7")
        node(agency, r[f"agency_{lang}"], shape="ellipse", fillcolor="#fffbe6")
        for a, b in ((issue, csf), (csf, ind), (ind, data), (data, agency)):
            if (a, b) not in edges:
                edges.add((a, b))
                lines.append(f"  {_q(a)} -> {_q(b)};")
    lines.append("}")
    return "\n".join(lines)
