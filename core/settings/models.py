import uuid

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import TimestampMixin, db


class Setting(TimestampMixin, db.Model):
    """An administrator's value for a declared setting (JSON, so numbers stay numbers)."""

    __tablename__ = "core_setting"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[object] = mapped_column(JSON, nullable=True)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id", ondelete="SET NULL"))


def renew_stamp(session, key: str) -> None:
    """Write a fresh random value under *key* in *session*'s flush: the stamp per-process caches (grants,
    settings) compare with, so every process re-reads at its next request."""
    with session.no_autoflush:
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=uuid.uuid4().hex))
        else:
            row.value = uuid.uuid4().hex
