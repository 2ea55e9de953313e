"""Reports: the annual provincial statistics report as PDF or HTML, in Thai or English, for any province."""

import streamlit as st

from provdata.basics.errors import Busy
from provdata.basics.i18n import fmt_year, t
from provdata.reports import report
from provdata.ui import cached, frame
from provdata.ui.widgets import choice, download_button, province_picker, wait_in_line

lang, era, build = frame.start()
st.title(t("reports.title", lang))
st.caption(t("reports.intro", lang))

# Selection
provinces = cached.provinces(build)
code = province_picker(provinces, key="province")
years = list(range(2015, cached.reference_year(build) + 1))
left, right = st.columns(2)
with left:
    year = choice(t("reports.year", lang), years, "year", 2020, lambda y: fmt_year(y, era))
with right:
    fmt = choice(t("reports.format", lang), ["pdf", "html", "pptx"], "format", "pdf", str.upper, "radio")

# Data + Display
name = provinces.set_index("code").loc[code, f"name_{lang}"]
st.caption(t("reports.contents", lang))
wanted = (
    build,
    code,
    year,
    lang,
    fmt,
    cached.today(),
    cached.follow_version(),
)  # flags and actions are of today
if st.button(t("reports.make", lang), key="make_report", type="primary"):
    makers, wh = cached.report_queue(), cached.warehouse()
    try:  # one report per build and request, made by a bounded pool: the place in line is shown while it waits
        ticket = makers.submit(wanted, lambda progress: report.make(wh, code, year, lang, fmt, progress))
    except Busy as exc:
        frame.show_error(exc)
    else:
        if ticket.done():
            st.caption(t("reports.from_cache", lang))
        st.session_state["report"] = (wanted, wait_in_line(ticket, lang, makers.workers))
ready, data = st.session_state.get("report", (None, b""))
if ready == wanted:
    st.success(t("reports.ready", lang, province=name, size=f"{len(data) / 1024:,.0f}"))
    download_button(
        st,
        t("reports.download", lang, fmt=fmt.upper()),
        data=data,
        file_name=f"provdata-report-{code}-{year}-{lang}.{fmt}",
        mime={
            "pdf": "application/pdf",
            "html": "text/html",
            "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        }[fmt],
        key="report_download",
    )
st.caption(t("reports.cli", lang, code=code, year=year, lang_code=lang, fmt=fmt))
