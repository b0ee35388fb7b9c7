"""The mediation agreement of a dispute."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.toolkit import TimestampMixin, db
from ..models import Dispute


class Agreement(TimestampMixin, db.Model):
    """调解协议书 (人民调解法 Art 29): facts, issues, responsibilities, terms, manner and deadline of performance.
    It takes effect when signed (Art 30); then the 30-day judicial-confirmation clock runs (Art 33)."""

    __tablename__ = "mediation_agreement"
    __record_label__ = _l("Mediation agreement")

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("mediation_dispute.id"), nullable=False, unique=True)
    facts: Mapped[str] = mapped_column(Text, nullable=False)
    issues: Mapped[str] = mapped_column(Text, nullable=False)
    responsibilities: Mapped[str] = mapped_column(Text, nullable=False, default="")
    terms: Mapped[str] = mapped_column(Text, nullable=False)
    performance: Mapped[str] = mapped_column(Text, nullable=False, default="")
    perform_by: Mapped[date | None] = mapped_column(Date)
    signed_on: Mapped[date | None] = mapped_column(Date)

    dispute: Mapped[Dispute] = relationship(lazy="joined")
