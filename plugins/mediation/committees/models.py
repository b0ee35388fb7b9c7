"""People's mediation committees and their members."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.toolkit import User
from core.toolkit import VersionedMixin, db
from core.toolkit import Region


class Committee(VersionedMixin, db.Model):
    """A people's mediation committee (人民调解委员会) of a village, town or district, with its mediators."""

    __tablename__ = "mediation_committee"
    __record_label__ = _l("Mediation committee")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    region_id: Mapped[int] = mapped_column(ForeignKey("core_region.id"), nullable=False, unique=True)

    region: Mapped[Region] = relationship(lazy="joined")
    mediators: Mapped[list[User]] = relationship(secondary="mediation_committee_member", lazy="selectin",
                                               order_by="User.id")


class CommitteeMember(db.Model):
    __tablename__ = "mediation_committee_member"
    __table_args__ = (UniqueConstraint("committee_id", "user_id", name="uq_mediation_committee_member_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("mediation_committee.id"), nullable=False, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), nullable=False, index=True)
