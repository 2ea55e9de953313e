"""Statistics chart (ผังสถิติทางการ): issue → CSF → indicator → dataset → agency, coloured by computed
readiness; the readiness matrix with the reason for each grade; the development plan from the gaps."""

import streamlit as st

from provdata.basics import config
from provdata.basics.i18n import fmt_year, t
from provdata.exchange import chain_edits
from provdata.strategy import statchart
from provdata.ui import auth, cached, frame, markup
from provdata.ui.widgets import chain_editor, choice, download_button, downloads, plan_editor, province_picker
from provdata.views import figures
from provdata.views.exports import About

lang, era, build = frame.start()
st.title(t("chart.title", lang))
st.caption(t("chart.intro", lang))

# Selection
provinces = cached.provinces(build)
names = figures.area_names(provinces, lang)
code = province_picker(provinces, key="province")

# Data
account = auth.signed_in()
may_edit = account is not None and account.may_edit_chain(code)
reference = cached.reference_year(build)
chain = cached.chain(build, code)
chain_codes = cached.chain_provinces(build)
indicator_ids = statchart.chain_indicators(chain)
view = cached.chart_view(build, code, lang, era)
summary, plan = view.summary, view.plan
labels = statchart.chain_labels(chain, lang)

# Display
st.caption(
    t("chart.rule", lang, years=config.READY_MIN_CONSECUTIVE_YEARS,
      oldest=fmt_year(reference - config.READY_MAX_AGE_YEARS, era), age=config.READY_MAX_AGE_YEARS,
      reference=fmt_year(reference, era), min_a=config.DECISION_READY_MIN_KEY_A)
)  # fmt: skip
if chain.empty:
    st.info(t("chart.no_chain", lang, province=names[code]))
    st.stop()
shown = cached.chart_shown(build, code, lang, era)
if summary.example.any():
    st.warning(t("chart.example", lang, province=names[code]))
for _, issue in summary.iterrows():
    ready = t("chart.decision_ready" if issue.decision_ready else "chart.not_ready", lang)
    badge = ":green-badge" if issue.decision_ready else ":orange-badge"
    chain_note = f" — {markup.literal(issue.value_chain)}" if issue.value_chain else ""
    st.markdown(
        f"**{markup.literal(issue.title)}** {badge}[{t('chart.issue_summary', lang, ready=ready, a=issue.n_key_a, n=issue.n_key)}]"
        f"{chain_note}"
    )
st.header(t("chart.graph_title", lang))
st.graphviz_chart(shown["dot"])
st.caption(t("chart.legend", lang))

targets = view.targets
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
        title=f"{t('chart.plan_title', lang)} — {names[code]}",
        filters={t("chart.why_province", lang): code},
        sources=[t("chart.rule", lang, years=config.READY_MIN_CONSECUTIVE_YEARS,
                   oldest=fmt_year(reference - config.READY_MAX_AGE_YEARS, era), age=config.READY_MAX_AGE_YEARS,
                   reference=fmt_year(reference, era), min_a=config.DECISION_READY_MIN_KEY_A)],
        build_id=build,
        notes=[t("chart.example", lang, province=names[code])] if summary.example.any() else [],
    )  # fmt: skip
    downloads(plan, about, f"provdata-plan-{code}", key="plan_dl")
    download_button(
        st,
        t("chart.download_pdf", lang),
        data=lambda: cached.plan_pdf(build, code, lang, era),
        file_name=f"provdata-plan-{code}-{lang}.pdf",
        mime="application/pdf",
        key="plan_pdf",
    )

with st.expander(t("chart.edit_title", lang), expanded=may_edit):
    account = auth.login_box("auth.chart_sign_in")
    if account is not None and account.may_edit_chain(code):
        chain_editor(
            code, chain_edits.province_frames(config.STRATEGY_DIR, code), key="chain", account=account
        )
    elif account is not None:
        st.info(t("auth.chart_not_yours", lang, province=code))

st.header(t("chart.matrix_title", lang))
st.caption(t("chart.matrix_intro", lang))
st.dataframe(shown["grid"], key="readiness_matrix")
left, right = st.columns(2)
with left:
    why_code = choice(t("chart.why_province", lang), chain_codes, "why_province", code, lambda c: names[c])
with right:
    why_ind = choice(t("chart.why_indicator", lang), indicator_ids, "why_indicator", indicator_ids[0],
                     lambda i: labels.get(i, i))  # fmt: skip
st.info(cached.readiness_why(build, code, why_code, why_ind, lang, era))
