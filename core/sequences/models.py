"""Declared reference sequences and their per-year counters."""
from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import VersionedMixin, db


class Sequence(VersionedMixin, db.Model):
    """One numbering scheme, e.g. ``petition.case`` → ``JS-XF-{year}-{n:05d}``.

    ``declared_pattern`` is what the plugin declared; ``pattern`` is what is used. While an admin has
    not changed it the two are equal, and a new declaration from the plugin replaces both."""

    __tablename__ = "core_sequence"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True, nullable=False)
    plugin: Mapped[str] = mapped_column(String(40), nullable=False)
    pattern: Mapped[str] = mapped_column(String(200), nullable=False)
    declared_pattern: Mapped[str] = mapped_column(String(200), nullable=False)

    @property
    def customised(self) -> bool:
        return self.pattern != self.declared_pattern


class SequenceCounter(db.Model):
    """The last number handed out for one (sequence, year); locked while a number is taken."""

    __tablename__ = "core_sequence_counter"

    sequence_code: Mapped[str] = mapped_column(
        String(100), ForeignKey("core_sequence.code", ondelete="CASCADE"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
