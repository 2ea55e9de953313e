"""Province profile: a province at a glance — latest figures, change, rank, trend, source."""

import streamlit as st

from provdata.basics.i18n import t
from provdata.ui import cached, frame
from provdata.ui.scripts import reserve_chart_space
from provdata.ui.widgets import downloads, draw, indicator_picker, province_picker
from provdata.views.charts import SPARK_HEIGHT
from provdata.views.exports import About
from provdata.views.profile import card_lines, region_text

lang, era, build = frame.start()

# Selection
provinces = cached.provinces(build)
indicators = cached.indicators(build)
code = province_picker(provinces)

# Data
province = cached.province(build, code)
view, sparks, table = cached.profile_view(build, code, lang, era, cached.today())
marks = cached.follow_marks(build, code, cached.today(), cached.follow_version())

# Display
name = province[f"name_{lang}"]
st.title(name)
badges = [region_text(province, lang)]
if province["cohort"] == "pilot":
    badges.insert(0, f":blue-badge[{t('profile.pilot_badge', lang)}]")
st.markdown(" ".join(badges))
st.caption(t("profile.intro", lang, province=name))
st.page_link(
    "pages/present.py", label=t("nav.present", lang), icon=":material/slideshow:",
    query_params={"province": code, "slide": "1", "lang": lang, "era": era},
)  # fmt: skip

reserve_chart_space({"spark_": SPARK_HEIGHT, "history_chart": 280})
for row_start in range(0, len(view.cards), 4):
    for card, column in zip(view.cards[row_start : row_start + 4], st.columns(4), strict=False):
        with column.container(border=True, key=f"card_{card.indicator_id}"):
            st.metric(
                card.label,
                card.value,
                delta=card.delta,
                delta_color=card.delta_color,
                help=card.exact,
            )
            if card.indicator_id in sparks:
                picture, alt = sparks[card.indicator_id]
                st.container(key=f"spark_{card.indicator_id}").image(picture, alt=alt)
            # one caption of lines, not an element per line: one or two elements fewer per card on every run
            st.caption("  \n".join(card_lines(card, view.targets, lang, era, marks)))

st.header(t("profile.history_title", lang))
indicator_id = indicator_picker(indicators, key="indicator", default=view.first_card)
history = cached.profile_history(build, code, indicator_id, lang, era, cached.today())
if history is None:
    st.info(t("profile.no_data", lang, province=name))
else:
    one, spec = history
    left, right = st.columns([3, 1])
    draw(spec, where=left, key="history_chart")
    right.table(one.table, hide_index=True)
    st.caption(one.caption)

st.header(t("profile.all_title", lang, province=name))
st.dataframe(table, hide_index=True, key="profile_table")
about = About(
    title=t("profile.all_title", lang, province=name),
    filters={t("profile.province", lang): code},
    sources=view.sources,
    build_id=build,
)
downloads(view.table, about, f"provdata-profile-{code}", key="profile_dl")
st.caption(t("profile.caption", lang, sources=view.agencies, era=t(f"app.era_{era}", lang)))
