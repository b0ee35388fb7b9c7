"""Writing audit rows. There is deliberately no function that changes or removes one.

``log_event`` adds a row to the caller's transaction. ``log_read`` (used for full reads of personal
data and for sign-ins) must survive a request that never commits (a GET page): inside a request it is
buffered and written either by the request's own commit or, if the request does not commit, by an
``after_request`` hook in a transaction of its own.
"""
from __future__ import annotations


from flask import current_app, g, has_request_context
from sqlalchemy import insert
from sqlalchemy.exc import InterfaceError, OperationalError

from core.db import db
from core import clock
from .models import ACTIONS, AuditLog
from .reads import coalesce
from .tracking import actor_id, client_ip, _user_id


class AuditError(ValueError):
    """Bad input for an audit or chatter service; the message is safe to show."""


def _row(action: str, record_type=None, record_id=None, field=None, old=None, new=None, text=None,
         user=None) -> dict:
    if (action not in ACTIONS and "." not in action) or len(action) > 40:
        raise ValueError(f"unknown audit action {action!r} (plugin actions are namespaced, ≤ 40 characters)")
    return {
        "at": clock.now(),
        "user_id": _user_id(user) if user is not None else actor_id(),
        "action": action,
        "record_type": record_type,
        "record_id": None if record_id is None else str(record_id),
        "field": field,
        "old": old,
        "new": new,
        "text": text,
        "ip": client_ip(),
    }


def log_event(action: str, record_type=None, record_id=None, *, field=None, old=None, new=None,
              text=None, user=None) -> AuditLog:
    """Add one audit row to the current transaction. Plugin-specific actions are namespaced
    (``petition.forward``); the core ones are listed in ``models.ACTIONS``."""
    entry = AuditLog(**_row(action, record_type, record_id, field, old, new, text, user))
    db.session.add(entry)
    return entry


def log_read(action: str, record_type=None, record_id=None, *, field=None, text=None, user=None) -> None:
    """A row that must be written even when the request does not commit (reads, sign-ins)."""
    row = _row(action, record_type, record_id, field, None, None, text, user)
    if not has_request_context():
        db.session.add(AuditLog(**row))
        return
    pending = g.setdefault("_concord_audit_pending", {})
    key = (row["user_id"], action, record_type, row["record_id"], field)
    pending.setdefault(key, row)


def write_pending(response):
    """after_request: write buffered read logs the request's commit did not take along."""
    pending = g.get("_concord_audit_pending")
    if pending:
        rows = coalesce(list(pending.values()))
        pending.clear()
        try:
            db.session.rollback()  # whatever the view left uncommitted is discarded at teardown anyway
            db.session.execute(insert(AuditLog.__table__), rows)
            db.session.commit()
        except (OperationalError, InterfaceError):
            # the database went away: a read that cannot be logged is not delivered
            current_app.logger.error("could not log %d reads: the database is unavailable", len(rows))
            _discard_session()
            if response is not None:
                from core.app import database_unavailable_response
                return database_unavailable_response()
    return response


def _discard_session() -> None:
    try:
        db.session.rollback()
    except Exception:  # the connection is gone; closing returns it to the pool, which discards it
        pass
    db.session.close()


def write_pending_on_teardown(exc):
    """teardown_request: last chance for buffered rows when an exception escaped the error handlers."""
    pending = g.get("_concord_audit_pending")
    if not pending:
        return
    try:
        write_pending(None)
    except Exception:  # pragma: no cover - the database itself is failing
        current_app.logger.exception("could not write %d buffered audit rows", len(pending))
        _discard_session()
