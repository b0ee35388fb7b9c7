"""The per-user calendar-feed token."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (DateTime, ForeignKey, String)
from sqlalchemy.orm import Mapped, mapped_column

from core.toolkit import db


class FeedToken(db.Model):
    """The secret in a user's calendar-feed URL (stored as a SHA-256 hash only)."""
    __tablename__ = "hearing_feed_token"

    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id", ondelete="CASCADE"), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
