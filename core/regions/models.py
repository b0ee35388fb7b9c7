from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import db, TimestampMixin

# province → city → county → town → village → group (村民小组: local code suffix)
LEVELS = ("province", "city", "county", "town", "village", "group")


class Region(TimestampMixin, db.Model):
    __tablename__ = "core_region"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    level: Mapped[str] = mapped_column(String(10), nullable=False)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("core_region.id"), index=True)
    # "/<code>/<code>/…/" from the root down to this node: scope checks are one indexed prefix match
    path: Mapped[str] = mapped_column(String(255), nullable=False)
    urban_rural_code: Mapped[str | None] = mapped_column(String(3))

    parent: Mapped["Region | None"] = relationship(remote_side="Region.id", lazy="joined")

    __table_args__ = (Index("ix_core_region_path", "path"),)

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name}>"

    @property
    def depth(self) -> int:
        return self.path.strip("/").count("/")

    def is_within(self, other: "Region") -> bool:
        return self.path.startswith(other.path)
