"""The official working-day calendar (holiday table, covered years, revision) and deadline objects."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core import clock
from core.db import TimestampMixin, VersionedMixin, db


class Holiday(TimestampMixin, db.Model):
    """One day that differs from the weekday/weekend rule: a holiday, or a 调休 make-up working day."""

    __tablename__ = "core_holiday"
    __table_args__ = (CheckConstraint("kind IN ('holiday', 'workday')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, unique=True, nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)  # holiday | workday
    name: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    source: Mapped[str] = mapped_column(String(200), nullable=False, default="")


class HolidayYear(TimestampMixin, db.Model):
    """A year whose official arrangement is in the table (otherwise the statutory fallback applies)."""

    __tablename__ = "core_holiday_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    covered: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class CalendarState(db.Model):
    """One row: the holiday table's revision, bumped on every change (per-process caches check it)."""

    __tablename__ = "core_calendar_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    revision: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=clock.now)


class Deadline(VersionedMixin, db.Model):
    """A statutory clock attached to any record (by table name and id)."""

    __tablename__ = "core_deadline"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'met', 'overdue', 'paused')", name="status"),
        Index("ix_core_deadline_record", "record_type", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(String(60), nullable=False)
    record_id: Mapped[int] = mapped_column(Integer, nullable=False)
    rule_code: Mapped[str] = mapped_column(String(80), nullable=False)
    length: Mapped[int] = mapped_column(Integer, nullable=False)  # as started (override applied)
    unit: Mapped[str] = mapped_column(String(10), nullable=False)
    extended: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    start: Mapped[dt.date] = mapped_column(Date, nullable=False)
    due: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="open")
    met_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    pauses: Mapped[list] = mapped_column(JSON, nullable=False, default=list)  # [[from, to|None], …] ISO
    calendar_incomplete: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    basis: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    override_source: Mapped[str | None] = mapped_column(String(200))
