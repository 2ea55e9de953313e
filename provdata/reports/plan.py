"""The statistics development plan (provdata.strategy.statchart.development_plan) as a PDF."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from provdata.basics.i18n import t
from provdata.reports import pdf


def plan_pdf(
    plan: pd.DataFrame, province: str, lang: str, rule: str, example_note: str | None, build_id: str
) -> bytes:
    """The development plan as a PDF (A4 landscape, Sarabun embedded)."""
    meta = [
        f"{t('chart.pdf_made', lang)} {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC · build {build_id}",
        rule,
    ]
    html_text = pdf.document(
        f"{t('chart.plan_title', lang)} — {province}", lang, meta, [example_note] if example_note else [], plan,
        [t("chart.plan_intro", lang), t("chart.pdf_sources", lang)],
    )  # fmt: skip
    return pdf.to_pdf(html_text)
