"""The id of the newest audit entry, read with the signed-in user's row (``core.security.sessions``): what is
made from the log itself (the audit page's lists of users and record types) is kept per process until it
moves. The log is append-only and every change it lists shows in it: a user created or renamed is a tracked
change, a record type appears with its first entry, and a purge logs itself (issue 22)."""
from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import func, select

from core.db import db
from .models import AuditLog

_UNSET = object()


def _newest():
    """``SELECT max(id)`` of the log (the primary key's last entry: one index step)."""
    return select(func.max(AuditLog.__table__.c.id))


def newest_column():
    """The newest entry's id as a scalar subquery, to select next to the signed-in user's row."""
    return _newest().scalar_subquery()


def remember(value) -> None:
    if has_request_context():
        g._concord_audit_newest = value


def newest() -> int | None:
    """The newest entry's id as the request's user row saw it (read now without a signed-in user)."""
    if has_request_context():
        value = g.get("_concord_audit_newest", _UNSET)
        if value is not _UNSET:
            return value
    return db.session.connection().execute(_newest()).scalar()
