"""The centre's loop: 登记受理 → 分流交办 → 调处化解 → 结果反馈 → 回访评价.

The centre drives the procedure; the units resolve the substance. A matter routed to the petition register or a
mediation committee is created in that plugin through the ``centre.route_matter`` point (no import); the answer
comes back through ``centre.matter_answered``. Every function works in the caller's transaction (callers commit).
"""
from __future__ import annotations

import logging
from datetime import datetime
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import func, select

from core.toolkit import clock
from core.toolkit import log_event
from core.toolkit import find_deadline, start_deadline, stop_if_running
from core.toolkit import db
from core.toolkit import ServiceError, clean_text
from core.toolkit import PartyError, create_person, find_duplicates
from core.toolkit import next_reference
from .deadlines import DEFAULT_PART_RULE, PART_RULE
from .models import (CATEGORIES, CHANNELS, KIND_ROUTE, KINDS, RATINGS, ROUTES, Case, Matter, Part, TriageRule,
                     Unit)

log = logging.getLogger(__name__)
RECORD = "centre_case"
ROUTE_POINT = "centre.route_matter"        # sender: Matter; kwargs case, route, unit, user → {"record_type", …}
ANSWER_POINT = "centre.matter_answered"    # sender: None; kwargs centre_code, record_type, record_id, text, resolved
MAX_MATTERS = 10


class CentreError(ServiceError):
    """Bad input or a step not possible now: ``errors`` maps a field (or ``""``) to a message."""


def _now() -> datetime:
    return clock.now().replace(microsecond=0)


def _point(name: str):
    """The declared point (the centre's points.py, read when the plugin loads)."""
    from . import points
    return {p.name: p for p in (points.route_matter, points.matter_answered)}[name]


def _log(case: Case, action: str, text: str, user=None) -> None:
    log_event(f"centre.{action}", RECORD, case.id, text=str(text)[:2000], user=user)


# -- triage (分流): rules as data ------------------------------------------------------------------------
def _amount(value, field: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
        if not Decimal(0) <= amount < Decimal("1e12"):
            raise InvalidOperation
        return amount
    except (InvalidOperation, ValueError):
        errors[field] = _("Enter an amount of money of 0 or more.")
        return None


def _rule_holds(rule: TriageRule, kind, category, amount, parties, region, text) -> bool:
    if rule.kind and rule.kind != kind:
        return False
    if rule.category and rule.category != category:
        return False
    if rule.min_amount is not None and (amount is None or amount < rule.min_amount):
        return False
    if rule.max_amount is not None and amount is not None and amount > rule.max_amount:
        return False
    if rule.min_parties and (parties or 1) < rule.min_parties:
        return False
    if rule.region_id and (region is None or not _within(region, rule.region_id)):
        return False
    words = [w for w in (rule.keywords or "").replace("，", ",").split(",") if w.strip()]
    if words and not any(w.strip() in (text or "") for w in words):
        return False
    return True


def _within(region, region_id: int) -> bool:
    from core.toolkit import Region
    root = db.session.get(Region, region_id)
    return root is not None and region.path.startswith(root.path)


def suggest(kind: str, category: str | None = None, amount=None, parties: int = 1, region=None,
            summary: str = "") -> tuple[str, Unit | None, TriageRule | None]:
    """The route and unit the triage rules suggest for a matter: ``(route, unit, rule)``. Without a matching
    rule the kind's own route and its first unit."""
    rules = db.session.scalars(select(TriageRule).where(TriageRule.active.is_(True))
                               .order_by(TriageRule.sort, TriageRule.id)).all()
    for rule in rules:
        if _rule_holds(rule, kind, category, amount, parties, region, summary):
            return rule.route, rule.unit or first_unit(rule.route, category), rule
    route = KIND_ROUTE.get(kind, "consultation")
    return route, first_unit(route, category), None


def first_unit(route: str, category: str | None = None) -> Unit | None:
    if route == "consultation":
        return None
    units = db.session.scalars(select(Unit).where(Unit.route == route, Unit.active.is_(True))
                               .order_by(Unit.sort, Unit.id)).all()
    return next((u for u in units if category and u.speciality == category), None) or \
        next((u for u in units if not u.speciality), None) or (units[0] if units else None)


# -- 登记受理: one window, one code -------------------------------------------------------------------------
def find_person(person: dict) -> tuple:
    """The known person (same ID number, or same name and phone) or a new one: ``(person, matched)``."""
    person = person if isinstance(person, dict) else {}
    name, id_number, phone = person.get("name"), person.get("id_number") or None, person.get("phone") or None
    try:
        found = find_duplicates(name=name, id_number=id_number, phone=phone, limit=1)
        if found:
            return found[0].person, True
        return create_person(name, id_number=id_number, phone=phone, address=person.get("address") or None,
                             region_id=person.get("region_id")), False
    except PartyError as exc:
        raise CentreError({f"person.{k}": v for k, v in exc.errors.items()}) from None


def _clean_matter(i: int, m, errors: dict) -> dict:
    m = m if isinstance(m, dict) else {}
    out = {"kind": m.get("kind")}
    if out["kind"] not in KINDS:
        errors[f"matters.{i}.kind"] = _("Choose a kind from the list.")
    out["summary"] = clean_text(m.get("summary"), f"matters.{i}.summary", 500, errors)
    category = m.get("category") or None
    if category is not None and category not in CATEGORIES:
        errors[f"matters.{i}.category"] = _("Choose a category from the list.")
    out["category"] = category
    out["amount"] = _amount(m.get("amount"), f"matters.{i}.amount", errors)
    try:
        out["parties"] = max(1, min(int(m.get("parties") or 1), 10000))
    except (TypeError, ValueError):
        errors[f"matters.{i}.parties"] = _("Enter a whole number.")
        out["parties"] = 1
    route = m.get("route") or None
    if route is not None and route not in ROUTES:
        errors[f"matters.{i}.route"] = _("Choose a route from the list.")
    out["route"] = route
    out["unit_id"] = m.get("unit_id") or None
    out["co_unit_ids"] = [u for u in (m.get("co_unit_ids") or []) if u]
    others = m.get("other_parties") or []
    if not isinstance(others, list) or len(others) > 20:
        errors[f"matters.{i}.other_parties"] = _("At most 20 other parties.")
        others = []
    out["other_parties"] = [{"name": str(o.get("name") or "").strip()[:100], "phone": (o.get("phone") or None)}
                            for o in others if isinstance(o, dict) and str(o.get("name") or "").strip()]
    out["answer"] = (m.get("answer") or "").strip()[:4000]
    out["lead"] = m.get("lead", True)
    return out


def register(*, channel: str, received_at: datetime | None, person: dict, matters: list, region_id: int,
             clerk=None, route_now: bool = True) -> Case:
    """Register a visit, call, letter or grid report once: the person found or created, one case code for
    every matter; a matter whose route is given or implied by its kind is routed at once."""
    errors: dict[str, str] = {}
    if channel not in CHANNELS:
        errors["channel"] = _("Choose a channel from the list.")
    received_at = received_at or _now()
    if not isinstance(received_at, datetime):
        errors["received_at"] = _("Enter a date and time.")
    elif received_at > _now().replace(hour=23, minute=59, second=59):
        errors["received_at"] = _("The date of receipt cannot be in the future.")
    if not isinstance(matters, list) or not matters:
        errors["matters"] = _("Register at least one matter.")
        matters = []
    elif len(matters) > MAX_MATTERS:
        errors["matters"] = _("At most %(n)d matters on one case.", n=MAX_MATTERS)
    cleaned = [_clean_matter(i, m, errors) for i, m in enumerate(matters[:MAX_MATTERS])]
    if not (isinstance(person, dict) and (person.get("name") or "").strip()):
        errors["person.name"] = _("This field is required.")
    if errors:
        raise CentreError(errors)
    who, matched = find_person(person)
    earlier = db.session.scalar(select(func.count(Case.id)).where(Case.person_id == who.id))
    case = Case(code=next_reference("centre.case", received_at.date()), channel=channel, received_at=received_at,
                person=who, region_id=region_id, person_region_id=who.region_id,
                clerk_id=getattr(clerk, "id", None), state="open", repeat=bool(earlier))
    db.session.add(case)
    db.session.flush()
    _log(case, "register", _("Registered at the window as %(code)s", code=case.code)
         + (" · " + _("known person matched") if matched else ""), clerk)
    for m in cleaned:
        matter = Matter(case=case, kind=m["kind"], summary=m["summary"], category=m["category"],
                        amount=m["amount"], parties=m["parties"], other_parties=m["other_parties"])
        db.session.add(matter)
        db.session.flush()
        if m["kind"] == "consultation" or m["answer"]:
            resolve_on_spot(matter, m["answer"] or _("Answered at the window."), clerk)
            continue
        start_deadline(matter, "centre.route_matter", received_at.date())
        if not (m["route"] or route_now):
            continue
        route, unit, _rule = (m["route"], None, None) if m["route"] else suggest(
            m["kind"], m["category"], m["amount"], m["parties"], who.region, m["summary"])
        route_matter(matter, route, m["unit_id"] or (unit.id if unit else None), m["co_unit_ids"], user=clerk)
    _refresh(case)
    return case


def correct_intake(case: Case, changes: dict, user=None) -> Case:
    """Correct how and when the case came in (a typing error at the window); the clocks keep their start."""
    errors: dict = {}
    if "channel" in changes and changes["channel"] not in CHANNELS:
        errors["channel"] = _("Choose a channel from the list.")
    at = changes.get("received_at")
    if "received_at" in changes and (not isinstance(at, datetime) or at > _now().replace(hour=23, minute=59)):
        errors["received_at"] = _("The date of receipt cannot be in the future.")
    if errors:
        raise CentreError(errors)
    for key in ("channel", "received_at"):
        if key in changes:
            setattr(case, key, changes[key])
    _log(case, "correct", _("Intake corrected"), user)
    return case


def resolve_on_spot(matter: Matter, answer: str, user=None) -> None:
    """A consultation answered or a 先行调解 that succeeded at the window: the matter is resolved there."""
    if matter.state not in ("new",):
        raise CentreError(_("Only a matter waiting for routing can be resolved at the window."))
    errors: dict = {}
    answer = clean_text(answer, "answer", 4000, errors)
    if errors:
        raise CentreError(errors)
    matter.state, matter.route, matter.answer, matter.answered_at = "resolved", "consultation", answer, _now()
    stop_if_running(matter, "centre.route_matter")
    _log(matter.case, "resolve", _("Resolved at the window: %(t)s", t=answer[:300]), user)
    _refresh(matter.case)


# -- 分流交办: route to a lead unit and co-handlers ----------------------------------------------------------
def _unit(unit_id, field: str = "unit_id") -> Unit | None:
    if unit_id in (None, ""):
        return None
    try:
        unit = db.session.get(Unit, int(unit_id))
    except (TypeError, ValueError):
        unit = None
    if unit is None or not unit.active:
        raise CentreError({field: _("No such unit.")})
    return unit


def _start_part(part: Part, route: str, start) -> None:
    part.rule_code = PART_RULE.get(route, DEFAULT_PART_RULE) if part.lead else DEFAULT_PART_RULE
    row = start_deadline(part, part.rule_code, start)
    part.due_on = row.due


def route_matter(matter: Matter, route: str, unit_id=None, co_unit_ids=(), user=None) -> Matter:
    """Hand a matter to its route: the lead unit (given, or suggested by triage) and any co-handlers, each with
    its own clock. For the petition register and mediation the receiving plugin creates its record."""
    if matter.state != "new":
        raise CentreError(_("This matter is already routed."))
    if route not in ROUTES:
        raise CentreError({"route": _("Choose a route from the list.")})
    if route == "consultation":
        resolve_on_spot(matter, matter.answer or _("Answered at the window."), user)
        return matter
    lead = _unit(unit_id) or first_unit(route, matter.category)
    if lead is None:
        raise CentreError({"unit_id": _("No unit takes this route; add one to the centre's units.")})
    co_units = [u for u in (_unit(c, "co_unit_ids") for c in co_unit_ids) if u is not None and u.id != lead.id]
    now = _now()
    matter.route, matter.state, matter.routed_at = route, "routed", now
    for unit, is_lead in [(lead, True)] + [(u, False) for u in co_units]:
        part = Part(matter=matter, unit=unit, lead=is_lead, state="open", assigned_at=now, rule_code="")
        db.session.add(part)
        db.session.flush()
        _start_part(part, route, now.date())
    stop_if_running(matter, "centre.route_matter")
    for _receiver, made in _point(ROUTE_POINT).send(matter, case=matter.case, route=route, unit=lead, user=user):
        if made:
            matter.record_type, matter.record_id = made["record_type"], int(made["record_id"])
            matter.record_reference = str(made.get("reference") or "")[:40]
            break
    names = ", ".join([lead.name] + [u.name for u in co_units])
    _log(matter.case, "route", _("Routed to %(route)s: %(units)s", route=ROUTES[route], units=names)
         + (f" · {matter.record_reference}" if matter.record_reference else ""), user)
    _refresh(matter.case)
    return matter


def add_co_handler(matter: Matter, unit_id, user=None) -> Part:
    unit = _unit(unit_id)
    if matter.state != "routed":
        raise CentreError(_("Co-handlers join a matter that is with the units."))
    if any(p.unit_id == unit.id for p in matter.parts):
        raise CentreError({"unit_id": _("This unit already has a part in the matter.")})
    part = Part(matter=matter, unit=unit, lead=False, state="open", assigned_at=_now(), rule_code="")
    db.session.add(part)
    db.session.flush()
    _start_part(part, matter.route, part.assigned_at.date())
    _log(matter.case, "co_handler", _("Co-handler added: %(u)s", u=unit.name), user)
    return part


# -- 调处化解: the units answer ---------------------------------------------------------------------------
def answer_part(part: Part, text: str, user=None, at: datetime | None = None) -> Part:
    """A unit's reply on its part. The matter is answered when every part answered (the lead's reply alone
    does not close a matter whose co-handlers have not answered)."""
    if part.state != "open":
        raise CentreError(_("This unit has already answered."))
    errors: dict = {}
    text = clean_text(text, "answer", 4000, errors)
    if errors:
        raise CentreError(errors)
    part.state, part.answer, part.answered_at = "answered", text, at or _now()
    stop_if_running(part, part.rule_code, part.answered_at)
    matter = part.matter
    case = matter.case
    _log(case, "answer", _("%(u)s answered: %(t)s", u=part.unit.name, t=text[:300]), user)
    if all(p.state == "answered" for p in matter.parts):
        lead = matter.lead or part
        matter.state, matter.answer, matter.answered_at = "answered", lead.answer, _now()
    _refresh(case)
    return part


def on_matter_answered(_sender=None, centre_code: str = "", record_type: str = "", record_id=None,
                       text: str = "", resolved: bool = True, **_kw):
    """``centre.matter_answered``: the receiving plugin answered (petition replied, agreement performed…): the
    lead's part of that matter takes the answer."""
    matter = db.session.scalar(select(Matter).where(Matter.record_type == record_type,
                                                    Matter.record_id == int(record_id or 0)))
    if matter is None or matter.case.code != centre_code:
        return None
    lead = matter.lead
    if lead is None or lead.state != "open":
        return None
    prefix = "" if resolved else _("Not resolved: ")
    answer_part(lead, (prefix + (text or _("Answered."))).strip()[:4000])
    return matter


# -- 结果反馈 → 回访评价 ---------------------------------------------------------------------------------
def all_answered(case: Case) -> bool:
    return bool(case.matters) and all(m.state in ("answered", "resolved") for m in case.matters)


def tell(case: Case, note: str, user=None) -> None:
    """The person was told the result of every matter (结果反馈)."""
    if not all_answered(case):
        raise CentreError(_("The person is told when every matter has been answered."))
    if case.told_at is not None:
        raise CentreError(_("The person has already been told."))
    errors: dict = {}
    note = clean_text(note, "note", 4000, errors)
    if errors:
        raise CentreError(errors)
    case.told_at, case.told_note = _now(), note
    stop_if_running(case, "centre.feedback")
    start_deadline(case, "centre.follow_up", case.told_at.date())
    _log(case, "tell", _("Person told: %(t)s", t=note[:300]), user)
    _refresh(case)


def visit(case: Case, note: str, rating: str | None = None, user=None) -> None:
    """The follow-up visit (回访), with the person's rating when given there."""
    if case.told_at is None:
        raise CentreError(_("Tell the person the result before the follow-up visit."))
    if case.visited_at is not None:
        raise CentreError(_("The follow-up visit is already recorded."))
    errors: dict = {}
    note = clean_text(note, "note", 4000, errors)
    if rating and rating not in RATINGS:
        errors["rating"] = _("Choose a rating from the list.")
    if errors:
        raise CentreError(errors)
    case.visited_at, case.visit_note = _now(), note
    stop_if_running(case, "centre.follow_up")
    _log(case, "visit", _("Follow-up visit: %(t)s", t=note[:300]), user)
    if rating:
        rate(case, rating, user=user)
    else:
        _refresh(case)


def can_rate(case: Case) -> bool:
    return case.told_at is not None and case.rating is None and case.state != "closed"


def rate(case: Case, rating: str, user=None) -> None:
    """The person's rating (评价). 不满意 reopens the case: the lead units answer again under supervision
    escalated to the centre's leader."""
    if rating not in RATINGS:
        raise CentreError({"rating": _("Choose a rating from the list.")})
    if not can_rate(case):
        raise CentreError(_("This case cannot be rated now."))
    case.rating, case.rated_at = rating, _now()
    _log(case, "rate", _("Rated: %(r)s", r=RATINGS[rating]), user)
    if rating == "unsatisfied":
        reopen(case, user)
    else:
        _refresh(case)


def reopen(case: Case, user=None) -> None:
    from . import supervision
    case.reopened += 1
    case.told_at = case.visited_at = None
    case.rating = case.rated_at = None
    stop_if_running(case, "centre.follow_up")
    for matter in case.matters:
        if matter.state != "answered":
            continue
        lead = matter.lead
        matter.state, matter.answered_at = "routed", None
        lead.state, lead.answered_at = "open", None
        lead.assigned_at = _now()
        _start_part(lead, matter.route, lead.assigned_at.date())
        sup = supervision.issue(case, lead.unit, _("The person is not satisfied with the answer on “%(s)s”; answer "
                                                   "again.", s=matter.summary[:80]), user=user, part=lead)
        supervision.escalate(sup, user=user, automatic=True)
    _log(case, "reopen", _("Reopened: the person is not satisfied"), user)
    _refresh(case)


# -- the case's state, derived ------------------------------------------------------------------------
def _refresh(case: Case) -> None:
    """open → routed → answered → followed_up → closed, from the matters and the loop's steps."""
    db.session.flush()
    before = case.state
    if not case.matters or any(m.state == "new" for m in case.matters) and \
            not any(m.state == "routed" for m in case.matters):
        state = "open"
    elif not all_answered(case):
        state = "routed"
    elif case.visited_at is None:
        state = "answered"
    elif case.rating in ("satisfied", "basically"):
        state = "closed"
    else:
        state = "followed_up"
    if state == "answered" and before != "answered" and case.told_at is None:
        running = find_deadline(case, "centre.feedback")
        if running is None or running.status == "met":
            start_deadline(case, "centre.feedback", _now().date())
    if state == "closed" and case.closed_at is None:
        case.closed_at = _now()
        _log(case, "close", _("Closed: every matter answered, the person told, visited and satisfied"))
    case.state = state


def by_code(code: str) -> Case | None:
    code = (code or "").strip().upper()
    if not code or len(code) > 30:
        return None
    return db.session.scalar(select(Case).where(Case.code == code))
