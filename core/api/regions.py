"""``/regions``: the region tree as a read-only API collection, scoped to the caller's region.
The worked example for plugin collections (see ``core.api.collection``)."""
from __future__ import annotations

from typing import Literal

from flask_babel import gettext as _, lazy_gettext as _l
from pydantic import BaseModel, Field
from sqlalchemy import select

from core.db import db
from core.regions.models import LEVELS, Region
from .collection import Collection
from .schemas import PageQuery
from .validation import invalid
from .views import bp

RegionLevel = Literal[LEVELS]  # province, city, county, town, village, group

class RegionOut(BaseModel):
    id: int
    code: str = Field(description="NBS 12-digit division code (village groups: a local suffix)")
    name: str
    level: RegionLevel
    parent_id: int | None
    parent_code: str | None = None

    @classmethod
    def of(cls, region: Region) -> "RegionOut":
        return cls(id=region.id, code=region.code, name=region.name, level=region.level,
                   parent_id=region.parent_id, parent_code=region.parent.code if region.parent else None)


class RegionQuery(PageQuery):
    parent: str | None = Field(default=None, max_length=20, pattern=r"^[0-9A-Za-z]+$",
                               description="code of the parent region: only its direct children")
    level: RegionLevel | None = None
    q: str | None = Field(default=None, max_length=50, description="part of the name")


regions = Collection(bp, "regions", model=Region, out=RegionOut, read="core.regions.read",
                     region_column="id", serialize=RegionOut.of, tag="regions",
                     item_summary=_l("One region"))


@regions.list(query=RegionQuery, summary=_l("Regions in your scope (paged)"))
def list_regions(query: RegionQuery):
    stmt = select(Region).order_by(Region.code)
    if query.parent:
        parent = db.session.scalar(select(Region).where(Region.code == query.parent))
        if parent is None:
            raise invalid({"parent": _("No region with this code.")})
        stmt = stmt.where(Region.parent_id == parent.id)
    if query.level:
        stmt = stmt.where(Region.level == query.level)
    if query.q:
        stmt = stmt.where(Region.name.contains(query.q, autoescape=True))
    return stmt
