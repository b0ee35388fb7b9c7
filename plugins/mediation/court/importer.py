"""A court's hand-over batch (no network link to court systems on the intranet): UTF-8 CSV, xlsx or JSON.

The header (README, "Court hand-over file") — one case a row, one plaintiff and one defendant::

    court,court_case_no,kind,procedure,category,received_at,claim,judge_name,judge_phone,file_note,
    plaintiff,plaintiff_id_number,plaintiff_phone,plaintiff_address,
    defendant,defendant_id_number,defendant_phone,defendant_address

JSON: a list of objects shaped like the API's create body (``parties`` as a list). Every row is checked
first; a bad row is reported by its data-row number (1 = the first row under the header) and then nothing
of the batch is created (the caller rolls the one transaction back)."""
from __future__ import annotations

import csv
import io
import json
import os

from flask_babel import gettext as _

from core.toolkit import clock
from core.toolkit import db
from .models import CourtBatch, CourtCase
from .services import CourtError, clean_case, create_case

COLUMNS = ("court", "court_case_no", "kind", "procedure", "category", "received_at", "claim", "judge_name",
           "judge_phone", "file_note", "plaintiff", "plaintiff_id_number", "plaintiff_phone", "plaintiff_address",
           "defendant", "defendant_id_number", "defendant_phone", "defendant_address")
REQUIRED = ("court", "court_case_no", "kind", "received_at", "claim", "plaintiff")
MAX_ROWS = 5000
MAX_BYTES = 5_000_000


class ImportFailed(CourtError):
    """The batch was refused: ``rows`` lists (row number, field, message), all of them."""

    def __init__(self, rows: list[tuple[int, str, str]], message: str = ""):
        self.rows = rows
        text = message or "; ".join(_("row %(n)s: %(field)s: %(msg)s", n=n, field=f, msg=m) for n, f, m in rows[:50])
        super().__init__({"file": text})


def _rows_csv(data: bytes) -> list[dict]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed([], _("The file is not UTF-8 text.")) from None
    reader = csv.DictReader(io.StringIO(text))
    _check_header(reader.fieldnames or [])
    return [{k: (v or "") for k, v in row.items() if k} for row in reader]


def _rows_xlsx(data: bytes) -> list[dict]:
    from openpyxl import load_workbook
    try:
        ws = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:  # noqa: BLE001 - any unreadable workbook is one clear message
        raise ImportFailed([], _("The file is not a readable xlsx workbook.")) from None
    rows = ws.iter_rows(values_only=True)
    header = [str(h or "").strip() for h in next(rows, ())]
    _check_header(header)
    out = []
    for values in rows:
        row = {}
        for k, v in zip(header, values):
            if k:
                row[k] = v.isoformat(timespec="minutes") if hasattr(v, "isoformat") else ("" if v is None else str(v))
        out.append(row)
    while out and not any(out[-1].values()):
        out.pop()
    return out


def _check_header(header: list[str]) -> None:
    header = [h.strip() for h in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFailed([], _("The header lacks the columns: %(cols)s.", cols=", ".join(missing)))


def _from_flat(row: dict) -> dict:
    body = {k: row.get(k, "") for k in COLUMNS[:10]}
    body["parties"] = []
    for role in ("plaintiff", "defendant"):
        if (row.get(role) or "").strip() or role == "plaintiff":
            body["parties"].append({"name": row.get(role, ""), "role": role,
                                    "id_number": row.get(f"{role}_id_number", ""),
                                    "phone": row.get(f"{role}_phone", ""), "address": row.get(f"{role}_address", "")})
    return body


def read_rows(filename: str, data: bytes) -> list[dict]:
    """The batch's cases as create bodies, by the file's kind (.csv, .xlsx, .json)."""
    if len(data) > MAX_BYTES:
        raise ImportFailed([], _("The file is larger than %(n)s MB.", n=MAX_BYTES // 1_000_000))
    ext = os.path.splitext(filename or "")[1].lower()
    if ext == ".json":
        try:
            items = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            raise ImportFailed([], _("The file is not valid UTF-8 JSON.")) from None
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ImportFailed([], _("A JSON batch is a list of cases."))
        return items
    if ext == ".xlsx" or data[:2] == b"PK":
        return [_from_flat(r) for r in _rows_xlsx(data)]
    return [_from_flat(r) for r in _rows_csv(data)]


def import_batch(filename: str, data: bytes, region, user=None) -> tuple[CourtBatch, list[CourtCase]]:
    """Check every row, then create the batch and its cases; any bad row → ``ImportFailed`` listing all."""
    bodies = read_rows(filename, data)
    if not bodies:
        raise ImportFailed([], _("The file holds no cases."))
    if len(bodies) > MAX_ROWS:
        raise ImportFailed([], _("A batch holds at most %(n)s cases.", n=MAX_ROWS))
    problems: list[tuple[int, str, str]] = []
    cleaned, seen = [], {}
    for n, body in enumerate(bodies, start=1):
        clean, errors = clean_case(body)
        key = (clean.get("court"), clean.get("court_case_no"))
        if key in seen and "court_case_no" not in errors:
            errors["court_case_no"] = _("Repeats row %(n)s.", n=seen[key])
        seen.setdefault(key, n)
        problems += [(n, field, str(msg)) for field, msg in errors.items()]
        cleaned.append(clean)
    if problems:
        raise ImportFailed(problems)
    courts = sorted({c["court"] for c in cleaned})
    batch = CourtBatch(court="、".join(courts)[:100], filename=os.path.basename(filename or "")[:200],
                       rows=len(cleaned), imported_at=clock.now().replace(microsecond=0),
                       imported_by_id=getattr(user, "id", None))
    db.session.add(batch)
    db.session.flush()
    return batch, [create_case(c, region, user, batch) for c in cleaned]
