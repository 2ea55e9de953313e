"""Statistics chart (ผังสถิติทางการ): issue → CSF → indicator → dataset → agency, coloured by computed
readiness; the readiness matrix with the reason for each grade; the development plan from the gaps."""

import streamlit as st

from provdata.basics.i18n import t
from provdata.strategy import statchart
from provdata.ui import auth, cached, frame
from provdata.ui.display import chart as show
from provdata.ui.widgets import province_picker
from provdata.views import figures

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
day = cached.today()
calendar = cached.calendar(build, day)
chain = cached.chain(build, code)
chain_codes = cached.chain_provinces(build)
indicator_ids = statchart.chain_indicators(chain)
view = cached.chart_view(build, code, day, lang, era)
summary, plan = view.summary, view.plan
labels = statchart.chain_labels(chain, lang)

# Display
st.caption(show.rule(calendar, lang, era))
if chain.empty:
    st.info(t("chart.no_chain", lang, province=names[code]))
    st.stop()
shown = cached.chart_shown(build, code, day, lang, era, cached.follow_version())
show.issues(summary, shown, view.chained, names[code], lang, era)
show.overdue(shown, calendar, lang, era)
show.targets(view.targets, shown, lang)
show.plan(plan, shown, summary, code, names[code], calendar, may_edit, account, build, lang, era)
show.editor(code, may_edit, lang)
show.matrix(shown, chain_codes, indicator_ids, labels, names, code, day, build, lang, era)
