"""The statistics chart page's display: the readiness rule, the issues and their graph, the targets, the
development plan with its files (and its editor for the province's planners), the chain's editor, and the
readiness matrix with the reason for one grade."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from provdata.basics import config
from provdata.basics.i18n import fmt_date, t
from provdata.exchange import chain_edits
from provdata.strategy import graph, statchart
from provdata.ui import auth, cached, markup
from provdata.ui.editors import chain_editor, plan_editor
from provdata.ui.widgets import choice, download_button, downloads
from provdata.views.exports import About


def rule(calendar, lang: str, era: str) -> str:
    """The readiness rule, as of today (``calendar.today``)."""
    return statchart.rule_text(calendar, lang, era)


def issues(summary: pd.DataFrame, shown: dict, chained: pd.DataFrame, name: str, lang: str, era: str) -> None:
    """Each issue with its readiness and its part of the chain: a graph (success factor → indicator → dataset
    and agency) on a wide screen, the same as a list on a phone (provdata/ui/style.py shows one or the other;
    the list stays for screen readers)."""
    if summary.example.any():
        st.warning(t("chart.example", lang, province=name))
    st.header(t("chart.graph_title", lang))
    st.caption(t("chart.legend", lang))
    graphs, rows = dict(shown["graphs"]), dict(graph.by_issue(chained))
    for _, issue in summary.iterrows():
        ready = t("chart.decision_ready" if issue.decision_ready else "chart.not_ready", lang)
        badge = ":green-badge" if issue.decision_ready else ":orange-badge"
        chain_note = f" — {markup.literal(issue.value_chain)}" if issue.value_chain else ""
        st.subheader(markup.literal(issue.title))
        st.markdown(
            f"{badge}[{t('chart.issue_summary', lang, ready=ready, a=issue.n_key_a, n=issue.n_key)}]{chain_note}"
        )
        with st.container(key=f"chart_graph_{issue.issue_id}"):
            st.graphviz_chart(graphs[issue.issue_id])
        with st.container(key=f"chart_list_{issue.issue_id}"):
            st.markdown(outline(rows[issue.issue_id], lang, era))


def outline(rows: pd.DataFrame, lang: str, era: str) -> str:
    """One issue's part of the chain as a Markdown list: each success factor, its indicators with their grade,
    role and latest year, and the dataset and agency each comes from."""
    lines = []
    for _csf, group in rows.groupby("csf_id", sort=False):
        lines.append(f"- **{markup.literal(group.iloc[0][f'csf_{lang}'])}**")
        for _, r in group.iterrows():
            lines.append(
                f"  - {markup.literal(r[f'indicator_{lang}'])} — {markup.literal(graph.indicator_line(r, lang, era))}"
                f" — {markup.literal(r[f'dataset_{lang}'])} ({markup.literal(r[f'agency_{lang}'])})"
            )
    return "\n".join(lines)


def overdue(shown: dict, calendar, lang: str, era: str) -> None:
    """What the chart's agencies owe by the release calendar: one line per agency, oldest overdue first."""
    st.header(t("chart.overdue_title", lang))
    if not shown["overdue"]:
        st.caption(t("chart.overdue_none", lang, today=fmt_date(calendar.today, lang, era)))
    for line in shown["overdue"]:
        st.markdown(f"- {markup.literal(line)}")


def targets(targets: pd.DataFrame, shown: dict, lang: str) -> None:
    """The chain's targets and their progress, when it has any."""
    if not targets.empty:
        st.header(t("chart.target_title", lang))
        st.caption(
            t(
                "chart.target_rule",
                lang,
                years=config.TARGET_TREND_YEARS,
                share=round(config.TARGET_AT_RISK_SHARE * 100),
            )
        )
        st.dataframe(shown["targets"], hide_index=True, key="target_table")


def plan(
    plan: pd.DataFrame, shown: dict, summary: pd.DataFrame, code: str, name: str, calendar, may_edit: bool,
    account, build: str, lang: str, era: str,
) -> None:  # fmt: skip
    """The development plan from the gaps (editable by the province's planners), as files and as PDF."""
    st.header(t("chart.plan_title", lang))
    st.caption(t("chart.plan_intro", lang))
    if plan.empty:
        st.info(t("chart.plan_empty", lang))
    else:
        if may_edit:
            plan_editor(code, plan, account)
        else:
            st.dataframe(shown["plan"], hide_index=True, key="plan_table")
        about = About(
            title=f"{t('chart.plan_title', lang)} — {name}",
            filters={t("chart.why_province", lang): code},
            sources=[rule(calendar, lang, era)],
            build_id=build,
            notes=[t("chart.example", lang, province=name)] if summary.example.any() else [],
        )
        downloads(plan, about, f"provdata-plan-{code}", key="plan_dl")
        download_button(
            st,
            t("chart.download_pdf", lang),
            data=lambda: cached.plan_pdf(build, code, calendar.today.isoformat(), lang, era),
            file_name=f"provdata-plan-{code}-{lang}.pdf",
            mime="application/pdf",
            key="plan_pdf",
        )


def editor(code: str, may_edit: bool, lang: str) -> None:
    """The chain's editor, behind a sign-in, for the province's planners (open for them)."""
    with st.expander(t("chart.edit_title", lang), expanded=may_edit):
        account = auth.login_box("auth.chart_sign_in")
        if account is not None and account.may_edit_chain(code):
            chain_editor(
                code, chain_edits.province_frames(config.STRATEGY_DIR, code), key="chain", account=account
            )
        elif account is not None:
            st.info(t("auth.chart_not_yours", lang, province=code))


def matrix(
    shown: dict, chain_codes: list[str], indicator_ids: list[str], labels: dict, names: dict, code: str,
    day: str, build: str, lang: str, era: str,
) -> None:  # fmt: skip
    """The provinces × datasets readiness grid, and why one province's dataset has its grade."""
    st.header(t("chart.matrix_title", lang))
    st.caption(t("chart.matrix_intro", lang))
    st.dataframe(shown["grid"], key="readiness_matrix")
    left, right = st.columns(2)
    with left:
        why_code = choice(
            t("chart.why_province", lang), chain_codes, "why_province", code, lambda c: names[c]
        )
    with right:
        why_ind = choice(t("chart.why_indicator", lang), indicator_ids, "why_indicator", indicator_ids[0],
                         lambda i: labels.get(i, i))  # fmt: skip
    st.info(cached.readiness_why(build, code, why_code, why_ind, day, lang, era))
