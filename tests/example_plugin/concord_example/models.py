"""The example's one table: a suggestion box whose items go through a small declared workflow."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.toolkit import clock, db


class Suggestion(db.Model):
    __tablename__ = "example_suggestion"
    __table_args__ = {"extend_existing": True}   # the tests import this package afresh for each test
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(500))
    state: Mapped[str] = mapped_column(String(20), default="new")
    region_id: Mapped[int | None] = mapped_column(ForeignKey("core_region.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
