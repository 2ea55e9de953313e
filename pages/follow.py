"""Follow-up (การติดตามผล): the province's red flags on its key indicators, computed from the figures with the rule
beside each; the actions its planners recorded on them (owner, due date, status), overdue first, each with a
review line computed from the next published figure; the flags no action answers."""

import streamlit as st

from provdata.basics.i18n import t
from provdata.ui import cached, frame
from provdata.ui.display import follow as show
from provdata.ui.widgets import province_picker
from provdata.views import figures, follow

lang, era, build = frame.start()
st.title(t("follow.title", lang))
st.caption(t("follow.intro", lang))

# Selection
provinces = cached.provinces(build)
names = figures.area_names(provinces, lang)
code = province_picker(provinces, key="province")

# Data
day = cached.today()
view = cached.follow_up(build, code, day, lang, era, cached.follow_version())
chain = cached.chain(build, code)
key_ids, labels = follow.choices(chain, lang)

# Display
if chain.empty:
    st.info(t("chart.no_chain", lang, province=names[code]))
    st.stop()
show.summary(view, names[code], lang)
show.actions(view, lang)
show.flags(view, lang, era)
show.downloads(view, build, cached.sources(build), names[code], lang)
show.editor(view, code, key_ids, labels, cached.agencies(build), lang, era)
