"""KPI definitions (data, editable), frozen monthly reports and stability-risk assessments."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.models import User
from core.db import VersionedMixin, db
from core.regions.models import Region

PERIOD_KINDS = {"month": _l("Month"), "quarter": _l("Quarter"), "year": _l("Year")}
REGION_LEVELS = {"county": _l("District"), "town": _l("Town"), "village": _l("Village")}
RISK_LEVELS = {"high": _l("High risk"), "medium": _l("Medium risk"), "low": _l("Low risk")}
RISK_SUBJECTS = {"case": _l("A case"), "project": _l("A planned project or decision")}
RISK_STATES = {"draft": _l("Draft"), "assessed": _l("Assessed"), "closed": _l("Closed")}


class KpiDefinition(VersionedMixin, db.Model):
    """One KPI: numerator ÷ denominator (two contributed measures) over a period, or a plain count."""
    __tablename__ = "core_kpi_definition"
    __record_label__ = _l("KPI")

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    numerator: Mapped[str] = mapped_column(String(100), nullable=False)
    denominator: Mapped[str | None] = mapped_column(String(100))
    period: Mapped[str] = mapped_column(String(10), nullable=False, default="month")
    target: Mapped[float | None] = mapped_column(Float)          # percent for a rate, a count otherwise
    higher_is_better: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    region_level: Mapped[str] = mapped_column(String(10), nullable=False, default="county")
    source: Mapped[str] = mapped_column(Text, nullable=False, default="")
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=100)
    seeded: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    @property
    def is_rate(self) -> bool:
        return bool(self.denominator)


class KpiReport(db.Model):
    """A submitted monthly statistical report of one region: the frozen figures (JSON)."""
    __tablename__ = "core_kpi_report"
    __table_args__ = (UniqueConstraint("region_id", "period", name="uq_core_kpi_report_region_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("core_region.id"), nullable=False, index=True)
    period: Mapped[str] = mapped_column(String(10), nullable=False)
    data: Mapped[dict] = mapped_column(JSON, nullable=False)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    submitted_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    region: Mapped[Region] = relationship(lazy="joined")
    submitted_by: Mapped[User | None] = relationship(lazy="joined")


class RiskAssessment(VersionedMixin, db.Model):
    """稳定风险评估: a case or a planned project, its risk factors, level and measures."""
    __tablename__ = "core_risk_assessment"
    __record_label__ = _l("Risk assessment")
    __value_labels__ = {"state": RISK_STATES, "level": RISK_LEVELS, "subject_kind": RISK_SUBJECTS}
    __tracked__ = ("state", "level", "title", "measures")
    __tracked_labels__ = {"state": _l("Stage"), "level": _l("Risk level"), "title": _l("Subject"),
                          "measures": _l("Measures")}

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    subject_kind: Mapped[str] = mapped_column(String(10), nullable=False, default="case")
    region_id: Mapped[int] = mapped_column(ForeignKey("core_region.id"), nullable=False, index=True)
    factors: Mapped[str] = mapped_column(Text, nullable=False, default="")
    level: Mapped[str] = mapped_column(String(10), nullable=False, default="medium", index=True)
    measures: Mapped[str] = mapped_column(Text, nullable=False, default="")
    state: Mapped[str] = mapped_column(String(10), nullable=False, default="draft")
    assessed_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    region: Mapped[Region] = relationship(lazy="joined")
    links: Mapped[list["RiskLink"]] = relationship(back_populates="assessment", cascade="all, delete-orphan",
                                                   lazy="selectin", order_by="RiskLink.id")

    @property
    def level_label(self) -> str:
        return str(RISK_LEVELS.get(self.level, self.level))

    @property
    def state_label(self) -> str:
        return str(RISK_STATES.get(self.state, self.state))

    @property
    def subject_label(self) -> str:
        return str(RISK_SUBJECTS.get(self.subject_kind, self.subject_kind))


class RiskLink(db.Model):
    """A petition or dispute (any record type) that an assessment concerns."""
    __tablename__ = "core_risk_link"
    __table_args__ = (UniqueConstraint("assessment_id", "record_type", "record_id",
                                       name="uq_core_risk_link_record"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("core_risk_assessment.id", ondelete="CASCADE"),
                                               nullable=False, index=True)
    record_type: Mapped[str] = mapped_column(String(60), nullable=False)
    record_id: Mapped[int] = mapped_column(Integer, nullable=False)
    reference: Mapped[str] = mapped_column(String(40), nullable=False)

    assessment: Mapped[RiskAssessment] = relationship(back_populates="links")
