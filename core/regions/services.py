"""Region tree browsing and edits: breadcrumbs, children, 村民小组 (groups) with local codes.

Group codes: the NBS codes stop at the village (12 digits). A group under a village gets the
village's code followed by a 3-digit local suffix, ``001``–``999`` (e.g. village 430611100201 →
group 430611100201001). The suffix is the next free number unless one is given.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from core.db import db
from .models import LEVELS, Region


class RegionError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def by_code(code: str | None) -> Region | None:
    if not code:
        return None
    return db.session.scalar(select(Region).where(Region.code == code))


def breadcrumbs(region: Region | None) -> list[Region]:
    """The ancestors of *region* from the root down, *region* last."""
    if region is None:
        return []
    codes = [c for c in region.path.strip("/").split("/") if c]
    found = {r.code: r for r in db.session.scalars(select(Region).where(Region.code.in_(codes)))}
    return [found[c] for c in codes if c in found]


def children(region: Region | None) -> list[tuple[Region, int]]:
    """The direct children of *region* (the roots when None), each with its own number of children."""
    child = select(Region.parent_id, func.count(Region.id).label("n")).group_by(Region.parent_id).subquery()
    stmt = (select(Region, func.coalesce(child.c.n, 0)).outerjoin(child, child.c.parent_id == Region.id)
            .where(Region.parent_id == region.id if region is not None else Region.parent_id.is_(None))
            .order_by(Region.code))
    return [(r, n) for r, n in db.session.execute(stmt)]


def _clean_name(name: str | None) -> str:
    name = re.sub(r"\s+", " ", name or "").strip()
    if not name:
        raise RegionError(_("A name is required."), "name")
    if len(name) > 100:
        raise RegionError(_("The name is longer than %(n)d characters.", n=100), "name")
    return name


def add_group(village: Region, name: str, suffix: str | int | None = None) -> Region:
    """Add a 村民小组 under *village*; its code is the village code + a 3-digit suffix."""
    if village.level != "village":
        raise RegionError(_("Groups can only be added under a village."))
    name = _clean_name(name)
    siblings = db.session.scalars(select(Region).where(Region.parent_id == village.id)).all()
    if any(s.name == name for s in siblings):
        raise RegionError(_("%(village)s already has a group called %(name)s.", village=village.name, name=name), "name")
    used = {s.code[len(village.code):] for s in siblings if s.code.startswith(village.code)}
    if suffix in (None, ""):
        free = next((f"{i:03d}" for i in range(1, 1000) if f"{i:03d}" not in used), None)
        if free is None:
            raise RegionError(_("%(village)s has no free group code left.", village=village.name))
        suffix = free
    suffix = str(suffix).strip()
    if not re.fullmatch(r"\d{3}", suffix) or suffix == "000":
        raise RegionError(_("The local code is three digits, 001 to 999."), "suffix")
    code = village.code + suffix
    if suffix in used or by_code(code) is not None:
        raise RegionError(_("The code %(code)s is already used.", code=code), "suffix")
    group = Region(code=code, name=name, level="group", parent=village, path=f"{village.path}{code}/")
    db.session.add(group)
    db.session.flush()
    return group


def rename(region: Region, name: str, urban_rural_code: str | None = None) -> Region:
    region.name = _clean_name(name)
    urc = (urban_rural_code or "").strip() or None
    if urc is not None and not re.fullmatch(r"\d{3}", urc):
        raise RegionError(_("The urban-rural code has three digits, e.g. 220."), "urban_rural_code")
    region.urban_rural_code = urc
    db.session.flush()
    return region


def region_choices(user=None, deepest: str = "town", keep: Region | None = None) -> list[tuple[str, str]]:
    """(id, indented name) for a select field: the user's region, its ancestors and its descendants
    down to level *deepest*; everything down to *deepest* for a user without a region."""
    depth = LEVELS.index(deepest)
    root = getattr(user, "region", None)
    stmt = select(Region).where(Region.level.in_(LEVELS[:depth + 1]))
    if root is not None:
        ancestors = [c for c in root.path.strip("/").split("/") if c]
        stmt = stmt.where(Region.path.startswith(root.path) | Region.code.in_(ancestors))
    rows = list(db.session.scalars(stmt.order_by(Region.path).limit(2000)))
    if keep is not None and all(r.id != keep.id for r in rows):
        rows.append(keep)
    return [(str(r.id), "· " * r.depth + r.name) for r in rows]
