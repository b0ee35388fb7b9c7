"""The dashboard's figure cache: every count core.kpi runs (a KPI's numerator, a breakdown's GROUP BY, a
chart's months) is kept for ``KPI_CACHE_SECONDS`` (default 60) per process.

A commit in this process that wrote anything starts a new generation, so a figure never outlives a
change made through the same worker; changes made by another worker show within the time limit. The
cache holds figures only (numbers keyed by measure, period, key and the region set), never records,
so nothing personal or out of scope can leak through it: the region set is part of the key.
"""
from __future__ import annotations

import hashlib
import threading
from typing import Callable

from cachetools import TTLCache
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

_lock = threading.Lock()
_generation = 0


@event.listens_for(Session, "after_flush")
def _new_generation(session, _flush_context) -> None:
    global _generation
    with _lock:
        _generation += 1


def _store() -> TTLCache | None:
    seconds = float(current_app.config.get("KPI_CACHE_SECONDS", 60))
    if seconds <= 0:
        return None
    store = current_app.extensions.get("kpi.figure_cache")
    if store is None or store.ttl != seconds:
        store = current_app.extensions["kpi.figure_cache"] = TTLCache(maxsize=20_000, ttl=seconds)
    return store


def regions_key(region_ids) -> str:
    if region_ids is None:
        return "*"
    return hashlib.blake2b(",".join(map(str, sorted(region_ids))).encode(), digest_size=12).hexdigest()


def cached(key: tuple, compute: Callable[[], object]):
    """*compute()*, or its value from the cache when the same figure was computed in this generation."""
    store = _store()
    if store is None:
        return compute()
    from core.db import db
    session = db.session
    if session.new or session.dirty or session.deleted:
        session.flush()        # what the query would autoflush is part of the figure: a new generation
    full = (_generation, current_app.config.get("SQLALCHEMY_DATABASE_URI"), *key)
    with _lock:
        hit = store.get(full, _MISSING)
    if hit is not _MISSING:
        return hit
    value = compute()
    with _lock:
        store[full] = value
    return value


def clear() -> None:
    store = current_app.extensions.get("kpi.figure_cache")
    if store is not None:
        with _lock:
            store.clear()


_MISSING = object()
