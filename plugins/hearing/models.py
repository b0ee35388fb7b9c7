"""The hearing tables: rooms, the panelist pool, one hearing (听证) on a petition case with its panel,
participants and attendance, statements, evidence, procedural events, recusal requests, notices,
the minutes (versions, confirmations, lock hash), the separate deliberation record, text modules,
per-user calendar feed tokens, the locked-PDF cache and batch exports."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (JSON, Boolean, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.toolkit import VersionedMixin, db
from core.toolkit import Person

STATES = {
    "applied": _l("Applied"), "refused": _l("Refused"), "accepted": _l("Accepted"),
    "scheduled": _l("Scheduled"), "notified": _l("Notices served"), "in_session": _l("In session"),
    "suspended": _l("Suspended"), "held": _l("Held"), "concluded": _l("Concluded"), "served": _l("Served"),
    "withdrawn": _l("Withdrawn"),
}
ORIGINS = {"application": _l("Petitioner's application"), "proposal": _l("Proposed by the unit (with consent)")}
PANELIST_KINDS = {
    "npc_deputy": _l("NPC deputy"), "cppcc_member": _l("CPPCC member"), "lawyer": _l("Lawyer"),
    "expert": _l("Expert"), "resident_rep": _l("Residents' representative"),
}
# contract §5 speaker_role codes; "observer" only for attendance
ROLES = {
    "host": _l("Host"), "panelist": _l("Panelist"), "recorder": _l("Recorder"), "petitioner": _l("Petitioner"),
    "agent": _l("Agent"), "unit": _l("Handling unit"), "third_party": _l("Third party"), "witness": _l("Witness"),
}
ATTENDANCE_ROLES = {**ROLES, "observer": _l("Observer")}
PARTY_ROLES = ("petitioner", "agent", "unit", "third_party")
OUTCOMES = {
    "settled": _l("Petition withdrawn, matter settled (息诉罢访)"), "published": _l("Published"),
    "terminated": _l("Terminated"), "continued": _l("Handling continues"),
}
VOTES = {"agree": _l("Agree"), "disagree": _l("Disagree"), "abstain": _l("Abstain")}


class HearingRoom(db.Model):
    __tablename__ = "hearing_room"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False, unique=True)
    address: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    capacity: Mapped[int] = mapped_column(Integer, nullable=False, default=20)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    def __str__(self) -> str:
        return self.name


class Panelist(VersionedMixin, db.Model):
    """One member of the panelist pool (专家库)."""
    __tablename__ = "hearing_panelist"
    __record_label__ = _l("Panelist")
    __value_labels__ = {"kind": PANELIST_KINDS}
    __tracked_labels__ = {"name": _l("Name"), "kind": _l("Kind"), "work_unit": _l("Work unit"), "active": _l("Active")}
    __tracked__ = ("name", "kind", "work_unit", "active")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    work_unit: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    qualification: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    term_start: Mapped[date | None] = mapped_column(Date)
    term_end: Mapped[date | None] = mapped_column(Date)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("core_person.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), index=True)
    declared_ties: Mapped[str] = mapped_column(Text, nullable=False, default="")
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    person: Mapped[Person | None] = relationship(lazy="joined")

    @property
    def kind_label(self) -> str:
        return str(PANELIST_KINDS.get(self.kind, self.kind))

    def in_term(self, day: date) -> bool:
        return (self.term_start is None or self.term_start <= day) and (self.term_end is None or day <= self.term_end)

    def __str__(self) -> str:
        return self.name


class Hearing(VersionedMixin, db.Model):
    __tablename__ = "hearing_hearing"
    __record_label__ = _l("Hearing")
    __value_labels__ = {"state": STATES, "outcome": OUTCOMES, "origin": ORIGINS}
    __tracked__ = ("state", "scheduled_at", "room", "host_name", "recorder_name", "outcome")
    __tracked_labels__ = {"state": _l("Stage"), "scheduled_at": _l("Scheduled at"), "room": _l("Room"),
                          "host_name": _l("Host"), "recorder_name": _l("Recorder"), "outcome": _l("Outcome")}

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True, nullable=False)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition_case.id"), nullable=False, index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("core_region.id"), nullable=False, index=True)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default="applied", index=True)
    origin: Mapped[str] = mapped_column(String(20), nullable=False, default="application")
    applied_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    consent_at: Mapped[datetime | None] = mapped_column(DateTime)
    matter: Mapped[str] = mapped_column(Text, nullable=False, default="")
    warning: Mapped[str | None] = mapped_column(String(300))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)
    is_public: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    closed_reason: Mapped[str | None] = mapped_column(String(300))
    scheduled_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    ends_at: Mapped[datetime | None] = mapped_column(DateTime)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("hearing_room.id"), index=True)
    venue: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    host_user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), index=True)
    host_name: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    recorder_user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), index=True)
    recorder_name: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    organiser: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    current_step: Mapped[str | None] = mapped_column(String(30))
    outcome: Mapped[str | None] = mapped_column(String(20))
    conclusion: Mapped[str | None] = mapped_column(Text)
    announced_on_spot: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    concluded_at: Mapped[datetime | None] = mapped_column(DateTime)
    served_at: Mapped[datetime | None] = mapped_column(DateTime)
    proposal: Mapped[str | None] = mapped_column(Text)

    room: Mapped[HearingRoom | None] = relationship(lazy="joined")
    petition = relationship("PetitionCase", lazy="joined")
    panel: Mapped[list["PanelMember"]] = relationship(back_populates="hearing", order_by="PanelMember.id",
                                                      cascade="all, delete-orphan", lazy="selectin")
    participants: Mapped[list["Participant"]] = relationship(back_populates="hearing", order_by="Participant.id",
                                                             cascade="all, delete-orphan", lazy="selectin")

    @property
    def state_label(self) -> str:
        return str(STATES.get(self.state, self.state))

    @property
    def outcome_label(self) -> str:
        return str(OUTCOMES.get(self.outcome, self.outcome or ""))

    @property
    def place(self) -> str:
        return self.room.name if self.room else self.venue

    def __str__(self) -> str:
        return self.reference


class PanelMember(db.Model):
    __tablename__ = "hearing_panel_member"
    __table_args__ = (UniqueConstraint("hearing_id", "panelist_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearing_hearing.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    panelist_id: Mapped[int] = mapped_column(ForeignKey("hearing_panelist.id"), nullable=False, index=True)
    reason: Mapped[str] = mapped_column(String(500), nullable=False)
    conflicts: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    recused: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    hearing: Mapped[Hearing] = relationship(back_populates="panel")
    panelist: Mapped[Panelist] = relationship(lazy="joined")


class Participant(db.Model):
    """Everyone who attends: host, panelists, recorder, parties, witnesses, observers."""
    __tablename__ = "hearing_participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearing_hearing.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    unit: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("core_person.id"), index=True)
    panel_member_id: Mapped[int | None] = mapped_column(ForeignKey("hearing_panel_member.id", ondelete="SET NULL"))
    arrived_at: Mapped[datetime | None] = mapped_column(DateTime)
    absent_note: Mapped[str | None] = mapped_column(String(300))

    hearing: Mapped[Hearing] = relationship(back_populates="participants")

    @property
    def role_label(self) -> str:
        return str(ATTENDANCE_ROLES.get(self.role, self.role))


class Statement(db.Model):
    __tablename__ = "hearing_statement"

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearing_hearing.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    step: Mapped[str] = mapped_column(String(30), nullable=False)
    speaker_role: Mapped[str] = mapped_column(String(20), nullable=False)
    speaker_name: Mapped[str] = mapped_column(String(100), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))


class Evidence(db.Model):
    __tablename__ = "hearing_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearing_hearing.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    label: Mapped[str] = mapped_column(String(200), nullable=False)
    presented_by: Mapped[str] = mapped_column(String(20), nullable=False)
    purpose: Mapped[str] = mapped_column(Text, nullable=False, default="")
    challenged: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    challenge: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False)


class Event(db.Model):
    """A procedural event (step started, postponement, suspension, recusal, notice …): the minutes
    draft is seeded from these."""
    __tablename__ = "hearing_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearing_hearing.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False, default="")


class Recusal(db.Model):
    __tablename__ = "hearing_recusal"

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearing_hearing.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("hearing_participant.id"), nullable=False)
    requested_by: Mapped[str] = mapped_column(String(100), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    requested_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    ruling: Mapped[str | None] = mapped_column(String(20))   # granted | rejected
    ruled_by: Mapped[str | None] = mapped_column(String(100))
    ruling_reason: Mapped[str | None] = mapped_column(Text)
    ruled_at: Mapped[datetime | None] = mapped_column(DateTime)

    target: Mapped[Participant] = relationship(lazy="joined")


class Notice(db.Model):
    """A 听证通知书 to one party or panelist, or the public announcement, and its service."""
    __tablename__ = "hearing_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearing_hearing.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)   # notice | announcement
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("hearing_participant.id", ondelete="SET NULL"))
    recipient: Mapped[str] = mapped_column(String(100), nullable=False)
    issued_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    served_at: Mapped[datetime | None] = mapped_column(DateTime)
    method: Mapped[str] = mapped_column(String(30), nullable=False, default="")


class MinutesVersion(db.Model):
    __tablename__ = "hearing_minutes"
    __table_args__ = (UniqueConstraint("hearing_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearing_hearing.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    sections: Mapped[dict] = mapped_column(JSON, nullable=False)
    reason: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    locked_at: Mapped[datetime | None] = mapped_column(DateTime)
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    canonical: Mapped[str | None] = mapped_column(Text)

    confirmations: Mapped[list["Confirmation"]] = relationship(back_populates="version", lazy="selectin",
                                                                cascade="all, delete-orphan")


class Confirmation(db.Model):
    __tablename__ = "hearing_confirmation"
    __table_args__ = (UniqueConstraint("version_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("hearing_minutes.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("hearing_participant.id"), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)   # confirmed | refused
    via: Mapped[str] = mapped_column(String(20), nullable=False)      # screen | link | host
    note: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    version: Mapped[MinutesVersion] = relationship(back_populates="confirmations")
    participant: Mapped[Participant] = relationship(lazy="joined")


class Vote(db.Model):
    """The deliberation (评议), kept apart from the minutes: each panelist's view and vote."""
    __tablename__ = "hearing_vote"
    __table_args__ = (UniqueConstraint("hearing_id", "panel_member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearing_hearing.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    panel_member_id: Mapped[int] = mapped_column(ForeignKey("hearing_panel_member.id"), nullable=False)
    view: Mapped[str] = mapped_column(Text, nullable=False)
    vote: Mapped[str] = mapped_column(String(10), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    member: Mapped[PanelMember] = relationship(lazy="joined")


class TextModule(db.Model):
    __tablename__ = "hearing_text_module"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    title: Mapped[str] = mapped_column(String(100), nullable=False)
    step: Mapped[str | None] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text, nullable=False)


class FeedToken(db.Model):
    """The secret in a user's calendar-feed URL (stored as a SHA-256 hash only)."""
    __tablename__ = "hearing_feed_token"

    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id", ondelete="CASCADE"), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)


class PdfCache(db.Model):
    """A locked minutes version rendered once, kept by its content hash and variant."""
    __tablename__ = "hearing_pdf_cache"

    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    variant: Mapped[str] = mapped_column(String(20), primary_key=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)


class ExportJob(db.Model):
    """A batch ZIP export of a period's minutes, advanced in chunks by polling."""
    __tablename__ = "hearing_export"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id", ondelete="CASCADE"), nullable=False, index=True)
    date_from: Mapped[date] = mapped_column(Date, nullable=False)
    date_to: Mapped[date] = mapped_column(Date, nullable=False)
    hearing_ids: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    done: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
