"""xlsx writing with openpyxl: Chinese headers and sheet names, typed cells (numbers stay numbers, dates
and times are date cells, also when a list formats them as text "2026-03-02" / "2026-03-02 09:30"), and
text that looks like a formula kept as text by the cell's quotePrefix style (Excel's own "'" prefix,
not shown and not part of the value) instead of a visible apostrophe."""
from __future__ import annotations

import io
import re
from datetime import date, datetime

from flask import Response
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _cell(value):
    """The typed value a cell holds: numbers and dates as they are, ISO date (and time) text as dates."""
    if value is None or isinstance(value, (int, float, date, datetime)):
        return value
    text = str(value)
    try:
        if _ISO_DATE.match(text):
            return date.fromisoformat(text)
        if _ISO_DATETIME.match(text):
            return datetime.fromisoformat(text.replace("T", " "))
    except ValueError:
        pass
    return text


def _guard(cell) -> None:
    """A text cell starting like a formula is stored as text with the quotePrefix style: never evaluated,
    shown as typed."""
    if isinstance(cell.value, str) and cell.value[:1] in FORMULA_START:
        cell.data_type = "s"
        cell.quotePrefix = True


def sheet_title(title) -> str:
    """A valid sheet name (≤ 31 characters, none of []:*?/\\)."""
    return (_BAD_SHEET_CHARS.sub(" ", str(title)).strip() or "Sheet")[:31]


def add_sheet(wb: Workbook, title: str, headers: list, rows: list[list], formats: dict[int, str] | None = None):
    ws = wb.active if (wb.active is not None and wb.active.max_row == 1 and wb.active.title == "Sheet") else wb.create_sheet()
    ws.title = sheet_title(title)
    ws.append([str(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        _guard(cell)
    rows = [[_cell(v) for v in row] for row in rows]
    for row in rows:
        ws.append(row)
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            _guard(cell)
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
