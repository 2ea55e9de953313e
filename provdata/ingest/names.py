"""Province names in any common spelling → DOPA province code.

Known spellings come from data: each province's Thai and English names and ``alt_names`` in
geo/provinces.csv, plus data/reference/province_aliases.csv. Matching ignores case, spaces, dots, hyphens and
the prefixes จังหวัด / จ. / Changwat. Region and total rows (ทั่วราชอาณาจักร, ภาคกลาง, Whole Kingdom, Total …)
are recognised as aggregates to skip, never as provinces. An unknown name gets the closest known spellings; when
exactly one province is clearly closest (NESDC's "AMNAT CHAREON", "SA KAEW") the match is a *proposal* that a
steward confirms (``--name "AMNAT CHAREON=37"`` or the wizard) — never taken silently. Confirmed spellings are
kept per agency under the state folder (:mod:`provdata.ingest.aliases`), not in the shipped alias list.
"""

from __future__ import annotations

import copy
import csv
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from provdata.basics import config

_PREFIXES = re.compile(r"^(จังหวัด|จ\.|changwat)\s*", re.IGNORECASE)
_NOISE = re.compile(r"[\s.\-_'’]+")
_AGGREGATE = re.compile(
    r"(ทั่วราชอาณาจักร|ทั้งประเทศ|ทั่วประเทศ|ระดับประเทศ|^ประเทศ(ไทย)?$|^ภาค|^รวม|ยอดรวม|whole ?kingdom|^total|^all ?provinces|region$|^region|"
    r"^(ภาค)?(เหนือ|ตะวันออกเฉียงเหนือ|กลาง|ใต้|ตะวันออก|ตะวันตก)$|"
    r"^(north|northeast|north-?east|central|south|east|west)(ern)?( region)?$|กรุงเทพมหานครและปริมณฑล|greater bangkok)",
    re.IGNORECASE,
)
_SEX_TOTAL = re.compile(
    r"^(รวม\s*(ชาย|หญิง|เพศชาย|เพศหญิง)|(total|all)\s*(male|female|men|women)s?)$", re.IGNORECASE
)
#: Provinces created within the years agencies publish: a 0 or blank before this year means "no province yet".
CREATED = {"38": 2011}  # Bueng Kan, carved out of Nong Khai on 23 March 2011
#: A proposal needs this similarity, and the runner-up province must trail by PROPOSE_MARGIN.
PROPOSE_CUTOFF = 0.75
PROPOSE_MARGIN = 0.1


def is_aggregate(text: str) -> bool:
    """A region, total or sex-total label (what :meth:`ProvinceNames.match` calls an aggregate), without the
    close-match search: for scanning many cells."""
    text = str(text).strip()
    return bool(_SEX_TOTAL.match(text) or _AGGREGATE.search(text))


def normalise(name: str) -> str:
    text = _PREFIXES.sub("", str(name).strip())
    return _NOISE.sub("", text).casefold()


@dataclass(frozen=True)
class Match:
    code: str | None  # None: not a province
    kind: str  # "province" | "aggregate" | "unknown" | "proposed" (one clear close match, to be confirmed)
    suggestions: tuple[str, ...] = ()
    reason: str = ""  # for an aggregate: why it is not a province


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
        self.confirmed: dict[str, str] = {}  # normalised spelling → code, confirmed by a steward

    def with_confirmed(self, pairs) -> ProvinceNames:
        """A copy that also knows the spellings a steward confirmed: (spelling, code) pairs."""
        pairs = [(s, c) for s, c in pairs]
        if not pairs:
            return self
        other = copy.copy(self)
        other.lookup, other.display, other.confirmed = (
            dict(self.lookup),
            dict(self.display),
            dict(self.confirmed),
        )
        other._cache = {}
        codes = set(self.lookup.values())
        for spelling, code in pairs:
            key = normalise(spelling)
            if code not in codes:
                raise ValueError(
                    f"{spelling!r}={code!r}: {code!r} is not a DOPA province code (two digits, 10–96)"
                )
            known = self.lookup.get(key)
            if known is not None and known != code:
                raise ValueError(f"{spelling!r} is already the spelling of province {known}, not {code}")
            if known is None:
                other.lookup[key] = code
                other.display[key] = spelling
                other.confirmed[key] = code
        return other

    def _add(self, spelling: str, code: str) -> None:
        key = normalise(spelling)
        if key and self.lookup.setdefault(key, code) != code:
            raise ValueError(f"spelling {spelling!r} names two provinces ({self.lookup[key]} and {code})")
        self.display.setdefault(key, spelling)

    def match(self, raw: str) -> Match:
        cache = self.__dict__.setdefault("_cache", {})
        if raw not in cache:
            cache[raw] = self._match(raw)
        return cache[raw]

    def _match(self, raw: str) -> Match:
        text = str(raw).strip()
        if text.isdigit() and len(text) == 2 and text in set(self.lookup.values()):
            return Match(text, "province")
        key = normalise(text)
        if key in self.lookup:
            return Match(self.lookup[key], "province")
        if _SEX_TOTAL.match(text):
            return Match(None, "aggregate", reason="sex total row (all provinces of one sex)")
        if _AGGREGATE.search(text.strip()):
            return Match(None, "aggregate", reason="region or total row")
        if not key or len(key) > 40 or not any(ch.isalpha() for ch in key):
            return Match(None, "unknown")  # a number, a title or a note: not a spelling of a province
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(key)
        scored = []
        for k in self.lookup:
            matcher.set_seq1(k)
            if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6:
                score = matcher.ratio()
                if score >= 0.6:
                    scored.append((score, k))
        scored.sort(reverse=True)
        close = [k for _, k in scored[:3]]
        suggestions = tuple(f"{self.display[c]} ({self.lookup[c]})" for c in close)
        if not scored:
            return Match(None, "unknown")
        best_score, best = scored[0]
        runner_up = next((sc for sc, k in scored if self.lookup[k] != self.lookup[best]), 0.0)
        if best_score >= PROPOSE_CUTOFF and best_score - runner_up >= PROPOSE_MARGIN:
            return Match(self.lookup[best], "proposed", suggestions)
        return Match(None, "unknown", suggestions)

    def unproposed(self, pairs) -> list[str]:
        """The (spelling, code) confirmations the matcher did not propose, each said as a refusal: a steward may
        confirm only a spelling the matcher proposed as that province (or one that already names it)."""
        out = []
        for spelling, code in pairs:
            m = self.match(spelling)
            if m.kind in ("province", "proposed") and m.code == code:
                continue
            said = (f"it proposed province {m.code}" if m.kind == "proposed" else
                    "it proposed no province" + (f"; close: {', '.join(m.suggestions)}" if m.suggestions else ""))  # fmt: skip
            out.append(
                f'"{spelling}={code}": the name matcher did not propose province {code} for {spelling!r} ({said})'
            )
        return out

    def is_confirmed(self, raw: str) -> bool:
        """Whether the spelling matched only because a steward confirmed it."""
        return normalise(raw) in self.confirmed
