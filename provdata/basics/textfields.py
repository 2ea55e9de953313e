"""Free text that people type (licences, notes, names, units, definitions, chain titles) checked where it
enters: bounded length, no control characters, and no label that a spreadsheet would take for a formula.
(Every export also neutralises such cells; this stops them at the door with a message naming the field.)"""

from __future__ import annotations

import re
import unicodedata

from provdata.basics.errors import ProvdataError

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "@", "\t", "\r")


class BadText(ProvdataError):
    key = "bad_text"


def check(value: object, field: str, max_chars: int, *, multiline: bool = False, label: bool = False) -> str:
    """``value`` as clean text (NFC, trimmed), or BadText naming ``field`` and what is wrong.

    ``multiline`` allows line breaks (notes, definitions); ``label`` refuses a leading ``= + @`` (names, units,
    licences are labels: none of them starts like a formula).
    """
    text = unicodedata.normalize("NFC", "" if value is None else str(value)).strip()
    if len(text) > max_chars:
        raise BadText(f"{field}: {len(text):,} characters; at most {max_chars:,}", field=field)
    allowed = text.replace("\n", "").replace("\t", "") if multiline else text
    bad = _CONTROL.search(allowed) or (not multiline and re.search(r"[\n\t]", text))
    if bad:
        raise BadText(
            f"{field}: contains the control character U+{ord(bad.group(0)):04X}; remove it", field=field
        )
    if label and text.startswith(_FORMULA_START):
        raise BadText(f"{field}: {text[:40]!r} starts like a spreadsheet formula ({text[0]}); write it as text",
                      field=field)  # fmt: skip
    return text
