"""The follow-up page's Display blocks: the summary, the actions (overdue first) with their review lines, the
flags with their rules, the flags no action answers, the downloads, and the planner's form to record or change an
action (provdata.exchange.actions; everyone else sees the register read-only)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from provdata.basics.errors import ProvdataError
from provdata.basics.i18n import fmt_year, t
from provdata.exchange import actions as register
from provdata.ui import auth, markup
from provdata.ui.frame import show_error
from provdata.ui.widgets import downloads as download_buttons
from provdata.views import follow

_DONE = "follow_done"


def summary(view: follow.FollowUp, name: str, lang: str) -> None:
    done = st.session_state.pop(_DONE, None)
    if done:
        st.success(done)
    a = view.actions
    cols = st.columns(4)
    cols[0].metric(t("follow.metric_flags", lang), len(view.flags))
    cols[1].metric(t("follow.metric_open", lang), int(a.status.isin(register.OPEN).sum()))
    cols[2].metric(t("follow.metric_overdue", lang), len(view.overdue))
    cols[3].metric(t("follow.metric_unanswered", lang), len(view.no_action))
    with st.expander(t("follow.rules_title", lang)):
        st.markdown(view.rules)
        st.caption(t("follow.honest", lang))
    if view.flags.empty and view.actions.empty:
        st.info(t("follow.nothing", lang, province=name))


def actions(view: follow.FollowUp, lang: str) -> None:
    st.header(t("follow.actions_title", lang))
    if view.actions.empty:
        st.caption(t("follow.no_actions", lang))
        return
    for row in view.overdue.itertuples():
        st.error(t("follow.overdue_line", lang, id=row.id, what=markup.literal(row.what), agency=row.agency,
                   due=row.due))  # fmt: skip
    st.dataframe(follow.action_table(view, lang), hide_index=True, key="follow_actions")
    st.subheader(t("follow.reviews_title", lang))
    st.markdown("\n".join(t("follow.review_item", lang, id=r.id, indicator=r.indicator, review=r.review)
                          for r in view.actions.itertuples()))  # fmt: skip
    caveats = view.actions.loc[view.actions.caveat != "", ["indicator", "caveat"]].drop_duplicates()
    for row in caveats.itertuples():
        st.caption(f"{row.indicator}: {row.caveat}")


def flags(view: follow.FollowUp, lang: str, era: str) -> None:
    st.header(t("follow.flags_title", lang))
    if view.flags.empty:
        st.caption(t("follow.no_flags", lang))
    else:
        st.markdown("\n".join(t("follow.flag_item", lang, indicator=r.indicator, flag=r.flag, rule=r.rule,
                                 actions=follow.mark_text(0, r.open_actions, lang) or t("follow.no_open", lang))
                               for r in view.flags.itertuples()))  # fmt: skip
        with st.expander(t("follow.as_table", lang)):
            st.dataframe(follow.flag_table(view, lang, era), hide_index=True, key="follow_flags")
    if not view.no_action.empty:
        st.subheader(t("follow.unanswered_title", lang))
        st.markdown("\n".join(f"- **{r.indicator}** — {r.flag} ({fmt_year(r.year, era)})"
                               for r in view.no_action.itertuples()))  # fmt: skip
    if not view.unjudged.empty:
        with st.expander(t("follow.unjudged_title", lang)):
            st.markdown("\n".join(f"- **{r.indicator}**: {r.reason}" for r in view.unjudged.itertuples()))


def downloads(view: follow.FollowUp, build: str, sources: pd.DataFrame, name: str, lang: str) -> None:
    st.subheader(t("follow.download_title", lang))
    about = follow.about(view, sources, name, build, lang)
    download_buttons(follow.download_frame(view), about, f"provdata-follow-up-{view.code}", "follow_download")


def editor(view: follow.FollowUp, code: str, key_indicators: list[str], names: dict[str, str],
           agencies: pd.DataFrame, lang: str, era: str) -> None:  # fmt: skip
    """Record an action, or change one, for the province's planners (and admins); others are told who may."""
    with st.expander(t("follow.edit_title", lang), expanded=True):
        account = auth.login_box("follow.sign_in")
        if account is None:
            return
        if not account.may_edit_chain(code):
            st.info(t("follow.not_yours", lang, province=code))
            return
        _record_form(code, key_indicators, names, agencies, account, lang)
        if not view.actions.empty:
            _change_form(view, account, lang)


def _record_form(code: str, ids: list[str], names: dict, agencies: pd.DataFrame, account, lang: str) -> None:
    agency_names = dict(zip(agencies.id, agencies[f"short_{lang}"], strict=True))
    with st.form("follow_record_form"):
        st.subheader(t("follow.record_title", lang))
        iid = st.selectbox(t("follow.field_indicator", lang), ids, format_func=lambda i: names.get(i, i),
                           key="follow_indicator")  # fmt: skip
        what = st.text_area(t("follow.field_what", lang), max_chars=500, key="follow_what")
        agency = st.selectbox(t("follow.field_agency", lang), list(agency_names),
                              format_func=lambda a: f"{agency_names[a]} ({a})", key="follow_agency")  # fmt: skip
        due = st.date_input(t("follow.field_due", lang), value=None, key="follow_due", format="YYYY-MM-DD")
        direction = st.selectbox(t("follow.field_expected", lang), list(register.DIRECTIONS),
                                 format_func=lambda d: t(f"follow.expected_{d}", lang), key="follow_direction")  # fmt: skip
        submitted = st.form_submit_button(
            t("follow.record_button", lang), key="follow_record", type="primary"
        )
    if submitted:
        fields = {"indicator_id": iid, "what": what, "agency_id": agency,
                  "due_date": due.isoformat() if isinstance(due, dt.date) else "", "expected_direction": direction}  # fmt: skip
        _write(lambda: register.record(code, fields, account, client=auth.client_address()),
               lambda done: t("follow.recorded", lang, id=done["id"]))  # fmt: skip


def _change_form(view: follow.FollowUp, account, lang: str) -> None:
    a = view.actions
    labels = {int(r.id): f"{r.id} — {r.indicator}: {r.what[:60]}" for r in a.itertuples()}
    with st.form("follow_change_form"):
        st.subheader(t("follow.change_title", lang))
        action_id = st.selectbox(t("follow.field_action", lang), list(labels), format_func=labels.get,
                                 key="follow_change_id")  # fmt: skip
        status = st.selectbox(t("follow.field_status", lang), list(register.STATUSES),
                              format_func=lambda s: t(f"follow.status_{s}", lang), key="follow_change_status")  # fmt: skip
        reason = st.text_input(t("follow.field_reason", lang), max_chars=500, key="follow_change_reason")
        submitted = st.form_submit_button(t("follow.change_button", lang), key="follow_change")
    if submitted:
        fields = {"status": status, "dropped_reason": reason}
        _write(lambda: register.update(action_id, fields, account, client=auth.client_address()),
               lambda done: t("follow.changed", lang, id=done["id"], status=t(f"follow.status_{done['status']}", lang)))  # fmt: skip


def _write(write, said) -> None:
    try:
        done = write()
    except ProvdataError as exc:
        show_error(exc)
        return
    st.session_state[_DONE] = said(done)
    st.rerun()


__all__ = ["actions", "downloads", "editor", "flags", "summary"]
