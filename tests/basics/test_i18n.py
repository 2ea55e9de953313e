"""UI strings: both languages have the same keys and placeholders; formatting of years and figures."""

from __future__ import annotations

import string

from provdata.basics import i18n


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_thai_and_english_have_the_same_keys_and_placeholders():
    th, en = i18n.strings("th"), i18n.strings("en")
    assert set(th) == set(en)
    mismatched = [k for k in th if _placeholders(th[k]) != _placeholders(en[k])]
    assert mismatched == []


def test_years_in_buddhist_and_common_era():
    assert i18n.fmt_year(2020, "be") == "2563"
    assert i18n.fmt_year(2020, "ce") == "2020"
    assert i18n.default_era("th") == "be" and i18n.default_era("en") == "ce"


def test_figures_keep_their_published_value():
    assert i18n.fmt_value(111440.702788) == "111,440.7"
    assert i18n.fmt_exact(111440.702788) == "111,440.702788"
    assert i18n.fmt_value(1073142.0) == "1,073,142"
    assert i18n.fmt_value(0.620549) == "0.6205"
    assert i18n.fmt_value(None) == "–"
    assert i18n.fmt_pct_change(110.0, 100.0) == "+10.0%"
    assert i18n.fmt_pct_change(1.0, 0.0) is None
