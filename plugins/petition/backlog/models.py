"""Backlog cases (积案) and their 包案: one case, one leader, one team, one plan, reviews, close-out."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, DateTime, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.toolkit import User
from core.toolkit import VersionedMixin, db
from ..models import PetitionCase

# why a case became backlog: the automatic rules (see backlog.RULES) or by hand
SOURCES = {
    "overdue": _l("Open past its time limit"), "repeat": _l("Repeated petitions on the same matter"),
    "recheck_contested": _l("Re-check opinion contested"), "manual": _l("Marked by hand"),
}
STATES = {
    "flagged": _l("Flagged"), "assigned": _l("Leader assigned"), "in_progress": _l("Plan in progress"),
    "closed_out": _l("Closed out (销号)"),
}

petition_backlog_member = Table(
    "petition_backlog_member", db.metadata,
    Column("backlog_id", ForeignKey("petition_backlog.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("core_user.id"), primary_key=True),
)
__tables__ = (petition_backlog_member,)


class BacklogCase(VersionedMixin, db.Model):
    __tablename__ = "petition_backlog"
    __record_label__ = _l("Backlog case")
    __value_labels__ = {"state": STATES, "source": SOURCES}
    __tracked__ = ("state", "leader", "target_date")
    __tracked_labels__ = {"state": _l("Stage"), "leader": _l("Responsible leader"),
                          "target_date": _l("Target date")}

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("petition_case.id", ondelete="CASCADE"), unique=True,
                                         nullable=False)
    source: Mapped[str] = mapped_column(String(20), nullable=False)
    reason: Mapped[str] = mapped_column(String(300), nullable=False)
    flagged_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default="flagged", index=True)
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), index=True)
    plan: Mapped[str] = mapped_column(Text, nullable=False, default="")
    target_date: Mapped[date | None] = mapped_column(Date)
    evidence: Mapped[str | None] = mapped_column(Text)
    visit_on: Mapped[date | None] = mapped_column(Date)
    visit_by: Mapped[str | None] = mapped_column(String(100))
    visit_result: Mapped[str | None] = mapped_column(Text)
    closed_out_at: Mapped[datetime | None] = mapped_column(DateTime)

    case: Mapped[PetitionCase] = relationship(lazy="joined")
    leader: Mapped[User | None] = relationship(lazy="joined")
    team: Mapped[list[User]] = relationship(secondary=petition_backlog_member, lazy="selectin")
    steps: Mapped[list["BacklogStep"]] = relationship(back_populates="backlog", order_by="BacklogStep.due_on",
                                                      lazy="selectin", cascade="all, delete-orphan")
    reviews: Mapped[list["BacklogReview"]] = relationship(order_by="BacklogReview.id", lazy="selectin",
                                                          cascade="all, delete-orphan")

    @property
    def state_label(self) -> str:
        return str(STATES.get(self.state, self.state))

    @property
    def source_label(self) -> str:
        return str(SOURCES.get(self.source, self.source))

    def late_steps(self, today: date) -> list["BacklogStep"]:
        return [s for s in self.steps if s.done_at is None and s.due_on < today]

    def __str__(self) -> str:
        return self.case.reference


class BacklogStep(db.Model):
    """One step of the resolution plan, with its owner and date."""
    __tablename__ = "petition_backlog_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    backlog_id: Mapped[int] = mapped_column(ForeignKey("petition_backlog.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    description: Mapped[str] = mapped_column(String(500), nullable=False)
    owner_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), nullable=False)
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    done_note: Mapped[str | None] = mapped_column(String(500))

    backlog: Mapped[BacklogCase] = relationship(back_populates="steps")
    owner: Mapped[User] = relationship(lazy="joined")


class BacklogReview(db.Model):
    """A progress review of the plan (调度): who reviewed, when, what was found."""
    __tablename__ = "petition_backlog_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    backlog_id: Mapped[int] = mapped_column(ForeignKey("petition_backlog.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    by_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False)

    by: Mapped[User] = relationship(lazy="joined")
