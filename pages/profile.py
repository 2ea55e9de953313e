"""Province profile: a province at a glance — latest figures, change, rank, trend, source."""

import streamlit as st

from provdata import statchart
from provdata.exports import About, about_sources
from provdata.i18n import t
from provdata.profile import history_table
from provdata.ui import cached, frame
from provdata.ui.widgets import chart, downloads, indicator_picker, province_picker, reserve_chart_space

lang, era, build = frame.start()

# Selection
provinces = cached.provinces(build)
indicators = cached.indicators(build)
code = province_picker(provinces)

# Data
province = cached.province(build, code)
all_ids = tuple(indicators["id"])
card_ids = indicators.dropna(subset=["profile_sort"]).sort_values("profile_sort")["id"].tolist()
series = cached.series(build, all_ids, (code,))
cards, table, targets = cached.profile_view(build, code, lang, era)

# Display
name = province[f"name_{lang}"]
st.title(name)
badges = [t("profile.region", lang, region=province["region_th" if lang == "th" else "region"])]
if province["cohort"] == "pilot":
    badges.insert(0, f":blue-badge[{t('profile.pilot_badge', lang)}]")
st.markdown(" ".join(badges))
st.caption(t("profile.intro", lang, province=name))
st.page_link(
    "pages/present.py", label=t("nav.present", lang), icon=":material/slideshow:",
    query_params={"province": code, "slide": "1", "lang": lang, "era": era},
)  # fmt: skip

reserve_chart_space({"spark_": 48, "history_chart": 280})
for row_start in range(0, len(cards), 4):
    for card, column in zip(cards[row_start : row_start + 4], st.columns(4), strict=False):
        with column.container(border=True, key=f"card_{card.indicator_id}"):
            st.metric(
                card.label,
                card.value,
                delta=card.delta,
                delta_color=card.delta_color,
                help=card.exact,
            )
            if len(card.trend) > 1:
                spark = t("profile.sparkline", lang, indicator=card.label, n=len(card.trend), year=card.year)
                chart("sparkline", card.trend, spark, key=f"spark_{card.indicator_id}", height=48)
            # one caption of lines, not an element per line: one or two elements fewer per card on every run
            lines = [
                f"{card.unit} · {t('profile.latest', lang, year=card.year)} · {card.rank_text}"
                if card.has_data
                else card.rank_text,
                card.source_text,
            ]
            if card.indicator_id in targets:
                link, progress = targets[card.indicator_id]
                lines.append(statchart.target_text(link, progress.status, lang, era))
            st.caption("  \n".join(lines))

st.header(t("profile.history_title", lang))
indicator_id = indicator_picker(indicators, key="indicator", default=card_ids[0])
ind = indicators.set_index("id").loc[indicator_id]
one = series[series.indicator_id == indicator_id]
if one.empty:
    st.info(t("profile.no_data", lang, province=name))
else:
    history = history_table(one, lang, era)
    chart_frame = one.assign(year_label=history.iloc[:, 0].tolist())
    left, right = st.columns([3, 1])
    chart(
        "series_line",
        chart_frame,
        t("profile.history_chart_title", lang, indicator=ind[f"name_{lang}"], province=name),
        ind[f"unit_{lang}"],
        t("profile.col_year", lang),
        where=left,
        key="history_chart",
    )
    right.table(history, hide_index=True)
    source_rows = cached.sources(build).set_index("id").loc[sorted(set(one.source_id))]
    st.caption(
        t(
            "profile.history_caption",
            lang,
            source="; ".join(source_rows[f"title_{lang}"]),
            agency=ind[f"agency_short_{lang}"],
            license="; ".join(sorted(set(source_rows["license"]))),
            years=f"{history.iloc[0, 0]}–{history.iloc[-1, 0]}",
            era=t(f"app.era_{era}", lang),
        )
    )

st.header(t("profile.all_title", lang, province=name))
st.dataframe(table, hide_index=True, key="profile_table")
about = About(
    title=t("profile.all_title", lang, province=name),
    filters={t("profile.province", lang): code},
    sources=about_sources(cached.sources(build), set(series.source_id), lang),
    build_id=build,
)
downloads(table, about, f"provdata-profile-{code}", key="profile_dl")
agencies = ", ".join(sorted(set(indicators[f"agency_short_{lang}"])))
st.caption(t("profile.caption", lang, sources=agencies, era=t(f"app.era_{era}", lang)))
