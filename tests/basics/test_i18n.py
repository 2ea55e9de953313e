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


def test_licences_in_thai_with_the_original_beside_and_every_shipped_licence_translated(real_warehouse):
    from provdata.warehouse import queries
    from provdata.warehouse.db import Warehouse

    assert i18n.licence_text("none stated", "th") == "ไม่ได้ระบุสัญญาอนุญาต (ต้นฉบับ: none stated)"
    assert i18n.licence_text("none stated", "en") == "none stated"
    both = "CC0-1.0 (LICENSE.md of the repository); the PDFs are NSO publications"
    assert i18n.licence_text(both, "th") == (
        "CC0-1.0 สละสิทธิ์ทั้งหมด (ตามไฟล์ LICENSE.md ของคลังข้อมูล) (ต้นฉบับ: CC0-1.0 (LICENSE.md of the repository)); "
        "ไฟล์ PDF เป็นเอกสารเผยแพร่ของสำนักงานสถิติแห่งชาติ (ต้นฉบับ: the PDFs are NSO publications)"
    )
    # a statement nobody translated, or one a steward wrote in Thai, stays as stated
    assert i18n.licence_text("CC BY 4.0; ใช้ได้โดยอ้างอิงที่มา", "th") == "CC BY 4.0; ใช้ได้โดยอ้างอิงที่มา"
    untranslated = [
        part
        for text in set(queries.sources(Warehouse(real_warehouse)).license)
        for part in text.split(";")
        if "ต้นฉบับ" not in i18n.licence_text(part, "th")
    ]
    assert untranslated == []
