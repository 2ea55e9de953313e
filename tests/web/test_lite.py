"""The phone page (issue #24): a phone that opens the profile or the map gets them as light HTML at the same URL,
with the published figures, each with its year and "out of date" mark, in Thai and English; a computer gets the
Streamlit page as before; ``view=full``/``view=lite`` choose (provdata/ui/lite.py, provdata/views/lite.py)."""

from __future__ import annotations

import gzip
import re
import urllib.request
from html import unescape

import pytest

from bench.serve import PHONE_UA
from provdata.ui import lite as phone_page
from provdata.views import lite

DESKTOP_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"
)
IPHONE_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.0 Mobile/15E148 Safari/604.1"
)
IPAD_UA = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 "
    "Safari/605.1.15"
)


def fetch(url: str, ua: str = PHONE_UA, **headers: str):
    """(status, headers, text) of a GET as a browser sending ``ua`` (and ``headers``) would."""
    req = urllib.request.Request(url, headers={"User-Agent": ua, **headers})
    with urllib.request.urlopen(req, timeout=30) as resp:
        body = resp.read()
        if resp.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return resp.status, resp.headers, body.decode("utf-8")


def is_phone_page(html: str) -> bool:
    return '<div id="root"' not in html and '<form method="get"' in html


def text_of(html: str) -> str:
    """What the page says, tags out, entities read (one space between elements)."""
    html = re.sub(r"<(style|script)\b.*?</\1>", "", html, flags=re.S)
    html = re.sub(r"<img\b[^>]*>", "", html)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


# --- who gets it -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "phone"),
    [
        ({"user-agent": PHONE_UA}, True),
        ({"user-agent": IPHONE_UA}, True),
        (
            {"user-agent": DESKTOP_UA, "sec-ch-ua-mobile": "?1"},
            True,
        ),  # Chrome on Android asking for a desktop UA
        ({"user-agent": DESKTOP_UA, "sec-ch-ua-mobile": "?0"}, False),
        ({"user-agent": IPAD_UA}, False),  # a tablet gets the interactive page
        ({}, False),
    ],
)
def test_a_phone_is_what_the_browser_says_it_is(headers, phone):
    assert phone_page.is_phone(headers) is phone


def test_only_the_profile_and_the_map_have_a_phone_page_and_the_link_can_choose():
    phone, desk = {"user-agent": PHONE_UA}, {"user-agent": DESKTOP_UA}
    assert [p for p in ("", "profile", "map", "trends", "chart") if phone_page.wanted(p, {}, phone)] == [
        "", "profile", "map",
    ]  # fmt: skip
    assert not phone_page.wanted("profile", {"view": "full"}, phone)
    assert phone_page.wanted("map", {"view": "lite"}, desk) and not phone_page.wanted("map", {}, desk)
    assert not phone_page.wanted("trends", {"view": "lite"}, desk)


def test_the_page_escapes_every_text_and_has_no_script():
    frame = lite.Frame(
        lang="en", title="<b>T</b>", description='"d"', home=("./profile?a=1&b=2", "home"),
        switches=[("Language", [("ไทย", "./p?lang=th", "th"), ("English", None, "en")])], action="./profile",
        hidden=[("lang", "en")], submit="Show", full=("./profile?view=full", "Open <it>"),
        pages=("Pages", [("./map", "Map")]), notes=["<note>"], warnings=["asked for <x>"],
    )  # fmt: skip
    field = lite.Field("province", "Province", [lite.Option("60", "<Nakhon>", True)])
    html = lite.document(frame, [field], ("<h1>x</h1>", ""))
    assert "<b>T</b>" not in html and "&lt;b&gt;T&lt;/b&gt;" in html and "<note>" not in html
    assert '<option value="60" selected>&lt;Nakhon&gt;</option>' in html
    assert '<a href="./profile?a=1&amp;b=2">home</a>' in html.replace(' class="home"', "")
    assert '<span aria-current="true" lang="en">English</span>' in html  # the language in force is no link
    assert '<a href="./p?lang=th" lang="th" hreflang="th">ไทย</a>' in html
    assert '<p class="note" role="status">asked for &lt;x&gt;</p>' in html
    assert "<script" not in html


# --- served ------------------------------------------------------------------------------------------------------


def test_a_phone_opening_the_profile_gets_the_published_figures_with_years_and_marks(served_app):
    status, headers, html = fetch(f"{served_app}/profile?province=60&lang=th")
    assert status == 200 and is_phone_page(html)
    assert (
        headers["Vary"].startswith("User-Agent, Sec-CH-UA-Mobile") and headers["Cache-Control"] == "no-cache"
    )
    assert "<script" not in html  # nothing for a phone to run: the figures are in the HTML
    assert '<html lang="th">' in html and "<h1>นครสวรรค์</h1>" in html
    # the same headline cards as the Streamlit page (tests/views/test_firstview.py): GPP 2020 at current prices as
    # NESDC publishes it, GPP per head, registered population December 2024 (DOPA)
    assert re.findall(r'<p class="value">([^<]+)</p>', html)[:3] == ["111,440.7", "121,070.3", "1,014,401"]
    assert (
        len(re.findall(r'<li class="card">', html)) == 12
    )  # 12 headline cards (data/reference/profile_indicators.csv)
    said = text_of(html)
    assert "ล้านบาท · ปี 2563 · อันดับ 24 จาก 77 จังหวัด" in said
    # DOPA's 2025 figure was due by the end of January 2026: the 2024 figure says it is out of date
    assert "⚠ ไม่เป็นปัจจุบัน: เกินกำหนดตั้งแต่ 1 ก.พ. 2569" in said
    # the table of every indicator, with the exact published value, its year and its status
    assert "ผลิตภัณฑ์มวลรวมจังหวัด ณ ราคาประจำปี 111,440.702788 ล้านบาท ปี: 2563" in said
    assert "⚠ ไม่เป็นปัจจุบัน: เกินกำหนดตั้งแต่ 1 ก.พ. 2569 (ขาดปี 2568)" in said
    assert "ชุดข้อมูล s" in said  # the build the figures come from
    # one indicator year by year, the first card's unless the link names one
    assert "<caption>ผลิตภัณฑ์มวลรวมจังหวัด ณ ราคาประจำปี นครสวรรค์ (ล้านบาท)</caption>" in html
    assert '<tr><th scope="row">2563</th><td class=num>111,440.702788</td></tr>' in html
    # the link to the interactive page keeps the view and asks for the full page
    assert (
        'href="./profile?province=60&amp;indicator=gpp_current_mb&amp;lang=th&amp;era=be&amp;view=full"'
        in html
    )


def test_the_phone_page_in_english_with_common_era_years(served_app):
    _s, _h, html = fetch(f"{served_app}/profile?province=60&lang=en&era=ce")
    said = text_of(html)
    assert '<html lang="en">' in html and "<h1>Nakhon Sawan</h1>" in html
    assert "million baht · 2020 · rank 24 of 77 provinces" in said
    assert "⚠ out of date: overdue since 1 Feb 2026" in said
    assert "111,440.702788 million baht Year: 2020" in said
    # the language switch leads to the Thai page with Buddhist-era years, the same province
    assert (
        '<a href="./profile?province=60&amp;indicator=gpp_current_mb&amp;lang=th&amp;era=be" lang="th" hreflang="th">ไทย</a>'
        in html
    )
    _s, _h, html = fetch(f"{served_app}/profile?province=60&lang=en&indicator=population_registered")
    assert '<tr><th scope="row">2024</th><td class=num>1,014,401</td></tr>' in html
    assert "⚠ 2024: out of date: overdue since 1 Feb 2026" in text_of(html)


def test_a_phone_opening_the_map_gets_its_picture_key_and_every_figure(served_app):
    _s, _h, html = fetch(f"{served_app}/map?lang=th")
    assert is_phone_page(html) and "<h1>แผนที่</h1>" in html
    found = re.search(
        r'<img src="data:image/svg\+xml,%3Csvg[^"]+" width="[\d.]+" height="640" alt="([^"]+)"', html
    )
    assert found and unescape(found.group(1)).startswith("แผนที่ผลิตภัณฑ์มวลรวมจังหวัดต่อหัว (บาทต่อคน) ปี 2563")
    rows = re.findall(r'<tr><td>(\d+)</td><th scope="row">([^<]+)</th><td class=num>([^<]+)</td></tr>', html)
    assert len(rows) == 77 and rows[0] == ("1", "ระยอง", "831,733.907")
    assert ("77", "นราธิวาส", "55,416.868") in rows and any(r[1:] == ("นครสวรรค์", "121,070.268") for r in rows)
    said = text_of(html)
    assert "ตัวเลขปี 2563" in said and "ที่มา: สศช. ปี: 2563 (พ.ศ.)" in said
    _s, _h, english = fetch(f"{served_app}/map?lang=en&indicator=population_registered&year=2024")
    said = text_of(english)
    assert "Figures of 2024 · out of date: overdue since 1 Feb 2026" in said
    assert "Status by the release calendar: out of date: overdue since 1 Feb 2026 (2025 missing)" in said
    assert re.search(r'<th scope="row">Nakhon Sawan</th><td class=num>1,014,401</td>', english)


def test_a_computer_gets_the_streamlit_page_and_each_can_ask_for_the_other(served_app):
    _s, headers, html = fetch(f"{served_app}/profile?province=60&lang=th", ua=DESKTOP_UA)
    assert '<div id="root"' in html and headers["Vary"].startswith(
        phone_page.VARY
    )  # the interactive page, as before
    _s, _h, html = fetch(f"{served_app}/profile?province=60&lang=th&view=full")  # the phone page's link
    assert '<div id="root"' in html and 'id="pd-first"' in html
    _s, _h, html = fetch(f"{served_app}/map?lang=en&view=lite", ua=DESKTOP_UA)
    assert is_phone_page(html)  # a slow office PC can have it too, and keeps it in its links and form
    assert (
        '<input type="hidden" name="view" value="lite">' in html and "view=lite" in html.split("<footer>")[0]
    )
    _s, _h, html = fetch(f"{served_app}/profile?lang=en", ua=DESKTOP_UA, **{"Sec-CH-UA-Mobile": "?1"})
    assert is_phone_page(html)
    _s, _h, html = fetch(f"{served_app}/?lang=en")  # the app root opens the profile
    assert is_phone_page(html) and '<form method="get" action="./profile">' in html


def test_the_phone_page_goes_out_compressed(served_app):
    req = urllib.request.Request(
        f"{served_app}/map?lang=th", headers={"User-Agent": PHONE_UA, "Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        body = resp.read()
        assert resp.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in resp.headers["Vary"]
    html = gzip.decompress(body).decode("utf-8")
    assert is_phone_page(html) and len(body) < len(html.encode("utf-8")) / 3


def test_a_link_the_page_does_not_know_says_what_it_shows_instead(served_app):
    _s, _h, html = fetch(f"{served_app}/profile?province=99&lang=th")
    assert "ลิงก์ระบุ province=99 ซึ่งไม่มีในระบบ จึงแสดง ★ พระนครศรีอยุธยา (14) แทน" in text_of(html)
    assert "<h1>พระนครศรีอยุธยา</h1>" in html
    _s, _h, html = fetch(f"{served_app}/profile?province=%3Cscript%3Ealert(1)%3C%2Fscript%3E&lang=en")
    assert "<script" not in html and "province=&lt;script&gt;alert(1)&lt;/script&gt;" in html
    _s, _h, html = fetch(f"{served_app}/map?lang=en&indicator=population_registered&year=1900")
    assert "The link asked for year=1900, which is not known; showing 2024 instead." in text_of(html)
