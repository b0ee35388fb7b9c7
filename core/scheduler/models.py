"""The scheduler's tables: one lease per job (who may run it now) and one row per run."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import db

OUTCOMES = ("running", "ok", "error", "skipped")


class JobLease(db.Model):
    """Held by one scheduler process (or one "run now") while it runs the job; expires by itself."""

    __tablename__ = "core_job_lease"

    job_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)


class JobRun(db.Model):
    """One run of a job. ``scheduled_for`` is the fire time it ran for (None for "run now"); a job and
    fire time pair is unique, so a due occurrence runs once however many schedulers see it."""

    __tablename__ = "core_job_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(100), nullable=False)
    scheduled_for: Mapped[datetime | None] = mapped_column(DateTime)
    manual: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    requested_by: Mapped[str | None] = mapped_column(String(60))
    started_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    outcome: Mapped[str] = mapped_column(String(10), nullable=False, default="running")
    error: Mapped[str | None] = mapped_column(Text)
    holder: Mapped[str] = mapped_column(String(100), nullable=False)

    __table_args__ = (
        UniqueConstraint("job_id", "scheduled_for", name="uq_core_job_run_occurrence"),
        Index("ix_core_job_run_job_started", "job_id", "started_at"),
    )
