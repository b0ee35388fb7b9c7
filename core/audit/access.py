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


class record_links:
    """:func:`record_url` for the many rows of one page (the audit log: 50 a page), each record type's URL built
    once for a placeholder id and the row's id put in its place (issue 22, as ``listing.row_link``); an id that
    is not a plain integer, or a type whose URL does not show its id once, is built by :func:`record_url`."""

    _NONE = ("", "")        # a type with no URL at all (unregistered, or registered without ``url``)

    def __init__(self):
        self._parts: dict[str, tuple[str, str] | None] = {}
        self._urls: dict[tuple, str | None] = {}     # the page's rows name the same records again and again

    def __call__(self, record_type: str, record_id) -> str | None:
        key = (record_type, record_id)
        try:
            return self._urls[key]
        except KeyError:
            url = self._urls[key] = self._url(record_type, record_id)
            return url

    def _url(self, record_type: str, record_id) -> str | None:
        from core.shell.listing import id_url, row_link, url_parts
        parts = self._parts.get(record_type)
        if parts is None and record_type not in self._parts:
            access = record_access(record_type)
            parts = self._parts[record_type] = (
                self._NONE if access is None or access.url is None
                else url_parts(record_url(record_type, row_link._PLACEHOLDER)))
        if parts is self._NONE:
            return None
        url = id_url(parts, normalise_id(record_id))
        return url if url is not None else record_url(record_type, record_id)


# -- derived views: one rule for every list made of other records ------------------------------------
def visible(user, record_type: str, record_ids) -> set:
    """The ids among *record_ids* that *user* may open: the registered ``can_view`` of the record type,
    nothing for an unregistered type. Every derived view (dashboard drill-down and its exports, hotspots and
    their digest, notifications, home cards) lists records through this, so none shows more than the
    record's own page would."""
    access = record_access(record_type)
    if access is None or user is None or not getattr(user, "is_authenticated", False):
        return set()
    out = set()
    for rid in record_ids:
        try:
            if access.can_view(user, normalise_id(rid)):
                out.add(rid)
        except Exception:  # a record that vanished or a broken id is simply not shown
            current_app.logger.warning("access check failed for %s %s", record_type, rid, exc_info=True)
    return out


def only_visible(user, items, record_type=None, key=None) -> list:
    """*items* (dicts with ``record_type`` and ``id``, or anything with *key* giving ``(type, id)``) that
    *user* may open, in their order."""
    key = key or ((lambda i: (record_type, i)) if record_type else (lambda i: (i["record_type"], i["id"])))
    wanted: dict[str, set] = {}
    for item in items:
        rtype, rid = key(item)
        wanted.setdefault(rtype, set()).add(rid)
    allowed = {(rtype, rid) for rtype, ids in wanted.items() for rid in visible(user, rtype, ids)}
    return [i for i in items if key(i) in allowed]
