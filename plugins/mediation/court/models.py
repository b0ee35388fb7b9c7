"""Court-linked mediation (诉调对接): court cases and their batches, the hand-back record, the mediator
roster, case-file reviews (卷宗评查) and the monthly subsidy reports (以案定补)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.toolkit import User
from core.toolkit import VersionedMixin, db
from core.toolkit import Person
from core.toolkit import Region
from ..committees.models import Committee
from ..models import CATEGORIES

KINDS = {"commissioned": _l("Commissioned after filing (委托调解)"), "pre_suit": _l("Pre-suit (委派调解)")}
PROCEDURES = {"ordinary": _l("Ordinary procedure"), "summary": _l("Summary procedure")}
ROLES = {"plaintiff": _l("Plaintiff"), "defendant": _l("Defendant"), "third_party": _l("Third party")}
GRADES = {"simple": _l("Simple"), "ordinary": _l("Ordinary"), "difficult": _l("Difficult")}
MEDIATOR_KINDS = {"people": _l("People's mediator"), "full_time": _l("Full-time mediator"),
                  "industry": _l("Industry mediator"), "lawyer": _l("Lawyer mediator")}
RULINGS = {"confirmed": _l("Agreement confirmed valid"), "rejected": _l("Application rejected")}


def _court_states() -> dict:
    from .workflow import STATES     # the workflow module imports the rules, not the models
    return STATES


class CourtBatch(db.Model):
    """One hand-over file from a court, imported whole or not at all."""

    __tablename__ = "mediation_court_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    court: Mapped[str] = mapped_column(String(100), nullable=False)
    filename: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    rows: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    imported_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))


class CourtCase(VersionedMixin, db.Model):
    __tablename__ = "mediation_court_case"
    __record_label__ = _l("Court-commissioned case")
    __value_labels__ = {"state": _court_states, "kind": KINDS, "procedure": PROCEDURES, "category": CATEGORIES,
                        "ruling": RULINGS}
    __table_args__ = (UniqueConstraint("court", "court_case_no", name="uq_mediation_court_case_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("mediation_court_batch.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("core_region.id"), index=True, nullable=False)
    court: Mapped[str] = mapped_column(String(100), nullable=False)
    court_case_no: Mapped[str] = mapped_column(String(60), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    procedure: Mapped[str] = mapped_column(String(10), nullable=False, default="ordinary")
    category: Mapped[str] = mapped_column(String(40), nullable=False, default="other")
    claim: Mapped[str] = mapped_column(Text, nullable=False)
    judge_name: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    judge_phone: Mapped[str] = mapped_column(String(30), nullable=False, default="")
    received_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)      # the file reached the committee
    file_note: Mapped[str] = mapped_column(String(500), nullable=False, default="")  # what the file holds
    state: Mapped[str] = mapped_column(String(12), nullable=False, default="received", index=True)
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("mediation_committee.id"))
    mediator_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), index=True)
    assignment_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    receipt_on: Mapped[date | None] = mapped_column(Date)          # the mediator's signed receipt: the clock starts
    extended_on: Mapped[date | None] = mapped_column(Date)         # both parties agreed to extend (once)
    ended_on: Mapped[date | None] = mapped_column(Date)            # succeeded or failed
    mediation_days: Mapped[int | None] = mapped_column(Integer)    # receipt → end, calendar days (KPI average)
    outcome: Mapped[str] = mapped_column(Text, nullable=False, default="")
    agreement_terms: Mapped[str] = mapped_column(Text, nullable=False, default="")
    agreement_signed_on: Mapped[date | None] = mapped_column(Date)
    ruling: Mapped[str | None] = mapped_column(String(12))
    ruling_no: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    ruling_on: Mapped[date | None] = mapped_column(Date)
    handed_back_on: Mapped[date | None] = mapped_column(Date)

    region: Mapped[Region] = relationship(lazy="joined")
    committee: Mapped[Committee | None] = relationship(lazy="joined")
    mediator: Mapped[User | None] = relationship(lazy="joined")
    parties: Mapped[list["CourtParty"]] = relationship(back_populates="case", lazy="selectin",
                                                       order_by="CourtParty.id", cascade="all, delete-orphan")
    handback: Mapped["Handback | None"] = relationship(back_populates="case", lazy="selectin", uselist=False)
    review: Mapped["CaseReview | None"] = relationship(back_populates="case", lazy="selectin", uselist=False)

    __tracked__ = ("state", "mediator")
    __tracked_labels__ = {"state": _l("State"), "mediator": _l("Mediator")}

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))

    @property
    def procedure_label(self) -> str:
        return str(PROCEDURES.get(self.procedure, self.procedure))

    @property
    def category_label(self) -> str:
        from ..models import CATEGORIES
        return str(CATEGORIES.get(self.category, self.category))

    @property
    def state_label(self) -> str:
        from .workflow import STATES
        return str(STATES.get(self.state, self.state))

    @property
    def ruling_label(self) -> str:
        return str(RULINGS.get(self.ruling, self.ruling or ""))


class CourtParty(db.Model):
    __tablename__ = "mediation_court_party"
    __value_labels__ = {"role": ROLES}

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_court_case.id"), nullable=False, index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("core_person.id"), nullable=False, index=True)
    role: Mapped[str] = mapped_column(String(12), nullable=False, default="plaintiff")
    service_address: Mapped[str] = mapped_column(String(300), nullable=False, default="")   # 送达地址确认书
    address_confirmed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    case: Mapped[CourtCase] = relationship(back_populates="parties")
    person: Mapped[Person] = relationship(lazy="joined")

    @property
    def role_label(self) -> str:
        return str(ROLES.get(self.role, self.role))


class Handback(db.Model):
    """调解终结 record handed back to the judge when mediation fails: what was established stays established."""

    __tablename__ = "mediation_court_handback"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_court_case.id"), nullable=False, unique=True)
    undisputed_facts: Mapped[str] = mapped_column(Text, nullable=False, default="")   # 无争议事实记载
    facts_signed_on: Mapped[date | None] = mapped_column(Date)                       # signed by every party
    disputed_points: Mapped[str] = mapped_column(Text, nullable=False, default="")
    evidence: Mapped[str] = mapped_column(Text, nullable=False, default="")          # one item a line
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)

    case: Mapped[CourtCase] = relationship(back_populates="handback")


class MediatorProfile(VersionedMixin, db.Model):
    """A mediator on the roster: kind, specialties (dispute categories), languages, committee, training."""

    __tablename__ = "mediation_mediator_profile"
    __value_labels__ = {"kind": MEDIATOR_KINDS}

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(12), nullable=False, default="people")
    specialties: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    languages: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("mediation_committee.id"))
    qualifications: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    training_hours: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    available: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    max_load: Mapped[int] = mapped_column(Integer, nullable=False, default=10)

    user: Mapped[User] = relationship(lazy="joined")
    committee: Mapped[Committee | None] = relationship(lazy="joined")

    @property
    def kind_label(self) -> str:
        return str(MEDIATOR_KINDS.get(self.kind, self.kind))


class ReviewItem(db.Model):
    """One line of the case-file review checklist of a grade (configurable by administrators)."""

    __tablename__ = "mediation_review_item"
    __table_args__ = (UniqueConstraint("grade", "code", name="uq_mediation_review_item_grade_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grade: Mapped[str] = mapped_column(String(12), nullable=False)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    label: Mapped[str] = mapped_column(String(200), nullable=False)
    points: Mapped[int] = mapped_column(Integer, nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class CaseReview(db.Model):
    """卷宗评查 of one concluded file — a court case or a closed dispute: the grade, the points per checklist line,
    the total."""

    __tablename__ = "mediation_case_review"
    __value_labels__ = {"grade": GRADES}

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("mediation_court_case.id"), unique=True)
    dispute_id: Mapped[int | None] = mapped_column(ForeignKey("mediation_dispute.id"), unique=True)  # a closed dispute
    grade: Mapped[str] = mapped_column(String(12), nullable=False)
    scores: Mapped[dict] = mapped_column(JSON, nullable=False)      # item code → {label, points, max}
    total: Mapped[int] = mapped_column(Integer, nullable=False)
    max_total: Mapped[int] = mapped_column(Integer, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    reviewed_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    case: Mapped[CourtCase] = relationship(back_populates="review")
    reviewer: Mapped[User | None] = relationship(lazy="joined")

    @property
    def grade_label(self) -> str:
        return str(GRADES.get(self.grade, self.grade))

    @property
    def percent(self) -> int:
        return round(100 * self.total / self.max_total) if self.max_total else 0


class SubsidyReport(db.Model):
    """以案定补 for one region and month, frozen on submission (a snapshot of the rows and amounts)."""

    __tablename__ = "mediation_subsidy_report"
    __table_args__ = (UniqueConstraint("region_id", "month", name="uq_mediation_subsidy_report_region_month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("core_region.id"), nullable=False, index=True)
    month: Mapped[str] = mapped_column(String(7), nullable=False)
    data: Mapped[dict] = mapped_column(JSON, nullable=False)
    total: Mapped[Decimal] = mapped_column(Numeric(14, 2), nullable=False)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    submitted_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    region: Mapped[Region] = relationship(lazy="joined")
    submitted_by: Mapped[User | None] = relationship(lazy="joined")
