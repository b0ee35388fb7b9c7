"""Intake: register a petition (reference, query code, clocks), find probable duplicates, re-check
finality. Callers commit."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from core.toolkit import start_deadline
from core.toolkit import db
from core.toolkit import PartyError, find_or_create_person
from core.toolkit import next_reference
from core.toolkit import clock
from .models import CHANNELS, PetitionCase
from .workflow import MAX_REPRESENTATIVES, QUERY_ALPHABET, PetitionError, _log, _step, _text


def _grams(text: str | None) -> set[str]:
    s = "".join(ch for ch in (text or "") if not ch.isspace())
    return {s[i:i + 2] for i in range(len(s) - 1)} or {s}


def _dice(ga: set[str], gb: set[str]) -> float:
    return 2 * len(ga & gb) / max(1, len(ga) + len(gb))


def _similar(a: str, b: str) -> float:
    """Dice overlap of character pairs (Chinese text has no word breaks): 0 … 1."""
    return _dice(_grams(a), _grams(b))


def new_query_code() -> str:
    while True:
        code = "".join(secrets.choice(QUERY_ALPHABET) for _i in range(10))
        if db.session.scalar(select(PetitionCase.id).where(PetitionCase.query_code == code)) is None:
            return code


# -- register ----------------------------------------------------------------------------------------
def final_matter(person_id: int, request: str) -> PetitionCase | None:
    """A re-checked case of this person about the same matter: it may not be registered again."""
    rows = db.session.scalars(select(PetitionCase).where(
        PetitionCase.petitioner_id == person_id, PetitionCase.rechecked_at.is_not(None)))
    return next((c for c in rows if _similar(c.request, request) >= 0.6), None)


def register(*, channel: str, received_at: datetime, request: str, facts: str = "", petitioner: dict,
             region_id: int, officer_id: int | None = None, group_size: int = 1,
             representatives: list[dict] = (), repeat_of: PetitionCase | None = None,
             skip_level_reason: str | None = None, urgent_reason: str | None = None,
             reception_id: int | None = None) -> PetitionCase:
    """Register a new item: reference, query code, the 15-day forwarding and notice clocks."""
    errors: dict[str, str] = {}
    if channel not in CHANNELS:
        errors["channel"] = _("Choose a channel from the list.")
    if not isinstance(received_at, datetime):
        errors["received_at"] = _("Enter a date and time.")
    elif received_at > clock.now().replace(hour=23, minute=59):
        errors["received_at"] = _("The date of receipt cannot be in the future.")
    request = _text(request, "request", 4000, errors)
    facts = _text(facts, "facts", 8000, errors, required=False)
    if not isinstance(group_size, int) or not 1 <= group_size <= 10000:
        errors["group_size"] = _("Enter a number of people between 1 and 10000.")
    if len(representatives) > MAX_REPRESENTATIVES:
        errors["representatives"] = _("A group elects at most 5 representatives.")
    if errors:
        raise PetitionError(errors)
    # every person this intake may create, locked at once in one order: two intakes naming the same ID
    # numbers (petitioner here, representative there) wait for each other instead of deadlocking
    from core.toolkit import person_lock_key, serialise
    serialise(*(person_lock_key(p.get("id_number")) for p in [petitioner or {}, *representatives]
                if isinstance(p, dict)))
    try:
        known = (petitioner or {}).get("person")     # a person already found (e.g. by a one-stop centre)
        person, _created = (known, False) if known is not None else find_or_create_person(
            (petitioner or {}).get("name"), petitioner.get("id_number"), petitioner.get("phone"), region_id=region_id)
        reps = [find_or_create_person(r.get("name"), r.get("id_number"), r.get("phone"), region_id=region_id)[0]
                for r in representatives if (r.get("name") or "").strip()]
    except PartyError as exc:
        raise PetitionError({f"petitioner.{k}": v for k, v in exc.errors.items()}) from None
    earlier = final_matter(person.id, request)
    if earlier is not None:
        raise PetitionError({"request": _(
            "This matter was re-checked in case %(ref)s; after re-check the same matter is not accepted again "
            "(信访工作条例 第三十六条).", ref=earlier.reference)})
    case = PetitionCase(reference=next_reference("petition.case", received_at.date()), query_code=new_query_code(),
                        channel=channel, received_at=received_at, request=request, facts=facts,
                        petitioner=person, region_id=region_id, officer_id=officer_id, group_size=group_size,
                        state="registered")
    case.representatives = reps
    if repeat_of is not None:
        case.repeat, case.repeat_of_id = True, repeat_of.id
        case.repeat_reason = _("Same matter as %(ref)s", ref=repeat_of.reference)[:200]
    from .flags import raise_urgent, skip_level_reason as detect_skip_level, urgent_reasons
    skip_level_reason = (skip_level_reason or "").strip() or detect_skip_level(case, repeat_of)
    if skip_level_reason:
        case.skip_level, case.skip_level_reason = True, skip_level_reason[:200]
    case.reception_id = reception_id
    _step(case, "received", received_at)
    db.session.add(case)
    db.session.flush()
    _step(case, "registered")
    start_deadline(case, "petition.register_forward", received_at.date())
    start_deadline(case, "petition.accept_notice", received_at.date())
    _log(case, "register", _("Registered as %(ref)s", ref=case.reference))
    reasons = urgent_reasons(case, urgent_reason)
    if reasons:
        raise_urgent(case, reasons)
    return case


def duplicate_candidates(*, name: str | None, id_number: str | None = None, phone: str | None = None,
                         request: str = "", region_id: int | None = None, limit: int = 10) -> list[dict]:
    """Open or recent cases that may be the same matter, each with the reasons it matched."""
    from core.toolkit import find_duplicates
    found: dict[int, dict] = {}

    def add(case, code, reason):
        entry = found.setdefault(case.id, {"case": case, "reasons": [], "codes": []})
        if code not in entry["codes"]:
            entry["codes"].append(code)
            entry["reasons"].append(str(reason))

    recent = clock.now().replace(year=clock.now().year - 1)
    for cand in find_duplicates(name=name, id_number=id_number, phone=phone):
        for case in db.session.scalars(select(PetitionCase).where(
                PetitionCase.petitioner_id == cand.person.id).order_by(PetitionCase.id.desc()).limit(limit)):
            if case.closed_at is None or case.received_at >= recent:
                for code, label in zip(cand.reasons, cand.reason_labels):
                    add(case, code, label)
                if request and _similar(case.request, request) >= 0.5:
                    add(case, "similar_request", _("similar request"))
    if request and region_id is not None and len(request.strip()) >= 4:
        stmt = (select(PetitionCase.id, PetitionCase.request).where(PetitionCase.region_id == region_id,
                                                                    PetitionCase.received_at >= recent)
                .order_by(PetitionCase.received_at.desc()).limit(300))
        grams = _grams(request)
        scored = sorted(((_dice(grams, _grams(text)), case_id) for case_id, text in db.session.execute(stmt)),
                        reverse=True)
        best = [case_id for score, case_id in scored[:5] if score >= 0.6]
        if best:
            cases = {c.id: c for c in db.session.scalars(select(PetitionCase).where(PetitionCase.id.in_(best)))}
            for case_id in best:
                add(cases[case_id], "similar_in_region", _("similar request in the same region"))
    return list(found.values())[:limit]


def intake_lock_keys(*, name: str | None, id_number: str | None = None, phone: str | None = None,
                     region_id: int | None = None) -> list[str]:
    """What an intake locks (``core.concurrency.locks.serialise``) before its duplicate check, so that the
    check and the registration are one step: the region (similar requests are looked for there) and the
    petitioner (by ID number, else name and phone)."""
    from core.toolkit import person_lock_key
    return [k for k in (f"petition.intake.region:{region_id}", person_lock_key(id_number, name, phone)) if k]


def mark_repeat(case: PetitionCase, earlier: PetitionCase) -> None:
    if earlier.id == case.id:
        raise PetitionError({"repeat_of": _("A case cannot repeat itself.")})
    case.repeat, case.repeat_of_id = True, earlier.id
    case.repeat_reason = _("Same matter as %(ref)s", ref=earlier.reference)[:200]


