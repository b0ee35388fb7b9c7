"""xlsx writing with openpyxl: Chinese headers, typed cells (numbers stay numbers, dates are dates)."""
from __future__ import annotations

import io
from datetime import date, datetime

from flask import Response
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if value is None or isinstance(value, (int, float, date, datetime)):
        return value
    text = str(value)
    # a text cell starting like a formula is written as text, never evaluated
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def add_sheet(wb: Workbook, title: str, headers: list, rows: list[list], formats: dict[int, str] | None = None):
    ws = wb.active if (wb.active is not None and wb.active.max_row == 1 and wb.active.title == "Sheet") else wb.create_sheet()
    ws.title = title[:31]
    ws.append([str(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_cell(v) for v in row])
    for i, h in enumerate(headers, start=1):
        fmt = (formats or {}).get(i - 1)
        width = max([len(str(h)) * 2] + [len(str(r[i - 1])) for r in rows[:200] if i - 1 < len(r)]) + 2
        ws.column_dimensions[get_column_letter(i)].width = min(60, width)
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = fmt
        elif any(isinstance(r[i - 1], datetime) for r in rows[:50] if i - 1 < len(r)):
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = "yyyy-mm-dd hh:mm"
        elif any(isinstance(r[i - 1], date) for r in rows[:50] if i - 1 < len(r)):
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    return ws


def workbook() -> Workbook:
    return Workbook()


def response(wb: Workbook, name: str) -> Response:
    buf = io.BytesIO()
    wb.save(buf)
    return Response(buf.getvalue(), mimetype=XLSX,
                    headers={"Content-Disposition": f"attachment; filename={name}.xlsx"})


def single(title: str, headers: list, rows: list[list], name: str, formats=None) -> Response:
    wb = workbook()
    add_sheet(wb, title, headers, rows, formats)
    return response(wb, name)
