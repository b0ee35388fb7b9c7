"""Tables that let concurrent requests agree without fighting over a business record's optimistic lock:
idempotency claims (one row per key, claimed by INSERT under a unique constraint) and login-failure
counters (per account and per address, updated by single UPDATE statements)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import db


class IdempotencyKey(db.Model):
    """A write request's key and, once it finished, its outcome (replayed to every repeat in the window)."""

    __tablename__ = "core_idempotency_key"
    __table_args__ = (UniqueConstraint("user_id", "route", "key", name="uq_core_idempotency_key_claim"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, nullable=False)
    route: Mapped[str] = mapped_column(String(200), nullable=False)        # "POST /api/v1/disputes"
    key: Mapped[str] = mapped_column(String(100), nullable=False)
    fingerprint: Mapped[str | None] = mapped_column(String(64))            # SHA-256 of the API body
    state: Mapped[str] = mapped_column(String(10), nullable=False)         # running | done
    status_code: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(100))
    location: Mapped[str | None] = mapped_column(String(500))
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)


class LoginThrottle(db.Model):
    """Failed sign-ins of one subject (``user:<name>`` or ``addr:<address>``) and the comparisons under way."""

    __tablename__ = "core_login_throttle"

    subject: Mapped[str] = mapped_column(String(120), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    inflight: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    inflight_since: Mapped[datetime | None] = mapped_column(DateTime)
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
