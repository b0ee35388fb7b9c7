"""Leader reception (领导接访): the AB rota of which leader receives visitors on which day, and the
visits booked against it. Cases taken on at a reception point back to it (PetitionCase.reception_id)."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.toolkit import User
from core.toolkit import VersionedMixin, db
from core.toolkit import Region

BOOKING_STATES = {"booked": _l("Booked"), "received": _l("Received"), "cancelled": _l("Cancelled"),
                  "no_show": _l("Did not come")}


class Reception(VersionedMixin, db.Model):
    """One reception day: leader A receives, leader B stands in (AB 岗)."""
    __tablename__ = "petition_reception"
    __record_label__ = _l("Leader reception")
    __table_args__ = (UniqueConstraint("day", "leader_id", name="uq_petition_reception_day_leader"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), nullable=False, index=True)
    deputy_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    region_id: Mapped[int] = mapped_column(ForeignKey("core_region.id"), nullable=False, index=True)
    place: Mapped[str] = mapped_column(String(200), nullable=False)
    capacity: Mapped[int] = mapped_column(nullable=False, default=10)
    note: Mapped[str] = mapped_column(String(500), nullable=False, default="")

    leader: Mapped[User] = relationship(foreign_keys=[leader_id], lazy="joined")
    deputy: Mapped[User | None] = relationship(foreign_keys=[deputy_id], lazy="joined")
    region: Mapped[Region] = relationship(lazy="joined")
    bookings: Mapped[list["ReceptionBooking"]] = relationship(back_populates="reception", lazy="selectin",
                                                              order_by="ReceptionBooking.slot",
                                                              cascade="all, delete-orphan")

    @property
    def active_bookings(self) -> list["ReceptionBooking"]:
        return [b for b in self.bookings if b.state != "cancelled"]


class ReceptionBooking(VersionedMixin, db.Model):
    """A visitor booked to see the leader on a reception day."""
    __tablename__ = "petition_reception_booking"
    __record_label__ = _l("Reception booking")
    __value_labels__ = {"state": BOOKING_STATES}
    __personal__ = ("phone",)

    id: Mapped[int] = mapped_column(primary_key=True)
    reception_id: Mapped[int] = mapped_column(ForeignKey("petition_reception.id", ondelete="CASCADE"),
                                              nullable=False, index=True)
    slot: Mapped[str] = mapped_column(String(5), nullable=False)  # "09:30"
    visitor_name: Mapped[str] = mapped_column(String(100), nullable=False)
    phone: Mapped[str | None] = mapped_column(String(30))
    topic: Mapped[str] = mapped_column(String(500), nullable=False)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default="booked")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("petition_case.id", ondelete="SET NULL"))

    reception: Mapped[Reception] = relationship(back_populates="bookings")

    @property
    def state_label(self) -> str:
        return str(BOOKING_STATES.get(self.state, self.state))
