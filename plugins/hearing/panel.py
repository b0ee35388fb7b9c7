"""The panelist pool (专家库) and the panel of one hearing: terms, odd size, the recusal check (回避)
against the parties, the reason for each appointment."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from core.toolkit import db
from core.toolkit import normalise_name
from core.toolkit import ServiceError, clean_text
from core.toolkit import clock
from .models import PANELIST_KINDS, PARTY_ROLES, Hearing, PanelMember, Panelist, Participant
from .services import WORKFLOW, add_participant, clashes, event, setting


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
