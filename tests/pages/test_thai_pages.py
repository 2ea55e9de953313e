"""Thai pages say nothing of ours in English: every page, run by AppTest in Thai over the real warehouse, carries
no English UI string of the locale tables (a licence's original text stands beside its Thai, and names such as
"CSV" or "BOI" are the same in both languages). Streamlit's own words in a real browser:
tests/browser/test_browser_thai.py."""

from __future__ import annotations

import re
import string

import pytest
from google.protobuf.json_format import MessageToDict

from provdata.basics.i18n import strings
from provdata.ui.nav import PAGES
from tests.conftest import open_page

PARAMS = {"profile": {"province": "60"}, "present": {"province": "60"}, "compare": {"theme": "economy"},
          "chart": {"province": "60"}, "trends": {"provinces": "60,62"},
          "map": {"indicator": "dhf_cases", "year": "2020"}}  # fmt: skip
#: names that are the same in both languages
NAMES = {"Frictionless Data Package"}


def english_fragments() -> set[str]:
    """The fixed parts (between placeholders) of every English string that differs from its Thai: the parts long
    enough to be words of ours (two words, 10 characters or more)."""
    en, th = strings("en"), strings("th")
    out = set()
    for key, text in en.items():
        if text == th[key] or key.startswith(
            ("licence.", "streamlit.")
        ):  # licences: the original is shown beside
            continue
        for literal, *_ in string.Formatter().parse(text):
            for part in re.split(r"[.:;,()\n]", literal or ""):
                part = part.strip()
                code = "--" in part or "`" in part  # a command line reads the same in both languages
                if len(part) >= 10 and " " in part and not code and not re.search(r"[\u0e00-\u0e7f]", part):
                    out.add(part)
    return out - NAMES


def page_texts(at) -> list[str]:
    """Every string the page sends to the browser (labels, help, placeholders, text, captions, tables' headers)."""
    out: list[str] = []

    def strings_of(value) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                strings_of(v)
        elif isinstance(value, list):
            for v in value:
                strings_of(v)

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            strings_of(MessageToDict(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


def test_english_fragments_are_found_where_english_is_shown(real_warehouse, use_warehouse):
    use_warehouse(real_warehouse)
    at = open_page("pages/profile.py", lang="en", province="60")
    shown = " ".join(page_texts(at))
    assert [f for f in english_fragments() if f in shown]  # the check below can fail


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.url_path)
def test_a_thai_page_carries_no_english_string_of_ours(spec, real_warehouse, use_warehouse):
    use_warehouse(real_warehouse)
    at = open_page(spec.path, lang="th", **PARAMS.get(spec.url_path, {}))
    texts = [re.sub(r"\(ต้นฉบับ: [^()]*(\([^()]*\))?[^()]*\)", "", x) for x in page_texts(at)]
    shown = "\n".join(texts)
    found = sorted(f for f in english_fragments() if f in shown)
    assert found == [], found
