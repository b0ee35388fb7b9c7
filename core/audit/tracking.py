"""Tracked fields: one audit row per changed tracked field, per created and per deleted tracked record,
written in the same transaction as the change itself.

A model opts in by declaring ``__tracked__ = ("state", "handler", ...)`` (column or relationship
names); core models are registered with :func:`track`. The acting user is ``flask_login.current_user``
inside a request, or whoever :func:`audit_actor` names (jobs, CLI, tests).

The rows are inserted from the session's ``after_flush`` event (the pre-flush history is still
readable there and new records already have their primary keys), on the flush's own connection: a
rollback takes them away with the change.
"""
from __future__ import annotations

import contextvars
import json
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from flask import g, has_request_context, request
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import NO_VALUE
from core import clock

_actor: contextvars.ContextVar = contextvars.ContextVar("concord_audit_actor", default=None)
_extra_tracked: dict[type, tuple[str, ...]] = {}
_extra_labels: dict[type, dict] = {}
_installed = False


# -- who and where -------------------------------------------------------------------------------
@contextmanager
def audit_actor(user):
    """Attribute the changes made inside the block to *user* (a User, a user id, or None)."""
    token = _actor.set(user if user is not None else False)
    try:
        yield
    finally:
        _actor.reset(token)


def _user_id(user) -> int | None:
    if user is None or user is False:
        return None
    if isinstance(user, int):
        return user
    if not getattr(user, "is_authenticated", True):
        return None
    return getattr(user, "id", None)


def actor_id() -> int | None:
    """The acting user's id: the ``audit_actor`` block, else the signed-in user of the request."""
    chosen = _actor.get()
    if chosen is not None:
        return _user_id(chosen)
    if not has_request_context():
        return None
    loaded = g.get("_login_user")  # Flask-Login's cache; never load a user in the middle of a flush
    if loaded is not None:
        return _user_id(loaded)
    from flask import session
    try:
        return int(str(session.get("_user_id")).partition(":")[0])   # "id:session epoch"
    except (TypeError, ValueError):
        return None


def client_ip() -> str | None:
    return (request.remote_addr or None) if has_request_context() else None


# -- what is tracked -----------------------------------------------------------------------------
def track(cls, fields, labels: dict | None = None) -> None:
    """Track *fields* of a model that cannot carry ``__tracked__`` itself (core models); *labels*
    plays the part of ``__tracked_labels__`` (field → label shown in the chatter)."""
    _extra_tracked[cls] = tuple(fields)
    if labels:
        _extra_labels[cls] = dict(labels)


def tracked_labels(cls) -> dict:
    return getattr(cls, "__tracked_labels__", None) or _extra_labels.get(cls) or {}


def tracked_fields(cls) -> tuple[str, ...]:
    fields = cls.__dict__.get("__tracked__")
    if fields is None:
        fields = _extra_tracked.get(cls)
    if fields is None:
        for base in cls.__mro__[1:]:
            fields = getattr(base, "__tracked__", None) or _extra_tracked.get(base)
            if fields:
                break
    return tuple(fields or ())


def record_ref(obj) -> tuple[str, str]:
    """``(record_type, record_id)`` of a mapped object: its table name and primary key as text."""
    mapper = inspect(obj).mapper
    pk = mapper.primary_key_from_instance(obj)
    return mapper.local_table.name, ",".join("" if v is None else str(v) for v in pk)


def label_of(obj) -> str:
    for attr in ("display_name", "name", "title", "reference", "code"):
        value = getattr(obj, attr, None)
        if value:
            return str(value)
    return record_ref(obj)[1]


def as_text(value) -> str | None:
    if value is None or value is NO_VALUE:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime, date)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, (int, float, Decimal, str)):
        return str(value)
    if hasattr(value, "__table__"):
        return label_of(value)
    if isinstance(value, (list, tuple, set)):
        return ", ".join(sorted(as_text(v) or "" for v in value))
    return str(value)


def _snapshot(obj, fields) -> str:
    state = inspect(obj)
    out = {}
    for name in fields:
        value = state.attrs[name].loaded_value
        out[name] = as_text(list(value) if isinstance(value, (list, set)) else value)
    return json.dumps(out, ensure_ascii=False, sort_keys=True)


def _changes(obj, fields):
    state = inspect(obj)
    for name in fields:
        hist = state.attrs[name].history
        if not hist.has_changes():
            continue
        prop = state.mapper.attrs[name]
        if getattr(prop, "uselist", False):
            old = list(hist.unchanged or ()) + list(hist.deleted or ())
            new = list(hist.unchanged or ()) + list(hist.added or ())
        else:
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
        old_text, new_text = as_text(old), as_text(new)
        if old_text != new_text:
            yield name, old_text, new_text


# -- the event -----------------------------------------------------------------------------------
def _rows_for_flush(session) -> list[dict]:
    rows: list[dict] = []
    base = {"at": clock.now(), "user_id": actor_id(), "ip": client_ip(), "text": None}
    for obj in list(session.new):
        fields = tracked_fields(type(obj))
        if fields:
            rt, rid = record_ref(obj)
            rows.append({**base, "action": "create", "record_type": rt, "record_id": rid, "field": None,
                         "old": None, "new": _snapshot(obj, fields)})
    for obj in list(session.dirty):
        fields = tracked_fields(type(obj))
        if not fields or obj in session.deleted:
            continue
        rt, rid = record_ref(obj)
        for name, old, new in _changes(obj, fields):
            rows.append({**base, "action": "update", "record_type": rt, "record_id": rid, "field": name,
                         "old": old, "new": new})
    for obj in list(session.deleted):
        fields = tracked_fields(type(obj))
        if fields:
            rt, rid = record_ref(obj)
            rows.append({**base, "action": "delete", "record_type": rt, "record_id": rid, "field": None,
                         "old": _snapshot(obj, fields), "new": None})
    return rows


def _after_flush(session, flush_context) -> None:
    rows = _rows_for_flush(session)
    if rows:
        from .models import AuditLog
        session.connection().execute(insert(AuditLog.__table__), rows)


def _before_commit(session) -> None:
    """Read logs buffered during a request join the request's own commit."""
    if not has_request_context():
        return
    pending = g.get("_concord_audit_pending")
    if pending:
        from core.db import db
        if session is db.session():
            from .reads import coalesce
            from .models import AuditLog
            session.add_all(AuditLog(**row) for row in coalesce(list(pending.values())))
            pending.clear()


def install() -> None:
    """Listen on every ORM session once per process (idempotent)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "before_commit", _before_commit)
    _installed = True
