"""The product's one clock: "now" and "today" in the configured local zone, never the machine's.

Concord stores naive local wall times (Asia/Shanghai by default). The zone comes from the
``CONCORD_TIMEZONE`` environment variable (or the app's ``TIMEZONE`` setting), never from the process
``TZ``: a server whose clock is UTC answers the same as one in Beijing.

Tests freeze time with ``time-machine`` (it moves the real clock, so this module follows) or with
:func:`frozen` for code paths that only read this module.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import date, datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Shanghai"
_override: datetime | None = None  # a frozen local "now" set by frozen(); None = the real clock


def zone_name() -> str:
    try:
        from flask import current_app, has_app_context
        if has_app_context():
            configured = current_app.config.get("TIMEZONE")
            if configured:
                return str(configured)
    except ImportError:  # pragma: no cover - Flask is a dependency
        pass
    return os.environ.get("CONCORD_TIMEZONE") or DEFAULT_ZONE


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r} (CONCORD_TIMEZONE)") from exc


def check_zone(name: str) -> str:
    """*name* if it is a known IANA zone, else ValueError naming CONCORD_TIMEZONE."""
    _zone(str(name))
    return str(name)


def tz() -> ZoneInfo:
    """The configured zone as a tzinfo."""
    return _zone(zone_name())


def now() -> datetime:
    """Naive local wall time in the configured zone, to the microsecond (as stored in the database)."""
    if _override is not None:
        return _override
    return datetime.now(timezone.utc).astimezone(tz()).replace(tzinfo=None)


def now_aware() -> datetime:
    """Now as an aware datetime in the configured zone."""
    return now().replace(tzinfo=tz())


def today() -> date:
    """Today's date in the configured zone."""
    return now().date()


def now_utc() -> datetime:
    """Aware UTC now (for protocols that want true UTC: iCal DTSTAMP, HTTP dates)."""
    return now_aware().astimezone(timezone.utc)


def to_local(value: datetime) -> datetime:
    """An aware datetime converted to naive local wall time; a naive one is taken as local already."""
    if value.tzinfo is None:
        return value
    return value.astimezone(tz()).replace(tzinfo=None)


def localize(value: datetime) -> datetime:
    """A naive local wall time as an aware datetime in the configured zone."""
    return value.replace(tzinfo=tz()) if value.tzinfo is None else value


@contextmanager
def frozen(at: datetime):
    """Freeze :func:`now` at a naive local wall time (tests; time-machine freezes the real clock too)."""
    global _override
    previous, _override = _override, at.replace(tzinfo=None) if at.tzinfo is None else to_local(at)
    try:
        yield
    finally:
        _override = previous
