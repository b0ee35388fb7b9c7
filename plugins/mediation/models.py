"""Grids, grid workers, disputes (the 挂号 ledger) and their parties."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.toolkit import User
from core.toolkit import VersionedMixin, db
from core.toolkit import Person
from core.toolkit import Region
from . import risks
from .ledger_key import pack
from .risks import RISKS

# contract §5 codes → domain.md §3's 15 standard categories
CATEGORIES = {
    "marriage_family": _l("Marriage and family"),
    "neighbour": _l("Neighbours"),
    "housing_homestead": _l("Housing and homestead"),
    "contract": _l("Contract"),
    "production_business": _l("Production and business"),
    "damages": _l("Damages"),
    "forest_land": _l("Forest and land"),
    "land_acquisition_demolition": _l("Land acquisition and demolition"),
    "environment": _l("Environmental pollution"),
    "labour": _l("Labour"),
    "consumer": _l("Consumer"),
    "medical": _l("Medical"),
    "traffic": _l("Road traffic accident"),
    "property_management": _l("Property management"),
    "other": _l("Other"),
}
SOURCES = {
    "patrol": _l("Found on patrol"),
    "application": _l("Applied by a party"),
    "court": _l("Referred by a court"),
    "police": _l("Referred by the police"),
}
LEVELS = {"village": _l("Village"), "town": _l("Town"), "district": _l("District")}
LEVEL_ORDER = ("village", "town", "district")
STATES = {
    "registered": _l("Registered in the ledger"),
    "mediating": _l("Mediating"),
    "resolved": _l("Resolved by mediation"),
    "failed": _l("Failed"),
    "escalated": _l("Escalated"),
    "refused": _l("Refused by a party"),
    "closed": _l("Closed off the ledger"),
}
OPEN_STATES = ("registered", "mediating", "escalated", "failed", "refused", "resolved")


class Grid(VersionedMixin, db.Model):
    __tablename__ = "mediation_grid"
    __record_label__ = _l("Grid")

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    region_id: Mapped[int] = mapped_column(ForeignKey("core_region.id"), index=True, nullable=False)
    boundary: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    households: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    region: Mapped[Region] = relationship(lazy="joined")
    workers: Mapped[list[User]] = relationship(secondary="mediation_grid_worker", lazy="selectin")

    def __repr__(self) -> str:
        return f"<Grid {self.code}>"


class GridWorker(db.Model):
    __tablename__ = "mediation_grid_worker"
    __table_args__ = (UniqueConstraint("grid_id", "user_id", name="uq_mediation_grid_worker_grid_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("mediation_grid.id"), nullable=False, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), nullable=False, index=True)


class Dispute(VersionedMixin, db.Model):
    __tablename__ = "mediation_dispute"
    __record_label__ = _l("Dispute")
    __value_labels__ = {"state": STATES, "risk_level": RISKS, "handling_level": LEVELS, "category": CATEGORIES,
                        "source": SOURCES}
    # region and month, and the packed ledger key: the monthly roll-up reads this index alone
    __table_args__ = (Index("ix_mediation_dispute_region_found_key", "region_id", "found_at", "ledger_key"),
                      Index("ix_mediation_dispute_found_id", "found_at", "id"),   # the list's order (issue 22)
                      # a grid worker's disputes: their grid's, in their area — counted from this index alone
                      Index("ix_mediation_dispute_grid_region", "grid_id", "region_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    grid_id: Mapped[int] = mapped_column(ForeignKey("mediation_grid.id"), nullable=False)
    region_id: Mapped[int] = mapped_column(ForeignKey("core_region.id"), index=True, nullable=False)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    mediator_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    found_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    source: Mapped[str] = mapped_column(String(20), nullable=False, default="patrol")
    category: Mapped[str] = mapped_column(String(40), nullable=False)
    summary: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    place: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    headcount: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    risk_level: Mapped[str] = mapped_column(String(10), nullable=False)
    handling_level: Mapped[str] = mapped_column(String(10), nullable=False, default="village")
    state: Mapped[str] = mapped_column(String(12), nullable=False, default="registered", index=True)
    outcome: Mapped[str] = mapped_column(Text, nullable=False, default="")
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    client_uuid: Mapped[str | None] = mapped_column(String(36), unique=True)
    # 人民调解法 Art 17/26: mediation is voluntary; the party who refused it and why
    refused_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_person.id"))
    refusal_reason: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    # the five ledger codes packed in one integer (ledger_key.py), set on every insert and update: the
    # monthly roll-up groups by it instead of by five text columns
    ledger_key: Mapped[int | None] = mapped_column(Integer)
    # the one-stop centre's case code (一案一码) when the centre routed the dispute here
    centre_code: Mapped[str | None] = mapped_column(String(30), index=True)

    grid: Mapped[Grid] = relationship(lazy="joined")
    region: Mapped[Region] = relationship(lazy="joined")
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id], lazy="joined")
    mediator: Mapped[User | None] = relationship(foreign_keys=[mediator_id], lazy="joined")
    parties: Mapped[list["DisputeParty"]] = relationship(back_populates="dispute", lazy="selectin",
                                                         order_by="DisputeParty.id")
    refused_by: Mapped[Person | None] = relationship(lazy="joined")

    __tracked__ = ("state", "risk_level", "handling_level", "mediator")
    __tracked_labels__ = {"state": _l("State"), "risk_level": _l("Risk"), "handling_level": _l("Handling level"),
                          "mediator": _l("Mediator")}

    @property
    def category_label(self) -> str:
        return str(CATEGORIES.get(self.category, self.category))

    @property
    def state_label(self) -> str:
        return str(STATES.get(self.state, self.state))

    @property
    def risk_label(self) -> str:
        return risks.label(self.risk_level)

    @property
    def risk_colour(self) -> str:
        return risks.colour(self.risk_level)

    @property
    def level_label(self) -> str:
        return str(LEVELS.get(self.handling_level, self.handling_level))

    @property
    def source_label(self) -> str:
        return str(SOURCES.get(self.source, self.source))


@event.listens_for(Dispute, "before_insert")
@event.listens_for(Dispute, "before_update")
def _set_ledger_key(_mapper, _connection, dispute: Dispute) -> None:
    dispute.ledger_key = pack(dispute.category, dispute.source, dispute.risk_level, dispute.state,
                              dispute.handling_level)


class DisputeParty(db.Model):
    __tablename__ = "mediation_dispute_party"
    __table_args__ = (UniqueConstraint("dispute_id", "person_id", name="uq_mediation_dispute_party_person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("mediation_dispute.id"), nullable=False, index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("core_person.id"), nullable=False, index=True)
    # the particulars a 调解协议书 lists for each party (人民调解法 Art 29); gender and birth date
    # default to what an 18-digit ID number says (plugins/mediation/agreements/services.py particulars)
    gender: Mapped[str | None] = mapped_column(String(10))           # male | female
    ethnicity: Mapped[str | None] = mapped_column(String(20))        # 民族, e.g. 汉族
    birth_date: Mapped[date | None] = mapped_column(Date)
    occupation: Mapped[str | None] = mapped_column(String(100))      # 职业或工作单位

    dispute: Mapped[Dispute] = relationship(back_populates="parties")
    person: Mapped[Person] = relationship(lazy="joined")


class Photo(db.Model):
    """A photo sent from the phone's offline queue: its client-generated id makes a repeated upload
    answer the first one instead of storing the picture twice. The bytes are a core attachment."""

    __tablename__ = "mediation_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True, nullable=False)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("mediation_dispute.id"), nullable=False, index=True)
    attachment_id: Mapped[int] = mapped_column(ForeignKey("core_attachment.id"), nullable=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
