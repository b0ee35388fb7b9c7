"""Persons (petitioners, parties to a dispute, applicants) and organisations (courts, bureaus, …)."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import VersionedMixin, db
from core.regions.models import Region
from .validation import id_birth_date, id_gender

ORG_KINDS = {
    "court": _l("Court"),
    "arbitration_commission": _l("Arbitration commission"),
    "justice_bureau": _l("Justice bureau"),
    "department": _l("Government department"),
    "procuratorate": _l("Procuratorate"),
    "police": _l("Police"),
    "legal_aid_centre": _l("Legal-aid centre"),
    "other": _l("Other"),
}
GENDERS = {"male": _l("Male"), "female": _l("Female")}


class Person(VersionedMixin, db.Model):
    __tablename__ = "core_person"
    __field_labels__ = {"name": _l("Name"), "id_number": _l("ID number"), "phone": _l("Phone"),
                        "address": _l("Address"), "region": _l("Region"), "gender": _l("Gender")}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    # half-width, no spaces, one middle dot, lower case: what duplicate detection compares
    name_norm: Mapped[str] = mapped_column(String(100), nullable=False)
    id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    phone: Mapped[str | None] = mapped_column(String(30))
    address: Mapped[str | None] = mapped_column(String(200))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("core_region.id"), index=True)

    region: Mapped[Region | None] = relationship(lazy="joined")

    __table_args__ = (Index("ix_core_person_name_norm_phone", "name_norm", "phone"),)

    @property
    def birth_date(self) -> date | None:
        return id_birth_date(self.id_number)

    @property
    def gender(self) -> str | None:
        return id_gender(self.id_number)

    @property
    def gender_label(self) -> str:
        return str(GENDERS[self.gender]) if self.gender else ""

    def __repr__(self) -> str:
        return f"<Person {self.id} {self.name}>"


class Organisation(VersionedMixin, db.Model):
    __tablename__ = "core_organisation"
    __field_labels__ = {"name": _l("Name"), "kind": _l("Kind"), "phone": _l("Phone"), "address": _l("Address")}
    __value_labels__ = {"kind": ORG_KINDS}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(30), nullable=False, index=True)
    # a short stable code plugins look organisations up by (e.g. ``JS-FY``), or the 统一社会信用代码
    code: Mapped[str | None] = mapped_column(String(40), unique=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("core_region.id"), index=True)
    address: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    region: Mapped[Region | None] = relationship(lazy="joined")

    @property
    def kind_label(self) -> str:
        return str(ORG_KINDS.get(self.kind, self.kind))

    def __repr__(self) -> str:
        return f"<Organisation {self.code or self.id} {self.name}>"
