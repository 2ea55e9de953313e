"""Red flags on a province's key indicators, computed from the published figures — never typed.

Three rules, each stated beside its flag with its numbers (:func:`rule_text`, Thai and English):

- ``off_track``: the indicator's target (``targets``) is *off track* while open or *missed* once its deadline
  has passed (``config.FLAG_TARGET_STATUSES``), judged on today's date through the clock.
- ``worse_than_median``: the latest figure is worse, in the indicator's direction (``higher_is_better``), than the
  median of the same year's figures of the pilot provinces (``cohort`` "pilot") or of all provinces ("all") by
  more than ``config.FLAG_MEDIAN_MARGIN`` of that median; only for indicators whose figures do not grow with a
  province's size (``config.FLAG_MEDIAN_KINDS``) and only when at least ``config.FLAG_MEDIAN_MIN_PROVINCES``
  provinces of the group have a figure that year.
- ``significant_change``: the latest figure moved the wrong way, against the indicator's direction, by at least
  ``config.FLAG_CHANGE_SHARE`` of the previous figure (the figure of the latest earlier year).

No figure, no flag: a key indicator without a figure, or without a stated direction for the two comparative
rules, is listed as *not judged* with the reason (:class:`Unjudged`). Pure functions over frames: the queries
that feed them are ``warehouse.queries.follow``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from provdata.basics import config
from provdata.basics.i18n import fmt_value, fmt_year, t
from provdata.strategy.freshness import Calendar

KINDS = ("off_track", "worse_than_median", "significant_change")


@dataclass(frozen=True)
class Flag:
    province_code: str
    indicator_id: str
    kind: str  # one of KINDS
    year: int  # the year of the figure flagged
    value: float  # that figure, exactly as published
    reference: float  # what it was held against: the target, the median or the previous figure
    cohort: str = ""  # worse_than_median: "pilot" or "all"
    n: int = 0  # worse_than_median: provinces of the group with a figure that year
    previous_year: int | None = None  # significant_change
    change: float | None = None  # significant_change: (value - previous) / |previous|
    status: str = ""  # off_track: the target's status
    target_year: int | None = None  # off_track
    direction: str = ""  # off_track: the target's direction; otherwise "higher" or "lower" is better

    @property
    def key(self) -> str:
        """``kind`` with its group: what an action recorded on the flag names (``worse_than_median:pilot``)."""
        return f"{self.kind}:{self.cohort}" if self.cohort else self.kind


@dataclass(frozen=True)
class Unjudged:
    indicator_id: str
    reason: (
        str  # "no_figure" | "no_direction" | "no_deadline_figure" (a target's deadline year has no figure)
    )


@dataclass(frozen=True)
class Judgement:
    flags: list[Flag] = field(default_factory=list)
    unjudged: list[Unjudged] = field(default_factory=list)


def _better(hib) -> bool | None:
    if hib is None or (isinstance(hib, float) and pd.isna(hib)) or hib is pd.NA:
        return None
    return bool(hib)


def judge(
    code: str,
    chain: pd.DataFrame,
    series: dict[tuple[str, str], list[tuple[int, float]]],
    indicators: pd.DataFrame,
    medians: pd.DataFrame,
    calendar: Calendar,
) -> Judgement:
    """The flags of province ``code``'s key indicators.

    ``chain``: the province's chain (queries.chain); ``series``: statchart.series_by_key of the province's
    figures; ``indicators``: ``id``, ``higher_is_better``, ``kind``; ``medians``: queries.follow.medians
    (``indicator_id``, ``year``, ``cohort``, ``median``, ``n``); ``calendar``: today and the release calendar.
    """
    from provdata.strategy.statchart import target_progress

    key = chain[(chain.role == "key") & chain.indicator_id.notna()].drop_duplicates("indicator_id")
    info = indicators.set_index("id")
    med = {(r.indicator_id, int(r.year), r.cohort): (float(r.median), int(r.n)) for r in medians.itertuples()}
    targets = target_progress(key, pd.DataFrame(), code, calendar, series)
    flags: list[Flag] = []
    unjudged: list[Unjudged] = []
    for iid in key.indicator_id:
        points = sorted(series.get((code, iid), []))
        if not points:
            unjudged.append(Unjudged(iid, "no_figure"))
            continue
        year, value = points[-1]
        if iid in targets:
            r, p = targets[iid]
            if p.status in ("no_deadline_figure", "awaiting"):
                unjudged.append(Unjudged(iid, "no_deadline_figure"))
            if p.status in config.FLAG_TARGET_STATUSES:
                at = int(r.target_year) if p.status == "missed" else p.latest_year
                figure = p.deadline_value if p.status == "missed" else p.latest
                flags.append(Flag(code, iid, "off_track", int(at), float(figure), float(r.target_value),
                                  status=p.status, target_year=int(r.target_year),
                                  direction=r.target_direction))  # fmt: skip
        hib = _better(info.loc[iid, "higher_is_better"]) if iid in info.index else None
        if hib is None:
            unjudged.append(Unjudged(iid, "no_direction"))
            continue
        sign = 1 if hib else -1
        better = "higher" if hib else "lower"
        if info.loc[iid, "kind"] in config.FLAG_MEDIAN_KINDS:
            for cohort in ("pilot", "all"):
                found = med.get((iid, int(year), cohort))
                if found is None or found[1] < config.FLAG_MEDIAN_MIN_PROVINCES:
                    continue
                median, n = found
                if sign * (value - median) < -config.FLAG_MEDIAN_MARGIN * abs(median):
                    flags.append(Flag(code, iid, "worse_than_median", int(year), float(value), median,
                                      cohort=cohort, n=n, direction=better))  # fmt: skip
        if len(points) >= 2:
            prev_year, prev = points[-2]
            if prev != 0:
                change = (value - prev) / abs(prev)
                if sign * change <= -config.FLAG_CHANGE_SHARE:
                    flags.append(Flag(code, iid, "significant_change", int(year), float(value), float(prev),
                                      previous_year=int(prev_year), change=change, direction=better))  # fmt: skip
    return Judgement(flags, unjudged)


def _pct(share: float) -> str:
    return f"{share * 100:.0f}"


def rule_text(flag: Flag, lang: str, era: str) -> str:
    """The rule that raised ``flag``, with its numbers, e.g. "Worse than the pilot provinces' median: 4.6 in 2022
    against a median of 3.9 (10 provinces); flagged when more than 10 % worse (lower is better)"."""
    year = fmt_year(flag.year, era)
    if flag.kind == "off_track":
        return t(f"follow.rule_{flag.status}", lang, value=fmt_value(flag.value), year=year,
                 target=fmt_value(flag.reference), target_year=fmt_year(flag.target_year, era),
                 direction=t(f"follow.direction_{flag.direction}", lang))  # fmt: skip
    better = t(f"follow.better_{flag.direction}", lang)
    if flag.kind == "worse_than_median":
        return t(f"follow.rule_median_{flag.cohort}", lang, value=fmt_value(flag.value), year=year,
                 median=fmt_value(flag.reference), n=flag.n, margin=_pct(config.FLAG_MEDIAN_MARGIN),
                 better=better)  # fmt: skip
    return t("follow.rule_change", lang, value=fmt_value(flag.value), year=year,
             previous=fmt_value(flag.reference), previous_year=fmt_year(flag.previous_year, era),
             change=f"{flag.change * 100:+.1f}", share=_pct(config.FLAG_CHANGE_SHARE), better=better)  # fmt: skip


def kind_text(flag: Flag, lang: str) -> str:
    """The flag's name: "Off track", "Worse than the pilots' median", …"""
    return t(f"follow.kind_{flag.key.replace(':', '_')}", lang)


def unjudged_text(item: Unjudged, lang: str) -> str:
    return t(f"follow.unjudged_{item.reason}", lang)


def rules_summary(lang: str) -> str:
    """The three rules in one paragraph, with the thresholds (the page and the report state it)."""
    return t(
        "follow.rules",
        lang,
        margin=_pct(config.FLAG_MEDIAN_MARGIN),
        n=config.FLAG_MEDIAN_MIN_PROVINCES,
        share=_pct(config.FLAG_CHANGE_SHARE),
    )


def as_frame(judgement: Judgement) -> pd.DataFrame:
    """The flags as rows (the numbers only; the words are made per language by :func:`rule_text`)."""
    cols = ["province_code", "indicator_id", "kind", "cohort", "year", "value", "reference", "n",
            "previous_year", "change", "status", "target_year", "direction"]  # fmt: skip
    return pd.DataFrame([{c: getattr(f, c) for c in cols} for f in judgement.flags], columns=cols)
