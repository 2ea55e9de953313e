"""The follow-up view of a province, as plain data: its key indicators' flags with the rule beside each, the
actions recorded on them (owner, due date, status) with their review lines computed from the figures, overdue
actions first, and the flags no open action answers. The page, the API, the report, the deck and the presenter
all draw from :func:`follow_up`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from provdata.basics.i18n import fmt_value, fmt_year, t
from provdata.exchange import actions as register
from provdata.strategy import flags, review
from provdata.warehouse import queries
from provdata.warehouse.db import Warehouse

FLAG_COLUMNS = ["indicator_id", "indicator", "flag_key", "flag", "year", "value", "reference", "rule",
                "rule_th", "rule_en", "open_actions", "caveat"]  # fmt: skip
ACTION_COLUMNS = ["id", "indicator_id", "indicator", "what", "agency_id", "agency", "due_date", "due", "overdue",
                  "status", "status_text", "dropped_reason", "expected_direction", "expected", "review",
                  "review_state", "before_year", "before", "after_year", "after", "moved", "flag_cleared",
                  "flags_then", "flags_now", "caveat", "created_by", "created_at", "updated_by",
                  "updated_at"]  # fmt: skip


@dataclass(frozen=True)
class FollowUp:
    code: str
    today: dt.date
    flags: pd.DataFrame  # FLAG_COLUMNS, one row per flag
    actions: pd.DataFrame  # ACTION_COLUMNS, overdue first, then open by due date, then closed
    no_action: pd.DataFrame  # the rows of ``flags`` whose indicator has no open action
    unjudged: pd.DataFrame  # indicator_id, indicator, reason (text)
    rules: str  # the three rules with their numbers
    source_ids: frozenset[str] = frozenset()  # the sources of the figures flagged and reviewed (provenance)

    @property
    def overdue(self) -> pd.DataFrame:
        return self.actions[self.actions.overdue]

    def open_count(self, indicator_id: str) -> int:
        a = self.actions
        return int(((a.indicator_id == indicator_id) & a.status.isin(register.OPEN)).sum())


def follow_up(wh: Warehouse, code: str, today: dt.date, lang: str, era: str, stored: pd.DataFrame | None = None
              ) -> FollowUp:  # fmt: skip
    """Province ``code``'s follow-up on ``today``. ``stored``: its actions as the state store holds them
    (``exchange.actions.actions(code)``; read here when not given)."""
    judged = register.judgement(wh, code, today)
    stored = register.actions(code) if stored is None else stored
    chain = queries.chain(wh, code)
    ids = sorted(set(chain.indicator_id.dropna()) | set(stored.indicator_id))
    info = queries.indicator_rules(wh, ids).set_index("id")
    names = {i: info.loc[i, f"name_{lang}"] for i in info.index}
    agencies = queries.agencies(wh).set_index("id")
    caveats = {i: survey_caveat(info.loc[i], lang) for i in info.index}
    figures = queries.province_figures(wh, code, ids)
    by_indicator = {
        iid: list(zip(g.year.astype(int), g.value.astype(float), g.load_id.astype(int), strict=True))
        for iid, g in figures.groupby("indicator_id")
    }
    now_flags: dict[str, set[str]] = {}
    for f in judged.flags:
        now_flags.setdefault(f.indicator_id, set()).add(f.key)
    open_by = stored[stored.status.isin(register.OPEN)].groupby("indicator_id").size().to_dict()
    flag_rows = [
        {"indicator_id": f.indicator_id, "indicator": names.get(f.indicator_id, f.indicator_id), "flag_key": f.key,
         "flag": flags.kind_text(f, lang), "year": f.year, "value": f.value, "reference": f.reference,
         "rule": flags.rule_text(f, lang, era), "rule_th": flags.rule_text(f, "th", "be"),
         "rule_en": flags.rule_text(f, "en", "ce"), "open_actions": int(open_by.get(f.indicator_id, 0)),
         "caveat": caveats.get(f.indicator_id, "")}
        for f in judged.flags
    ]  # fmt: skip
    flag_frame = pd.DataFrame(flag_rows, columns=FLAG_COLUMNS)
    rows = []
    for a in stored.astype(object).where(stored.notna(), None).to_dict("records"):
        iid = a["indicator_id"]
        r = review.review(a, by_indicator.get(iid, []), now_flags.get(iid, set()))
        rows.append({
            "id": int(a["id"]), "indicator_id": iid, "indicator": names.get(iid, iid), "what": a["what"],
            "agency_id": a["agency_id"],
            "agency": agencies.loc[a["agency_id"], f"short_{lang}"] if a["agency_id"] in agencies.index else a["agency_id"],
            "due_date": a["due_date"], "due": review.due_text(a, today, lang, era),
            "overdue": review.overdue(a, today), "status": a["status"],
            "status_text": t(f"follow.status_{a['status']}", lang), "dropped_reason": a["dropped_reason"],
            "expected_direction": a["expected_direction"],
            "expected": t(f"follow.expected_{a['expected_direction']}", lang),
            "review": review.text(r, lang, era), "review_state": r.state, "before_year": r.before_year,
            "before": r.before, "after_year": r.after_year, "after": r.after, "moved": r.moved,
            "flag_cleared": r.cleared, "flags_then": ",".join(r.flags_before), "flags_now": ",".join(r.flags_now),
            "caveat": caveats.get(iid, ""), "created_by": a["created_by"], "created_at": a["created_at"],
            "updated_by": a["updated_by"], "updated_at": a["updated_at"],
        })  # fmt: skip
    action_frame = pd.DataFrame(rows, columns=ACTION_COLUMNS)
    if len(action_frame):
        rank = action_frame.overdue.map({True: 0, False: 1}) + (~action_frame.status.isin(register.OPEN)) * 2
        action_frame = (action_frame.assign(_rank=rank).sort_values(["_rank", "due_date", "id"])
                        .drop(columns="_rank").reset_index(drop=True))  # fmt: skip
    no_action = flag_frame[flag_frame.open_actions == 0].reset_index(drop=True)
    unjudged = pd.DataFrame(
        [{"indicator_id": u.indicator_id, "indicator": names.get(u.indicator_id, u.indicator_id),
          "reason": flags.unjudged_text(u, lang)} for u in judged.unjudged],
        columns=["indicator_id", "indicator", "reason"],
    )  # fmt: skip
    used = set(flag_frame.indicator_id) | set(action_frame.indicator_id)
    sources = frozenset(figures.loc[figures.indicator_id.isin(used), "source_id"])
    return FollowUp(
        code, today, flag_frame, action_frame, no_action, unjudged, flags.rules_summary(lang), sources
    )


def survey_caveat(indicator: pd.Series | dict, lang: str) -> str:
    """What a review of a sample-survey figure carries (figures.survey_caveat: poverty, household and farm
    surveys): that a move between two releases may be sampling noise, then the indicator's own caveat; "" for
    other figures."""
    from provdata.views.figures import survey_caveat as caveat

    text = caveat(indicator, lang)
    return t("follow.survey_caveat", lang, caveat=text) if text else ""


def choices(chain: pd.DataFrame, lang: str) -> tuple[list[str], dict[str, str]]:
    """The key indicators an action may be recorded on (ids, sorted) and every indicator's name in ``lang``."""
    key = chain.loc[(chain.role == "key") & chain.indicator_id.notna(), "indicator_id"]
    return sorted(set(key)), dict(zip(chain.indicator_id, chain[f"indicator_{lang}"], strict=False))


def marks(view: FollowUp) -> dict[str, tuple[int, int]]:
    """indicator id → (flags, open actions): what the profile's cards and the chart's nodes carry."""
    out: dict[str, tuple[int, int]] = {}
    for iid in set(view.flags.indicator_id) | set(view.actions.indicator_id):
        out[iid] = (int((view.flags.indicator_id == iid).sum()), view.open_count(iid))
    return out


def mark_text(n_flags: int, n_open: int, lang: str) -> str:
    """ "⚑ 2 flags · 1 open action" (empty when neither)."""
    parts = []
    if n_flags:
        parts.append(t("follow.mark_flags", lang, n=n_flags))
    if n_open:
        parts.append(t("follow.mark_actions", lang, n=n_open))
    return " · ".join(parts)


def flag_table(view: FollowUp, lang: str, era: str) -> pd.DataFrame:
    """The flags as the page and the report show them."""
    f = view.flags
    return pd.DataFrame({
        t("follow.col_indicator", lang): f.indicator, t("follow.col_flag", lang): f.flag,
        t("follow.col_year", lang): [fmt_year(y, era) for y in f.year],
        t("follow.col_value", lang): [fmt_value(v) for v in f.value], t("follow.col_rule", lang): f.rule,
        t("follow.col_open_actions", lang): f.open_actions,
    })  # fmt: skip


def action_table(view: FollowUp, lang: str) -> pd.DataFrame:
    """The actions as the page and the report show them (overdue first)."""
    a = view.actions
    return pd.DataFrame({
        t("follow.col_id", lang): a.id, t("follow.col_indicator", lang): a.indicator,
        t("follow.col_what", lang): a.what, t("follow.col_agency", lang): a.agency,
        t("follow.col_due", lang): a.due, t("follow.col_status", lang): a.status_text,
        t("follow.col_review", lang): a.review, t("follow.col_expected", lang): a.expected,
        t("follow.col_caveat", lang): a.caveat,
    })  # fmt: skip


def download_frame(view: FollowUp) -> pd.DataFrame:
    """Flags and actions as one plain table for CSV/Excel: a row per flag (``record`` "flag") and per action
    (``record`` "action"), with the exact figures, the rule and the review line in the page's language."""
    f = view.flags.assign(record="flag", province_code=view.code)
    a = view.actions.assign(record="action", province_code=view.code)
    cols = ["record", "province_code", "indicator_id", "indicator", "flag_key", "flag", "year", "value",
            "reference", "rule", "rule_th", "rule_en", "open_actions", "id", "what", "agency_id", "due_date", "overdue", "status",
            "dropped_reason", "expected_direction", "review_state", "before_year", "before", "after_year", "after",
            "moved", "flag_cleared", "review", "caveat", "created_by", "created_at", "updated_by", "updated_at"]  # fmt: skip
    return pd.concat([f, a], ignore_index=True).reindex(columns=cols)


def about(view: FollowUp, sources: pd.DataFrame, name: str, build_id: str, lang: str):
    """The provenance a download of the register carries: title, province and day, the sources of the figures
    flagged and reviewed (with agency and licence), the rules, and that a review is not a claim of cause."""
    from provdata.views.exports import About, about_sources

    return About(
        t("follow.download_about", lang, province=name), {"province": view.code, "as of": view.today.isoformat()},
        about_sources(sources, set(view.source_ids), lang), build_id, [view.rules, t("follow.honest", lang)],
    )  # fmt: skip
