"""The panelist pool (专家库), the hearing rooms, and the panel of one hearing: terms, odd size, the recusal
check (回避, ``conflicts.py``) against the parties, the reason for each appointment."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from core.toolkit import db
from core.toolkit import ServiceError, clean_text
from ..models import Hearing
from ..services import WORKFLOW, add_participant, event, setting
from .conflicts import clashes, conflicts
from .models import PANELIST_KINDS, HearingRoom, PanelMember, Panelist


def pool(active_only: bool = True) -> list[Panelist]:
    stmt = select(Panelist).order_by(Panelist.kind, Panelist.name)
    if active_only:
        stmt = stmt.where(Panelist.active.is_(True))
    return db.session.scalars(stmt).all()


def save_panelist(panelist: Panelist | None, data: dict) -> Panelist:
    errors: dict = {}
    name = clean_text(data.get("name"), "name", 100, errors)
    kind = data.get("kind")
    if kind not in PANELIST_KINDS:
        errors["kind"] = _("Choose a kind from the list.")
    work_unit = clean_text(data.get("work_unit"), "work_unit", 200, errors, required=False)
    qualification = clean_text(data.get("qualification"), "qualification", 300, errors, required=False)
    ties = clean_text(data.get("declared_ties"), "declared_ties", 2000, errors, required=False)
    start, end = data.get("term_start"), data.get("term_end")
    if start and end and end < start:
        errors["term_end"] = _("The term cannot end before it starts.")
    if errors:
        raise ServiceError(errors)
    if panelist is None:
        panelist = Panelist(name=name, kind=kind)
        db.session.add(panelist)
    panelist.name, panelist.kind, panelist.work_unit = name, kind, work_unit
    panelist.qualification, panelist.declared_ties = qualification, ties
    panelist.term_start, panelist.term_end = start, end
    panelist.person_id = data.get("person_id") or panelist.person_id
    panelist.user_id = data.get("user_id") or panelist.user_id
    if "active" in data:
        panelist.active = bool(data["active"])
    db.session.flush()
    return panelist


def add_member(hearing: Hearing, panelist: Panelist, reason: str, accept_conflict: bool = False) -> PanelMember:
    """Appoint *panelist* with the reason; a flagged tie refuses the appointment unless the caller
    accepts it explicitly (the flags stay on the record)."""
    errors: dict = {}
    reason = clean_text(reason, "reason", 500, errors)
    if panelist is None or not panelist.active:
        errors["panelist_id"] = _("Choose a panelist from the pool.")
    if errors:
        raise ServiceError(errors)
    WORKFLOW.check(hearing, "add_member")
    if any(m.panelist_id == panelist.id for m in hearing.panel):
        raise ServiceError({"panelist_id": _("%(name)s is already on the panel.", name=panelist.name)})
    active = [m for m in hearing.panel if not m.recused]
    if len(active) >= int(setting("panel_size_max")):
        raise ServiceError({"panelist_id": _("The panel has at most %(n)d members.", n=int(setting("panel_size_max")))})
    flags = conflicts(hearing, panelist)
    if any(f["code"] == "term" for f in flags):
        raise ServiceError({"panelist_id": _("%(name)s: %(why)s", name=panelist.name,
                                             why=next(f["text"] for f in flags if f["code"] == "term"))})
    if flags and not accept_conflict:
        raise ServiceError({"panelist_id": _("Recusal check: %(name)s — %(why)s", name=panelist.name,
                                             why=" ".join(f["text"] for f in flags))})
    if hearing.scheduled_at and hearing.ends_at:
        found = clashes(hearing, hearing.scheduled_at, hearing.ends_at, panelist_ids=[panelist.id])
        if found:
            raise ServiceError({"panelist_id": " ".join(found)})
    member = PanelMember(panelist_id=panelist.id, reason=reason, conflicts=flags)
    member.panelist = panelist
    hearing.panel.append(member)
    db.session.flush()
    add_participant(hearing, "panelist", panelist.name, unit=panelist.work_unit, panel_member_id=member.id)
    event(hearing, "panel", _("Appointed panelist %(name)s (%(kind)s): %(reason)s", name=panelist.name,
                              kind=panelist.kind_label, reason=reason)
          + ("" if not flags else " · " + _("flags: %(f)s", f=" ".join(f["text"] for f in flags))))
    return member


def remove_member(hearing: Hearing, member: PanelMember, reason: str) -> None:
    errors: dict = {}
    reason = clean_text(reason, "reason", 500, errors)
    if errors:
        raise ServiceError(errors)
    WORKFLOW.check(hearing, "remove_member")
    for p in [p for p in hearing.participants if p.panel_member_id == member.id]:
        hearing.participants.remove(p)
    name = member.panelist.name
    hearing.panel.remove(member)
    event(hearing, "panel", _("Removed panelist %(name)s: %(reason)s", name=name, reason=reason))


def check_panel_size(hearing: Hearing) -> None:
    n = len([m for m in hearing.panel if not m.recused])
    low, high = int(setting("panel_size_min")), int(setting("panel_size_max"))
    if n < low or n > high or n % 2 == 0:
        raise ServiceError({"panel": _("The panel needs an odd number of panelists between %(low)d and %(high)d "
                                       "(now %(n)d).", low=low, high=high, n=n)})


def rooms() -> list[HearingRoom]:
    return db.session.scalars(select(HearingRoom).where(HearingRoom.active.is_(True)).order_by(HearingRoom.name)).all()


def add_room(name: str, address: str = "", capacity: int = 20) -> HearingRoom:
    errors: dict = {}
    name = clean_text(name, "name", 100, errors)
    address = clean_text(address, "address", 200, errors, required=False)
    if not isinstance(capacity, int) or not 1 <= capacity <= 1000:
        errors["capacity"] = _("Between 1 and 1000.")
    if not errors and db.session.scalar(select(HearingRoom.id).where(HearingRoom.name == name)):
        errors["name"] = _("A room with this name exists.")
    if errors:
        raise ServiceError(errors)
    room = HearingRoom(name=name, address=address, capacity=capacity)
    db.session.add(room)
    db.session.flush()
    return room
