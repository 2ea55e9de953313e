"""The province's official statistics chart (ผังสถิติทางการ): chain + computed readiness, the issues'
decision-readiness, the development plan drawn from the gaps, and the chart as a Graphviz graph."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from provdata.basics import config
from provdata.basics.i18n import fmt_year, t
from provdata.strategy.readiness import assess, decision_ready

GRADE_COLOURS = {"A": "#1a9850", "B": "#f4a742", "C": "#d73027"}


def chain_indicators(chain: pd.DataFrame) -> list[str]:
    """The indicators a chain names (links without one left out), sorted."""
    return sorted({i for i in chain.indicator_id.dropna()})


def chain_labels(chain: pd.DataFrame, lang: str) -> dict[str, str]:
    """Indicator id → its name in the chain, in ``lang``."""
    return dict(zip(chain.indicator_id, chain[f"indicator_{lang}"], strict=False))


def with_readiness(chain: pd.DataFrame, years: pd.DataFrame, code: str, reference_year: int) -> pd.DataFrame:
    """Each link of the chain with its readiness in this province (needed-but-missing links are C)."""
    mine = years[years.area_code == code].groupby("indicator_id")["year"].apply(list).to_dict()
    rows = []
    for _, link in chain.iterrows():
        r = assess(mine.get(link.indicator_id, []) if pd.notna(link.indicator_id) else [], reference_year)
        rows.append(
            {
                **link.to_dict(),
                "grade": r.grade,
                "latest": r.latest,
                "first": r.years[0] if r.years else None,
                "run": r.run,
                "gaps": ",".join(map(str, r.gaps)),
                "reasons": ",".join(r.reasons),
                "missing_dataset": pd.isna(link.indicator_id),
            }
        )
    return pd.DataFrame(rows)


def issues(chained: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per issue: its key indicators' grades and whether it is decision-ready."""
    out = []
    for issue_id, g in chained.groupby("issue_id", sort=False):
        key = g[g.role == "key"]
        grades = key.grade.tolist()
        out.append(
            {
                "issue_id": issue_id,
                "title": g[f"issue_{lang}"].iloc[0],
                "value_chain": g[f"value_chain_{lang}"].iloc[0] or "",
                "n_key": len(grades),
                "n_key_a": grades.count("A"),
                "decision_ready": decision_ready(grades),
                "example": bool(g.example.iloc[0]),
            }
        )
    return pd.DataFrame(out)


def reason_text(row: pd.Series, lang: str, era: str, reference_year: int) -> str:
    """Why a cell is B or C, in words."""
    if row.grade == "C":
        key = "chart.why_missing_dataset" if row.missing_dataset else "chart.why_none"
        return t(key, lang)
    parts = []
    reasons = row.reasons.split(",") if row.reasons else []
    if "short" in reasons:
        parts.append(t("chart.why_short", lang, run=row.run, need=config.READY_MIN_CONSECUTIVE_YEARS))
    if "stale" in reasons:
        parts.append(
            t("chart.why_stale", lang, latest=fmt_year(row.latest, era),
              oldest=fmt_year(reference_year - config.READY_MAX_AGE_YEARS, era))
        )  # fmt: skip
    if "gaps" in reasons:
        parts.append(
            t("chart.why_gaps", lang, years=", ".join(fmt_year(int(y), era) for y in row.gaps.split(",")))
        )
    return "; ".join(parts) if parts else t("chart.why_ready", lang)


def development_plan(
    chained: pd.DataFrame, lang: str, era: str, reference_year: int, statuses: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every B or C cell of a key indicator becomes a plan line: what to do, which agency, priority, by when,
    and the progress planners marked (``statuses``: ``link``, ``status``, ``note``)."""
    gaps = chained[(chained.role == "key") & (chained.grade != "A")]
    marked = {} if statuses is None else {r.link: (r.status, r.note) for r in statuses.itertuples()}
    rows = []
    for _, r in gaps.iterrows():
        link = r.indicator_id if pd.notna(r.indicator_id) else r.indicator_en
        status, note = marked.get(link, ("open", ""))
        high = r.grade == "C"
        action = t("chart.action_collect" if high else "chart.action_fix", lang, dataset=r[f"dataset_{lang}"])
        rows.append(
            {
                t("chart.col_issue", lang): r[f"issue_{lang}"],
                t("chart.col_indicator", lang): r[f"indicator_{lang}"],
                t("chart.col_grade", lang): r.grade,
                t("chart.col_why", lang): reason_text(r, lang, era, reference_year),
                t("chart.col_action", lang): action,
                t("chart.col_agency", lang): r[f"agency_{lang}"],
                t("chart.col_priority", lang): t(
                    "chart.priority_high" if high else "chart.priority_medium", lang
                ),
                t("chart.col_target_year", lang): fmt_year(reference_year + (1 if high else 2), era),
                t("chart.col_status", lang): t(f"chart.status_{status}", lang),
                t("chart.col_progress_note", lang): note or "",
                t("chart.col_link", lang): link,
            }
        )
    return pd.DataFrame(rows)


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


def why_line(
    chain: pd.DataFrame, years: pd.DataFrame, code: str, indicator_id: str, names: dict[str, str],
    labels: dict[str, str], reference_year: int, lang: str, era: str,
) -> str:  # fmt: skip
    """Why ``indicator_id`` of the chain has its grade in province ``code``: the grade, the reason and the years
    published."""
    cell = with_readiness(
        chain[chain.indicator_id == indicator_id].head(1), years, code, reference_year
    ).iloc[0]
    present = sorted(years[(years.area_code == code) & (years.indicator_id == indicator_id)].year)
    return t(
        "chart.why_line", lang, indicator=labels.get(indicator_id, indicator_id), province=names[code],
        grade=cell.grade, why=reason_text(cell, lang, era, reference_year),
        years=", ".join(fmt_year(y, era) for y in present) or "–",
    )  # fmt: skip


def readiness_grid(matrix: pd.DataFrame, names: dict[str, str], labels: dict[str, str]) -> pd.DataFrame:
    """Provinces × indicators of grades (A/B/C), for display."""
    wide = matrix.pivot(index="area_code", columns="indicator_id", values="grade")
    wide.index = [names[c] for c in wide.index]
    return wide.rename(columns=labels)


def series_by_key(series: pd.DataFrame) -> dict[tuple[str, str], list[tuple[int, float]]]:
    """``{(area_code, indicator_id): [(year, value), …]}``: one pass over the series for many lookups."""
    out: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for area, indicator, year, value in zip(
        series.area_code, series.indicator_id, series.year, series.value, strict=True
    ):  # a plain loop: a groupby made a frame per group (70 ms for one province's 69 indicators)
        out.setdefault((area, indicator), []).append((year, value))
    return out


def target_progress(chain: pd.DataFrame, series: pd.DataFrame, code: str, by_key: dict | None = None) -> dict:
    """``{indicator_id: (link row, Progress)}`` for every link of the chain that carries a target.

    ``by_key``: :func:`series_by_key` of ``series``, when the caller looks up many provinces.
    """
    from provdata.strategy.targets import progress

    out = {}
    targeted = chain[chain.target_value.notna()]
    if targeted.empty:
        return out
    if by_key is None:
        by_key = series_by_key(series[series.area_code == code])
    for _, r in targeted.iterrows():
        out[r.indicator_id] = (
            r,
            progress(
                by_key.get((code, r.indicator_id), []), r.target_value, int(r.target_year), r.target_direction
            ),
        )
    return out


def target_text(r: pd.Series, status: str, lang: str, era: str) -> str:
    """e.g. "Target ≥ 130,000 by 2022: off track"."""
    from provdata.basics.i18n import fmt_value

    goal = t(
        f"chart.target_{r.target_direction}",
        lang,
        value=fmt_value(r.target_value),
        year=fmt_year(int(r.target_year), era),
    )
    return f"{t('chart.col_target', lang)} {goal}: {t(f'chart.status_{status}', lang)}"


def target_table(chained: pd.DataFrame, series: pd.DataFrame, code: str, lang: str, era: str) -> pd.DataFrame:
    """Progress of every link with a target: target, latest figure, trend, projection and status."""
    from provdata.basics.i18n import fmt_value

    rows = []
    for r, p in target_progress(chained, series, code).values():
        rows.append(
            {
                t("chart.col_indicator", lang): r[f"indicator_{lang}"],
                t("chart.col_target", lang): t(
                    f"chart.target_{r.target_direction}", lang, value=fmt_value(r.target_value),
                    year=fmt_year(int(r.target_year), era),
                ),
                t("chart.col_latest", lang): "–" if p.latest is None
                else f"{fmt_value(p.latest)} ({fmt_year(p.latest_year, era)})",
                t("chart.col_trend", lang): "–" if p.slope is None else f"{p.slope:+,.4g}",
                t("chart.col_projected", lang): "–" if p.projected is None else fmt_value(p.projected),
                t("chart.col_status", lang): t(f"chart.status_{p.status}", lang),
                t("chart.col_note", lang): r[f"target_note_{lang}"] or "",
            }
        )  # fmt: skip
    return pd.DataFrame(rows)


def readiness_counts(
    chains: dict[str, pd.DataFrame], years: pd.DataFrame, reference_year: int
) -> pd.DataFrame:
    """Per province: its key links graded A/B/C, needed-but-missing links, and decision-ready issues.

    ``chains``: province code → its chain (queries.chain); ``years``: area_code, indicator_id, year.
    """
    rows = []
    for code, chain in chains.items():
        chained = with_readiness(chain, years, code, reference_year)
        key = chained[chained.role == "key"]
        ready = issues(chained, "en") if len(chained) else pd.DataFrame(columns=["decision_ready"])
        rows.append(
            {
                "province_code": code,
                "key_a": int((key.grade == "A").sum()),
                "key_b": int((key.grade == "B").sum()),
                "key_c": int((key.grade == "C").sum()),
                "missing": int(chained.missing_dataset.sum()),
                "issues_ready": int(ready.decision_ready.sum()),
                "issues": len(ready),
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class ChartView:
    """What the chart page shows of one province's chain, computed once per build, province and language."""

    chained: pd.DataFrame  # the chain with each link's readiness
    summary: pd.DataFrame | None  # one row per issue (None without a chain)
    plan: pd.DataFrame | None  # the development plan (None without a chain)
    targets: pd.DataFrame  # progress of the links with a target
    matrix: pd.DataFrame  # grades of every chain province × this chain's indicators


def chart_view(
    chain: pd.DataFrame,
    years: pd.DataFrame,
    series: pd.DataFrame,
    plan_status: pd.DataFrame,
    chain_codes: list[str],
    code: str,
    reference_year: int,
    lang: str,
    era: str,
) -> ChartView:
    from provdata.strategy import readiness

    indicator_ids = chain_indicators(chain)
    matrix = readiness.matrix(years, chain_codes, indicator_ids, reference_year)
    if chain.empty:
        return ChartView(chain, None, None, pd.DataFrame(), matrix)
    chained = with_readiness(chain, years, code, reference_year)
    return ChartView(
        chained,
        issues(chained, lang),
        development_plan(chained, lang, era, reference_year, plan_status),
        target_table(chained, series, code, lang, era),
        matrix,
    )
