"""Data catalogue and downloads: every indicator with its metadata and readiness; any selection as files."""

import streamlit as st

from provdata.basics import config
from provdata.basics.i18n import fmt_year, t
from provdata.ui import cached, frame
from provdata.ui.widgets import choice, download_button, multi_choice, text_filter
from provdata.views import catalog
from provdata.views.exports import About, about_sources, data_package, to_csv, to_excel, to_parquet

lang, era, build = frame.start()
st.title(t("catalog.title", lang))
st.caption(t("catalog.intro", lang))

# Selection: the catalogue's filters
full = cached.catalog(build)
themes = catalog.themes(full, lang)
left, right = st.columns([1, 2])
with left:
    theme = choice(t("catalog.theme", lang), ["all", *themes], "theme", "all",
                   lambda v: t("catalog.theme_all", lang) if v == "all" else themes[v])  # fmt: skip
with right:
    query = text_filter(t("catalog.search", lang), "q", t("catalog.search_placeholder", lang))

# Data
shown = catalog.filter_catalog(full, theme, query)
reference = cached.reference_year(build)

# Display: the catalogue
st.caption(t("catalog.shown", lang, shown=len(shown), total=len(full)))
if shown.empty:
    st.info(t("catalog.none_found", lang))
else:
    st.dataframe(cached.catalog_table(build, theme, query, lang, era), hide_index=True, key="catalog_table")
st.caption(
    t("catalog.readiness_note", lang, years=config.READY_MIN_CONSECUTIVE_YEARS,
      oldest=fmt_year(reference - config.READY_MAX_AGE_YEARS, era), reference=fmt_year(reference, era))
)  # fmt: skip

# Selection: what to download
st.header(t("catalog.download_title", lang))
st.caption(t("catalog.download_intro", lang))
ids = full["id"].tolist()
shown_ids = shown["id"].tolist()
names = dict(zip(ids, full[f"theme_{lang}"] + " · " + full[f"name_{lang}"], strict=True))


def _use_shown() -> None:
    st.session_state["indicators"] = ",".join(shown_ids)


filtered = theme != "all" or bool(query.strip())
st.button(t("catalog.use_filtered", lang, n=len(shown_ids)), key="use_filtered", on_click=_use_shown,
          disabled=not shown_ids)  # fmt: skip
picked = multi_choice(
    t("catalog.indicators", lang), ids, "indicators", shown_ids if filtered else shown_ids[:1] or ids[:1],
    names.__getitem__,
)  # fmt: skip
if not picked:
    st.info(t("catalog.pick_indicators", lang))
    st.stop()
provinces = cached.provinces(build)
c1, c2, c3 = st.columns([2, 1, 1])
with c1:
    cohort = choice(t("catalog.provinces", lang), ["all", "pilot"], "cohort", "all",
                    lambda v: t(f"catalog.provinces_{v}", lang), kind="radio")  # fmt: skip
years = catalog.selection_years(full, picked)
with c2:
    first = choice(t("catalog.year_from", lang), years, "from", years[0], lambda y: fmt_year(y, era))
with c3:
    last = choice(t("catalog.year_to", lang), years, "to", years[-1], lambda y: fmt_year(y, era))
first, last = min(first, last), max(first, last)
codes = provinces["code"].tolist() if cohort == "all" else list(config.PILOT_PROVINCES)

# Data: the selection
selected = (build, tuple(picked), tuple(codes), first, last, lang)
view = cached.selection_view(*selected)


def rows():
    """The selection's rows, read when a file is made (cached.selection_rows)."""
    return cached.selection_rows(*selected)


sources = cached.sources(build)
used = view["used"]
province_filter = t("catalog.all_provinces", lang) if cohort == "all" else ",".join(codes)
about = About(
    title=t("catalog.file_title", lang),
    filters={
        t("catalog.filter_indicators", lang): ",".join(picked),
        t("catalog.filter_provinces", lang): province_filter,
        t("catalog.filter_years", lang): f"{first}–{last}",
    },
    sources=about_sources(sources, used, lang),
    build_id=build,
)
stem = f"provdata-{len(picked)}-indicators-{cohort}-{first}-{last}"

# Display: the selection and its files
if not view["rows"]:
    st.info(t("catalog.no_rows", lang))
    st.stop()
st.caption(
    t("catalog.selection_summary", lang, rows=f"{view['rows']:,}", indicators=view["indicators"],
      provinces=view["provinces"], first=fmt_year(first, era), last=fmt_year(last, era),
      era=t(f"app.era_{era}", lang))
)  # fmt: skip
st.dataframe(view["preview"], hide_index=True, key="selection_table")
b1, b2, b3, b4 = st.columns(4)
download_button(
    b1, t("catalog.download_csv", lang), data=lambda: to_csv(rows(), about), file_name=f"{stem}.csv",
    mime="text/csv", key="dl_csv", width="stretch",
)  # fmt: skip
download_button(
    b2, t("catalog.download_xlsx", lang), data=lambda: to_excel(rows(), about), file_name=f"{stem}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl_xlsx", width="stretch",
)  # fmt: skip
download_button(
    b3, t("catalog.download_parquet", lang), data=lambda: to_parquet(rows(), about), file_name=f"{stem}.parquet",
    mime="application/vnd.apache.parquet", key="dl_parquet", width="stretch",
)  # fmt: skip
download_button(
    b4, t("catalog.download_package", lang),
    data=lambda: data_package(
        rows(), about, catalog.indicator_metadata(full, picked), sources[sources.id.isin(used)], lang, stem
    ),
    file_name=f"{stem}.zip", mime="application/zip", key="dl_package", width="stretch",
    help=t("catalog.package_help", lang),
)  # fmt: skip
