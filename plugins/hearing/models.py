"""The hearing tables: one hearing (听证) on a petition case with its participants and attendance,
statements, evidence, procedural events, recusal requests and notices. The sub-features keep their own:
``pool/models.py`` (rooms, the panelist pool, the panel), ``minutes/models.py`` (minutes versions,
confirmations, the deliberation's votes, text modules, the PDF cache, exports), ``calendar/models.py``
(feed tokens)."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.toolkit import VersionedMixin, db

STATES = {
    "applied": _l("Applied"), "refused": _l("Refused"), "accepted": _l("Accepted"),
    "scheduled": _l("Scheduled"), "notified": _l("Notices served"), "in_session": _l("In session"),
    "suspended": _l("Suspended"), "held": _l("Held"), "concluded": _l("Concluded"), "served": _l("Served"),
    "withdrawn": _l("Withdrawn"),
}
ORIGINS = {"application": _l("Petitioner's application"), "proposal": _l("Proposed by the unit (with consent)")}
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

    room = relationship("HearingRoom", lazy="joined")        # pool/models.py
    petition = relationship("PetitionCase", lazy="joined")
    panel = relationship("PanelMember", back_populates="hearing", order_by="PanelMember.id",   # pool/models.py
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




