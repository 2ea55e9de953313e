"""The data-exchange widgets: the upload wizard (file → mapping → preview → publish), name confirmations and
the list of publications with what each changed and, for admins, roll back."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from provdata import accounts
from provdata.basics import config
from provdata.basics.errors import ProvdataError
from provdata.basics.i18n import fmt_year, t
from provdata.exchange import publish
from provdata.ingest import Options, aliases
from provdata.ingest.layout import ROLES
from provdata.ui import cached, markup, scripts, state, widgets
from provdata.ui.auth import client_address
from provdata.ui.frame import show_error
from provdata.web import admission

AUTO = ""


def _role_options(indicators: pd.DataFrame) -> list[str]:
    # "month" only with sum_months, which a recipe sets (data/recipes/README.md): not offered to an upload
    return [AUTO, *(r for r in ROLES if r != "month"), *indicators.id.tolist()]


def wizard(account: accounts.Account, build: str) -> None:
    lang, era = state.lang(), state.era()
    indicators = cached.indicators(build)
    provinces = cached.provinces(build)
    from provdata.ingest.template import template_csv, template_xlsx

    st.header(t("exchange.step_file", lang))
    st.caption(t("exchange.file_help", lang, mb=config.upload_max_bytes() // 1_000_000))
    c1, c2 = st.columns(2)
    widgets.download_button(c1, t("exchange.template_xlsx", lang), lambda: template_xlsx(indicators, provinces),
                            "provdata-template.xlsx", key="template_xlsx")  # fmt: skip
    widgets.download_button(c2, t("exchange.template_csv", lang), template_csv(), "provdata-template.csv",
                            mime="text/csv", key="template_csv")  # fmt: skip
    upload = st.file_uploader(
        t("exchange.file", lang), type=["csv", "tsv", "txt", "xlsx", "xlsm", "xls"], key="upload_file"
    )
    scripts.upload_drop_zones_as_groups()
    if upload is None:
        return
    data, name = upload.getvalue(), upload.name
    if len(data) > config.upload_max_bytes():
        st.error(
            t("exchange.too_large", lang, mb=len(data) / 1e6, limit=config.upload_max_bytes() // 1_000_000)
        )
        return

    st.header(t("exchange.step_mapping", lang))
    own = indicators if account.admin else indicators[indicators.agency_id == account.agency_id]
    labels = {AUTO: t("exchange.auto", lang)} | {
        i: f"{i} · {n} ({u})"
        for i, n, u in zip(indicators.id, indicators[f"name_{lang}"], indicators[f"unit_{lang}"], strict=True)
    }
    m1, m2, m3, m4 = st.columns(4)
    indicator = m1.selectbox(
        t("exchange.indicator", lang), [AUTO, *own.id], format_func=labels.__getitem__, key="upload_indicator",
        help=t("exchange.indicator_help", lang),
    )  # fmt: skip
    year_text = m2.text_input(t("exchange.year", lang), key="upload_year", help=t("exchange.year_help", lang))
    where_text = m3.text_input(
        t("exchange.where", lang), key="upload_where", help=t("exchange.where_help", lang)
    )
    maps_text = m4.text_input(t("exchange.maps", lang), key="upload_maps", help=t("exchange.maps_help", lang))
    year = None
    if year_text.strip():
        if not year_text.strip().isdigit():
            st.error(t("exchange.bad_year", lang, value=year_text))
            return
        year = int(year_text)
        year = year - 543 if year >= 2400 else year
    wheres = tuple(tuple(p.strip() for p in w.split("=", 1)) for w in where_text.split(";") if "=" in w)

    try:
        sheets = cached.sheet_tables(build, data, name)
    except ProvdataError as exc:
        show_error(exc)
        return
    sheet = None
    if len(sheets) > 1:
        sheet = st.selectbox(t("exchange.sheet", lang), [AUTO, *sheets], key="upload_sheet",
                             format_func=lambda s: t("exchange.all_sheets", lang) if s == AUTO else s) or None  # fmt: skip
    table = sheets[sheet or next(iter(sheets))]
    roles = pd.DataFrame(
        {
            "column": [c.letter for c in table.columns],
            "header": [c.label for c in table.columns],
            "unit": [c.unit for c in table.columns],
            "example": [
                table.cells[table.first_row][c.index] if table.first_row < len(table.cells) else ""
                for c in table.columns
            ],
            "year": [fmt_year(c.year, era) if c.year else "" for c in table.columns],
            "role": [c.role if c.role and c.year is None else AUTO for c in table.columns],
        }
    )
    st.caption(t("exchange.mapping_help", lang))
    edited = st.data_editor(
        roles, hide_index=True, key=f"upload_roles_{sheet}",
        disabled=["column", "header", "unit", "example", "year"],
        column_config={"role": st.column_config.SelectboxColumn(
            t("exchange.role", lang), options=_role_options(indicators), required=False)},
    )  # fmt: skip
    maps = tuple(
        (r.column, r.role)
        for r, guessed in zip(edited.itertuples(), roles.role, strict=True)
        if r.role and r.role != guessed
    ) + tuple((a.strip(), b.strip()) for a, b in (m.split("=", 1) for m in maps_text.split(";") if "=" in m))
    confirmed = tuple(
        (spelling, code) for spelling, code in st.session_state.get("upload_proposed", {}).items()
        if st.session_state.get(f"upload_confirm_{spelling}")
    )  # fmt: skip
    options = Options(sheet=sheet, year=year, indicator=indicator or None, maps=maps, where=wheres,
                      names=confirmed, agency=account.agency_id, skip_unmapped=bool(maps))  # fmt: skip
    try:
        with admission.upload_slot(account.name):  # the same bound as the API's uploads
            preview = cached.upload_check(build, data, name, options, account)
    except ProvdataError as exc:
        show_error(exc)
        return
    _name_confirmations(preview, confirmed, dict(zip(provinces.code, provinces[f"name_{lang}"], strict=True)))

    st.header(t("exchange.step_preview", lang))
    counts = preview.counts()
    cols = st.columns(5)
    for col, key in zip(cols, ["accepted", "flagged", "unchanged", "rejected", "skipped"], strict=True):
        col.metric(t(f"exchange.n_{key}", lang), f"{counts[key]:,}")
    for note in preview.notes:
        st.caption(note)
    tabs = st.tabs(
        [t(f"exchange.n_{k}", lang) for k in ("accepted", "flagged", "rejected", "skipped", "unchanged")]
    )
    names = dict(zip(provinces.code, provinces[f"name_{lang}"], strict=True))
    shown = ["province", "year", "indicator_id", "value", "previous", "change", "sheet", "row", "column"]
    for tab, frame in zip(tabs[:2], (preview.accepted, preview.flagged), strict=True):
        view = frame.assign(
            province=frame.province_code.map(names), year=frame.year.map(lambda y: fmt_year(y, era))
        )
        tab.dataframe(view[[*shown, "reason"] if "reason" in view else shown], hide_index=True,
                      key=f"preview_{id(frame)}")  # fmt: skip
    tabs[2].dataframe(preview.rejected, hide_index=True)
    tabs[3].dataframe(preview.skipped, hide_index=True)
    tabs[4].dataframe(preview.unchanged.drop(columns=["change"], errors="ignore"), hide_index=True)
    d1, d2 = st.columns(2)
    widgets.download_button(d1, t("exchange.download_report", lang), preview.report_csv, f"{name}.report.csv",
                            mime="text/csv", key="download_report")  # fmt: skip
    include_flagged = st.checkbox(t("exchange.accept_flagged", lang, n=counts["flagged"]), key="upload_accept_flagged",
                                  disabled=counts["flagged"] == 0)  # fmt: skip
    widgets.download_button(d2, t("exchange.download_tidy", lang), preview.tidy_csv(include_flagged), f"{name}.tidy.csv",
                            mime="text/csv", key="download_tidy")  # fmt: skip

    st.header(t("exchange.step_publish", lang))
    rows = preview.to_publish(include_flagged)
    licence = st.text_input(t("exchange.license", lang), value=publish.default_licence(indicators, rows.indicator_id),
                            key="upload_license")  # fmt: skip
    note = st.text_input(t("exchange.note", lang), key="upload_note")
    if rows.empty:
        st.warning(t("exchange.nothing", lang))
        return
    if st.button(t("exchange.publish", lang, n=len(rows)), type="primary", key="upload_publish"):
        with st.spinner(t("exchange.publishing", lang)):
            try:
                result = publish.publish(
                    rows, data, name, account, rows_in=sum(counts.values()), rows_rejected=counts["rejected"],
                    license=licence, note=note,
                    mapping={"via": "app", "sheet": sheet, "year": year, "indicator": indicator,
                             "maps": list(maps), "where": list(wheres), "names": list(confirmed)},
                    client=client_address(),
                )  # fmt: skip
            except ProvdataError as exc:
                show_error(exc)
                return
            used = {s: c for s, c in confirmed if s in preview.confirmed}
            kept = (
                aliases.keep(account.agency_id, used, account.name, client=client_address()) if used else []
            )
        for spelling, code in kept:
            st.caption(t("exchange.name_kept", lang, spelling=spelling, code=code, agency=account.agency_id))
        st.session_state["last_published"] = result.load_id
        st.success(
            t("exchange.published", lang, load=result.load_id, rows=result.rows, build=result.build_id)
        )


def _name_confirmations(preview, confirmed: tuple[tuple[str, str], ...], names: dict[str, str]) -> None:
    """Spellings with one clear close province: the steward confirms each (kept as the agency's alias when
    published); confirmed ones stay listed so they can be taken back."""
    lang = state.lang()
    pending = dict(confirmed) | preview.proposed
    known = st.session_state.setdefault("upload_proposed", {})
    known.update(pending)
    if not pending:
        return
    st.markdown(t("exchange.names_to_confirm", lang, n=len(preview.proposed)))
    for spelling, code in pending.items():
        st.checkbox(t("exchange.confirm_name", lang, spelling=spelling, code=code, name=names.get(code, code)),
                    key=f"upload_confirm_{spelling}")  # fmt: skip


def publications(build: str, account: accounts.Account | None) -> None:
    lang, era = state.lang(), state.era()
    loads = cached.loads(build)
    st.caption(t("exchange.publications_help", lang))
    view = loads.assign(agency=loads[f"agency_short_{lang}"].fillna("—"))
    cols = ["id", "file_name", "agency", "loaded_by", "loaded_at", "rows_accepted", "rows_rejected", "rows_current",
            "status", "rolled_back_by", "note"]  # fmt: skip
    st.dataframe(view[cols], hide_index=True, key="loads_table")
    uploads = loads[loads.id > config.FIRST_UPLOAD_LOAD_ID]
    if uploads.empty:
        st.info(t("exchange.no_publications", lang))
        return
    pick = st.selectbox(t("exchange.pick_publication", lang), uploads.id.tolist(), key="publication",
                        format_func=lambda i: f"{i} · {uploads.set_index('id').loc[i, 'file_name']}")  # fmt: skip
    changes = cached.load_changes(build, int(pick))
    record = uploads.set_index("id").loc[pick]
    if record.status == "rolled_back":
        st.warning(
            t(
                "exchange.rolled_back",
                lang,
                by=markup.literal(record.rolled_back_by),
                at=record.rolled_back_at,
            )
        )
    else:
        view = changes.assign(
            area=changes[f"name_{lang}"], year=changes.year.map(lambda y: fmt_year(y, era)),
            previous=changes.previous, current=changes.current.map({True: "✓", False: t("exchange.superseded", lang)}),
        )  # fmt: skip
        st.markdown(t("exchange.changes", lang, n=len(changes), revised=int(changes.previous.notna().sum())))
        st.dataframe(view[["indicator_id", "area_code", "area", "year", "previous", "value", "current"]],
                     hide_index=True, key="changes_table")  # fmt: skip
    if account is not None and account.admin and record.status == "active":
        if st.button(t("exchange.rollback", lang, load=pick), key=f"rollback_{pick}"):
            with st.spinner(t("exchange.publishing", lang)):
                try:
                    result = publish.rollback(int(pick), account, client=client_address())
                except ProvdataError as exc:
                    show_error(exc)
                    return
            st.success(t("exchange.rolled_back_now", lang, load=pick, build=result.build_id))


def indicator_form(account: accounts.Account, build: str) -> None:
    """Admins add an indicator to the catalog so that its agency can upload figures for it."""
    from provdata.warehouse.build import KINDS

    lang = state.lang()
    indicators = cached.indicators(build)
    themes = indicators.drop_duplicates("theme").set_index("theme")[f"theme_{lang}"].to_dict()
    agencies = sorted(set(cached.sources(build).agency_id))
    with st.expander(t("exchange.add_indicator", lang)), st.form("add_indicator"):
        st.caption(t("exchange.add_indicator_help", lang))
        c1, c2 = st.columns(2)
        fields = {
            "indicator_id": c1.text_input("id", key="new_id", placeholder="rubber_area_rai"),
            "agency_id": c2.selectbox(t("exchange.agency", lang), agencies, key="new_agency"),
            "name_th": c1.text_input(t("exchange.name_th", lang), key="new_name_th"),
            "name_en": c2.text_input(t("exchange.name_en", lang), key="new_name_en"),
            "unit_th": c1.text_input(t("exchange.unit_th", lang), key="new_unit_th"),
            "unit_en": c2.text_input(t("exchange.unit_en", lang), key="new_unit_en"),
            "theme": c1.selectbox(t("exchange.theme", lang), list(themes), format_func=themes.get, key="new_theme"),
            "kind": c2.selectbox(t("exchange.kind", lang), list(KINDS), key="new_kind"),
            "higher_is_better": c1.selectbox(t("exchange.direction", lang), ["", "true", "false"], key="new_dir",
                                             format_func=lambda v: t(f"exchange.direction_{v or 'none'}", lang)),
            "definition_th": st.text_area(t("exchange.definition_th", lang), key="new_def_th"),
            "definition_en": st.text_area(t("exchange.definition_en", lang), key="new_def_en"),
        }  # fmt: skip
        submitted = st.form_submit_button(t("exchange.add_indicator_button", lang))
    if submitted:
        try:
            with st.spinner(t("exchange.publishing", lang)):
                result = publish.add_indicator(fields, account, client=client_address())
        except ProvdataError as exc:
            show_error(exc)
            if hasattr(exc, "problems"):
                st.error("\n".join(f"- {p}" for p in exc.problems))
            return
        st.success(t("exchange.indicator_added", lang, id=fields["indicator_id"], build=result.build_id))


def audit_view(build: str) -> None:
    """Admins: the audit log, filtered by action, with a download."""
    from provdata.store import audit as store
    from provdata.ui.widgets import downloads
    from provdata.views.exports import About

    lang = state.lang()
    st.caption(t("auth.audit_intro", lang))
    action = st.selectbox(t("auth.audit_action", lang), ["", *store.ACTIONS], key="audit_action",
                          format_func=lambda a: a or t("auth.audit_all", lang))  # fmt: skip
    log = store.audit_log(action or None)
    if log.empty:
        st.info(t("auth.audit_empty", lang))
        return
    st.dataframe(log, hide_index=True, key="audit_table")
    about = About(title=t("auth.tab_audit", lang), filters={t("auth.audit_action", lang): action or "*"},
                  sources=["provdata audit log"], build_id=build)  # fmt: skip
    downloads(log, about, "provdata-audit-log", key="audit_dl")
