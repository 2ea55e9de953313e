"""The exchange page's list of what an agency owes: its series overdue by the release calendar, with the
missing years and the day each became overdue (a steward sees their own agency first)."""

from __future__ import annotations

import streamlit as st

from provdata.basics.i18n import fmt_date, t
from provdata.ui import cached
from provdata.ui.widgets import choice


def owed(build: str, account, lang: str, era: str) -> None:
    """The overdue series of one agency (or of every agency), oldest overdue first."""
    day = cached.today()
    table = cached.owed(build, day, lang, era)
    st.caption(t("exchange.owed_intro", lang, today=fmt_date(cached.calendar(build, day).today, lang, era)))
    agencies = sorted(set(cached.indicators(build).agency_id))
    mine = account.agency_id if account is not None and account.agency_id in agencies else "all"
    short = dict(zip(cached.indicators(build).agency_id, cached.indicators(build)[f"agency_short_{lang}"],
                     strict=False))  # fmt: skip
    agency = choice(t("exchange.owed_agency", lang), ["all", *agencies], "owed_agency", mine,
                    lambda a: t("exchange.owed_all", lang) if a == "all" else short.get(a, a))  # fmt: skip
    shown = table if agency == "all" else table[table.agency_id == agency]
    if shown.empty:
        st.success(t("exchange.owed_none", lang))
        return
    st.dataframe(shown.drop(columns="agency_id"), hide_index=True, key="owed_table")
