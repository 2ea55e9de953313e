"""Widgets shared by pages. Each choice is kept in the URL and across pages (see state.bind)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from provdata.basics.i18n import t
from provdata.ui import markup, state


def province_picker(provinces: pd.DataFrame, key: str = "province") -> str:
    """Pick one of the 77 provinces (pilots first, marked ★); kept in ``?province=``.

    The widget key is ``province.<lang>.<era>``.
    """
    lang = state.lang()
    codes = provinces["code"].tolist()
    names = dict(zip(codes, provinces[f"name_{lang}"], strict=True))
    pilots = set(provinces.loc[provinces.cohort == "pilot", "code"])
    widget_key, rejected = state.bind(key, codes, codes[0])
    st.selectbox(
        t("profile.province", lang),
        options=codes,
        format_func=lambda c: f"{'★ ' if c in pilots else ''}{names[c]} ({c})",
        key=widget_key,
        on_change=state.copy_back,
        args=(key, widget_key),
    )
    choice = st.session_state[key]
    if rejected is not None:
        st.warning(
            t(
                "app.bad_param",
                lang,
                value=markup.code(f"{key}={rejected}"),
                used=markup.literal(names[choice]),
            )
        )
    state.keep_in_url(key)
    return choice


def indicator_picker(indicators: pd.DataFrame, key: str = "indicator", default: str | None = None) -> str:
    """Pick one indicator (theme · name); kept in ``?<key>=``; widget key ``<key>.<lang>.<era>``."""
    lang = state.lang()
    ids = indicators["id"].tolist()
    labels = dict(zip(ids, indicators[f"theme_{lang}"] + " · " + indicators[f"name_{lang}"], strict=True))
    widget_key, rejected = state.bind(key, ids, default or ids[0])
    st.selectbox(
        t("profile.history_indicator", lang),
        options=ids,
        format_func=labels.__getitem__,
        key=widget_key,
        on_change=state.copy_back,
        args=(key, widget_key),
    )
    choice = st.session_state[key]
    if rejected is not None:
        st.warning(
            t(
                "app.bad_param",
                lang,
                value=markup.code(f"{key}={rejected}"),
                used=markup.literal(labels[choice]),
            )
        )
    state.keep_in_url(key)
    return choice


def download_button(where, *args, **kwargs):
    """``where.download_button(...)`` that does not rerun the page; every download button of the app is made here.

    A download needs no rerun, and with one a deferred download (``data`` a callable) raced the rerun, which
    registers the file anew under another id: about 1 click in 8 never got its file."""
    return where.download_button(*args, on_click="ignore", **kwargs)


def downloads(frame: pd.DataFrame, about, stem: str, key: str) -> None:
    """CSV, Excel and CSV-with-metadata (zip) buttons for the data behind a view (see exports.plain_table).

    The files are made when a button is clicked, not on every run of the page (an Excel file costs 20–50 ms).
    """
    from provdata.basics.sheets import CSV_MIME, XLSX_MIME
    from provdata.views.exports import plain_table, to_csv, to_csv_zip, to_excel

    lang, era = state.lang(), state.era()

    def plain() -> pd.DataFrame:
        return plain_table(frame, lang, era)

    left, middle, right = st.columns(3)
    download_button(
        left, t("views.download_csv", lang), data=lambda: to_csv(plain(), about), file_name=f"{stem}.csv",
        mime=CSV_MIME, key=f"{key}_csv", width="stretch",
    )  # fmt: skip
    download_button(
        middle, t("views.download_xlsx", lang), data=lambda: to_excel(plain(), about), file_name=f"{stem}.xlsx",
        mime=XLSX_MIME, key=f"{key}_xlsx", width="stretch",
    )  # fmt: skip
    download_button(
        right, t("exports.download_zip", lang), data=lambda: to_csv_zip(plain(), about), file_name=f"{stem}.zip",
        mime="application/zip", key=f"{key}_zip", width="stretch", help=t("exports.download_zip_help", lang),
    )  # fmt: skip


def chart(builder: str, *args, where=None, **kwargs) -> None:
    """Draw ``provdata.views.charts.<builder>(*args)`` from its cached Vega-Lite spec (see cached.chart_spec)."""
    from provdata.ui import cached

    draw(cached.chart_spec(builder, cached.fingerprint(*args), args), where=where, **kwargs)


def draw(spec: dict, where=None, **kwargs) -> None:
    """Draw a Vega-Lite spec a cached view has made (cached.convert._spec)."""
    (where or st).vega_lite_chart(spec, **kwargs)


def choice(label: str, options: list, key: str, default, format_func=str, kind: str = "selectbox"):
    """A URL-backed single choice (selectbox or horizontal radio), one widget per language."""
    lang = state.lang()
    texts = [str(o) for o in options]
    widget_key, rejected = state.bind(key, texts, str(default))
    by_text = dict(zip(texts, options, strict=True))
    widget = st.selectbox if kind == "selectbox" else st.radio
    extra = {"horizontal": True} if kind == "radio" else {}
    widget(
        label, options=texts, format_func=lambda x: format_func(by_text[x]), key=widget_key,
        on_change=state.copy_back, args=(key, widget_key), **extra,
    )  # fmt: skip
    if rejected is not None:
        st.warning(
            t(
                "app.bad_param",
                lang,
                value=markup.code(f"{key}={rejected}"),
                used=markup.literal(format_func(by_text[st.session_state[key]])),
            )
        )
    state.keep_in_url(key)
    return by_text[st.session_state[key]]


def toggle(label: str, key: str, help: str | None = None) -> bool:
    """A URL-backed on/off switch (``?key=1``)."""
    widget_key, done = _switch(key)
    st.toggle(label, key=widget_key, help=help, on_change=_copy_switch, args=(key, widget_key))
    done()
    return st.session_state[key] == "1"


def disclosure(label: str, key: str):
    """A URL-backed expander (``?key=1`` while open). Its ``.open`` says whether it is open: the page draws
    its contents only then, so a first visit loads nothing for them (a table's grid is 1.2 MB of JavaScript
    that delays the rest of the page)."""
    widget_key, done = _switch(key)
    box = st.expander(label, key=widget_key, on_change=_copy_switch, args=(key, widget_key))
    done()
    return box


def _switch(key: str):
    """Seed an on/off widget's state from ``?key=`` (0 or 1); returns its widget key and what to call after
    drawing it (warn about a bad value, keep the value in the URL)."""
    widget_key = f"{key}.{state.lang()}.{state.era()}"
    rejected = state.seed_from_url(key, ("0", "1"), "0")
    st.session_state[widget_key] = st.session_state[key] == "1"

    def done() -> None:
        if rejected is not None:
            st.warning(
                t(
                    "app.bad_param",
                    state.lang(),
                    value=markup.code(f"{key}={rejected}"),
                    used=markup.literal("0"),
                )
            )
        state.keep_in_url(key)

    return widget_key, done


def _copy_switch(key: str, widget_key: str) -> None:
    st.session_state[key] = "1" if st.session_state[widget_key] else "0"


def multi_choice(label: str, options: list[str], key: str, default: list[str], format_func=str) -> list[str]:
    """A URL-backed multiple choice (``?key=a,b,c``), one widget per language and era."""
    lang = state.lang()
    widget_key = f"{key}.{lang}.{state.era()}"
    if key not in st.session_state:
        raw = st.query_params.get(key)
        picked = [v for v in (raw.split(",") if raw else []) if v in options]
        unknown = [v for v in (raw.split(",") if raw else []) if v and v not in options]
        st.session_state[key] = ",".join(picked if raw else default)
        if unknown:
            st.warning(
                t(
                    "app.bad_param",
                    lang,
                    value=markup.code(key + "=" + ",".join(unknown)),
                    used=markup.literal("—"),
                )
            )
    current = [v for v in st.session_state[key].split(",") if v in options]
    st.session_state[widget_key] = current

    def _copy() -> None:
        st.session_state[key] = ",".join(st.session_state[widget_key])

    st.multiselect(label, options=options, format_func=format_func, key=widget_key, on_change=_copy)
    if st.query_params.get(key) != st.session_state[key]:
        st.query_params[key] = st.session_state[key]
    return current


def text_filter(label: str, key: str, placeholder: str | None = None) -> str:
    """A URL-backed free-text filter (``?key=…``; absent from the URL when empty)."""
    widget_key = f"{key}.{state.lang()}.{state.era()}"
    if key not in st.session_state:
        st.session_state[key] = st.query_params.get(key, "")
    st.session_state[widget_key] = st.session_state[key]

    def _copy() -> None:
        st.session_state[key] = st.session_state[widget_key]

    st.text_input(label, key=widget_key, placeholder=placeholder, on_change=_copy)
    value = st.session_state[key]
    if value and st.query_params.get(key) != value:
        st.query_params[key] = value
    elif not value and key in st.query_params:
        del st.query_params[key]
    return value


def wait_in_line(ticket, lang: str, workers: int) -> bytes:
    """Show a queued job's place in line, then its progress, until it is done; its bytes (or its error raised)."""
    import time

    note, bar = st.empty(), None
    while not ticket.done():
        place = ticket.position()
        if place:
            note.info(t("reports.in_line", lang, n=place, ahead=place - 1 + workers, workers=workers))
        else:
            note.empty()
            bar = bar or st.progress(0.0, text=t("reports.working", lang))
            fraction, part = ticket.progress
            bar.progress(
                fraction,
                text=t("reports.working_part", lang, part=part) if part else t("reports.working", lang),
            )
        time.sleep(0.25)
    note.empty()
    if bar is not None:
        bar.empty()
    return ticket.result()
