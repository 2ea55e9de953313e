"""Year recognisers: year headers (``พ.ศ. 2563``, ``ปี 2020``), the era words of a year column (พ.ศ./ค.ศ.),
the one year a title names (``ปี พ.ศ. 2545``, crop year ``ปีเพาะปลูก 2553/54`` → its planting year), the crop
year a sheet or file name states (``จังหวัด 54-55.xls`` → 2011), and cells that are a year (Thai digits too).
"""

from __future__ import annotations

import datetime as dt
import re

from provdata.ingest.read import BE_OFFSET, THAI_DIGITS, year_of

_YEAR_WORDS = re.compile(
    r"^(ปี|year|พ\.?\s?ศ\.?|ค\.?\s?ศ\.?|b\.?\s?e\.?|c\.?\s?e\.?|a\.?\s?d\.?|ปี\s*พ\.?ศ\.?)\s*$", re.I
)
_BE_WORDS = re.compile(r"พ\.?\s?ศ|b\.?\s?e\b|buddhist", re.I)
_CE_WORDS = re.compile(r"ค\.?\s?ศ|\bc\.?\s?e\b|\ba\.?\s?d\b|gregorian", re.I)
_THAI_DATE = re.compile(
    r"\d{1,2}\s*(ม\.?ค|ก\.?พ|มี\.?ค|เม\.?ย|พ\.?ค|มิ\.?ย|ก\.?ค|ส\.?ค|ก\.?ย|ต\.?ค|พ\.?ย|ธ\.?ค)\.?\s*\d{2,4}"
)
_TITLE_YEAR = re.compile(
    r"(?:ปี[ก-๙]{0,12}|year|พ\.\s?ศ\.|ค\.\s?ศ\.)\s*(?:พ\.\s?ศ\.|ค\.\s?ศ\.)?\s*(\d{4})(?:\s*/\s*(\d{2,4}))?(\s*[-–]\s*\d{2,4})?",
    re.I,
)


#: A crop year written short, as OAE names its workbooks ("จังหวัด 54-55.xls", "53-54(จังหวัด).xls") or sheets:
#: two consecutive years, the first of four digits or two ("2553/54", "2553-54", "53-54").
#: Not a piece of a longer chain of numbers (a time stamp "2013_05_06_12_23" holds "05_06").
_CROP_YEAR = re.compile(r"(?<!\d)(?<!\d[-–/_:.])(\d{4}|\d{2})\s*[-–/_]\s*(\d{2})(?!\d)(?![-–/_:]\d)")


def crop_year_of(name: str) -> tuple[int | None, str]:
    """The crop year a file or sheet name states ("จังหวัด 54-55.xls" → 2011), its planting (first) year in the
    Gregorian calendar, and the text it came from; None when the name states none or more than one.

    Two digits are a Buddhist year of the 2500s (OAE's convention: 54-55 = 2554/55). Only two *consecutive*
    years are a crop year, so a span ("45-58", "2536-2557") or a number pair that is not a year never is.
    """
    found = set()
    for m in _CROP_YEAR.finditer(str(name).translate(THAI_DIGITS)):
        first, second = m.group(1), int(m.group(2))
        be = int(first) if len(first) == 4 else 2500 + int(first)
        if not 2400 <= be <= dt.date.today().year + BE_OFFSET + 1 or second != (be + 1) % 100:
            continue  # a Gregorian "2010-11" may be a month: only Buddhist-era crop years
        found.add((be - BE_OFFSET, m.group(0)))
    if len({y for y, _ in found}) != 1:
        return None, ""
    year, text = sorted(found)[0]
    return year, text


def _title_year(rows: list[list[str]]) -> tuple[int | None, str]:
    """The one year the title rows name ("ปี พ.ศ. 2545", "ปี 2553", crop year "ปีเพาะปลูก 2553/54" → its first,
    planting year), Gregorian; None when they name none, a range, or several years."""
    years, texts = set(), []
    for row in rows:
        for cell in row:
            text = _THAI_DATE.sub("", cell.translate(THAI_DIGITS))
            for m in _TITLE_YEAR.finditer(text):
                if m.group(3):  # a range 2545-2554: not one year
                    return None, ""
                year = int(m.group(1))
                years.add(year - 543 if year >= 2400 else year)
                texts.append(m.group(0).strip())
    if len(years) != 1:
        return None, ""
    year = years.pop()
    crop = next((t for t in texts if "/" in t), None)
    if crop:
        return year, f"{crop}: a crop year is its planting year, {year}"
    return year, texts[0]


def _is_year_header(text: str) -> bool:
    return bool(text) and year_of(text) is not None and _looks_like_year_header(" ".join(text.split()))


def _looks_like_year_header(label: str) -> bool:
    """'2563', 'พ.ศ. 2563', 'ปี 2020', '2020 (p)' are year headers; 'ผลผลิต 2563 (ตัน)' is not."""
    text = label.translate(THAI_DIGITS)
    rest = re.sub(r"(?<!\d)\d{4}(?!\d)", "", text, count=1)
    rest = re.sub(
        r"พ\.?\s?ศ\.?|ค\.?\s?ศ\.?|ปี|year|b\.?e\.?|c\.?e\.?|\(p\)|p|r|e|[\s()*.:/\-]", "", rest, flags=re.I
    )
    return rest == ""


def _is_year_cell(value: str) -> bool:
    text = value.translate(THAI_DIGITS).strip()
    return text.isdigit() and len(text) == 4 and (1900 <= int(text) <= 2100 or 2400 <= int(text) <= 2700)
