"""What stands in the way of a hearing's people and places: clashes in time (room, host, panelists on
another hearing) and ties to the parties (the recusal check, 回避) of a panelist or an official. Read by
scheduling and by the panel (``pool/``); imports neither."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from core.toolkit import clock
from core.toolkit import db
from core.toolkit import normalise_name
from ..models import PARTY_ROLES, Hearing, Participant
from ..services import ACTIVE
from .models import PanelMember, Panelist


def clashes(hearing: Hearing, start: datetime, end: datetime, room_id=None, host_user_id=None,
            host_name: str = "", panelist_ids=()) -> list[str]:
    """Other hearings that overlap [start, end) and share the room, the host or a panelist."""
    overlap = and_(Hearing.id != (hearing.id or 0), Hearing.state.in_(ACTIVE), Hearing.scheduled_at < end,
                   Hearing.ends_at > start)
    out = []
    if room_id:
        for h in db.session.scalars(select(Hearing).where(overlap, Hearing.room_id == room_id)):
            out.append(_("Room %(room)s is booked for %(ref)s (%(start)s–%(end)s).", room=h.room.name,
                         ref=h.reference, start=h.scheduled_at.strftime("%Y-%m-%d %H:%M"),
                         end=h.ends_at.strftime("%H:%M")))
    host_terms = []
    if host_user_id:
        host_terms.append(Hearing.host_user_id == host_user_id)
    if host_name:
        host_terms.append(Hearing.host_name == host_name)
    if host_terms:
        for h in db.session.scalars(select(Hearing).where(overlap, or_(*host_terms))):
            out.append(_("The host %(name)s presides over %(ref)s at that time.", name=h.host_name, ref=h.reference))
    if panelist_ids:
        rows = db.session.execute(select(Hearing, Panelist).join(PanelMember, PanelMember.hearing_id == Hearing.id)
                                  .join(Panelist, Panelist.id == PanelMember.panelist_id)
                                  .where(overlap, PanelMember.panelist_id.in_(list(panelist_ids)),
                                         PanelMember.recused.is_(False))).all()
        for h, p in rows:
            out.append(_("Panelist %(name)s sits on %(ref)s at that time.", name=p.name, ref=h.reference))
    return out


def _norm(value: str) -> str:
    return normalise_name(value or "")


def _parties(hearing: Hearing) -> list[Participant]:
    return [p for p in hearing.participants if p.role in PARTY_ROLES + ("witness",)]


def _ties(declared: str) -> set[str]:
    return {_norm(line.split("（")[0].split("(")[0]) for line in (declared or "").splitlines() if line.strip()}


def _party_units(hearing: Hearing) -> set[str]:
    units = {_norm(p.unit) for p in _parties(hearing) if p.unit}
    case = hearing.petition
    if case.handling_unit is not None:
        units.add(_norm(case.handling_unit.name))
    return units - {""}


def _earlier_roles(hearing: Hearing) -> tuple[set[int], set[str]]:
    """Person ids and names that had a role in the same case before: representatives and people who
    took part in an earlier hearing on the same petition."""
    case = hearing.petition
    person_ids = {r.id for r in case.representatives}
    names = set()
    rows = db.session.scalars(select(Participant).join(Hearing, Hearing.id == Participant.hearing_id)
                              .where(Hearing.petition_id == case.id, Hearing.id != hearing.id))
    for p in rows:
        if p.person_id:
            person_ids.add(p.person_id)
        names.add(_norm(p.name))
    return person_ids, names


def conflicts(hearing: Hearing, panelist: Panelist, day: date | None = None) -> list[dict]:
    """Every tie between *panelist* and the parties: same person, same work unit, declared relation,
    earlier role in the same case; plus an expired term."""
    out = []
    case = hearing.petition
    parties = _parties(hearing)
    names = {_norm(p.name): p for p in parties if p.role != "unit"}
    person_ids = {p.person_id for p in parties if p.person_id} | {case.petitioner_id}
    if (panelist.person_id and panelist.person_id in person_ids) or _norm(panelist.name) in names:
        out.append({"code": "same_person", "text": _("Is a party to this case.")})
    if panelist.work_unit and _norm(panelist.work_unit) in _party_units(hearing):
        out.append({"code": "same_unit", "text": _("Works for %(unit)s, a party to this case.",
                                                    unit=panelist.work_unit)})
    tied = _ties(panelist.declared_ties) & (set(names) | {_norm(case.petitioner.name)})
    if tied:
        out.append({"code": "relation", "text": _("Declared a relation with %(names)s.", names="、".join(sorted(tied)))})
    earlier_ids, earlier_names = _earlier_roles(hearing)
    if (panelist.person_id and panelist.person_id in earlier_ids) or \
            (panelist.user_id and panelist.user_id == case.officer_id) or _norm(panelist.name) in earlier_names:
        out.append({"code": "earlier_role", "text": _("Had an earlier role in this case.")})
    day = day or (hearing.scheduled_at.date() if hearing.scheduled_at else clock.today())
    if not panelist.in_term(day):
        out.append({"code": "term", "text": _("Not in term on %(day)s.", day=day.isoformat())})
    return out


def official_conflicts(hearing: Hearing) -> list[str]:
    """Ties of the host and the recorder (officials): a party, or the officer who handled the case."""
    case = hearing.petition
    party_names = {_norm(p.name) for p in _parties(hearing) if p.role != "unit"}
    out = []
    for label, user_id, name in ((_("Host"), hearing.host_user_id, hearing.host_name),
                                 (_("Recorder"), hearing.recorder_user_id, hearing.recorder_name)):
        if user_id and user_id == case.officer_id:
            out.append(_("%(who)s %(name)s handled this petition before (earlier role in the same case).",
                         who=label, name=name))
        if name and _norm(name) in party_names:
            out.append(_("%(who)s %(name)s is a party to this case.", who=label, name=name))
    return out
