"""The annual provincial statistics report (HTML and PDF), following the NSO provincial report shape:
overview (locator map, key figures with change and rank), tables by theme (latest 3 years), the strategic
issues with their key indicators and readiness, the data gaps and plan, and an appendix of definitions and
sources. Every sentence about the data is computed from the figures."""

from __future__ import annotations

import base64
import datetime as dt
import html
from collections.abc import Callable
from functools import cached_property

import altair as alt
import pandas as pd

from provdata.basics import clock
from provdata.basics.i18n import fmt_exact, fmt_year, licence_text, t
from provdata.reports.pdf import CSS, table_html
from provdata.reports.pictures import png_bytes
from provdata.strategy import statchart
from provdata.views import ages, figures
from provdata.views.charts import series_line
from provdata.views.profile import headline_ids
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse

REPORT_CSS = (
    CSS.replace("size: A4 landscape", "size: A4")
    + """
h2 { font-size: 14pt; margin: 16pt 0 4pt 0; border-bottom: 1pt solid #2c7fb8; }
h3 { font-size: 11.5pt; margin: 10pt 0 2pt 0; }
p.sentence { margin: 2pt 0; }
p.foot { color: #555; font-size: 8.5pt; margin: 2pt 0 8pt 0; }
img.map { float: right; width: 42%; margin: 0 0 6pt 8pt; }
img.chart { width: 55%; display: block; margin: 2pt 0 6pt 12pt; }
section { page-break-inside: auto; }
"""
)


def _png(chart: alt.TopLevelMixin) -> str:
    return "data:image/png;base64," + base64.b64encode(png_bytes(chart)).decode()


def locator_map(code: str, lang: str) -> alt.Chart:
    """Thailand's provinces with the report's province highlighted (Vega-Lite geoshape, no tiles)."""
    from provdata.views.maps import boundaries

    gdf = boundaries("province").copy()
    gdf["mine"] = gdf.code == code
    return (
        alt.Chart(gdf, width=220, height=380)
        .mark_geoshape(stroke="white", strokeWidth=0.4)
        .encode(
            color=alt.Color(
                "mine:N", scale=alt.Scale(domain=[False, True], range=["#c8d6e5", "#d7301f"]), legend=None
            )
        )
        .project("mercator")
        .configure(font="Sarabun")
        .configure_view(stroke=None)
    )


def _ordinal(n: int, lang: str) -> str:
    if lang == "th":
        return f"อันดับที่ {n}"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def sentence(ind: pd.Series, h: pd.Series, lang: str, era: str) -> str | None:
    """e.g. "GPP per capita fell 3.7% in 2020, 8th of the 10 pilot provinces." — computed, never written."""
    if pd.isna(h.prev_value) or h.prev_value == 0:
        return None
    pct = (h.value - h.prev_value) / abs(h.prev_value) * 100
    verb = t("report.rose" if pct > 0 else "report.fell" if pct < 0 else "report.unchanged", lang)
    rank = (
        t("report.rank_pilot", lang, rank=_ordinal(int(h.rank_pilot), lang), n=int(h.n_pilot_with_data))
        if pd.notna(h.rank_pilot)
        else t("report.rank_all", lang, rank=_ordinal(int(h.rank_all), lang), n=int(h.n_all))
    )
    return t("report.sentence", lang, indicator=ind[f"name_{lang}"], verb=verb, pct=f"{abs(pct):.1f}",
             year=fmt_year(int(h.year), era), rank=rank)  # fmt: skip


def _year_label(year: int, lang: str) -> str:
    return f"{year + 543} ({year})" if lang == "th" else str(year)


class Sections:
    """The report's parts, each one function returning HTML; add a part by adding a method to ORDER."""

    ORDER = ("overview", "themes", "issues", "plan", "follow", "appendix")

    def __init__(self, wh: Warehouse, code: str, year: int, lang: str) -> None:
        self.wh, self.code, self.year, self.lang = wh, code, year, lang
        self.era = "be" if lang == "th" else "ce"
        self.indicators = queries.indicators(wh).set_index("id")
        self.sources = queries.sources(wh).set_index("id")
        self.province = queries.provinces(wh).set_index("code").loc[code]
        self.name = self.province[f"name_{lang}"]
        self.headlines = queries.headlines(wh, code, list(self.indicators.index), as_of=year).set_index(
            "indicator_id"
        )
        self.series = queries.series(wh, list(self.indicators.index), [code])
        # a series is judged on its latest figure, which may be later than the report's year
        self.latest = self.series.groupby("indicator_id")["year"].max().astype(int).to_dict()
        self.series = self.series[self.series.year <= year]
        self.used_sources: set[str] = set(self.series.source_id)

    def _foot(self, source_ids: set[str]) -> str:
        rows = self.sources.loc[sorted(source_ids)]
        text = "; ".join(
            f"{r[f'title_{self.lang}']} ({r[f'agency_short_{self.lang}']})" for _, r in rows.iterrows()
        )
        return f'<p class="foot">{html.escape(t("report.source", self.lang, sources=text))}</p>'

    def _year_cell(self, year: int, latest: int, fresh) -> str:
        """A headline's year; "latest figure: …" when the series runs past the report's year; "out of date" when
        the series is (judged on its latest figure, not on the report's year)."""
        later = t("report.later_figure", self.lang, year=fmt_year(latest, self.era)) if latest > year else ""
        return " · ".join(
            filter(None, [_year_label(year, self.lang), later, ages.short_mark(fresh, self.lang)])
        )

    def overview(self) -> str:
        lang = self.lang
        cards = headline_ids(self.indicators.reset_index(), self.headlines.reset_index())
        rows, sentences, used, stale = [], [], set(), []
        for iid in cards:
            if iid not in self.headlines.index:
                continue
            h, ind = self.headlines.loc[iid], self.indicators.loc[iid]
            latest = self.latest.get(iid, int(h.year))
            fresh = ages.status(self.calendar, iid, latest)
            if ages.is_stale(fresh):
                stale.append(
                    f"{ind[f'name_{lang}']} ({fmt_year(latest, self.era)}): {ages.mark(fresh, lang, self.era)}"
                )
            if figures.survey_caveat(ind, lang):  # ranked below: small provincial samples
                stale.append(f"{ind[f'name_{lang}']}: {t('views.survey_short', lang)}")
            used.add(h.source_id)
            change = (
                "–"
                if pd.isna(h.prev_value) or h.prev_value == 0
                else f"{(h.value - h.prev_value) / abs(h.prev_value) * 100:+.1f}%"
            )
            rows.append({
                t("report.col_indicator", lang): ind[f"name_{lang}"],
                t("report.col_unit", lang): ind[f"unit_{lang}"],
                t("report.col_year", lang): self._year_cell(int(h.year), latest, fresh),
                t("report.col_value", lang): fmt_exact(h.value),
                t("report.col_change", lang): change,
                t("report.col_rank_pilot", lang): "–" if pd.isna(h.rank_pilot) else f"{int(h.rank_pilot)}/{int(h.n_pilot_with_data)}",
                t("report.col_rank_all", lang): f"{int(h.rank_all)}/{int(h.n_all)}",
            })  # fmt: skip
            s = sentence(ind, h, lang, self.era)
            if s:
                sentences.append(s)
        region = self.province["region_th" if lang == "th" else "region"]
        out = [
            f"<h2>{t('report.part1', lang)}</h2>",
            f'<img class="map" alt="{html.escape(t("report.map_alt", lang, province=self.name, region=region))}"'
            f' src="{_png(locator_map(self.code, lang))}"/>',
        ]
        out.append(f"<p>{html.escape(t('report.intro', lang, province=self.name, region=region))}</p>")
        out += [f'<p class="sentence">• {html.escape(s)}</p>' for s in sentences]
        out.append('<div style="clear: both"></div>')
        out.append(table_html(pd.DataFrame(rows)))
        out += [f'<p class="sentence">• {html.escape(line)}</p>' for line in stale]  # Sarabun has no ⚠
        out.append(self._foot(used))
        return "".join(out)

    def themes(self) -> str:
        lang = self.lang
        out = [f"<h2>{t('report.part2', lang)}</h2>"]
        for _theme, group in self.indicators.groupby("theme", sort=False):
            ids = [i for i in group.index if i in set(self.series.indicator_id)]
            if not ids:
                continue
            data = self.series[self.series.indicator_id.isin(ids)]
            years = sorted(set(data.year))[-3:]
            rows = []
            for iid in ids:
                mine = data[data.indicator_id == iid].set_index("year")["value"]
                row = {t("report.col_indicator", lang): group.loc[iid, f"name_{lang}"],
                       t("report.col_unit", lang): group.loc[iid, f"unit_{lang}"]}  # fmt: skip
                for y in years:
                    row[_year_label(y, lang)] = (
                        fmt_exact(mine[y]) if y in mine.index else t("report.no_figure", lang)
                    )
                latest = self.latest[iid]
                row[t("report.col_latest", lang)] = ages.year_text(
                    latest, ages.status(self.calendar, iid, latest), lang, self.era
                )
                rows.append(row)
            out.append(f"<h3>{html.escape(group[f'theme_{lang}'].iloc[0])}</h3>")
            out.append(table_html(pd.DataFrame(rows)))
            out.append(self._foot(set(data.source_id)))
        return "".join(out)

    @cached_property
    def chained(self) -> pd.DataFrame:
        """The province's chain with readiness (read once, used by the issues and plan parts)."""
        chain = queries.chain(self.wh, self.code)
        if chain.empty:
            return chain
        years = queries.years_present(self.wh, [self.code], statchart.chain_indicators(chain))
        return statchart.with_readiness(chain, years, self.code, self.calendar)

    @cached_property
    def calendar(self):
        """Today (``provdata.basics.clock``) and each indicator's release schedule: the report judges readiness
        and the plan on the day it is made, not on the data's own latest year."""
        return queries.calendar(self.wh, clock.today())

    def issues(self) -> str:
        lang = self.lang
        chained = self.chained
        out = [f"<h2>{t('report.part3', lang)}</h2>"]
        if chained.empty:
            return "".join([*out, f"<p>{html.escape(t('report.no_chain', lang))}</p>"])
        if chained.example.any():
            out.append(f'<p class="warn">{html.escape(t("chart.example", lang, province=self.name))}</p>')
        for _, issue in statchart.issues(chained, lang).iterrows():
            state = t("chart.decision_ready" if issue.decision_ready else "chart.not_ready", lang)
            out.append(
                f"<h3>{html.escape(issue.title)} — {html.escape(state)} ({issue.n_key_a}/{issue.n_key} A)</h3>"
            )
            key = chained[(chained.issue_id == issue.issue_id) & (chained.role == "key")]
            for _, link in key.iterrows():
                line = f"{link[f'indicator_{lang}']}: {link.grade}"
                out.append(f'<p class="sentence">• {html.escape(line)}</p>')
                one = (
                    self.series[self.series.indicator_id == link.indicator_id]
                    if pd.notna(link.indicator_id)
                    else None
                )
                if one is not None and len(one) >= 2:
                    frame = one.assign(year_label=[fmt_year(y, self.era) for y in one.year])
                    chart = series_line(frame, link[f"indicator_{lang}"], self.indicators.loc[link.indicator_id, f"unit_{lang}"],
                                        t("report.col_year", lang)).properties(width=420, height=150)  # fmt: skip
                    alt = t("report.chart_alt", lang, indicator=link[f"indicator_{lang}"], province=self.name,
                            first=fmt_year(one.year.min(), self.era), last=fmt_year(one.year.max(), self.era))  # fmt: skip
                    out.append(f'<img class="chart" alt="{html.escape(alt)}" src="{_png(chart)}"/>')
        return "".join(out)

    def plan(self) -> str:
        lang = self.lang
        chained = self.chained
        out = [f"<h2>{t('report.part4', lang)}</h2>"]
        if chained.empty:
            return "".join([*out, f"<p>{html.escape(t('report.no_chain', lang))}</p>"])
        plan = statchart.development_plan(chained, lang, self.era, self.calendar,
                                          queries.plan_status(self.wh, self.code))  # fmt: skip
        keep = [
            t(f"chart.{c}", lang)
            for c in (
                "col_issue",
                "col_indicator",
                "col_grade",
                "col_action",
                "col_agency",
                "col_priority",
                "col_status",
            )
        ]
        out.append(
            table_html(plan[keep]) if not plan.empty else f"<p>{html.escape(t('chart.plan_empty', lang))}</p>"
        )
        return "".join(out)

    @cached_property
    def follow_up(self):
        """The province's flags and actions today (views.follow), read once for the report's part and the deck."""
        from provdata.views import follow

        return follow.follow_up(self.wh, self.code, clock.today(), self.lang, self.era)

    def follow(self) -> str:
        """Flags and actions: what was flagged (with the rule), what the province decided and did, and what the
        figures show now (the review lines) — whether a figure moved, never that an action caused it."""
        from provdata.views import follow

        lang = self.lang
        out = [f"<h2>{t('report.part_follow', lang)}</h2>"]
        if self.chained.empty:
            return "".join([*out, f"<p>{html.escape(t('report.no_chain', lang))}</p>"])
        view = self.follow_up
        out.append(f'<p class="foot">{html.escape(view.rules)}</p>')
        out.append(f"<h3>{html.escape(t('report.follow_flagged', lang))}</h3>")
        out.append(table_html(follow.flag_table(view, lang, self.era)) if len(view.flags)
                   else f"<p>{html.escape(t('follow.no_flags', lang))}</p>")  # fmt: skip
        out.append(f"<h3>{html.escape(t('report.follow_done', lang))}</h3>")
        if len(view.actions):
            table = follow.action_table(view, lang).drop(columns=[t("follow.col_caveat", lang)])
            out.append(table_html(table))
            for row in (
                view.actions.loc[view.actions.caveat != "", ["indicator", "caveat"]]
                .drop_duplicates()
                .itertuples()
            ):
                out.append(f'<p class="foot">{html.escape(f"{row.indicator}: {row.caveat}")}</p>')
        else:
            out.append(f"<p>{html.escape(t('follow.no_actions', lang))}</p>")
        if len(view.no_action):
            out.append(
                f'<p class="sentence">{html.escape(t("report.follow_unanswered", lang, n=len(view.no_action), indicators=", ".join(dict.fromkeys(view.no_action.indicator))))}</p>'
            )
        out.append(f'<p class="foot">{html.escape(t("follow.honest", lang))}</p>')
        return "".join(out)

    def appendix(self) -> str:
        lang = self.lang
        ids = sorted(set(self.series.indicator_id))
        rows = [
            {
                t("report.col_indicator", lang): self.indicators.loc[i, f"name_{lang}"],
                t("report.col_definition", lang): self.indicators.loc[i, f"definition_{lang}"],
                t("report.col_source", lang): self.indicators.loc[i, f"agency_short_{lang}"],
                t("report.col_licence", lang): licence_text(self.indicators.loc[i, "license"], lang),
            }
            for i in ids
        ]
        return f"<h2>{t('report.appendix', lang)}</h2>" + table_html(pd.DataFrame(rows))


def build_html(
    wh: Warehouse,
    code: str,
    year: int,
    lang: str,
    progress: Callable[[float, str], None] = lambda _f, _s: None,
) -> str:
    """The whole report as one HTML document (images embedded), with filters, sources, date and licence."""
    parts = Sections(wh, code, year, lang)
    title = t("report.title", lang, province=parts.name, year=fmt_year(year, parts.era))
    meta = queries.meta(wh)
    head = [
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="meta">{html.escape(t("report.meta", lang, made=f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M}", build=meta["build_id"], code=code, year=fmt_year(year, parts.era)))}</p>',
        f'<p class="meta">{html.escape(t("report.licence", lang))}</p>',
    ]
    body = []
    for i, name in enumerate(Sections.ORDER):
        progress(i / len(Sections.ORDER), name)
        body.append(f"<section>{getattr(parts, name)()}</section>")
    progress(1.0, "done")
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{REPORT_CSS}</style></head><body>{''.join(head + body)}</body></html>"
    )


def build_pdf(wh: Warehouse, code: str, year: int, lang: str, progress=lambda _f, _s: None) -> bytes:
    from provdata.reports.pdf import to_pdf

    return to_pdf(build_html(wh, code, year, lang, progress))


def make(wh: Warehouse, code: str, year: int, lang: str, fmt: str, progress=lambda _f, _s: None) -> bytes:
    """The report as ``pdf`` or ``html`` bytes."""
    if fmt == "pdf":
        return build_pdf(wh, code, year, lang, progress)
    if fmt == "html":
        return build_html(wh, code, year, lang, progress).encode("utf-8")
    if fmt == "pptx":
        return build_pptx(wh, code, year, lang, progress)
    raise ValueError(f"format must be pdf, html or pptx, not {fmt!r}")


def build_pptx(wh: Warehouse, code: str, year: int, lang: str, progress=lambda _f, _s: None) -> bytes:
    """The province's slides (title + one key indicator each, figures up to ``year``) as PowerPoint."""
    from provdata.reports.deck import province_deck
    from provdata.reports.slides import province_slides

    era = "be" if lang == "th" else "ce"
    progress(0.1, "slides")
    ind = queries.indicators(wh)
    ids = ind.id.tolist()
    series = queries.series(wh, ids, [code])
    slides = province_slides(
        queries.provinces(wh).set_index("code").loc[code].to_dict(),
        queries.headlines(wh, code, ids, as_of=year), ind, series[series.year <= year], lang, era,
        queries.calendar(wh, clock.today()), series.groupby("indicator_id")["year"].max().astype(int).to_dict(),
    )  # fmt: skip
    if not queries.chain(wh, code).empty:  # the deck's part "Flags and actions"
        from provdata.reports.slides import follow_slides
        from provdata.views import follow

        slides += follow_slides(follow.follow_up(wh, code, clock.today(), lang, era), lang, era)
    progress(0.4, "charts")
    filters = t("report.deck_filters", lang, code=code, year=fmt_year(year, era))
    data = province_deck(slides, lang, era, queries.meta(wh)["build_id"], filters)
    progress(1.0, "done")
    return data
