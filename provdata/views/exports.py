"""The data behind a view, as files that carry their provenance.

Every download names what it is (title), how it was filtered, its sources with their agencies and
licences, the warehouse build and the date — beside the table, never inside it. CSV: a plain table (one
header row, UTF-8 with a BOM) that pandas, ``csv.DictReader`` and spreadsheets read with their defaults;
the same CSV with its metadata: a zip of ``data.csv``, ``metadata.json`` and ``README.md``; Excel: a
``data`` sheet and an ``about`` sheet; Parquet: the about rows in the file's metadata
(``pandas.read_parquet(path).attrs["about"]``); a data package: a zip of ``data.csv``, a Frictionless
``datapackage.json``, ``README.md`` and ``CITATION.cff``. Figures are written as stored — never rounded.

Every text cell goes through :func:`safe_cell` (a spreadsheet never evaluates a cell we write); years
are Gregorian in a ``year`` column (Thai pages add a ``ปี พ.ศ.`` column); ranks are two whole-number
columns, never ``1/10`` text a spreadsheet turns into a date (see :func:`plain_table`).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from dataclasses import dataclass, field

import pandas as pd

from provdata.basics.i18n import BE_OFFSET, licence_text, t
from provdata.basics.sheets import csv_bytes, workbook_bytes

_RANK = re.compile(r"^(\d+)/(\d+)$")
_PERCENT = re.compile(r"^[+-]?[\d,]+(\.\d+)?%$")
_HEADER_YEAR = re.compile(r"^(.*\D)?(\d{4})(\)?)$")


def _gregorian(text, era: str):
    if text is None or (isinstance(text, float) and pd.isna(text)) or not str(text).strip().isdigit():
        return pd.NA
    year = int(str(text).strip())
    return year - BE_OFFSET if era == "be" else year


def plain_table(frame: pd.DataFrame, lang: str, era: str) -> pd.DataFrame:
    """A table as shown on a page, made plain for a file: the same rows, with

    - each year column (header ``views.col_year``/``profile.col_year``: era-formatted text) as a Gregorian
      whole number in ``year`` (``chart.col_target_year``: ``target_year``); on Thai pages a Buddhist-era
      column follows it (``ปี พ.ศ.``), so the era is always in the column's name;
    - a header that is or ends with a year (``2563``, ``ค่า (บาท, 2563)``) given both eras;
    - each rank column of ``r/n`` text split into the rank and the count it is out of (whole numbers);
    - a column of signed percentages (``+2.3%``) as the numbers shown, its header ending ``(%)``.
    """
    year_cols = {
        t("views.col_year", lang): ("year", "exports.year_be"),
        t("profile.col_year", lang): ("year", "exports.year_be"),
        t("chart.col_target_year", lang): ("target_year", "exports.target_year_be"),
    }
    out = {}
    for col in frame.columns:
        values = frame[col]
        if col in year_cols and not pd.api.types.is_numeric_dtype(values):
            name, be_key = year_cols[col]
            ce = pd.array([_gregorian(v, era) for v in values], dtype="Int64")
            out[name] = ce
            if lang == "th":
                out[t(be_key, lang)] = ce + BE_OFFSET
            continue
        texts = values.dropna().astype(str)
        texts = texts[texts != "–"]
        if not pd.api.types.is_numeric_dtype(values) and len(texts) and texts.str.match(_RANK).all():
            parts = values.astype(str).str.extract(_RANK)
            out[col] = pd.array(pd.to_numeric(parts[0]), dtype="Int64")
            out[t("exports.rank_out_of", lang, col=col)] = pd.array(pd.to_numeric(parts[1]), dtype="Int64")
            continue
        if not pd.api.types.is_numeric_dtype(values) and len(texts) and texts.str.match(_PERCENT).all():
            # "+2.3%" text (i18n.fmt_pct_change) as the number shown, 2.3: a number, not text to neutralise
            numbers = values.astype(str).str.replace(r"[,%+]", "", regex=True)
            out[f"{col} (%)"] = pd.to_numeric(
                numbers.where(numbers.str.match(r"^-?[\d.]+$")), errors="coerce"
            )
            continue
        header = str(col)
        m = _HEADER_YEAR.match(header)
        if m and not isinstance(col, int):
            year = _gregorian(m.group(2), era)
            if year is not pd.NA and 1800 <= year <= 2200:
                label = t("exports.year_label", lang, ce=year, be=year + BE_OFFSET)
                header = f"{m.group(1) or ''}{label}{m.group(3)}"
        out[header] = values.values
    return pd.DataFrame(out)


@dataclass(frozen=True)
class About:
    title: str
    filters: dict[str, str]
    sources: list[str]  # "title — agency (licence)"
    build_id: str
    notes: list[str] = field(default_factory=list)
    made_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0))

    def rows(self) -> list[tuple[str, str]]:
        out = [("title", self.title)]
        out += [(f"filter: {k}", v) for k, v in self.filters.items()]
        out += [("source", s) for s in self.sources]
        out += [("note", n) for n in self.notes]
        out += [
            ("warehouse build", self.build_id),
            ("exported at (UTC)", f"{self.made_at:%Y-%m-%d %H:%M}"),
            ("made with", "provdata — figures as published; derived columns are marked"),
        ]
        return out


def about_sources(sources: pd.DataFrame, source_ids: set[str], lang: str) -> list[str]:
    """One line per upstream source used: title — agency (licence)."""
    used = sources[sources.id.isin(source_ids)].sort_values("id")
    return [
        f"{title} — {agency} ({licence}; {upstream})"
        for title, agency, licence, upstream in zip(
            used[f"title_{lang}"],
            used[f"agency_short_{lang}"],
            [licence_text(x, lang) for x in used["license"]],
            used["upstream"],
            strict=True,
        )
    ]


def to_csv(frame: pd.DataFrame, about: About) -> bytes:
    """The table alone (see :func:`to_csv_zip` for the same table with its metadata)."""
    return csv_bytes(frame)


def about_json(about: About) -> dict:
    return {
        "title": about.title,
        "filters": dict(about.filters),
        "sources": list(about.sources),
        "notes": list(about.notes),
        "warehouse_build": about.build_id,
        "exported_at": about.made_at.isoformat().replace("+00:00", "Z"),
        "made_with": "provdata — figures as published; derived columns are marked",
        "years": "Gregorian (ค.ศ.) in the column year; ปี พ.ศ. = year + 543",
    }


def to_csv_zip(frame: pd.DataFrame, about: About) -> bytes:
    """A zip of ``data.csv`` (as :func:`to_csv`), ``metadata.json`` and ``README.md`` (the about rows)."""
    readme = [f"# {about.title}", ""] + [f"- {k}: {v}" for k, v in about.rows()[1:]] + [""]
    files = {
        "data.csv": csv_bytes(frame),
        "metadata.json": json.dumps(about_json(about), ensure_ascii=False, indent=2).encode("utf-8"),
        "README.md": "\n".join(readme).encode("utf-8"),
    }
    return _zip(files, about)


def to_excel(frame: pd.DataFrame, about: About) -> bytes:
    about_rows = pd.DataFrame(about.rows(), columns=["field", "value"])
    return workbook_bytes({"data": frame, "about": about_rows})


def _zip(files: dict[str, bytes], about: About) -> bytes:
    buf = io.BytesIO()
    stamp = about.made_at.timetuple()[:6]
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for fname, data in files.items():
            zf.writestr(zipfile.ZipInfo(fname, date_time=stamp), data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def to_parquet(frame: pd.DataFrame, about: About) -> bytes:
    """Parquet (pyarrow) with the about rows kept in the file: ``read_parquet(...).attrs["about"]``."""
    out = frame.copy()
    out.attrs = {"about": [list(row) for row in about.rows()]}
    buf = io.BytesIO()
    out.to_parquet(buf, engine="pyarrow", index=False)
    return buf.getvalue()


# --- Frictionless data package ---

#: Licences stated upstream that have an identifier, with the text of the licence.
KNOWN_LICENSES = {"CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/"}

FIELD_TYPES = {"int64": "integer", "Int64": "integer", "float64": "number", "bool": "boolean"}


def license_id(text: str) -> str | None:
    """The identifier a licence statement starts with (``"CC0-1.0 (LICENSE.md …)"`` → ``"CC0-1.0"``), if known."""
    head = re.split(r"[\s;(]", str(text).strip(), maxsplit=1)[0]
    return head if head in KNOWN_LICENSES else None


def _upstream_url(upstream: str) -> str | None:
    """``"owner/repo: path (commit …)"`` → the repository's GitHub address (the shared data set's sources)."""
    m = re.match(r"^([\w.-]+/[\w.-]+):", str(upstream))
    return f"https://github.com/{m.group(1)}" if m else None


def package_name(stem: str) -> str:
    """A data package name: lower case letters, digits, ``-``, ``_`` and ``.`` only."""
    return re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-") or "provdata"


def datapackage(
    frame: pd.DataFrame, about: About, indicators: list[dict], sources: pd.DataFrame, lang: str, name: str
) -> dict:
    """The ``datapackage.json`` of ``frame`` (tidy, see provdata.views.catalog.TIDY_COLUMNS) as a dict.

    ``sources`` are the rows of ``queries.sources`` used by ``frame``; licences without a known
    identifier ("none stated") are not turned into a licence: they stay as stated, on the source.
    """
    srcs = sources.sort_values("id")
    licenses, seen = [], set()
    for text in srcs["license"]:
        lid = license_id(text)
        if lid and lid not in seen:
            seen.add(lid)
            licenses.append({"name": lid, "path": KNOWN_LICENSES[lid], "title": lid})
    fields = [
        {
            "name": col,
            "type": "string" if col.endswith("_code") else FIELD_TYPES.get(str(frame[col].dtype), "string"),
            "description": t(f"catalog.field_{col}", lang),
        }
        for col in frame.columns
    ]
    package = {
        "name": package_name(name),
        "title": about.title,
        "description": t("catalog.pkg_description", lang, rows=len(frame), build=about.build_id),
        "version": about.build_id,
        "created": about.made_at.isoformat().replace("+00:00", "Z"),
        "keywords": ["Thailand", "provinces", "official statistics", "provdata"],
        "licenses": licenses,
        "sources": [
            {
                "title": f"{r[f'title_{lang}']} — {r[f'agency_short_{lang}']}",
                "path": _upstream_url(r["upstream"]),
                "id": r["id"],
                "agency": r[f"agency_short_{lang}"],
                "upstream": r["upstream"],
                "license": r["license"],
            }
            for _, r in srcs.iterrows()
        ],
        "filters": dict(about.filters),
        "notes": list(about.notes),
        "resources": [
            {
                "name": "data",
                "path": "data.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "header": True},
                "schema": {
                    "fields": fields,
                    "primaryKey": [c for c in ("indicator_id", "province_code", "year") if c in frame],
                    "missingValues": [""],
                },
            }
        ],
        "indicators": indicators,
    }
    if not licenses:
        del package["licenses"]
    for src in package["sources"]:
        if src["path"] is None:
            del src["path"]
    return package


def _readme(frame: pd.DataFrame, about: About, package: dict, indicators: list[dict], lang: str) -> str:
    def tr(key: str, **params) -> str:
        return t(f"catalog.readme_{key}", lang, **params)

    years = frame["year"] if "year" in frame else pd.Series(dtype="int64")
    lines = [
        f"# {about.title}",
        "",
        tr(
            "what",
            rows=f"{len(frame):,}",
            indicators=frame["indicator_id"].nunique() if len(frame) else 0,
            provinces=frame["province_code"].nunique() if len(frame) else 0,
            first=int(years.min()) if len(years) else "–",
            last=int(years.max()) if len(years) else "–",
        ),
        "",
        tr("exact"),
        "",
        *[f"> {n}\n" for n in about.notes],
        f"## {tr('files_title')}",
        "",
        tr("files"),
        "",
        f"## {tr('filters_title')}",
        "",
        *[f"- {k}: {v}" for k, v in about.filters.items()],
        "",
        f"## {tr('indicators_title')}",
        "",
        *[
            f"- `{i['id']}` — {i[f'name_{lang}']} ({i[f'unit_{lang}']}): {i[f'definition_{lang}']}"
            for i in indicators
        ],
        "",
        f"## {tr('sources_title')}",
        "",
        *[f"- {s}" for s in about.sources],
        "",
        f"## {tr('licenses_title')}",
        "",
        *[f"- {src['id']}: {licence_text(src['license'], lang)}" for src in package["sources"]],
        "",
        *(
            [tr("licenses_note"), ""]
            if any(license_id(s["license"]) is None for s in package["sources"])
            else []
        ),
        f"## {tr('cite_title')}",
        "",
        citation_text(about, indicators, lang),
        "",
        tr("cite_cff"),
        "",
    ]
    return "\n".join(lines)


def _agencies(indicators: list[dict], lang: str) -> list[str]:
    key = "agency_th" if lang == "th" else "agency"
    return list(dict.fromkeys(i[key] for i in indicators))


def citation_text(about: About, indicators: list[dict], lang: str) -> str:
    """How to cite an extract: the agencies, the title, provdata, the build and the date."""
    return t(
        "catalog.readme_cite_text",
        lang,
        agencies="; ".join(_agencies(indicators, lang)),
        title=about.title,
        build=about.build_id,
        date=f"{about.made_at:%Y-%m-%d}",
    )


def _cff(about: About, indicators: list[dict], package: dict, lang: str) -> str:
    q = lambda s: json.dumps(str(s), ensure_ascii=False)  # noqa: E731 - a JSON string is a YAML scalar
    lines = [
        "cff-version: 1.2.0",
        f"message: {q(t('catalog.cff_message', lang))}",
        "type: dataset",
        f"title: {q(about.title)}",
        f"version: {q(about.build_id)}",
        f"date-released: {q(f'{about.made_at:%Y-%m-%d}')}",
        "authors:",
        *[f"  - name: {q(a)}" for a in _agencies(indicators, "en")],
        f"abstract: {q(package['description'])}",
        "keywords:",
        *[f"  - {q(k)}" for k in package["keywords"]],
    ]
    stated = [license_id(s["license"]) for s in package["sources"]]
    if stated and all(stated):  # only when every source states a licence with an identifier
        lines.append("license:")
        lines += [f"  - {q(lid)}" for lid in dict.fromkeys(stated)]
    return "\n".join(lines) + "\n"


def data_package(
    frame: pd.DataFrame, about: About, indicators: list[dict], sources: pd.DataFrame, lang: str, name: str
) -> bytes:
    """A zip of ``data.csv`` (UTF-8 with a BOM, exact values), ``datapackage.json``, ``README.md``, ``CITATION.cff``."""
    package = datapackage(frame, about, indicators, sources, lang, name)
    files = {
        "data.csv": csv_bytes(frame),
        "datapackage.json": json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8"),
        "README.md": _readme(frame, about, package, indicators, lang).encode("utf-8"),
        "CITATION.cff": _cff(about, indicators, package, lang).encode("utf-8"),
    }
    return _zip(files, about)
