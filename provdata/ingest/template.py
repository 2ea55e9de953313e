"""The tidy upload template: an Excel workbook with an empty data sheet, instructions in Thai and English,
and the indicator ids and province codes to use. No figures in it."""

from __future__ import annotations

import io

import pandas as pd

TEMPLATE_COLUMNS = ["province_code", "province", "year", "indicator_id", "value"]

INSTRUCTIONS = [
    ("th", "แม่แบบนำเข้าข้อมูล provdata: หนึ่งแถวต่อหนึ่งจังหวัด หนึ่งปี หนึ่งตัวชี้วัด"),
    ("th", "province_code: รหัสจังหวัด 2 หลักของกรมการปกครอง (ดูแผ่นงาน provinces) หรือเว้นว่างแล้วใส่ชื่อในคอลัมน์ province"),
    ("th", "year: ปี พ.ศ. (เช่น 2566) หรือ ค.ศ. (เช่น 2023) ก็ได้"),
    ("th", "indicator_id: รหัสตัวชี้วัดจากแผ่นงาน indicators (เฉพาะตัวชี้วัดของหน่วยงานท่าน)"),
    ("th", "value: ตัวเลขตามที่เผยแพร่ ใส่จุลภาคคั่นหลักหรือเลขไทยได้ ห้ามใส่สูตร ห้ามปัดเศษ เว้นว่างถ้าไม่มีข้อมูล"),
    ("th", "ไม่ต้องใส่แถวรวมทั้งประเทศหรือรายภาค ถ้ามีจะถูกข้ามและแจ้งในรายงาน"),
    ("en", "provdata upload template: one row per province, year and indicator"),
    ("en", "province_code: the 2-digit DOPA province code (see the provinces sheet), or leave it empty and "
           "write the name in the province column"),
    ("en", "year: Buddhist era (e.g. 2566) or Gregorian (e.g. 2023)"),
    ("en", "indicator_id: an id from the indicators sheet (only your agency's indicators)"),
    ("en", "value: the figure as published; thousands separators and Thai digits are fine; no formulas, no "
           "rounding; leave it empty where there is no figure"),
    ("en", "Whole-kingdom or regional total rows are not needed; if present they are skipped and reported"),
]  # fmt: skip


def template_xlsx(indicators: pd.DataFrame, provinces: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        pd.DataFrame(columns=TEMPLATE_COLUMNS).to_excel(xl, sheet_name="data", index=False)
        pd.DataFrame(INSTRUCTIONS, columns=["lang", "instruction"]).to_excel(
            xl, sheet_name="instructions", index=False
        )
        cols = ["id", "name_th", "name_en", "unit_th", "unit_en", "agency_short_en", "kind"]
        indicators[cols].to_excel(xl, sheet_name="indicators", index=False)
        provinces[["code", "name_th", "name_en"]].to_excel(xl, sheet_name="provinces", index=False)
        for sheet in xl.sheets.values():
            for col in sheet.columns:
                width = max(len(str(c.value or "")) for c in col[:100])
                sheet.column_dimensions[col[0].column_letter].width = min(90, max(12, width + 2))
    return buf.getvalue()


def template_csv() -> bytes:
    return (",".join(TEMPLATE_COLUMNS) + "\n").encode("utf-8-sig")
