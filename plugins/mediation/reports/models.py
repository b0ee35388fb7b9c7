"""The submitted monthly ledger (a frozen snapshot per region and month)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.toolkit import User
from core.toolkit import db
from core.toolkit import Region


class MonthlyReport(db.Model):
    """A submitted monthly ledger of one region: a frozen snapshot of the roll-up (零报告 when empty)."""

    __tablename__ = "mediation_monthly_report"
    __table_args__ = (UniqueConstraint("region_id", "month", name="uq_mediation_monthly_report_region_month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("core_region.id"), nullable=False, index=True)
    month: Mapped[str] = mapped_column(String(7), nullable=False)          # YYYY-MM
    data: Mapped[dict] = mapped_column(JSON, nullable=False)
    nil_return: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    submitted_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    region: Mapped[Region] = relationship(lazy="joined")
    submitted_by: Mapped[User | None] = relationship(lazy="joined")
