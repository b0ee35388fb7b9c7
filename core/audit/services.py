"""Audit and chatter services: notes, attachments, activities and a record's history.

Every function works inside the caller's transaction; the caller (a view or a job) commits once.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from core.db import db
from .activities import add_activity, complete_activity, my_open_activities, open_activities  # noqa: F401
from .attachments import AttachmentError, add_attachment, send_attachment  # noqa: F401
from .log import AuditError, log_event, log_read  # noqa: F401
from .masking import kind_of, mask, mask_id_number, mask_phone, reveal  # noqa: F401
from .models import Activity, Attachment, AuditLog
from .tracking import audit_actor, track, tracked_labels  # noqa: F401

NOTE_MAX = 10_000
# actions that are not part of a record's chatter (they stay in the audit log)
NOT_IN_HISTORY = ("read_personal", "login", "attachment", "activity", "activity_done")


def log_note(record_type: str, record_id, text: str, user=None) -> AuditLog:
    """A free-text note on the record, by *user* (default: the acting user)."""
    text = (text or "").strip()
    if not text:
        raise AuditError(_("The note is empty."))
    if len(text) > NOTE_MAX:
        raise AuditError(_("The note is longer than %(n)d characters.", n=NOTE_MAX))
    entry = log_event("note", record_type, record_id, text=text, user=user)
    db.session.flush()
    return entry


# -- history -------------------------------------------------------------------------------------
@dataclass
class Entry:
    kind: str                     # create | update | delete | note | attachment | activity | <plugin action>
    at: datetime
    user: Any = None
    text: str | None = None
    changes: list[tuple[str, str | None, str | None]] = dc_field(default_factory=list)
    label: str = ""               # the event's words (never its code)
    attachment: Attachment | None = None
    activity: Activity | None = None
    order: tuple = ()


_by_table: dict[str, object] = {}
_by_table_size = [0]


def model_for_table(table_name: str):
    """The mapped class of a table (a dict built once per process, rebuilt when more models are mapped;
    the audit log page asked some 200 times per page, each a scan of every mapper: issue 22)."""
    registry = db.Model.registry
    # the number of mapped classes, read without building the frozenset that ``registry.mappers`` makes on
    # every access (that frozenset was most of the audit log page's CPU)
    managers = getattr(registry, "_managers", None)
    size = len(managers) if managers is not None else len(registry.mappers)
    if size != _by_table_size[0]:
        table = {}
        for mapper in registry.mappers:
            name = getattr(mapper.local_table, "name", None)
            if name is not None:
                table.setdefault(name, mapper.class_)
        _by_table.clear()
        _by_table.update(table)
        _by_table_size[0] = size
    return _by_table.get(table_name)


def field_label(cls, name: str) -> str:
    from core.labels import field_label as label
    return label(cls, name)


def _shown(cls, name: str, value):
    """A tracked value as a person reads it: personal data masked, coded values in words."""
    personal = set(getattr(cls, "__personal__", ()) or ()) if cls is not None else set()
    if name in personal and value:
        return mask(value, kind_of(name))
    from core.labels import value_label
    return value_label(cls, name, value)


def history(record_type: str, record_id, limit: int = 200) -> list[Entry]:
    """The record's chatter, newest first: tracked changes, notes, attachments and activities."""
    rid = str(record_id)
    cls = model_for_table(record_type)
    rows = db.session.scalars(
        select(AuditLog).where(AuditLog.record_type == record_type, AuditLog.record_id == rid,
                               AuditLog.action.notin_(NOT_IN_HISTORY))
        .order_by(AuditLog.id.desc()).limit(limit * 4)).all()
    entries: list[Entry] = []
    for row in rows:
        prev = entries[-1] if entries else None
        if row.action == "update":
            change = (field_label(cls, row.field or ""), _shown(cls, row.field, row.old), _shown(cls, row.field, row.new))
            if prev is not None and prev.kind == "update" and prev.at == row.at and prev.order[2] == row.user_id:
                prev.changes.insert(0, change)  # one flush, one entry
                continue
            entries.append(Entry("update", row.at, row.user, changes=[change], order=(row.at, 0, row.user_id, row.id)))
        else:
            from core.labels import action_label
            entries.append(Entry(row.action, row.at, row.user, text=row.text, label=action_label(row.action),
                                 order=(row.at, 0, row.user_id, row.id)))
    for att in db.session.scalars(select(Attachment).where(Attachment.record_type == record_type,
                                                           Attachment.record_id == rid)
                                  .order_by(Attachment.id.desc()).limit(limit)):
        entries.append(Entry("attachment", att.uploaded_at, att.uploaded_by, text=att.filename, attachment=att,
                             order=(att.uploaded_at, 1, 0, att.id)))
    for act in db.session.scalars(select(Activity).where(Activity.record_type == record_type,
                                                         Activity.record_id == rid)
                                  .order_by(Activity.id.desc()).limit(limit)):
        entries.append(Entry("activity", act.created_at, act.created_by, text=act.summary, activity=act,
                             order=(act.created_at, 2, 0, act.id)))
    entries.sort(key=lambda e: (e.order[0], e.order[1], e.order[3]), reverse=True)
    return entries[:limit]
