"""People's mediation committees per region and their mediators (users with mediation permission)."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select

from core.toolkit import User
from core.toolkit import db
from core.toolkit import Region
from core.toolkit import in_scope
from ..errors import MediationError
from .models import Committee, CommitteeMember


def save_committee(user, committee: Committee | None, *, name, region_id, mediator_ids=()) -> Committee:
    errors = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = _("Required.")
    elif len(name) > 100:
        errors["name"] = _("Must have at most %(n)s characters.", n=100)
    try:
        region = db.session.get(Region, int(region_id)) if region_id else None
    except (TypeError, ValueError):
        region = None
    if region is None or not in_scope(user, region.id):
        errors["region_id"] = _("No such region in your scope.")
    elif region.level not in ("county", "town", "village"):
        errors["region_id"] = _("A committee belongs to a village, town or district.")
    elif db.session.scalar(select(Committee.id).where(Committee.region_id == region.id,
                                                      Committee.id != (committee.id if committee else 0))):
        errors["region_id"] = _("This region already has a committee.")
    ids = sorted({int(i) for i in mediator_ids or ()})
    users = list(db.session.scalars(select(User).where(User.id.in_(ids)))) if ids else []
    if len(users) != len(ids) or any(not u.can("mediation.dispute.mediate") for u in users):
        errors["mediators"] = _("Only users who may mediate can be members.")
    if errors:
        raise MediationError(errors)
    if committee is None:
        committee = Committee(name=name, region_id=region.id)
        db.session.add(committee)
    else:
        committee.name, committee.region_id = name, region.id
    db.session.flush()
    db.session.execute(delete(CommitteeMember).where(CommitteeMember.committee_id == committee.id))
    for u in users:
        db.session.add(CommitteeMember(committee_id=committee.id, user_id=u.id))
    db.session.flush()
    db.session.expire(committee, ["mediators"])
    return committee


def committee_for(region: Region | None) -> Committee | None:
    """The nearest committee at or above *region* (village → town → district)."""
    codes = [c for c in (region.path if region else "").strip("/").split("/") if c]
    rows = db.session.scalars(select(Committee).join(Region, Region.id == Committee.region_id)
                              .where(Region.code.in_(codes))).all()
    return max(rows, key=lambda c: len(c.region.path), default=None)


def handling_committee(dispute) -> Committee | None:
    """The people's mediation committee at the item's handling level (the village's, the town's or the
    district's), or else the nearest one above the item's region."""
    level = {"village": "village", "town": "town", "district": "county"}.get(dispute.handling_level, "village")
    codes = [c for c in dispute.region.path.strip("/").split("/") if c]
    committee = db.session.scalar(select(Committee).join(Region, Region.id == Committee.region_id)
                                  .where(Region.code.in_(codes), Region.level == level))
    return committee or committee_for(dispute.region)


def mediator_candidates(dispute, user) -> list[dict]:
    """The mediator picker: the handling committee's active mediators (and the acting user when they may
    mediate), each with the recusal check against the parties (``conflict``: why they must withdraw)."""
    committee = handling_committee(dispute)
    members = [u for u in (committee.mediators if committee else []) if u.active]
    people = list(members)
    if user.can("mediation.dispute.mediate") and all(u.id != user.id for u in people):
        people.append(user)
    return [{"id": u.id, "name": u.display_name or u.username, "member": u in members,
             "conflict": recusal_conflict(dispute, u)} for u in people]


def recusal_conflict(dispute, mediator: User) -> str | None:
    """Why *mediator* may not mediate this dispute (a party by name or phone), or None."""
    from core.toolkit import normalise_name
    name = normalise_name(mediator.display_name or "")
    phone = "".join(ch for ch in (mediator.phone or "") if ch.isdigit())
    for p in dispute.parties:
        if name and normalise_name(p.person.name) == name:
            return _("the same name as the party %(party)s", party=p.person.name)
        if phone and p.person.phone and "".join(ch for ch in p.person.phone if ch.isdigit()) == phone:
            return _("the same phone number as the party %(party)s", party=p.person.name)
    return None
