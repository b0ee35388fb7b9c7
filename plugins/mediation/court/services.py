"""Court-linked mediation: register a court's hand-over, assign a mediator (specialty, load, recusal),
sign for the file (the clock starts), extend once by agreement, succeed (the 司法确认 clock starts) or fail
(the hand-back record), hand back, record the ruling.

Functions work in the caller's transaction and never commit; bad input raises ``CourtError`` (a core
``ServiceError``: fields → 422, ``""`` → 409 in the API) and leaves nothing to commit."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from core.toolkit import clock
from core.toolkit import log_event, log_note
from core.toolkit import User
from core.toolkit import deadlines as clocks
from core.toolkit import db
from core.toolkit import find_or_create_person, create_person
from core.toolkit import InvalidValue, clean_id_number, clean_name, clean_phone
from core.toolkit import Region
from core.toolkit import in_scope
from core.toolkit import next_reference
from . import workflow as wf
from .models import KINDS, PROCEDURES, ROLES, CourtCase, CourtParty, Handback, MediatorProfile
from .deadlines import CONFIRMATION, rule_for
from ..models import CATEGORIES, Dispute

RECORD_TYPE = "mediation_court_case"
SEQUENCE = "mediation.court"
MAX_PARTIES = 20
# what a court's file may say instead of the codes
KIND_WORDS = {"委托": "commissioned", "委托调解": "commissioned", "委派": "pre_suit", "委派调解": "pre_suit",
              "诉前": "pre_suit", "诉前调解": "pre_suit"}
PROCEDURE_WORDS = {"普通": "ordinary", "普通程序": "ordinary", "简易": "summary", "简易程序": "summary"}
ROLE_WORDS = {"原告": "plaintiff", "申请人": "plaintiff", "被告": "defendant", "被申请人": "defendant",
              "第三人": "third_party"}


CourtError = wf.CourtError


def _txt(value, limit: int) -> str:
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    return " ".join(text.split()) if limit <= 300 else text.strip()


def _date_of(value, field: str, errors: dict) -> datetime | None:
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = _txt(value, 40)
    if not text:
        errors[field] = _("Required.")
        return None
    try:
        return datetime.fromisoformat(text.replace("/", "-"))
    except ValueError:
        errors[field] = _("Not a valid date (YYYY-MM-DD or YYYY-MM-DDTHH:MM).")
        return None


def _code(value, choices: dict, words: dict, field: str, errors: dict, default: str | None = None) -> str:
    text = _txt(value, 40)
    if not text and default is not None:
        return default
    code = words.get(text, text)
    if code not in choices:
        labels = {str(v): k for k, v in choices.items()}
        code = labels.get(text, code)
    if code not in choices:
        errors[field] = _("Unknown value %(value)s; expected one of: %(codes)s.", value=text[:40],
                          codes=", ".join(choices)) if text else _("Required.")
    return code


def clean_case(data: dict) -> tuple[dict, dict]:
    """Check one case (a form, an API body or an import row): ``(clean, errors)``; reads, never writes."""
    errors: dict[str, str] = {}
    out: dict = {}
    for key, limit, required in (("court", 100, True), ("court_case_no", 60, True), ("judge_name", 60, False),
                                 ("judge_phone", 30, False), ("file_note", 500, False)):
        value = _txt(data.get(key), limit)
        if required and not value:
            errors[key] = _("Required.")
        elif len(value) > limit:
            errors[key] = _("Must have at most %(n)s characters.", n=limit)
        out[key] = value
    out["kind"] = _code(data.get("kind"), KINDS, KIND_WORDS, "kind", errors)
    out["procedure"] = _code(data.get("procedure"), PROCEDURES, PROCEDURE_WORDS, "procedure", errors, "ordinary")
    out["category"] = _code(data.get("category"), CATEGORIES, {}, "category", errors, "other")
    claim = _txt(data.get("claim"), 10_000)
    if not claim:
        errors["claim"] = _("Required.")
    elif len(claim) > 10_000:
        errors["claim"] = _("Must have at most %(n)s characters.", n=10_000)
    out["claim"] = claim
    received = _date_of(data.get("received_at"), "received_at", errors)
    if received is not None:
        if received.date() > clock.today():
            errors["received_at"] = _("Cannot lie in the future.")
        elif received.year < 2000:
            errors["received_at"] = _("Too far in the past.")
    out["received_at"] = received
    parties = data.get("parties") or []
    if not isinstance(parties, list) or not parties:
        errors["parties"] = _("Name at least one party.")
        parties = []
    elif len(parties) > MAX_PARTIES:
        errors["parties"] = _("Must have at most %(n)s items.", n=MAX_PARTIES)
    clean_parties = []
    for i, row in enumerate(parties if isinstance(parties, list) else []):
        row = row if isinstance(row, dict) else {}
        party = {}
        for key, fn in (("name", clean_name), ("id_number", clean_id_number), ("phone", clean_phone)):
            try:
                party[key] = fn(_txt(row.get(key), 100) or None)
            except InvalidValue as exc:
                errors[f"parties.{i}.{key}"] = str(exc)
        if not party.get("name") and f"parties.{i}.name" not in errors:
            errors[f"parties.{i}.name"] = _("Required.")
        party["role"] = _code(row.get("role"), ROLES, ROLE_WORDS, f"parties.{i}.role", errors,
                              "plaintiff" if i == 0 else "defendant")
        party["address"] = _txt(row.get("address"), 300)[:300]
        clean_parties.append(party)
    out["parties"] = clean_parties
    if not errors and db.session.scalar(select(CourtCase.id).where(CourtCase.court == out["court"],
                                                                   CourtCase.court_case_no == out["court_case_no"])):
        errors["court_case_no"] = _("This court case is already registered.")
    return out, errors


def default_region(user=None) -> Region | None:
    region = getattr(user, "region", None) if user is not None else None
    if region is not None and region.level in ("county", "town", "village"):
        return region
    return db.session.scalar(select(Region).where(Region.level == "county").order_by(Region.code))


def create_case(clean: dict, region: Region, user=None, batch=None) -> CourtCase:
    """Create a case from ``clean_case`` output (already checked)."""
    from ..committees.services import committee_for
    parties = clean.pop("parties")
    committee = committee_for(region)
    case = CourtCase(region_id=region.id, batch_id=batch.id if batch else None, state="received",
                     committee_id=committee.id if committee else None, **clean)
    case.reference = next_reference(SEQUENCE, clean["received_at"].date())
    db.session.add(case)
    db.session.flush()
    for p in parties:
        if p.get("id_number"):
            person, _created = find_or_create_person(p["name"], id_number=p["id_number"], phone=p.get("phone"),
                                                     region_id=region.id)
        else:
            person = create_person(p["name"], phone=p.get("phone"), region_id=region.id)
        if all(x.person_id != person.id for x in case.parties):
            case.parties.append(CourtParty(person_id=person.id, role=p["role"], service_address=p["address"]))
    db.session.flush()
    log_event("mediation.court_received", RECORD_TYPE, case.id, text=f"{case.court} {case.court_case_no}",
              user=user)
    return case


def register_case(user, data: dict, region: Region | None = None) -> CourtCase:
    """Register one court case by hand (or through the API)."""
    clean, errors = clean_case(data)
    region = region or default_region(user)
    if region is None or (user is not None and not in_scope(user, region.id)):
        errors["region_id"] = _("No such region in your scope.")
    if errors:
        raise CourtError(errors)
    return create_case(clean, region, user)


# -- roster and assignment -------------------------------------------------------------------------
def profile_of(user: User) -> MediatorProfile | None:
    return db.session.scalar(select(MediatorProfile).where(MediatorProfile.user_id == user.id))


def caseload(user_ids: list[int]) -> dict[int, int]:
    """Open court cases and disputes under mediation per mediator (the current load)."""
    load = dict.fromkeys(user_ids, 0)
    if not user_ids:
        return load
    for uid, n in db.session.execute(select(CourtCase.mediator_id, func.count()).where(
            CourtCase.mediator_id.in_(user_ids), CourtCase.state.in_(("assigned", "mediating")))
            .group_by(CourtCase.mediator_id)):
        load[uid] += n
    for uid, n in db.session.execute(select(Dispute.mediator_id, func.count()).where(
            Dispute.mediator_id.in_(user_ids), Dispute.state == "mediating").group_by(Dispute.mediator_id)):
        load[uid] += n
    return load


def mediators() -> list[User]:
    """Active users who may mediate court cases (the roster's people)."""
    users = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.username)).all()
    return [u for u in users if u.can("mediation.court.mediate") and not u.is_admin]


def suggestions(case: CourtCase) -> list[dict]:
    """Mediators for *case*, best first: no conflict, available, the case's category among their
    specialties, then the lowest load relative to their capacity. Each with why (and any conflict)."""
    from ..services import recusal_conflict
    people = mediators()
    profiles = {p.user_id: p for p in db.session.scalars(select(MediatorProfile).where(
        MediatorProfile.user_id.in_([u.id for u in people])))} if people else {}
    load = caseload([u.id for u in people])
    rows = []
    for u in people:
        p = profiles.get(u.id)
        specialties = list(p.specialties or []) if p else []
        match = case.category in specialties
        capacity = p.max_load if p else 10
        available = (p.available if p else True) and load[u.id] < capacity
        conflict = recusal_conflict(case, u)
        rows.append({"user": u, "id": u.id, "name": u.display_name or u.username, "profile": p, "match": match,
                     "load": load[u.id], "capacity": capacity, "available": available, "conflict": conflict,
                     "specialties": [str(CATEGORIES.get(s, s)) for s in specialties]})
    rows.sort(key=lambda r: (r["conflict"] is not None, not r["available"], not r["match"],
                             r["load"] / max(r["capacity"], 1), r["name"]))
    for i, r in enumerate(rows, start=1):
        r["rank"] = i
        r["why"] = _why(case, r)
    return rows


def _why(case: CourtCase, r: dict) -> str:
    parts = [_("specialty %(cat)s", cat=case.category_label) if r["match"]
             else _("no specialty in %(cat)s", cat=case.category_label),
             _("load %(n)s of %(cap)s", n=r["load"], cap=r["capacity"])]
    if not r["available"]:
        parts.append(_("not available"))
    parts.append(_("suggestion %(rank)s", rank=r["rank"]))
    return "; ".join(parts)


def assign(case: CourtCase, user, mediator: User | None, note: str = "") -> CourtCase:
    """Assign *mediator* (or the first suggestion); a conflicted mediator is refused; the reason is kept."""
    wf.check(case, "assign")
    rows = suggestions(case)
    if mediator is None:
        mediator = rows[0]["user"] if rows and rows[0]["conflict"] is None else None
        if mediator is None:
            raise CourtError({"mediator_id": _("No mediator without a conflict is on the roster.")})
    row = next((r for r in rows if r["id"] == mediator.id), None)
    if row is None:
        raise CourtError({"mediator_id": _("This user may not mediate court cases.")})
    if row["conflict"]:
        log_event("mediation.court_recusal", RECORD_TYPE, case.id,
                  text=f"{row['name']}: {row['conflict']}"[:500], user=user)
        raise CourtError({"mediator_id": _("%(name)s must withdraw: %(reason)s", name=row["name"],
                                           reason=row["conflict"])})
    reason = row["why"]
    note = _txt(note, 2000)
    if note:
        reason = f"{reason}. {note}"
    case.mediator = mediator
    case.assignment_reason = reason[:4000]
    if row["profile"] is not None and row["profile"].committee_id:
        case.committee_id = row["profile"].committee_id
    wf.WORKFLOW.move(case, "assign", note=f"{row['name']}: {reason}")
    db.session.flush()
    log_note(RECORD_TYPE, case.id, _("Assigned to %(name)s: %(reason)s", name=row["name"], reason=reason), user=user)
    return case


# -- the clock -------------------------------------------------------------------------------------
def _day(value, field: str, *, not_before: date | None = None) -> date:
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(_txt(value, 20)) if value else clock.today()
        except ValueError:
            raise CourtError({field: _("Not a valid date (YYYY-MM-DD).")}) from None
    if value > clock.today():
        raise CourtError({field: _("Cannot lie in the future.")})
    if not_before and value < not_before:
        raise CourtError({field: _("Cannot lie before %(day)s.", day=not_before.isoformat())})
    return value


def clock_rule(case: CourtCase) -> str:
    return rule_for(case.kind, case.procedure)


def receipt(case: CourtCase, user, on=None) -> CourtCase:
    """The mediator signs for the court's file: the mediation period starts that day."""
    wf.check(case, "receipt")
    on = _day(on, "receipt_on", not_before=case.received_at.date())
    case.receipt_on = on
    wf.WORKFLOW.move(case, "receipt", note=on.isoformat())
    db.session.flush()
    clocks.start_deadline(case, clock_rule(case), on)
    log_note(RECORD_TYPE, case.id, _("File signed for on %(day)s; the mediation period runs.", day=on.isoformat()),
             user=user)
    return case


def extend(case: CourtCase, user, agreed_on=None, note: str = "") -> CourtCase:
    """Both parties agree to go on: the period is extended once, by the rule's extension (30 days)."""
    wf.check(case, "extend")
    if case.extended_on is not None:
        raise CourtError({"": _("The period was already extended once (on %(day)s).",
                                day=case.extended_on.isoformat())})
    agreed_on = _day(agreed_on, "agreed_on", not_before=case.receipt_on)
    note = _txt(note, 2000)
    clocks.extend(case, clock_rule(case))
    case.extended_on = agreed_on
    wf.WORKFLOW.move(case, "extend", note=agreed_on.isoformat())
    log_note(RECORD_TYPE, case.id, _("Both parties agreed on %(day)s to extend the period. %(note)s",
                                     day=agreed_on.isoformat(), note=note).strip(), user=user)
    return case


def _end(case: CourtCase, on: date) -> None:
    clocks.stop_if_running(case, clock_rule(case), datetime.combine(on, datetime.min.time()))
    case.ended_on = on
    case.mediation_days = (on - case.receipt_on).days if case.receipt_on else None


def succeed(case: CourtCase, user, terms: str, signed_on=None) -> CourtCase:
    """An agreement: the mediation clock stops; the 30 days to apply for 司法确认 run from signing."""
    wf.check(case, "succeed")
    terms = _txt(terms, 10_000)
    if not terms:
        raise CourtError({"terms": _("Write down the terms agreed.")})
    signed_on = _day(signed_on, "signed_on", not_before=case.receipt_on)
    _end(case, signed_on)
    case.agreement_terms = terms
    case.agreement_signed_on = signed_on
    case.outcome = _("Agreement reached")
    wf.WORKFLOW.move(case, "succeed", note=terms[:500])
    db.session.flush()
    clocks.start_deadline(case, CONFIRMATION, signed_on)
    log_note(RECORD_TYPE, case.id, _("Agreement signed on %(day)s: %(terms)s", day=signed_on.isoformat(),
                                     terms=terms[:2000]), user=user)
    return case


def fail(case: CourtCase, user, reason: str, on=None) -> CourtCase:
    """Mediation ends without agreement; the hand-back record (调解终结) is prepared for the judge."""
    wf.check(case, "fail")
    reason = _txt(reason, 10_000)
    if not reason:
        raise CourtError({"reason": _("Give the reason.")})
    on = _day(on, "ended_on", not_before=case.receipt_on)
    _end(case, on)
    case.outcome = reason
    wf.WORKFLOW.move(case, "fail", note=reason[:500])
    if case.handback is None:
        db.session.add(Handback(case_id=case.id, updated_at=clock.now().replace(microsecond=0)))
    db.session.flush()
    db.session.expire(case, ["handback"])
    log_note(RECORD_TYPE, case.id, _("Mediation failed: %(text)s", text=reason[:2000]), user=user)
    return case


# -- hand-back (调解终结) ----------------------------------------------------------------------------
def save_handback(case: CourtCase, user, data: dict) -> Handback:
    """What mediation established, for the judge: confirmed service addresses, undisputed facts signed by
    the parties, the points in dispute, the evidence exchanged."""
    if case.state not in ("mediating", "failed"):
        raise CourtError({"": _("The hand-back record is written while mediating or after failure; the case is %(state)s.",
                                state=case.state_label)})
    errors = {}
    h = case.handback or Handback(case_id=case.id)
    for key, limit in (("undisputed_facts", 10_000), ("disputed_points", 10_000), ("evidence", 10_000)):
        if key in data:
            value = _txt(data.get(key), limit)
            if len(value) > limit:
                errors[key] = _("Must have at most %(n)s characters.", n=limit)
            setattr(h, key, value)
    if "facts_signed_on" in data:
        raw = data.get("facts_signed_on")
        try:
            h.facts_signed_on = _day(raw, "facts_signed_on") if raw else None
        except CourtError as exc:
            errors.update(exc.errors)
    addresses = data.get("addresses") or {}
    for p in case.parties:
        entry = addresses.get(p.id) or addresses.get(str(p.id))
        if entry is None:
            continue
        address, confirmed = (entry.get("address"), entry.get("confirmed")) if isinstance(entry, dict) else entry
        address = _txt(address, 300)
        if len(address) > 300:
            errors[f"address_{p.id}"] = _("Must have at most %(n)s characters.", n=300)
        p.service_address = address[:300]
        p.address_confirmed = bool(confirmed) and bool(address)
    if h.facts_signed_on and not h.undisputed_facts:
        errors["undisputed_facts"] = _("Write down the undisputed facts the parties signed.")
    if errors:
        raise CourtError(errors)
    h.updated_at = clock.now().replace(microsecond=0)
    if h.id is None:
        db.session.add(h)
    db.session.flush()
    db.session.expire(case, ["handback"])
    return h


def handback_missing(case: CourtCase) -> list[str]:
    """What the hand-back record still lacks (empty: complete)."""
    h = case.handback
    missing = []
    unconfirmed = [p.person.name for p in case.parties if not (p.address_confirmed and p.service_address)]
    if unconfirmed:
        missing.append(_("confirmed service address of %(names)s", names="、".join(unconfirmed)))
    if h is None or not h.undisputed_facts:
        missing.append(_("the undisputed facts"))
    if h is None or not h.facts_signed_on:
        missing.append(_("the parties' signatures under the undisputed facts"))
    if h is None or not h.disputed_points:
        missing.append(_("the points in dispute"))
    return missing


def hand_back(case: CourtCase, user) -> CourtCase:
    wf.check(case, "handback")
    missing = handback_missing(case)
    if missing:
        raise CourtError({"": _("The hand-back record lacks: %(what)s.", what="; ".join(missing))})
    case.handed_back_on = clock.today()
    wf.WORKFLOW.move(case, "handback")
    log_note(RECORD_TYPE, case.id, _("Hand-back pack returned to %(court)s.", court=case.court), user=user)
    return case


def record_ruling(case: CourtCase, user, ruling: str, ruling_no: str = "", ruling_on=None) -> CourtCase:
    """The court's ruling on the joint 司法确认 application (民事诉讼法 第二百零六条)."""
    from .models import RULINGS
    wf.check(case, "ruling")
    if ruling not in RULINGS:
        raise CourtError({"ruling": _("Choose one of the listed values.")})
    ruling_on = _day(ruling_on, "ruling_on", not_before=case.agreement_signed_on)
    case.ruling, case.ruling_no, case.ruling_on = ruling, _txt(ruling_no, 60)[:60], ruling_on
    wf.WORKFLOW.move(case, "ruling", note=f"{case.ruling_label} {case.ruling_no}".strip())
    clocks.stop_if_running(case, CONFIRMATION, datetime.combine(ruling_on, datetime.min.time()))
    log_note(RECORD_TYPE, case.id, _("Court ruling on judicial confirmation: %(r)s %(no)s",
                                     r=case.ruling_label, no=case.ruling_no), user=user)
    return case
