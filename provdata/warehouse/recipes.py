"""Recipes: the shipped agency files (data/inbox/) replayed into the warehouse through the upload path.

A recipe (data/recipes/<source>.toml) holds exactly what a steward tells ``python -m provdata ingest`` about
each raw file of one source — sheet, year, indicator, column roles (``map``), row filters (``where``) — plus
the cells left out with their reason, the file's sha256, the source (agency, licence, upstream) and the
indicators it declares (names, unit, theme, caveats and, where several copies hold the same figure, their
``precedence``). :func:`run_recipes` reads every file with :func:`provdata.ingest.prepare` and checks it with
:func:`provdata.ingest.validate.validate`, the functions an upload goes through, so a shipped figure and a
steward's upload can never be parsed two ways. A file that no longer fits its recipe is a build problem
naming recipe, file, sheet, row and column.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from provdata.basics.errors import ProvdataError
from provdata.ingest import Options, ProvinceNames, prepare, prepare_with_districts
from provdata.ingest.layout import ROLES
from provdata.ingest.months import HELD, SUMMABLE_KINDS
from provdata.ingest.validate import validate
from provdata.warehouse.precedence import REPORT_COLUMNS, SEED, precedence_of, resolve
from provdata.warehouse.recipe_districts import district_rows

KINDS = ("count", "amount", "rate", "ratio", "index", "stock", "area")
SOURCE_KEYS = {"id", "agency", "title_en", "title_th", "upstream", "license", "notes", "folder"}
INDICATOR_KEYS = {
    "id", "name_en", "name_th", "source_label_th", "unit_en", "unit_th", "theme", "kind", "higher_is_better",
    "definition_en", "definition_th", "caveat_en", "caveat_th", "aggregation", "precedence",
    "per_capita_factor", "per_capita_unit_en", "per_capita_unit_th",
}  # fmt: skip
FILE_KEYS = {"path", "sha256", "sheet", "year", "indicator", "map", "where", "names", "skip_unmapped",
             "sum_months", "exclude", "ignore", "note", "district_from_tambon"}  # fmt: skip
EXCLUDE_KEYS = {"indicator", "province", "year", "reason"}
IGNORE_KEYS = {"first_row", "last_row", "reason"}


@dataclass(frozen=True)
class FileRecipe:
    path: str  # inside the source's inbox folder
    sha256: str
    options: Options
    excludes: tuple[dict, ...]
    note: str = ""
    #: rows of the file that are not data (footnotes under the table): {first_row, last_row, reason}
    ignores: tuple[dict, ...] = ()
    #: the column of tambon codes whose rows give district figures (their sums per district), or None
    tambon: str | None = None


@dataclass
class Recipe:
    path: Path
    source: dict
    indicators: list[dict]
    files: list[FileRecipe]

    @property
    def id(self) -> str:
        return self.source["id"]


def _unknown_keys(table: dict, allowed: set[str], where: str, path: Path, problems) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        problems.add(
            path, None, where, f"unknown key(s) {', '.join(extra)}; allowed: {', '.join(sorted(allowed))}"
        )


def _pairs(items, key: str, where: str, path: Path, problems) -> tuple[tuple[str, str], ...]:
    out = []
    for text in items or []:
        if not isinstance(text, str) or "=" not in text:
            problems.add(path, None, where, f'{key} entry {text!r}: write it as "COLUMN=VALUE"')
            continue
        left, right = text.split("=", 1)
        out.append((left.strip(), right.strip()))
    return tuple(out)


def read_recipe(path: Path, problems) -> Recipe | None:
    """One recipe file, its keys checked; None (with problems) when it cannot be used."""
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.add(path, None, None, f"not a readable TOML recipe ({exc})")
        return None
    source = doc.get("source")
    if not isinstance(source, dict):
        problems.add(path, None, "[source]", "missing: every recipe names its source (id, agency, licence …)")
        return None
    _unknown_keys(source, SOURCE_KEYS, "[source]", path, problems)
    for key in ("id", "agency", "title_en", "title_th", "upstream", "license"):
        if not str(source.get(key, "")).strip():
            problems.add(
                path, None, f"[source] {key}", 'is empty (a licence nobody stated is written "none stated")'
            )
    source.setdefault("folder", source.get("id", ""))
    indicators = doc.get("indicator", [])
    for i, ind in enumerate(indicators, start=1):
        _unknown_keys(ind, INDICATOR_KEYS, f"[[indicator]] {i}", path, problems)
    files = []
    for i, f in enumerate(doc.get("file", []), start=1):
        where = f"[[file]] {i} ({f.get('path', '?')})"
        _unknown_keys(f, FILE_KEYS, where, path, problems)
        if not f.get("path") or not f.get("sha256"):
            problems.add(path, None, where, "needs path and sha256")
            continue
        year = f.get("year")
        if isinstance(year, int) and year >= 2400:
            year -= 543  # as the CLI takes a Buddhist-era --year
        excludes = tuple(f.get("exclude", []))
        for e in excludes:
            _unknown_keys(e, EXCLUDE_KEYS, f"{where} exclude", path, problems)
            if not all(e.get(k) for k in EXCLUDE_KEYS):
                problems.add(
                    path, None, f"{where} exclude", f"{e!r} needs indicator, province, year and reason"
                )
        ignores = tuple(f.get("ignore", []))
        for g in ignores:
            _unknown_keys(g, IGNORE_KEYS, f"{where} ignore", path, problems)
            if not (
                isinstance(g.get("first_row"), int) and isinstance(g.get("last_row"), int) and g.get("reason")
            ):
                problems.add(
                    path, None, f"{where} ignore", f"{g!r} needs first_row, last_row (numbers) and reason"
                )
        month = f.get("sum_months")  # the header of the month column: a year's figure is the sum of 12 months
        if month is not None and not (isinstance(month, str) and month.strip()):
            problems.add(path, None, f"{where} sum_months", 'names the month column: sum_months = "COLUMN"')
            month = None
        options = Options(
            sheet=f.get("sheet"),
            year=year,
            indicator=f.get("indicator"),
            maps=_pairs(f.get("map"), "map", where, path, problems) + (((month, "month"),) if month else ()),
            where=_pairs(f.get("where"), "where", where, path, problems),
            names=_pairs(f.get("names"), "names", where, path, problems),
            skip_unmapped=bool(f.get("skip_unmapped", False)),
            sum_months=bool(month),
        )
        tambon = f.get("district_from_tambon")
        if tambon is not None and not (isinstance(tambon, str) and tambon.strip()):
            problems.add(path, None, f"{where} district_from_tambon", "names the column of tambon codes")
            tambon = None
        files.append(
            FileRecipe(f["path"], f["sha256"], options, excludes, f.get("note", ""), ignores, tambon)
        )
    if not files:
        problems.add(path, None, "[[file]]", "no files: a recipe replays at least one raw file")
    return Recipe(path, source, indicators, files)


def read_recipes(recipes_dir: Path, problems) -> list[Recipe]:
    if not recipes_dir.is_dir():
        return []
    recipes = [r for p in sorted(recipes_dir.glob("*.toml")) if (r := read_recipe(p, problems))]
    seen: dict[str, Path] = {}
    for r in recipes:
        if r.id in seen:
            problems.add(r.path, None, "[source] id", f"{r.id!r} is also the source of {seen[r.id].name}")
        seen[r.id] = r.path
    return recipes


#: The word the build writes before an indicator's caveat in its definition (views.figures.caveat reads it back).
CAVEAT_WORDS = {"en": "Caveat", "th": "ข้อควรระวัง"}


def _caveated(definition: str, caveat: str, word: str) -> str:
    return f"{definition} {word}: {caveat}" if caveat else definition


def recipe_tables(
    recipes: list[Recipe],
    agency_ids: set[str],
    theme_ids: set[str],
    seed_ids: set[str],
    problems,
    seed_sources: dict[str, list[str]] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sources and indicators the recipes declare, in the warehouse's columns. ``seed_sources``: each
    shipped (seed) indicator's sources in order of precedence; a recipe that gives figures of one must be named
    there."""
    sources, indicators = [], []
    declared: dict[str, Path] = {}
    contributors: dict[str, list[str]] = {}
    for r in recipes:
        s = r.source
        if s["agency"] not in agency_ids:
            problems.add(
                r.path, None, "[source] agency", f"{s['agency']!r} is not in data/reference/agencies.csv"
            )
        sources.append({"id": s["id"], "agency_id": s["agency"], "title_en": s["title_en"],
                        "title_th": s["title_th"], "upstream": s["upstream"], "license": s["license"],
                        "notes": s.get("notes", "")})  # fmt: skip
        for f in r.files:
            ids = {f.options.indicator} | {role for _, role in f.options.maps if role not in ROLES}
            for iid in sorted(i for i in ids if i):
                contributors.setdefault(iid, [])
                if r.id not in contributors[iid]:
                    contributors[iid].append(r.id)
    for r in recipes:
        for ind in r.indicators:
            iid = ind.get("id", "")
            where = f"[[indicator]] {iid}"
            if iid in seed_ids or iid in declared:
                problems.add(
                    r.path, None, where, f"{iid!r} is already declared ({declared.get(iid, 'seed')})"
                )
                continue
            declared[iid] = r.path
            for key in ("name_en", "name_th", "unit_en", "unit_th", "theme", "kind", "definition_en",
                        "definition_th"):  # fmt: skip
                if not str(ind.get(key, "")).strip():
                    problems.add(r.path, None, f"{where} {key}", "is empty")
            if ind.get("theme") not in theme_ids:
                problems.add(r.path, None, f"{where} theme", f"{ind.get('theme')!r} is not in themes.csv")
            if ind.get("kind") not in KINDS:
                problems.add(
                    r.path, None, f"{where} kind", f"{ind.get('kind')!r} must be one of {', '.join(KINDS)}"
                )
            precedence = list(ind.get("precedence", [r.id]))
            fed = contributors.get(iid, [])
            if sorted(precedence) != sorted(fed):
                problems.add(r.path, None, f"{where} precedence",
                             f"lists {precedence} but the recipes that give it figures are {fed}: name each "
                             "copy once, the more precise first")  # fmt: skip
            hib = ind.get("higher_is_better")
            indicators.append(
                {
                    "id": iid, "kind": ind.get("kind"), "per_capita_factor": ind.get("per_capita_factor"),
                    "per_capita_unit_en": ind.get("per_capita_unit_en"),
                    "per_capita_unit_th": ind.get("per_capita_unit_th"),
                    "name_th": ind.get("name_th"), "name_en": ind.get("name_en"),
                    "source_label_th": ind.get("source_label_th"), "unit_th": ind.get("unit_th"),
                    "unit_en": ind.get("unit_en"), "theme": ind.get("theme"),
                    "definition_th": _caveated(ind.get("definition_th", ""), ind.get("caveat_th", ""), CAVEAT_WORDS["th"]),
                    "definition_en": _caveated(ind.get("definition_en", ""), ind.get("caveat_en", ""), CAVEAT_WORDS["en"]),
                    "aggregation": ind.get("aggregation", "as published"),
                    "higher_is_better": hib if isinstance(hib, bool) else None,
                    "frequency": "annual", "source_ids": ";".join(precedence), "agency_id": r.source["agency"],
                    "official": True, "profile_sort": None,
                }
            )  # fmt: skip
    for iid, fed in contributors.items():
        if iid and iid not in declared and iid not in seed_ids:
            problems.add(
                recipes[0].path.parent, None, iid, f"recipes {fed} give figures of an undeclared indicator"
            )
        order = (seed_sources or {}).get(iid)
        if iid in seed_ids and order is not None and set(fed) - set(order):
            problems.add(recipes[0].path.parent, None, iid, f"recipes {fed} give figures of a shipped indicator "
                         f"whose sources (data/seed/indicators.csv, in order of precedence) are {order}: name "
                         "each recipe there, the more precise copy first")  # fmt: skip
    return pd.DataFrame(sources), pd.DataFrame(indicators)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def produce(
    recipe: Recipe,
    f: FileRecipe,
    inbox_dir: Path,
    names: ProvinceNames,
    indicators: pd.DataFrame,
    province_codes: set[str],
    problems,
    district_codes: set[str] | None = None,
) -> tuple[pd.DataFrame, list[dict], dict]:
    """The rows one file gives under its recipe (excluded cells taken out), the excluded cells, and its load
    facts. Anything the upload path would reject is a problem naming recipe, file, sheet, row and column.
    With ``district_from_tambon`` the rows include the district sums (``province_code`` the district code),
    checked against ``district_codes`` and against the file's province rows (:mod:`.recipe_districts`)."""
    path = inbox_dir / recipe.source["folder"] / f.path
    label = f"recipe {recipe.path.name}: file {recipe.source['folder']}/{f.path}"
    empty = pd.DataFrame(columns=["province_code", "year", "indicator_id", "value", "sheet", "row", "column"])
    if not path.exists():
        problems.add(recipe.path, None, None, f"{label} is missing")
        return empty, [], {}
    data = path.read_bytes()
    if f.options.sum_months:
        given = {f.options.indicator} | {role for _, role in f.options.maps if role not in ROLES}
        kinds = dict(zip(indicators.id, indicators.kind, strict=True))
        unsummable = sorted(i for i in given if i and kinds.get(i) not in SUMMABLE_KINDS)
        for iid in unsummable:
            problems.add(recipe.path, None, "sum_months", f"{label}: {iid} is a {kinds.get(iid)}, not a count or "
                         "an amount: it cannot be summed over months (map its column to skip)")  # fmt: skip
        if unsummable:
            return empty, [], {}
    try:
        if f.tambon:
            tidy, districts = prepare_with_districts(
                data, f.path, f.options, names, set(indicators.id), f.tambon
            )
        else:
            tidy, districts = prepare(data, f.path, f.options, names, set(indicators.id)), None
    except ProvdataError as exc:
        problems.add(recipe.path, None, None, f"{label}: {exc}")
        return empty, [], {}
    preview = validate(tidy, indicators, pd.DataFrame(columns=["indicator_id", "area_code", "year", "value"]),
                       None, province_codes=province_codes)  # fmt: skip
    ignored: list[str] = []
    for g in f.ignores:
        inside = preview.rejected.row.between(g["first_row"], g["last_row"]) if len(preview.rejected) else []
        if not any(inside):
            problems.add(recipe.path, None, "ignore", f"{label}: rows {g['first_row']}-{g['last_row']} hold "
                         "nothing to ignore: the recipe no longer fits the file")  # fmt: skip
            continue
        ignored.append(f"rows {g['first_row']}-{g['last_row']} not data ({g['reason']})")
        preview.rejected = preview.rejected[~inside]
    for _, r in preview.rejected.iterrows():
        problems.add(recipe.path, None, None, f"{label}, sheet {r['sheet']!r} row {r['row']}, column "
                     f"{r['column']}: {r['value']!r}: {r['reason']}")  # fmt: skip
    rows = preview.accepted[["province_code", "year", "indicator_id", "value", "sheet", "row", "column"]]
    if districts is not None:
        lower = district_rows(districts, rows, indicators, district_codes or set(), (recipe.path, f.path), label,
                              problems)  # fmt: skip
        rows = pd.concat([rows, lower], ignore_index=True)
    excluded = []
    for e in f.excludes:
        # province "*": every area of that indicator and year (a year the agency filled in for all)
        anywhere = str(e["province"]) == "*"
        hit = (
            (rows.indicator_id == e["indicator"])
            & (anywhere | (rows.province_code == str(e["province"])))
            & (rows.year == int(e["year"]))
        )
        if not hit.any():
            problems.add(recipe.path, None, "exclude", f"{label}: no figure of {e['indicator']} "
                         f"{e['province']} {e['year']} to leave out: the recipe no longer fits the file")  # fmt: skip
            continue
        for _, x in rows[hit].iterrows():
            excluded.append({"outcome": "excluded", "indicator_id": x.indicator_id, "area_code": x.province_code,
                             "year": int(x.year), "source_id": recipe.id, "value": x.value, "kept_source_id": None,
                             "kept_value": None, "reason": e["reason"], "recipe": recipe.path.name,
                             "file": f.path, "sheet": x.sheet, "row": int(x.row), "column": x.column})  # fmt: skip
        rows = rows[~hit]
    held = [n for n in tidy.notes if HELD in n]  # part years of a monthly file, not summed
    digest = _sha256(data)
    if digest != f.sha256:
        problems.add(recipe.path, None, "sha256", f"{label} has changed (sha256 {digest}, the recipe was written "
                     f"for {f.sha256}): compare it with the upstream file, then update the recipe")  # fmt: skip
    counts = preview.counts()
    load = {"file_name": f"data/inbox/{recipe.source['folder']}/{f.path}", "sha256": digest,
            "rows_in": sum(counts.values()), "rows_accepted": len(rows), "rows_rejected": counts["rejected"],
            "loaded_by": "recipe", "note": "; ".join([f"data/recipes/{recipe.path.name}" + (f": {f.note}" if f.note
                                                       else ""), *ignored, *held]),
            "status": "active", "agency_id": recipe.source["agency"], "license": recipe.source["license"]}  # fmt: skip
    return rows.reset_index(drop=True), excluded, load


def run_recipes(
    recipes: list[Recipe],
    inbox_dir: Path,
    names: ProvinceNames,
    indicators: pd.DataFrame,
    province_codes: set[str],
    first_load_id: int,
    problems,
    district_codes: set[str] | None = None,
    shipped: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, list[dict], pd.DataFrame, dict[str, float]]:
    """Every recipe's files through the upload path; the figures kept (one per key), the loads, the report of
    cells not kept, and the seconds each recipe took. ``shipped``: the seed figures (with ``source_id``,
    ``load_id`` and ``file``), copies ranked by the same precedence (``indicators.source_ids``); the figures
    kept include those of them that no recipe outranks."""
    import time

    frames, loads, excluded, seconds = [], [], [], {}
    load_id = first_load_id
    for r in recipes:
        started = time.perf_counter()
        for f in r.files:
            rows, gone, load = produce(
                r, f, inbox_dir, names, indicators, province_codes, problems, district_codes
            )
            excluded += gone
            if load:
                loads.append({"id": load_id, **load})
                frames.append(
                    rows.rename(columns={"province_code": "area_code"}).assign(
                        source_id=r.id, load_id=load_id, recipe=r.path.name, file=f.path
                    )
                )
                load_id += 1
        seconds[r.path.name] = time.perf_counter() - started
    if shipped is not None and len(shipped):
        frames.insert(0, shipped.assign(recipe=SEED, sheet=None, row=None, column=None))
    kept, differ = resolve(frames, precedence_of(indicators))
    report = pd.concat([pd.DataFrame(excluded, columns=REPORT_COLUMNS), differ], ignore_index=True)
    return kept, loads, report, seconds
