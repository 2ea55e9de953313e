"""What the first view (provdata/views/firstview.py) shows of a page, read from the same caches the page reads.

provdata/ui/head.py calls :func:`first_view` for a page URL; a page without a first view, or a warehouse that
cannot be read, gets Streamlit's page alone (None).
"""

from __future__ import annotations

from collections.abc import Mapping

from provdata.basics.errors import ProvdataError
from provdata.basics.i18n import LANG_NAMES, LANGS, default_era, fmt_year, t
from provdata.ui import cached
from provdata.ui.nav import PAGES
from provdata.views import figures, firstview
from provdata.views.profile import card_lines, delta_trend, region_text


class Refused(Exception):
    """A URL value the page would refuse, saying so above its figures: no first view then (it would not be the
    page Streamlit draws)."""


def _pick(params: Mapping[str, str], key: str, options, default: str) -> str:
    """``params[key]`` when it is one of ``options``, ``default`` when it is not given."""
    value = params.get(key)
    if value is None:
        return default
    if value not in options:
        raise Refused(key)
    return value


def first_view(path: str, params: Mapping[str, str], lang: str) -> str | None:
    """The first view of the page at ``path`` (its url_path, "" for the app root) as the URL's ``params`` ask,
    in ``lang``; None where there is none."""
    era = params.get("era")
    era = era if era in ("be", "ce") else default_era(lang)
    main = {"": _profile, "profile": _profile, "map": _map}.get(path)
    if main is None:
        return None
    try:
        build = cached.build_id()
        meta = cached.meta(build)
        body = main(build, params, lang, era)
    except (ProvdataError, Refused):
        return None
    if body is None:
        return None
    here = path or next(spec.url_path for spec in PAGES if spec.default)
    links = [
        (f"./{spec.url_path}?lang={lang}&era={era}", t(spec.title_key, lang), spec.url_path == here)
        for spec in PAGES
    ]
    switches = [
        (t("app.language", lang), [(LANG_NAMES[code], lang == code) for code in LANGS]),
        (t("app.era", lang), [(t(f"app.era_{e}", lang), era == e) for e in ("be", "ce")]),
    ]
    notes = [
        t("app.sources_note", lang),
        t("app.data_build", lang, build_id=build, built_at=f"{meta['built_at']:%Y-%m-%d %H:%M}"),
    ]
    return firstview.page(firstview.sidebar(links, switches, notes), body)


def _profile(build: str, params: Mapping[str, str], lang: str, era: str) -> str:
    """As pages/profile.py draws it down to the cards (the province ?province= names, else the first)."""
    codes = cached.provinces(build)["code"].tolist()
    code = _pick(params, "province", codes, codes[0])
    province = cached.province(build, code)
    view, sparks, _table = cached.profile_view(build, code, lang, era, cached.today())
    name = province[f"name_{lang}"]
    pilot = province["cohort"] == "pilot"
    badges = (
        t("profile.pilot_badge", lang) if pilot else None,
        region_text(province, lang),
    )
    cards = [
        firstview.Card(
            label=card.label,
            value=card.value,
            delta=card.delta,
            trend=delta_trend(card),
            caption=card_lines(card, view.targets, lang, era),
            spark=sparks.get(card.indicator_id),
        )
        for card in view.cards
    ]
    picker = f"★ {name} ({code})" if pilot else f"{name} ({code})"
    present = f"./present?province={code}&slide=1&lang={lang}&era={era}"
    return firstview.profile((t("profile.province", lang), picker), name, badges,
                             t("profile.intro", lang, province=name), (present, t("nav.present", lang)),
                             cards)  # fmt: skip


def _map(build: str, params: Mapping[str, str], lang: str, era: str) -> str | None:
    """As pages/map.py draws its static picture (None for the interactive map, or a view without figures)."""
    if _pick(params, "interactive", ("0", "1"), "0") == "1":
        return None
    ids = cached.indicators(build)["id"].tolist()
    indicator_id = _pick(
        params, "indicator", ids, figures.MAP_INDICATOR if figures.MAP_INDICATOR in ids else ids[0]
    )
    ind = cached.indicator(build, indicator_id)
    levels = figures.map_levels(ind)
    level = _pick(params, "level", levels, "province")
    years = cached.indicator_years(build, indicator_id, level)["year"].tolist()
    if not years:
        return None
    year = int(_pick(params, "year", [str(y) for y in years], str(years[-1])))
    offered = figures.can_per_capita(ind, level)
    per_capita = _pick(params, "percap", ("0", "1"), "0") == "1" and offered
    view = cached.map_view(build, indicator_id, year, level, per_capita, lang, era, False, cached.today())
    if view["legend"] is None or view["no_population"]:
        return None
    switches = (
        [(t("map.per_capita", lang, unit=ind[f"per_capita_unit_{lang}"]), per_capita)] if offered else []
    )
    switches.append((t("map.interactive", lang), False))
    widgets = [
        firstview.picker(
            t("profile.history_indicator", lang), f"{ind[f'theme_{lang}']} · {ind[f'name_{lang}']}"
        ),
        firstview.radio(t("map.level", lang), [(t(f"map.level_{v}", lang), v == level) for v in levels]),
        firstview.picker(t("views.year", lang), fmt_year(year, era)),
    ]
    captions = [
        t("map.shown_year", lang, year=view["year_text"]),
        t("map.pilots", lang),
        figures.source_caption(cached.sources(build), view["used"], year, lang, era),
    ]
    return firstview.map_page(
        t("map.title", lang), t("map.intro", lang), widgets, switches, (view["picture"], view["alt"]),
        figures.legend_html(view["legend"], view["unit"], lang), captions,
    )  # fmt: skip
