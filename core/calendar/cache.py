"""The per-process working-day index, rebuilt only when the holiday table's revision changes.

One cached index per database URL. The revision is read once per request (and again after each
commit or rollback), on every call outside requests (long CLI commands see other processes' edits). A session that changed the table
(``bump_revision`` marks it) uses its own index, built from its uncommitted rows, until it commits
or rolls back, so a rolled back edit never reaches the shared cache.
"""
from __future__ import annotations

import threading
from typing import Callable

from flask import g, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from core.db import db
from .index import WorkingCalendar
from .store import revision, table_rows

DEFAULT_YEARS = (2000, 2050)
_lock = threading.Lock()
_shared: dict[str, tuple[int, WorkingCalendar]] = {}


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_session_calendar(session) -> None:
    session.info.pop("calendar_dirty", None)
    session.info.pop("calendar_local", None)
    if has_request_context():
        g.pop("_calendar_revision", None)


def _revision(key: str) -> int:
    """The table's revision, read at most once per request between commits."""
    if not has_request_context():
        return revision()
    memo = g.get("_calendar_revision")
    if memo is not None and memo[0] == key:
        return memo[1]
    rev = revision()
    g._calendar_revision = (key, rev)
    return rev


def _build(lo_year: int, hi_year: int) -> WorkingCalendar:
    entries, covered = table_rows()
    return WorkingCalendar.build(entries, covered, lo_year, hi_year)


def _fits(cal: WorkingCalendar | None, lo_year: int, hi_year: int) -> bool:
    return cal is not None and cal.lo_year <= lo_year and cal.hi_year >= hi_year


def get_calendar(lo_year: int | None = None, hi_year: int | None = None) -> WorkingCalendar:
    """The index for the current database, covering at least ``lo_year``..``hi_year``."""
    lo = min(lo_year or DEFAULT_YEARS[0], DEFAULT_YEARS[0])
    hi = max(hi_year or DEFAULT_YEARS[1], DEFAULT_YEARS[1])
    info = db.session.info
    if info.get("calendar_dirty"):
        cal = info.get("calendar_local")
        if not _fits(cal, lo, hi):
            cal = cal.widened(lo, hi) if cal else _build(lo, hi)
            info["calendar_local"] = cal
        return cal
    key = str(db.engine.url)
    rev = _revision(key)
    with _lock:
        cached = _shared.get(key)
    cal = cached[1] if cached and cached[0] == rev else None
    if not _fits(cal, lo, hi):
        cal = cal.widened(lo, hi) if cal else _build(lo, hi)
        with _lock:
            _shared[key] = (rev, cal)
    return cal


def provider() -> Callable[[int, int], WorkingCalendar]:
    """A ``get_calendar`` that checks the revision once, for many computations in a row."""
    holder: list[WorkingCalendar] = [get_calendar()]

    def get(lo_year: int, hi_year: int) -> WorkingCalendar:
        if not _fits(holder[0], lo_year, hi_year):
            holder[0] = get_calendar(lo_year, hi_year)
        return holder[0]
    return get


def clear() -> None:
    """Forget every cached index (tests, restore)."""
    with _lock:
        _shared.clear()
