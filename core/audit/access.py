"""Who may see and change a record's chatter: one access hook per record type.

The plugin that owns a record type registers it (in its ``setup(ctx)``)::

    from core.audit import register_record_access
    register_record_access("petition_petition", can_view, can_edit, url=url_for_record, app=ctx.app)

``can_view(user, record_id) -> bool`` and ``can_edit(user, record_id) -> bool`` receive the record id as
an ``int`` when it is all digits (else the text); ``url(record_id) -> str`` (optional) links a record
from notifications, activities and the audit page. An unregistered record type has no chatter: its
routes answer 404.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import current_app

EXT_KEY = "concord.record_access"


@dataclass(frozen=True)
class RecordAccess:
    record_type: str
    can_view: Callable
    can_edit: Callable
    url: Callable | None = None


def register_record_access(record_type: str, can_view: Callable, can_edit: Callable,
                           url: Callable | None = None, app=None) -> None:
    app = app or current_app._get_current_object()
    registry = app.extensions.setdefault(EXT_KEY, {})
    if record_type in registry:
        raise ValueError(f"record access for {record_type!r} is registered twice")
    registry[record_type] = RecordAccess(record_type, can_view, can_edit, url)


def record_access(record_type: str) -> RecordAccess | None:
    return current_app.extensions.get(EXT_KEY, {}).get(record_type)


def known_record_types() -> list[str]:
    return sorted(current_app.extensions.get(EXT_KEY, {}))


def normalise_id(record_id):
    text = str(record_id)
    return int(text) if text.isdigit() and len(text) < 19 else text


def _ask(fn, user, record_id) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(fn(user, normalise_id(record_id)))


def may_view(user, record_type: str, record_id) -> bool:
    access = record_access(record_type)
    return access is not None and _ask(access.can_view, user, record_id)


def may_edit(user, record_type: str, record_id) -> bool:
    access = record_access(record_type)
    return access is not None and _ask(access.can_view, user, record_id) and _ask(access.can_edit, user, record_id)


def record_url(record_type: str, record_id) -> str | None:
    access = record_access(record_type)
    if access is None or access.url is None:
        return None
    try:
        return access.url(normalise_id(record_id))
    except Exception:  # a stale link is not worth a failed page
        current_app.logger.warning("no URL for %s %s", record_type, record_id)
        return None
