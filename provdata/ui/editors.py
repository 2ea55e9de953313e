"""The statistics chart page's editors: planners edit a province's chain and the progress of its development
plan (provdata.exchange.chain_edits), with a version check against someone else's newer save."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from provdata.basics.i18n import t
from provdata.ui import state
from provdata.ui.scripts import upload_drop_zones_as_groups
from provdata.ui.widgets import download_button


def chain_editor(code: str, frames: dict, key: str, account) -> None:
    """Planners edit a province's chain: three table editors, Excel export/import, save and publish.

    The rows' version is kept from when the editor first showed them, so a save over someone else's newer
    save is refused (and the editor then shows the newer rows).
    """
    from provdata.basics import config
    from provdata.basics.errors import ProvdataError
    from provdata.exchange import actions, chain_edits
    from provdata.ui.auth import client_address
    from provdata.ui.frame import show_error

    lang = state.lang()
    version_key = f"{key}_version_{code}"
    if version_key not in st.session_state:
        st.session_state[version_key] = chain_edits.chain_version(config.STRATEGY_DIR, code)
    st.caption(t("chart.edit_intro", lang))
    tabs = st.tabs(list(frames))
    edited = {
        name: tab.data_editor(frame, num_rows="dynamic", hide_index=True, key=f"{key}_{name}_{code}")
        for (name, frame), tab in zip(frames.items(), tabs, strict=True)
    }

    def publish(new_frames: dict) -> None:
        _save_edit(
            lambda version: chain_edits.save_province(
                code, new_frames, account, expected_version=version, client=client_address()
            ),
            version_key,
            "chart.saved",
        )

    if st.button(t("chart.save", lang), key=f"{key}_save", type="primary"):
        publish(edited)
    download_button(
        st, t("chart.export", lang), data=lambda: chain_edits.to_excel({**frames, "actions": actions.sheet(code)}, code),
        file_name=f"provdata-chart-{code}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_export",
    )  # fmt: skip
    upload = st.file_uploader(t("chart.import_file", lang), type=["xlsx"], key=f"{key}_upload")
    upload_drop_zones_as_groups()
    if upload is not None and st.button(t("chart.import_button", lang), key=f"{key}_import"):
        try:
            publish(chain_edits.from_excel(upload.getvalue()))
            sheet = actions.sheet_from_excel(
                upload.getvalue()
            )  # the follow-up register travels with the chain
            if sheet is not None:
                counts = actions.import_sheet(code, sheet, account, client=client_address())
                st.success(t("follow.imported", lang, **counts))
        except ProvdataError as exc:
            show_error(exc)


def plan_editor(code: str, plan: pd.DataFrame, account) -> None:
    """The development plan with its status and progress note editable; saving records and republishes."""
    from provdata.basics import config
    from provdata.exchange import chain_edits
    from provdata.strategy.chain import STATUSES
    from provdata.ui.auth import client_address

    lang = state.lang()
    version_key = f"plan_version_{code}"
    if version_key not in st.session_state:
        st.session_state[version_key] = chain_edits.plan_version(config.STRATEGY_DIR, code)
    status_col, note_col, link_col = (
        t(f"chart.{k}", lang) for k in ("col_status", "col_progress_note", "col_link")
    )
    labels = {s: t(f"chart.status_{s}", lang) for s in STATUSES}
    edited = st.data_editor(
        plan,
        hide_index=True,
        disabled=[c for c in plan.columns if c not in (status_col, note_col)],
        column_config={
            status_col: st.column_config.SelectboxColumn(options=list(labels.values()), required=True),
            note_col: st.column_config.TextColumn(max_chars=500),
        },
        key=f"plan_editor_{code}_{lang}",
    )
    if st.button(t("chart.save_progress", lang), key="plan_save"):
        codes = {v: k for k, v in labels.items()}
        rows = pd.DataFrame(
            {
                "link": edited[link_col],
                "status": edited[status_col].map(codes),
                "note": edited[note_col].fillna(""),
            }
        )
        _save_edit(
            lambda version: chain_edits.save_plan_status(
                code, rows, account, expected_version=version, client=client_address()
            ),
            version_key,
            "chart.progress_saved",
        )


def _save_edit(save, version_key: str, done_key: str) -> None:
    """Run a chart or plan save with the version the editor read; show what happened. A stale save forgets
    that version, so the editor shows the newer rows on its next run."""
    from provdata.basics.errors import BuildError, ProvdataError
    from provdata.exchange import chain_edits
    from provdata.ui.frame import show_error

    lang = state.lang()
    try:
        result = save(st.session_state[version_key])
    except BuildError as exc:
        st.error(t("chart.not_saved", lang) + "\n\n" + "\n".join(f"- {p}" for p in exc.problems))
        return
    except ProvdataError as exc:
        if isinstance(exc, chain_edits.StaleEdit):
            st.session_state.pop(version_key, None)
        show_error(exc)
        return
    st.session_state.pop(version_key, None)
    st.success(t(done_key, lang, build=result.build_id))
