"""``serialise(*keys)``: make a check and the write it guards atomic against other requests.

On PostgreSQL each key takes ``pg_advisory_xact_lock`` (64-bit hash of the key), held until the request's
transaction commits or rolls back; keys are taken in sorted order, so two requests never wait on each
other in a circle. On SQLite the transaction starts with ``BEGIN IMMEDIATE`` (the database's one write
lock, taken before the check reads); a transaction that has already written holds that lock anyway.

    serialise(f"core.person.id:{id_number}")
    existing = find(...)          # sees every insert committed before the lock was granted
    if existing is None: insert(...)
"""
from __future__ import annotations

import hashlib

from sqlalchemy import text

from core.db import db


def lock_id(key: str) -> int:
    """A signed 64-bit number for *key* (what ``pg_advisory_xact_lock`` takes)."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


def serialise(*keys: str, session=None) -> None:
    session = session or db.session
    keys = sorted({k for k in keys if k})
    if not keys:
        return
    conn = session.connection()
    dialect = conn.dialect.name
    if dialect == "postgresql":
        for key in keys:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_id(key)})
    elif dialect == "sqlite":
        raw = conn.connection.dbapi_connection
        if not raw.in_transaction:        # not yet written: take the write lock before the check reads
            conn.exec_driver_sql("BEGIN IMMEDIATE")
