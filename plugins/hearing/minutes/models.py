"""The minutes (versions, confirmations), the deliberation's votes, the text modules, the PDF cache of
locked versions and the batch export jobs."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (JSON, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.toolkit import db
from ..models import Participant
from ..pool.models import PanelMember

VOTES = {"agree": _l("Agree"), "disagree": _l("Disagree"), "abstain": _l("Abstain")}


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
