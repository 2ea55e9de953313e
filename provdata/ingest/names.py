"""Province names in any common spelling → DOPA province code.

Known spellings come from data: each province's Thai and English names and ``alt_names`` in
geo/provinces.csv, plus data/reference/province_aliases.csv. Matching ignores case, spaces, dots, hyphens and
the prefixes จังหวัด / จ. / Changwat. Region and total rows (ทั่วราชอาณาจักร, ภาคกลาง, Whole Kingdom, Total …)
are recognised as aggregates to skip, never as provinces. An unknown name gets the closest known spellings.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from provdata import config

_PREFIXES = re.compile(r"^(จังหวัด|จ\.|changwat)\s*", re.IGNORECASE)
_NOISE = re.compile(r"[\s.\-_'’]+")
_AGGREGATE = re.compile(
    r"(ทั่วราชอาณาจักร|ทั้งประเทศ|ทั่วประเทศ|^ภาค|^รวม|ยอดรวม|whole ?kingdom|^total|^all ?provinces|region$|^region|"
    r"^(north|northeast|north-?east|central|south|east|west)(ern)?( region)?$|กรุงเทพมหานครและปริมณฑล|greater bangkok)",
    re.IGNORECASE,
)


def normalise(name: str) -> str:
    text = _PREFIXES.sub("", str(name).strip())
    return _NOISE.sub("", text).casefold()


@dataclass(frozen=True)
class Match:
    code: str | None  # None: not a province
    kind: str  # "province" | "aggregate" | "unknown"
    suggestions: tuple[str, ...] = ()


class ProvinceNames:
    def __init__(self, geo_provinces: Path | None = None, aliases: Path | None = None) -> None:
        geo_provinces = geo_provinces or config.GEO_DIR / "provinces.csv"
        aliases = aliases or config.REFERENCE_DIR / "province_aliases.csv"
        self.lookup: dict[str, str] = {}
        self.display: dict[str, str] = {}
        with geo_provinces.open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                spellings = [r["name_th"], r["name_en"], *filter(None, r["alt_names"].split("|"))]
                for s in spellings:
                    self._add(s, r["province_code"])
        if aliases.exists():
            with aliases.open(encoding="utf-8") as fh:
                for r in csv.DictReader(fh):
                    self._add(r["alias"], r["province_code"])

    def _add(self, spelling: str, code: str) -> None:
        key = normalise(spelling)
        if key and self.lookup.setdefault(key, code) != code:
            raise ValueError(f"spelling {spelling!r} names two provinces ({self.lookup[key]} and {code})")
        self.display.setdefault(key, spelling)

    def match(self, raw: str) -> Match:
        text = str(raw).strip()
        if text.isdigit() and len(text) == 2 and text in set(self.lookup.values()):
            return Match(text, "province")
        key = normalise(text)
        if key in self.lookup:
            return Match(self.lookup[key], "province")
        if _AGGREGATE.search(text.strip()):
            return Match(None, "aggregate")
        close = difflib.get_close_matches(key, list(self.lookup), n=3, cutoff=0.6)
        return Match(None, "unknown", tuple(f"{self.display[c]} ({self.lookup[c]})" for c in close))
