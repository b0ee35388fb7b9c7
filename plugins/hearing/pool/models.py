"""The panelist pool (专家库), the hearing rooms and the panel of one hearing (its members)."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import (JSON, Boolean, Date, ForeignKey, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.toolkit import VersionedMixin, db
from core.toolkit import Person
from ..models import Hearing

PANELIST_KINDS = {
    "npc_deputy": _l("NPC deputy"), "cppcc_member": _l("CPPCC member"), "lawyer": _l("Lawyer"),
    "expert": _l("Expert"), "resident_rep": _l("Residents' representative"),
}


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
