"""The phone page (provdata/views/lite.py) of the profile and the map: when it is served, and its figures, read
from the same caches the Streamlit pages read.

**Who gets it.** The profile and the map keep one URL each (``/profile?province=60&lang=th``, ``/map?…``), the
link people share. A phone that opens one gets the phone page; a tablet or a computer gets the Streamlit page, as
before. "A phone" is what the browser says of itself: the ``Sec-CH-UA-Mobile: ?1`` client hint (Chromium-based
browsers send it on every request) or "Mobi" in its User-Agent (what MDN recommends looking for: Chrome and
Firefox on Android, Safari on the iPhone; tablets leave it out). The answer says ``Vary`` on both, so no cache
hands one kind of page to the other. ``view=full`` in the URL asks for the Streamlit page on a phone too (the
phone page's link to the interactive page carries it), ``view=lite`` for the phone page on any screen (a slow
office PC, say). No cookie: the choice is in the link, and a link shared from either page opens the right page
for whoever opens it.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

import pandas as pd

from provdata.basics.i18n import LANG_NAMES, LANGS, default_era, fmt_exact, fmt_year, t
from provdata.ui import cached
from provdata.ui.nav import PAGES
from provdata.views import figures, lite
from provdata.views.firstview import Card
from provdata.views.profile import card_lines, delta_trend, region_text

#: the pages that have a phone page ("" is the app root, which opens the profile)
PHONE_PAGES = ("", "profile", "map")
#: what the answers vary on (provdata/ui/head.py sends it with the Streamlit page too)
VARY = "User-Agent, Sec-CH-UA-Mobile"


def is_phone(headers: Mapping[str, str]) -> bool:
    """Whether the browser that sent ``headers`` (lower-case names) says it is a phone."""
    if headers.get("sec-ch-ua-mobile", "").strip() == "?1":
        return True
    return "Mobi" in headers.get("user-agent", "")


def wanted(path: str, params: Mapping[str, str], headers: Mapping[str, str]) -> bool:
    """Whether the page at ``path`` (its url_path) is answered with its phone page."""
    if path not in PHONE_PAGES:
        return False
    view = params.get("view")
    return view == "lite" or (view != "full" and is_phone(headers))


class _Choices:
    """The URL's choices as the page takes them: a value the page does not know gives way to the default, and the
    page says so (as the Streamlit page does, with the same words)."""

    def __init__(self, params: Mapping[str, str], lang: str) -> None:
        self.params, self.lang, self.notes = params, lang, []

    def pick(self, key: str, options, default: str, label=None) -> str:
        value = self.params.get(key)
        if value is None or value in options:
            return default if value is None else value
        used = label(default) if label else default
        self.notes.append(t("app.bad_param", self.lang, value=f"{key}={value}", used=used))
        return default


def _href(path: str, **params: str) -> str:
    return f"./{path}?{urlencode({k: v for k, v in params.items() if v is not None})}"


def page(path: str, params: Mapping[str, str]) -> str | None:
    """The phone page of ``path`` ("" or "profile", "map") as the URL's ``params`` ask; None when the
    warehouse cannot be read (the Streamlit page then says why)."""
    from provdata.basics.errors import ProvdataError

    lang = params.get("lang")
    lang = lang if lang in LANGS else "th"
    era = params.get("era")
    era = era if era in ("be", "ce") else default_era(lang)
    here = path or next(spec.url_path for spec in PAGES if spec.default)
    try:
        build = cached.build_id()
        meta = cached.meta(build)
    except ProvdataError:
        return None
    choices = _Choices(params, lang)
    view = "lite" if params.get("view") == "lite" else None  # kept in the page's own links
    make = _profile if here == "profile" else _map
    title, fields, main, kept = make(build, choices, lang, era)

    def link(**changed: str) -> str:
        return _href(here, **{**kept, "lang": lang, "era": era, "view": view, **changed})

    languages = [
        (LANG_NAMES[code], None if code == lang else link(lang=code, era=default_era(code)), code)
        for code in LANGS
    ]
    eras = [(t(f"app.era_{e}", lang), None if e == era else link(era=e), None) for e in ("be", "ce")]
    frame = lite.Frame(
        lang=lang,
        title=f"{title} — {t('app.title', lang)}",
        description=t("lite.description", lang),
        home=(_href("profile", lang=lang, era=era, view=view), t("app.short", lang)),
        switches=[(t("app.language", lang), languages), (t("app.era", lang), eras)],
        action=f"./{here}",
        hidden=[("lang", lang), ("era", era)] + ([("view", view)] if view else []),
        submit=t("lite.show", lang),
        full=(_href(here, **kept, lang=lang, era=era, view="full"), t("lite.full", lang)),
        pages=(
            t("lite.pages", lang),
            [(_href(spec.url_path, lang=lang, era=era), t(spec.title_key, lang)) for spec in PAGES],
        ),
        notes=[
            t("app.sources_note", lang),
            t("app.data_build", lang, build_id=build, built_at=f"{meta['built_at']:%Y-%m-%d %H:%M}"),
        ],
        warnings=choices.notes,
    )
    return lite.document(frame, fields, main)


def _profile(build: str, choices: _Choices, lang: str, era: str):
    """What pages/profile.py shows: the headline cards, one indicator year by year (``?indicator=``, the first
    card's by default; as a table, its chart is on the interactive page), every indicator's latest figure (the
    downloads are on the interactive page)."""
    provinces = cached.provinces(build)
    codes = provinces["code"].tolist()
    names = dict(zip(codes, provinces[f"name_{lang}"], strict=True))
    pilots = set(provinces.loc[provinces.cohort == "pilot", "code"])

    def label(c: str) -> str:
        return f"{'★ ' if c in pilots else ''}{names[c]} ({c})"

    code = choices.pick("province", codes, codes[0], label)
    province = cached.province(build, code)
    view, sparks, _arrow = cached.profile_view(build, code, lang, era, cached.today())
    indicators = cached.indicators(build)
    ids = indicators["id"].tolist()
    names_ = dict(zip(ids, indicators[f"theme_{lang}"] + " · " + indicators[f"name_{lang}"], strict=True))
    indicator_id = choices.pick("indicator", ids, view.first_card, names_.__getitem__)
    name = province[f"name_{lang}"]
    cards = [
        Card(
            label=card.label, value=card.value, delta=card.delta, trend=delta_trend(card),
            caption=card_lines(card, view.targets, lang, era), spark=sparks.get(card.indicator_id),
        )
        for card in view.cards
    ]  # fmt: skip
    found = cached.profile_history(build, code, indicator_id, lang, era, cached.today())
    if found is None:
        history = lite.History(
            t("profile.history_title", lang), "", (), (), t("profile.no_data", lang, province=name)
        )
    else:
        one = found[0]
        history = lite.History(
            t("profile.history_title", lang), f"{one.chart_title} ({one.unit})", tuple(one.table.columns),
            [tuple(row) for row in one.table.itertuples(index=False)], one.caption,
        )  # fmt: skip
    main = lite.profile(
        name,
        (t("profile.pilot_badge", lang) if code in pilots else None, region_text(province, lang)),
        t("profile.intro", lang, province=name),
        cards,
        history,
        t("profile.all_title", lang, province=name),
        _indicator_rows(view.table, lang),
        t("profile.caption", lang, sources=view.agencies, era=t(f"app.era_{era}", lang)),
    )
    fields = [
        lite.Field("province", t("profile.province", lang), [lite.Option(c, label(c), c == code) for c in codes]),
        lite.Field(
            "indicator", f"{t('profile.history_title', lang)} · {t('profile.history_indicator', lang)}",
            [lite.Option(i, n, i == indicator_id, group=th)
             for i, n, th in zip(ids, indicators[f"name_{lang}"], indicators[f"theme_{lang}"], strict=True)],
        ),
    ]  # fmt: skip
    return f"{name} — {t('nav.profile', lang)}", fields, main, {"province": code, "indicator": indicator_id}


def _indicator_rows(table: pd.DataFrame, lang: str) -> list[tuple[str, list[lite.Row]]]:
    """The profile's table of every indicator (views.profile.indicator_table, the columns the Streamlit page
    shows) as rows by theme, each figure with its year, its status by the release calendar, change, ranks and
    source."""

    def col(key: str) -> str:
        return t(f"profile.{key}", lang)

    status_col = t("views.col_status", lang)
    out: list[tuple[str, list[lite.Row]]] = []
    for theme, rows in table.groupby(col("col_theme"), sort=False):
        shown = []
        for _i, r in rows.iterrows():
            status = r[status_col]
            stale = status.startswith(
                t("views.ages_out_of_date", lang)
            )  # ages.status_text's "out of date: …"
            lines = [
                f"{col('col_year')}: {r[col('col_year')]}",
                f"⚠ {status}" if stale else f"{status_col}: {status}",
                f"{col('col_change')}: {r[col('col_change')]}",
                f"{col('col_rank_all')}: {r[col('col_rank_all')]} · {col('col_rank_pilot')}: "
                f"{r[col('col_rank_pilot')]}",
                f"{col('col_source')}: {r[col('col_source')]}",
            ]
            shown.append(
                lite.Row(r[col("col_indicator")], fmt_exact(r[col("col_value")]), r[col("col_unit")], lines)
            )
        out.append((theme, shown))
    return out


def _map(build: str, choices: _Choices, lang: str, era: str):
    """What pages/map.py shows with its static picture: the picture, key, captions and the figures behind it
    (the interactive map and the downloads are on the interactive page)."""
    indicators = cached.indicators(build)
    ids = indicators["id"].tolist()
    labels = dict(zip(ids, indicators[f"theme_{lang}"] + " · " + indicators[f"name_{lang}"], strict=True))
    default = figures.MAP_INDICATOR if figures.MAP_INDICATOR in ids else ids[0]
    indicator_id = choices.pick("indicator", ids, default, labels.__getitem__)
    ind = cached.indicator(build, indicator_id)
    levels = figures.map_levels(ind)
    level = choices.pick("level", levels, "province", lambda v: t(f"map.level_{v}", lang))
    years = cached.indicator_years(build, indicator_id, level)["year"].tolist()
    title = t("map.title", lang)
    fields = [
        lite.Field("indicator", t("profile.history_indicator", lang), [
            lite.Option(i, n, i == indicator_id, group=th)
            for i, n, th in zip(ids, indicators[f"name_{lang}"], indicators[f"theme_{lang}"], strict=True)
        ]),
        lite.Field("level", t("map.level", lang),
                   [lite.Option(v, t(f"map.level_{v}", lang), v == level) for v in levels]),
    ]  # fmt: skip
    kept = {"indicator": indicator_id, "level": level}
    if not years:  # an indicator in the catalogue whose figures are not published yet
        note = t("map.no_figures_yet", lang, indicator=ind[f"name_{lang}"])
        return title, fields, lite.map_empty(title, t("map.intro", lang), [note]), kept
    year = int(choices.pick("year", [str(y) for y in years], str(years[-1]), lambda y: fmt_year(int(y), era)))
    fields.append(lite.Field("year", t("views.year", lang),
                             [lite.Option(str(y), fmt_year(y, era), y == year) for y in years]))  # fmt: skip
    kept["year"] = str(year)
    offered = figures.can_per_capita(ind, level)
    per_capita = offered and choices.pick("percap", ("0", "1"), "0") == "1"
    if offered:
        fields.append(
            lite.Field(
                "percap", t("map.per_capita", lang, unit=ind[f"per_capita_unit_{lang}"]), checked=per_capita
            )
        )
        kept["percap"] = "1" if per_capita else "0"
    view = cached.map_view(build, indicator_id, year, level, per_capita, lang, era, False, cached.today())
    notes = []
    if view["no_population"]:
        notes.append(t("map.per_capita_missing", lang, year=fmt_year(year, era)))
    if view["legend"] is None:
        notes.append(t("map.no_figures", lang, year=fmt_year(year, era)))
        return title, fields, lite.map_empty(title, t("map.intro", lang), notes), kept
    table = view["table"]
    value_col = t("views.col_value", lang, unit=view["unit"])
    numbers = [value_col] + (
        [t("views.col_published", lang), t("views.col_population", lang)] if view["per_capita"] else []
    )
    head = [t("views.col_rank", lang), t("views.col_area", lang), *numbers]
    no_data = t("views.no_data", lang)
    rows = [
        ["–" if pd.isna(r[head[0]]) else str(int(r[head[0]])), r[head[1]]]
        + [fmt_exact(r[c]) if pd.notna(r[c]) else no_data for c in numbers]
        for _i, r in table.iterrows()
    ]
    status = next((s for s in table[t("views.col_status", lang)] if s), "")
    main = lite.map_page(
        title, t("map.intro", lang), (view["picture"], view["alt"]),
        figures.legend_html(view["legend"], view["unit"], lang),
        [t("map.shown_year", lang, year=view["year_text"]), t("map.pilots", lang),
         figures.source_caption(cached.sources(build), view["used"], year, lang, era)],
        t("map.table_title", lang, n=len(table)), f"{t('views.col_status', lang)}: {status}", head, rows,
        notes,
    )  # fmt: skip
    return title, fields, main, kept
