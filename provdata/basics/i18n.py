"""UI words and number/year formatting, in Thai and English.

Strings live in ``provdata/basics/locales/{th,en}/*.toml``, one file per page or area, merged into one
table per language (a test checks both languages have the same keys and placeholders).
Names of provinces, indicators and units are warehouse columns, not strings here.
"""

from __future__ import annotations

import math
import re
import tomllib
from functools import cache
from pathlib import Path

LANGS = ("th", "en")
LANG_NAMES = {"th": "ไทย", "en": "English"}  # each language in itself, as the switch shows it
ERAS = ("be", "ce")  # Buddhist era (พ.ศ.), common era (ค.ศ.)
BE_OFFSET = 543
LOCALE_DIR = Path(__file__).with_name("locales")


@cache
def strings(lang: str) -> dict[str, str]:
    """The flattened ``{"section.key": text}`` table of one language."""
    table: dict[str, str] = {}
    for path in sorted((LOCALE_DIR / lang).glob("*.toml")):
        with path.open("rb") as fh:
            part = _flatten(tomllib.load(fh))
        clash = set(part) & set(table)
        if clash:
            raise ValueError(f"{path}: keys already defined in another file: {sorted(clash)}")
        table.update(part)
    return table


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def t(key: str, lang: str, **params: object) -> str:
    """The text of ``key`` in ``lang`` with ``{placeholders}`` filled. A missing key is a bug."""
    return strings(lang)[key].format(**params)


def default_era(lang: str) -> str:
    return "be" if lang == "th" else "ce"


def fmt_year(year: int | float | None, era: str) -> str:
    """A Gregorian year shown as พ.ศ. (era 'be') or ค.ศ. (era 'ce'). Years are stored Gregorian."""
    if year is None or (isinstance(year, float) and math.isnan(year)):
        return "–"
    return str(int(year) + BE_OFFSET if era == "be" else int(year))


_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "th": ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."),
}


def fmt_date(day, lang: str, era: str) -> str:
    """A date as people write it: "1 Feb 2022" (English), "1 ก.พ. 2565" (Thai, พ.ศ. with era 'be');
    "–" for none."""
    if day is None or (isinstance(day, float) and math.isnan(day)):
        return "–"
    return f"{day.day} {_MONTHS['th' if lang == 'th' else 'en'][day.month - 1]} {fmt_year(day.year, era)}"


def fmt_years(first: int, last: int, era: str) -> str:
    """A run of years: "2021–2025", or one year."""
    return fmt_year(first, era) if first == last else f"{fmt_year(first, era)}–{fmt_year(last, era)}"


def fmt_value(value: float | None) -> str:
    """A figure for display, with thousands separators.

    Whole numbers are shown whole. Fractions are shown with the decimals a reader needs
    (1 for values from 100 up, 2 from 1 up, 4 below) and trailing zeros dropped; the exact
    published value stays in tables and downloads.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if float(value).is_integer():
        return f"{value:,.0f}"
    size = abs(value)
    decimals = 1 if size >= 100 else 2 if size >= 1 else 4
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_exact(value: float | None) -> str:
    """The published value with every stored decimal (values carry at most 6)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.6f}"
    return text.rstrip("0").rstrip(".")


def fmt_pct_change(new: float, old: float | None) -> str | None:
    """Signed percent change from old to new, or None when there is no old value or it is 0."""
    if old is None or (isinstance(old, float) and math.isnan(old)) or old == 0:
        return None
    pct = (new - old) / abs(old) * 100
    return f"{pct:+,.1f}%"


_THAI = re.compile(r"[\u0e00-\u0e7f]")


def licence_text(text: object, lang: str) -> str:
    """A licence statement (or several, ``"; "``-separated) as a reader of ``lang`` sees it. In Thai each
    statement known to the locale tables ([licence]) is given in Thai with the original beside it
    ("ไม่ได้ระบุสัญญาอนุญาต (ต้นฉบับ: none stated)"); one already in Thai, or not known, stays as stated. In
    English, as stated."""
    parts = [p.strip() for p in str(text).split(";") if p.strip()]
    if lang == "en":
        return "; ".join(parts)
    known = {v: k for k, v in strings("en").items() if k.startswith("licence.") and k != "licence.original"}
    original = t("licence.original", lang)
    shown = [
        f"{t(known[p], lang)} ({original}: {p})" if p in known and not _THAI.search(p) else p for p in parts
    ]
    return "; ".join(shown)
