"""Audit trail and chatter tables: the append-only audit log, attachments and activities.

Every row hangs off a record named by ``record_type`` (its table name) and ``record_id`` (its primary
key as text, so records with text keys work too).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.models import User
from core.db import VersionedMixin, db

ACTIONS = ("create", "update", "delete", "note", "read_personal", "login", "attachment",
           "activity", "activity_done",
           # 等保 2.0 security audit (core/security): every sign-in outcome, session end, permission change,
           # export, and the retention jobs
           "logout", "login_failed", "lockout", "second_factor", "password_change", "sessions_ended",
           "permission_change", "export", "audit_purge", "deidentify")


class AuditLog(db.Model):
    """One event. Append-only: the app has no update or delete path; PostgreSQL refuses both by trigger."""

    __tablename__ = "core_audit_log"
    __table_args__ = (
        Index("ix_core_audit_log_record", "record_type", "record_id", "id"),
        Index("ix_core_audit_log_user_at", "user_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)
    # no ON DELETE action: a user who acted is deactivated, never deleted out of the trail
    user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    action: Mapped[str] = mapped_column(String(40), nullable=False)
    record_type: Mapped[str | None] = mapped_column(String(64))
    record_id: Mapped[str | None] = mapped_column(String(64))
    field: Mapped[str | None] = mapped_column(String(64))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    ip: Mapped[str | None] = mapped_column(String(45))

    user: Mapped[User | None] = relationship(lazy="joined")


class Attachment(db.Model):
    """A file hanging off a record; the bytes live under ``instance/attachments/`` with a random name."""

    __tablename__ = "core_attachment"
    __table_args__ = (Index("ix_core_attachment_record", "record_type", "record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_type: Mapped[str] = mapped_column(String(64), nullable=False)
    record_id: Mapped[str] = mapped_column(String(64), nullable=False)
    filename: Mapped[str] = mapped_column(String(200), nullable=False)      # as uploaded (display only)
    stored_name: Mapped[str] = mapped_column(String(120), nullable=False, unique=True)  # relative path
    kind: Mapped[str] = mapped_column(String(10), nullable=False)           # pdf|png|jpeg|docx|xlsx|txt
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    uploaded_by: Mapped[User | None] = relationship(lazy="joined")


class Activity(VersionedMixin, db.Model):
    """A to-do on a record: summary, assignee, due date, done flag."""

    __tablename__ = "core_activity"
    __table_args__ = (
        Index("ix_core_activity_record", "record_type", "record_id"),
        Index("ix_core_activity_assignee_done", "assignee_id", "done"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_type: Mapped[str] = mapped_column(String(64), nullable=False)
    record_id: Mapped[str] = mapped_column(String(64), nullable=False)
    summary: Mapped[str] = mapped_column(String(200), nullable=False)
    assignee_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), nullable=False)
    due_date: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    assignee: Mapped[User] = relationship(foreign_keys=[assignee_id], lazy="joined")
    done_by: Mapped[User | None] = relationship(foreign_keys=[done_by_id], lazy="joined")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id], lazy="joined")
