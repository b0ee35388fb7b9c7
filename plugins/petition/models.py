"""The petition register's tables: one case (信访事项), its representatives and its dated steps."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.toolkit import VersionedMixin, db
from core.toolkit import Organisation, Person
from core.toolkit import Region

CHANNELS = {
    "visit": _l("Visit"), "letter": _l("Letter"), "online": _l("Online"), "phone": _l("Phone"),
    "hotline_12345": _l("12345 hotline"), "grid": _l("Grid report"), "transferred": _l("Transferred from above"),
}
CATEGORIES = {
    "suggestion": _l("Suggestion or opinion"), "accusation": _l("Report or accusation"),
    "claim": _l("Appeal or claim"),
}
ROUTES = {
    "litigation": _l("Court, procuratorate or police procedure"), "arbitration": _l("Arbitration"),
    "party_appeal": _l("Party appeal"), "administrative": _l("Administrative procedure"),
    "protective_duty": _l("Protective duty"), "ordinary": _l("Ordinary petition"),
}
DECISIONS = {"support": _l("Support"), "explain": _l("Explain"), "not_support": _l("Not support")}
SATISFACTION = {"satisfied": _l("Satisfied"), "basically": _l("Basically satisfied"),
                "unsatisfied": _l("Unsatisfied")}
STATES = {
    "registered": _l("Registered"), "forwarded": _l("Forwarded"), "assigned": _l("Assigned"),
    "accepted": _l("Accepted"), "not_accepted": _l("Not accepted"), "handling": _l("Handling"),
    "extended": _l("Extended"), "replied": _l("Replied"), "review_requested": _l("Review requested"),
    "reviewed": _l("Reviewed"), "recheck_requested": _l("Re-check requested"), "rechecked": _l("Re-checked"),
    "closed": _l("Closed"), "referred": _l("Referred to a legal route"),
    "merged": _l("Merged into another item"),
}
OPEN_STATES = ("registered", "forwarded", "assigned", "accepted", "handling", "extended",
               "review_requested", "recheck_requested", "referred")

petition_case_rep = Table(
    "petition_case_rep", db.metadata,
    Column("case_id", ForeignKey("petition_case.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("core_person.id"), primary_key=True),
)
__tables__ = (petition_case_rep,)


class PetitionCase(VersionedMixin, db.Model):
    __tablename__ = "petition_case"
    __record_label__ = _l("Petition item")
    __value_labels__ = {"state": STATES, "category": CATEGORIES, "route": ROUTES, "decision": DECISIONS,
                        "satisfaction": SATISFACTION, "channel": CHANNELS}
    __tracked__ = ("state", "category", "route", "handling_unit", "decision", "satisfaction",
                   "repeat", "skip_level", "backlog", "urgent")
    __tracked_labels__ = {"state": _l("Stage"), "category": _l("Category"), "route": _l("Statutory route"),
                          "handling_unit": _l("Handling unit"), "decision": _l("Decision"),
                          "satisfaction": _l("Satisfaction"), "repeat": _l("Repeat petition"),
                          "skip_level": _l("Level-skipping"), "backlog": _l("Backlog case"),
                          "urgent": _l("Urgent")}
    # the duplicate check reads the newest items of one region
    __table_args__ = (Index("ix_petition_case_region_received", "region_id", "received_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True, nullable=False)
    query_code: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    channel: Mapped[str] = mapped_column(String(20), nullable=False)
    received_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)
    petitioner_id: Mapped[int] = mapped_column(ForeignKey("core_person.id"), nullable=False, index=True)
    group_size: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    request: Mapped[str] = mapped_column(Text, nullable=False)
    facts: Mapped[str] = mapped_column(Text, nullable=False, default="")
    region_id: Mapped[int] = mapped_column(ForeignKey("core_region.id"), nullable=False, index=True)
    category: Mapped[str | None] = mapped_column(String(20))
    route: Mapped[str | None] = mapped_column(String(20))
    handling_unit_id: Mapped[int | None] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default="registered", index=True)
    repeat: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("petition_case.id"))
    repeat_reason: Mapped[str | None] = mapped_column(String(200))
    skip_level: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    skip_level_reason: Mapped[str | None] = mapped_column(String(200))
    backlog: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    backlog_reason: Mapped[str | None] = mapped_column(String(200))
    urgent: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    urgent_reason: Mapped[str | None] = mapped_column(String(200))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("petition_case.id"))
    reception_id: Mapped[int | None] = mapped_column(ForeignKey("petition_reception.id"), index=True)
    hearing_conclusion: Mapped[str | None] = mapped_column(Text)   # fed by a hearing plugin's signal
    decision: Mapped[str | None] = mapped_column(String(20))
    decision_text: Mapped[str | None] = mapped_column(Text)
    outcome_note: Mapped[str | None] = mapped_column(Text)
    review_opinion: Mapped[str | None] = mapped_column(Text)
    recheck_opinion: Mapped[str | None] = mapped_column(Text)
    satisfaction: Mapped[str | None] = mapped_column(String(20))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    replied_at: Mapped[datetime | None] = mapped_column(DateTime)
    rechecked_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # the one-stop centre's case code (一案一码) when the centre routed the matter here
    centre_code: Mapped[str | None] = mapped_column(String(30), index=True)

    petitioner: Mapped[Person] = relationship(lazy="joined")
    region: Mapped[Region] = relationship(lazy="joined")
    handling_unit: Mapped[Organisation | None] = relationship(lazy="joined")
    representatives: Mapped[list[Person]] = relationship(secondary=petition_case_rep, lazy="selectin")
    steps: Mapped[list["PetitionStep"]] = relationship(back_populates="case", order_by="PetitionStep.id",
                                                      lazy="selectin", cascade="all, delete-orphan")

    @property
    def state_label(self) -> str:
        return str(STATES.get(self.state, self.state))

    @property
    def channel_label(self) -> str:
        return str(CHANNELS.get(self.channel, self.channel))

    @property
    def category_label(self) -> str:
        return str(CATEGORIES.get(self.category, self.category or ""))

    @property
    def route_label(self) -> str:
        return str(ROUTES.get(self.route, self.route or ""))

    @property
    def decision_label(self) -> str:
        return str(DECISIONS.get(self.decision, self.decision or ""))

    @property
    def satisfaction_label(self) -> str:
        return str(SATISFACTION.get(self.satisfaction, self.satisfaction or ""))

    def __str__(self) -> str:
        return self.reference


class PetitionStep(db.Model):
    """A dated step of the case (what the public /status page discloses)."""
    __tablename__ = "petition_step"
    __record_label__ = _l("Petition step")

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("petition_case.id", ondelete="CASCADE"), nullable=False,
                                         index=True)
    step: Mapped[str] = mapped_column(String(30), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    case: Mapped[PetitionCase] = relationship(back_populates="steps")
