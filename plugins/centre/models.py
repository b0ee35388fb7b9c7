"""Tables of the one-stop centre: its units, the triage rules (data), cases with one code (一案一码), their
matters, each matter's parts (lead + co-handlers), supervision orders (督办单), joint meetings and their tasks."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.toolkit import User
from core.toolkit import TimestampMixin, VersionedMixin, db
from core.toolkit import Person
from core.toolkit import Region

# contract §9 codes
CHANNELS = {"visit": _l("Visit"), "letter": _l("Letter"), "online": _l("Online"), "phone": _l("Phone"),
            "hotline_12345": _l("12345 hotline"), "grid": _l("Grid report")}
KINDS = {"petition": _l("Complaint or request (信访)"), "dispute": _l("Dispute"), "legal_aid": _l("Legal-aid request"),
         "consultation": _l("Consultation"), "court": _l("Question for the court"),
         "department": _l("Matter for a department")}
ROUTES = {"mediation": _l("Mediation committee"), "petition": _l("Petition register"), "legal_aid": _l("Legal aid"),
          "court": _l("Court litigation service"), "department": _l("Department window"),
          "consultation": _l("Answered at the window")}
# a matter's kind implies its route when none is given (contract §9)
KIND_ROUTE = {"dispute": "mediation", "petition": "petition", "legal_aid": "legal_aid", "court": "court",
              "department": "department", "consultation": "consultation"}
UNIT_KINDS = {"petition_office": _l("Petition office"), "mediation_committee": _l("Mediation committee"),
              "legal_aid": _l("Legal-aid centre"), "court": _l("Court"), "department": _l("Department")}
CASE_STATES = {"open": _l("Registered"), "routed": _l("With the units"), "answered": _l("Answered"),
               "followed_up": _l("Follow-up visit done"), "closed": _l("Closed")}
MATTER_STATES = {"new": _l("Waiting for routing"), "routed": _l("With the units"), "answered": _l("Answered"),
                 "resolved": _l("Resolved at the window")}
PART_STATES = {"open": _l("Handling"), "answered": _l("Answered")}
RATINGS = {"satisfied": _l("Satisfied"), "basically": _l("Basically satisfied"), "unsatisfied": _l("Not satisfied")}
LIGHTS = {"none": _l("On time"), "yellow": _l("Due soon"), "red": _l("Overdue")}
CATEGORIES = {  # the dispute categories of contract §5, for triage
    "marriage_family": _l("Marriage and family"), "neighbour": _l("Neighbours"),
    "housing_homestead": _l("Housing and homestead"), "contract": _l("Contract"),
    "production_business": _l("Production and business"), "damages": _l("Damages"),
    "forest_land": _l("Forest and land"), "land_acquisition_demolition": _l("Land acquisition and demolition"),
    "environment": _l("Environmental pollution"), "labour": _l("Labour"), "consumer": _l("Consumer"),
    "medical": _l("Medical"), "traffic": _l("Road traffic accident"),
    "property_management": _l("Property management"), "other": _l("Other"),
}


class Unit(VersionedMixin, db.Model):
    """A unit working in or with the centre: a mediation committee (people's, industry or professional), the
    petition office, the legal-aid centre, the court's litigation service or a department's window."""
    __tablename__ = "centre_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    route: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    speciality: Mapped[str] = mapped_column(String(40), nullable=False, default="")  # a dispute category or ""
    region_id: Mapped[int | None] = mapped_column(ForeignKey("core_region.id"))
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    sort: Mapped[int] = mapped_column(Integer, nullable=False, default=100)

    @property
    def kind_label(self) -> str:
        return str(UNIT_KINDS.get(self.kind, self.kind))

    def __str__(self) -> str:
        return self.name


class TriageRule(VersionedMixin, db.Model):
    """One triage line (分流规则): matter kind, category, amount, parties, region, keywords → route and unit.
    The first active line (by ``sort``) whose every given condition holds wins."""
    __tablename__ = "centre_triage_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    kind: Mapped[str | None] = mapped_column(String(20))
    category: Mapped[str | None] = mapped_column(String(40))
    min_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    max_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    min_parties: Mapped[int | None] = mapped_column(Integer)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("core_region.id"))
    keywords: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    route: Mapped[str] = mapped_column(String(20), nullable=False)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("centre_unit.id"))
    note: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    sort: Mapped[int] = mapped_column(Integer, nullable=False, default=100)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    unit: Mapped[Unit | None] = relationship(lazy="joined")


class Case(VersionedMixin, db.Model):
    """One visit, call, letter or grid report, registered once at the window under one code (一案一码)."""
    __tablename__ = "centre_case"
    __tracked__ = ("state", "rating")
    __tracked_labels__ = {"state": _l("Stage"), "rating": _l("Rating")}
    __record_label__ = _l("Centre case")
    __value_labels__ = {"state": CASE_STATES, "rating": RATINGS}

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True, nullable=False)
    channel: Mapped[str] = mapped_column(String(20), nullable=False)
    received_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("core_person.id"), nullable=False, index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("core_region.id"), nullable=False, index=True)
    person_region_id: Mapped[int | None] = mapped_column(ForeignKey("core_region.id"), index=True)
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    state: Mapped[str] = mapped_column(String(12), nullable=False, default="open", index=True)
    repeat: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    told_at: Mapped[datetime | None] = mapped_column(DateTime)
    told_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    visited_at: Mapped[datetime | None] = mapped_column(DateTime)
    visit_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    rating: Mapped[str | None] = mapped_column(String(12))
    rated_at: Mapped[datetime | None] = mapped_column(DateTime)
    reopened: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    person: Mapped[Person] = relationship(lazy="joined")
    region: Mapped[Region] = relationship(foreign_keys=[region_id], lazy="joined")
    person_region: Mapped[Region | None] = relationship(foreign_keys=[person_region_id])
    clerk: Mapped[User | None] = relationship()
    matters: Mapped[list["Matter"]] = relationship(back_populates="case", lazy="selectin", order_by="Matter.id")

    @property
    def state_label(self) -> str:
        return str(CASE_STATES.get(self.state, self.state))

    @property
    def channel_label(self) -> str:
        return str(CHANNELS.get(self.channel, self.channel))

    @property
    def rating_label(self) -> str:
        return str(RATINGS.get(self.rating, "")) if self.rating else ""

    def __str__(self) -> str:
        return self.code


class Matter(db.Model):
    """One matter of a case (a dispute, a complaint, a question…), resolved at the window or routed."""
    __tablename__ = "centre_matter"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("centre_case.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    summary: Mapped[str] = mapped_column(String(500), nullable=False)
    category: Mapped[str | None] = mapped_column(String(40))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    parties: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    other_parties: Mapped[list] = mapped_column(JSON, nullable=False, default=list)  # [{"name", "phone"?}]
    route: Mapped[str | None] = mapped_column(String(20), index=True)
    state: Mapped[str] = mapped_column(String(12), nullable=False, default="new", index=True)
    record_type: Mapped[str | None] = mapped_column(String(40))
    record_id: Mapped[int | None] = mapped_column(Integer)
    record_reference: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    routed_at: Mapped[datetime | None] = mapped_column(DateTime)
    answer: Mapped[str] = mapped_column(Text, nullable=False, default="")
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)

    case: Mapped[Case] = relationship(back_populates="matters")
    parts: Mapped[list["Part"]] = relationship(back_populates="matter", lazy="selectin", order_by="Part.id")

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))

    @property
    def route_label(self) -> str:
        return str(ROUTES.get(self.route, "")) if self.route else ""

    @property
    def state_label(self) -> str:
        return str(MATTER_STATES.get(self.state, self.state))

    @property
    def lead(self) -> "Part | None":
        return next((p for p in self.parts if p.lead), None)


class Part(db.Model):
    """A unit's part in a matter: the lead (牵头) or a co-handler (协办), with its own clock and reply."""
    __tablename__ = "centre_part"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("centre_matter.id"), nullable=False, index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("centre_unit.id"), nullable=False, index=True)
    lead: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    state: Mapped[str] = mapped_column(String(12), nullable=False, default="open", index=True)
    rule_code: Mapped[str] = mapped_column(String(80), nullable=False)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)   # copy of the clock's due day, for the board
    assigned_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    answer: Mapped[str] = mapped_column(Text, nullable=False, default="")
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)

    matter: Mapped[Matter] = relationship(back_populates="parts")
    unit: Mapped[Unit] = relationship(lazy="joined")

    @property
    def state_label(self) -> str:
        return str(PART_STATES.get(self.state, self.state))


class Supervision(TimestampMixin, db.Model):
    """A supervision order (督办单): who supervises which unit on which case, by when, and the answer."""
    __tablename__ = "centre_supervision"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True, nullable=False)
    case_id: Mapped[int] = mapped_column(ForeignKey("centre_case.id"), nullable=False, index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("core_region.id"), nullable=False, index=True)
    part_id: Mapped[int | None] = mapped_column(ForeignKey("centre_part.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("centre_unit.id"), nullable=False, index=True)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    issued_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    state: Mapped[str] = mapped_column(String(12), nullable=False, default="open", index=True)
    answer: Mapped[str] = mapped_column(Text, nullable=False, default="")
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    case: Mapped[Case] = relationship(lazy="joined")
    unit: Mapped[Unit] = relationship(lazy="joined")
    supervisor: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class Meeting(TimestampMixin, db.Model):
    """A joint meeting (联席会议 / 会商研判) on a hard matter: units convened, attendance, opinions, decision."""
    __tablename__ = "centre_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("centre_case.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("core_region.id"), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    held_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    place: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    convened_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    attendance: Mapped[list] = mapped_column(JSON, nullable=False, default=list)  # [{"unit_id", "present", "name"}]
    opinions: Mapped[str] = mapped_column(Text, nullable=False, default="")
    decision: Mapped[str] = mapped_column(Text, nullable=False, default="")

    case: Mapped[Case | None] = relationship(lazy="joined")
    tasks: Mapped[list["MeetingTask"]] = relationship(back_populates="meeting", lazy="selectin",
                                                      order_by="MeetingTask.id")


class MeetingTask(db.Model):
    """One decision point of a joint meeting: an owner unit, a clock, done or not."""
    __tablename__ = "centre_meeting_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("centre_meeting.id"), nullable=False, index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("centre_unit.id"), nullable=False, index=True)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    due_on: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    done_note: Mapped[str] = mapped_column(Text, nullable=False, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="tasks")
    unit: Mapped[Unit] = relationship(lazy="joined")
