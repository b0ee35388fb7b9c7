"""Region helpers for the dashboard: the user's root, a node's subtree ids and its children."""
from __future__ import annotations

from sqlalchemy import select

from core.db import db
from core.regions.models import Region


def root_for(user) -> Region | None:
    """The region the user's figures cover: their own node, or (an administrator without one) the top
    county-level node when there is exactly one, else the top-most node."""
    if getattr(user, "region", None) is not None:
        return user.region
    counties = db.session.scalars(select(Region).where(Region.level == "county").order_by(Region.code).limit(2)).all()
    if len(counties) == 1:
        return counties[0]
    return db.session.scalar(select(Region).where(Region.parent_id.is_(None)).order_by(Region.code))


def visible(user, region: Region) -> bool:
    root = getattr(user, "region", None)
    if root is None:
        return bool(getattr(user, "is_admin", False))
    return region.path.startswith(root.path)


def subtree_ids(region: Region) -> list[int]:
    return list(db.session.scalars(select(Region.id).where(Region.path.startswith(region.path))))


def children(region: Region) -> list[Region]:
    return list(db.session.scalars(select(Region).where(Region.parent_id == region.id).order_by(Region.code)))


def fold(region: Region, per_region: dict[int, int]) -> tuple[dict[int, int], int]:
    """Fold region id → n into the region's children (child id → n) and the part booked on the node itself."""
    kids = children(region)
    if not per_region:
        return {k.id: 0 for k in kids}, 0
    paths = dict(db.session.execute(select(Region.id, Region.path).where(Region.id.in_(list(per_region)))).all())
    out = {k.id: 0 for k in kids}
    own = 0
    for rid, n in per_region.items():
        path = paths.get(rid, "")
        kid = next((k for k in kids if path.startswith(k.path)), None)
        if kid is None:
            own += n
        else:
            out[kid.id] += n
    return out, own


def by_code(code: str | None) -> Region | None:
    if not code:
        return None
    return db.session.scalar(select(Region).where(Region.code == code))
