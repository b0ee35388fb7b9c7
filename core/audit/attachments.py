"""Attachments: checked by extension AND content, stored under ``instance/attachments/`` with a random
name, served back only as a download of a fixed, non-HTML type."""
from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import zipfile

from flask import current_app, send_file
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session

from core.db import db
from core.text import has_bidi_control
from core import clock
from .log import AuditError, log_event
from .models import Attachment
from .tracking import _user_id, actor_id

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MIME = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "txt": "text/plain",  # werkzeug adds "; charset=utf-8" to text types
}
EXTENSIONS = {"pdf": "pdf", "png": "png", "jpg": "jpeg", "jpeg": "jpeg", "docx": "docx", "xlsx": "xlsx",
              "txt": "txt"}
_FILES_KEY = "concord.new_attachment_files"


class AttachmentError(AuditError):
    pass


def max_bytes() -> int:
    try:
        return int(current_app.config.get("ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))
    except (TypeError, ValueError):
        return DEFAULT_MAX_BYTES


def storage_root() -> str:
    return os.path.join(current_app.instance_path, "attachments")


def clean_filename(name: str | None) -> str:
    name = os.path.basename((name or "").replace("\\", "/"))
    name = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "", name).strip(" .")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 190] + dot + ext[:9]) if dot else name[:200]
    return name


def _zip_names(data: bytes) -> set[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def content_matches(kind: str, data: bytes) -> bool:
    if kind == "pdf":
        return data.startswith(b"%PDF-")
    if kind == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if kind == "jpeg":
        return data.startswith(b"\xff\xd8\xff")
    if kind in ("docx", "xlsx"):
        if not data.startswith(b"PK\x03\x04"):
            return False
        names = _zip_names(data)
        main = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
        return bool(names) and "[Content_Types].xml" in names and main in names and not any(
            n.endswith("vbaProject.bin") for n in names)
    if kind == "txt":
        return _looks_like_text(data)
    return False


def _read(file, limit: int) -> bytes:
    stream = getattr(file, "stream", file)
    if isinstance(stream, (bytes, bytearray)):
        return bytes(stream[: limit + 1])
    return stream.read(limit + 1)


def check_file(filename: str, data: bytes, limit: int) -> str:
    """The file's kind, or AttachmentError with a message for the user."""
    allowed = "PDF, PNG, JPEG, DOCX, XLSX, TXT"
    if not data:
        raise AttachmentError(_("The file is empty."))
    if len(data) > limit:
        raise AttachmentError(_("The file is larger than the limit of %(mb)s MB.",
                                mb=f"{limit / (1024 * 1024):g}"))
    ext = filename.rpartition(".")[2].lower() if "." in filename else ""
    kind = EXTENSIONS.get(ext)
    if kind is None:
        raise AttachmentError(_("Files of this type cannot be attached. Allowed: %(types)s.", types=allowed))
    if not content_matches(kind, data):
        raise AttachmentError(_("The file's content is not a %(type)s file, although its name says so.",
                                type=ext.upper()))
    return kind


def add_attachment(record_type: str, record_id, file, filename: str | None = None, user=None) -> Attachment:
    """Store *file* (an upload, a file object or bytes) on the record; refuses too big or wrong files."""
    name = clean_filename(filename or getattr(file, "filename", None))
    if not name:
        raise AttachmentError(_("The file has no name."))
    if has_bidi_control(name):
        raise AttachmentError(_("The file name contains invisible text-direction characters."))
    limit = max_bytes()
    data = _read(file, limit)
    kind = check_file(name, data, limit)
    now = clock.now()
    stored = f"{now:%Y}/{now:%m}/{secrets.token_hex(16)}"
    path = os.path.join(storage_root(), stored)
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    with open(path, "xb") as fh:
        fh.write(data)
    db.session.info.setdefault(_FILES_KEY, []).append(path)
    uid = _user_id(user) if user is not None else actor_id()
    att = Attachment(record_type=record_type, record_id=str(record_id), filename=name, stored_name=stored,
                     kind=kind, size=len(data), sha256=hashlib.sha256(data).hexdigest(), uploaded_at=now,
                     uploaded_by_id=uid)
    db.session.add(att)
    log_event("attachment", record_type, record_id, text=name, user=user)
    db.session.flush()
    return att


def send_attachment(att: Attachment):
    """A download response: fixed type, ``Content-Disposition: attachment``, sandboxed, never sniffed."""
    path = os.path.join(storage_root(), att.stored_name)
    if not os.path.isfile(path):
        from flask import abort
        abort(404)
    resp = send_file(path, mimetype=MIME[att.kind], as_attachment=True, download_name=att.filename,
                     max_age=0, etag=att.sha256)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


# -- files written by a transaction that is rolled back are removed ------------------------------
@event.listens_for(Session, "after_soft_rollback")
def _remove_orphans(session, previous_transaction):
    if previous_transaction.parent is not None:
        return
    for path in session.info.pop(_FILES_KEY, []):
        try:
            os.remove(path)
        except OSError:
            pass


@event.listens_for(Session, "after_commit")
def _keep_files(session):
    session.info.pop(_FILES_KEY, None)
