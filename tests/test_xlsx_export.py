"""List-view xlsx exports: dates as date cells, the sheet named in Chinese after the record type, and
formula-looking text kept as text by the quotePrefix style, not by a visible apostrophe."""
from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import load_workbook
from sqlalchemy import select

from core.db import db
from core.shell import xlsx
from plugins.petition.models import PetitionCase


def _book(resp):
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    return load_workbook(io.BytesIO(resp.data))


def test_petition_list_has_date_cells_and_a_chinese_sheet_name(login_as):
    client = login_as("officer")
    ws = _book(client.get("/petition/?format=xlsx")).active
    assert ws.title == "信访事项"
    header = [c.value for c in ws[1]]
    col = header.index("收到时间") + 1 if "收到时间" in header else 2
    cells = [ws.cell(row=r, column=col) for r in range(2, ws.max_row + 1)]
    assert cells and all(c.is_date for c in cells), [c.value for c in cells[:3]]
    by_ref = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=col).value for r in range(2, ws.max_row + 1)}
    case = db.session.scalar(select(PetitionCase).limit(1))
    assert by_ref[case.reference] == case.received_at.replace(microsecond=0)


def test_formula_text_is_guarded_by_quote_prefix(app):
    wb = xlsx.workbook()
    xlsx.add_sheet(wb, "纠纷/台账:2026", ["摘要", "日期", "时间", "金额"],
                   [["=HYPERLINK(\"http://x\")", "2026-03-02", "2026-03-02 09:30", 12.5],
                    ["@SUM(A1)", date(2026, 3, 3), datetime(2026, 3, 3, 8, 0), -3],
                    ["-1+2", "", None, 0], ["正常文本", "2026-13-40", "x", 1]])
    buf = io.BytesIO()
    wb.save(buf)
    ws = load_workbook(io.BytesIO(buf.getvalue())).active
    assert ws.title == "纠纷 台账 2026"
    for r, text in ((2, "=HYPERLINK(\"http://x\")"), (3, "@SUM(A1)"), (4, "-1+2")):
        cell = ws.cell(row=r, column=1)
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix, (r, cell.value)
    assert not ws.cell(row=5, column=1).quotePrefix and ws.cell(row=5, column=1).value == "正常文本"
    assert ws["B2"].value == datetime(2026, 3, 2) and ws["B2"].is_date and ws["B2"].number_format == "yyyy-mm-dd"
    assert ws["C2"].value == datetime(2026, 3, 2, 9, 30) and ws["C2"].is_date
    assert ws["B5"].value == "2026-13-40"            # not a date: stays text
    assert ws["D3"].value == -3 and ws["D3"].data_type == "n"   # numbers are never guarded
    # nothing anywhere carries a visible apostrophe
    assert not any(isinstance(c.value, str) and c.value.startswith("'") for row in ws.iter_rows() for c in row)
