"""Legal-aid applications (法律援助法 Arts 38–50): received → [supplementing] → granted | refused →
assigned → closed → archived; objection to a refusal or termination; early aid before the decision;
detainee applications forwarded within 24 hours. Callers commit; bad input raises ``AidError``."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select

from core.toolkit import log_event
from core.toolkit import find_deadline, pause, resume, start_deadline, stop_if_running
from core.toolkit import DeadlineInputError
from core.toolkit import db
from core.toolkit import ServiceError, Transition, Workflow, clean_text
from core.toolkit import PartyError, find_or_create_person
from core.toolkit import Organisation, Person
from core.toolkit import normalise_name
from core.toolkit import next_reference
from core.toolkit import clock
from ..models import (AID_STATES, DOCUMENTS, EXEMPT_GROUPS, HARDSHIP_EVIDENCE, MATTERS, NO_MEANS_TEST, TERMINATION_GROUNDS,
                      AidApplication, Provider)

RECORD = "legal_aid_application"
ANSWER_POINT = "centre.matter_answered"  # sender: None; kwargs centre_code, record_type, record_id, text, resolved
DECIDE, ASSIGN, OBJECTION = "legal_aid.decide", "legal_aid.assign", "legal_aid.objection_decide"
EARLY_AID_DAYS = 7
DETAINEE_HOURS = 24      # Art 39: an operational clock in hours, not a statutory day count

class AidError(ServiceError):
    """Bad input or a step not possible now: ``errors`` maps a field (or ``""``) to a message."""


# the legal-aid application's lifecycle as data (core/workflow.py); the services set dates and clocks
WORKFLOW = Workflow("legal_aid.aid", record_type=RECORD, states=AID_STATES, audit=False,
                    permission="legal_aid.aid.manage", error=AidError, transitions=[
    Transition("forward", _l("Forwarded (detainee application)"), ("received", "supplementing"), None),
    Transition("supplement", _l("Ask for missing materials"), ("received",), "supplementing", form="supplement"),
    Transition("supplied", _l("Materials supplied"), ("supplementing",), "received"),
    Transition("lapse", _l("Treat as withdrawn (not supplied)"), ("supplementing",), "withdrawn",
               clocks_stop=(DECIDE,)),
    Transition("early_aid", _l("Start early aid"), ("received", "supplementing"), None, form="early_aid"),
    Transition("grant", _l("Grant legal aid"), ("received",), "granted", primary=True,
               clocks_stop=(DECIDE,), clocks_start=(ASSIGN,)),
    Transition("refuse", _l("Refuse legal aid"), ("received",), "refused", form="refuse", clocks_stop=(DECIDE,)),
    Transition("assign", _l("Assign a lawyer"), ("granted",), "assigned", form="assign", clocks_stop=(ASSIGN,)),
    Transition("object", _l("Record an objection"), ("refused", "terminated"), "objection", form="object",
               clocks_start=(OBJECTION,)),
    Transition("decide_objection", _l("Decide the objection"), ("objection",), None, form="decide_objection",
               clocks_stop=(OBJECTION,)),
    Transition("terminate", _l("Terminate legal aid"), ("assigned",), "terminated", form="terminate"),
    Transition("close", _l("Close with the case report"), ("assigned",), "closed", form="close"),
    Transition("archive", _l("Archive"), ("closed", "terminated", "refused", "withdrawn"), "archived"),
])


def action_labels() -> dict[str, str]:
    return WORKFLOW.labels()


def allowed_actions(app: AidApplication) -> list[str]:
    out = WORKFLOW.allowed(app)
    if not app.detainee or app.forwarded_at:
        out = [a for a in out if a != "forward"]
    if app.early_aid or app.provider_id:
        out = [a for a in out if a != "early_aid"]
    if app.objection_at is not None:
        out = [a for a in out if a != "object"]
    if app.supplement_by is not None:   # one notice only
        out = [a for a in out if a != "supplement"]
    return out


def _now() -> datetime:
    return clock.now().replace(microsecond=0)


_check = WORKFLOW.check


def _log(app: AidApplication, action: str, text: str) -> None:
    log_event(f"legal_aid.aid.{action}", RECORD, app.id, text=str(text)[:2000])


_text = clean_text


def _stop(app: AidApplication, rule: str) -> None:
    row = find_deadline(app, rule)
    if row is not None and row.status == "paused":
        resume(app, rule, clock.today())      # the paused days count as paused up to today
    stop_if_running(app, rule)


def _tell_centre(app: AidApplication, text: str, resolved: bool = True) -> None:
    """An application a one-stop centre opened was decided or closed: the answer goes back to the centre on
    its answer point (nothing happens without a centre; the centre's side of it: ``centre_link.py``)."""
    from flask import current_app
    host = current_app.extensions.get("concord")
    point = host.points.get(ANSWER_POINT) if host is not None else None   # declared by the centre's points.py
    if app.centre_code and point is not None:
        point.send(None, centre_code=app.centre_code, record_type="legal_aid_application", record_id=app.id,
                   text=str(text)[:4000], resolved=resolved, at=clock.now())


def eligibility_for(matter_type: str, exempt_group: str | None) -> str:
    if matter_type in NO_MEANS_TEST:
        return "no_means_test"
    return "exempt" if exempt_group else "means_test"


# -- intake ------------------------------------------------------------------------------------------------
def create_application(*, applicant: dict | None = None, person_id: int | None = None, region_id: int,
                       matter_type: str, summary: str = "", opposing_party: str = "",
                       opposing_org_id: int | None = None, exempt_group: str | None = None,
                       hardship_evidence: str | None = None, documents_missing: list[str] | None = None,
                       detainee: bool = False, referral=None, limitation_due: date | None = None,
                       received_at: datetime | None = None, user=None,
                       centre_code: str | None = None) -> AidApplication:
    errors: dict[str, str] = {}
    if matter_type not in MATTERS:
        errors["matter_type"] = _("Choose a matter from the lists of Arts 31–32.")
    if exempt_group and exempt_group not in EXEMPT_GROUPS:
        errors["exempt_group"] = _("Choose a group from the list of Art 42.")
    if hardship_evidence and hardship_evidence not in HARDSHIP_EVIDENCE:
        errors["hardship_evidence"] = _("Choose how hardship was checked.")
    eligibility = eligibility_for(matter_type, exempt_group)
    missing = list(dict.fromkeys(documents_missing or []))
    # the hardship check may wait for its proof when that proof is listed missing (e.g. a one-stop centre's
    # window passes the request on before anyone checked hardship)
    if eligibility == "means_test" and not hardship_evidence and "hardship_evidence" not in errors \
            and "hardship" not in missing:
        errors["hardship_evidence"] = _("Check economic hardship (data sharing or a signed pledge), or give the "
                                        "exemption that applies.")
    if any(d not in DOCUMENTS for d in missing):
        errors["documents_missing"] = _("Choose documents from the list.")
    summary = _text(summary, "summary", 4000, errors)
    opposing_party = _text(opposing_party, "opposing_party", 200, errors, required=False)
    if opposing_org_id and db.session.get(Organisation, int(opposing_org_id)) is None:
        errors["opposing_org_id"] = _("No organisation with this id.")
    received_at = received_at or _now()
    if received_at > _now() + timedelta(minutes=5):
        errors["received_at"] = _("The date cannot be in the future.")
    person = None
    if person_id:
        person = db.session.get(Person, int(person_id))
        if person is None:
            errors["person_id"] = _("No person with this id.")
    elif applicant:
        if not errors:
            try:
                person, _created = find_or_create_person(applicant.get("name"), id_number=applicant.get("id_number"),
                                               phone=applicant.get("phone"), region_id=region_id)
            except PartyError as exc:
                errors.update({f"applicant.{k}": v for k, v in exc.errors.items()})
    else:
        errors["applicant"] = _("Give the applicant.")
    if errors:
        raise AidError(errors)
    app = AidApplication(reference=next_reference("legal_aid.application", received_at.date()),
                         applicant=person, region_id=region_id, received_at=received_at, matter_type=matter_type,
                         summary=summary, opposing_party=opposing_party,
                         opposing_org_id=int(opposing_org_id) if opposing_org_id else None,
                         eligibility=eligibility, exempt_group=exempt_group if eligibility == "exempt" else None,
                         hardship_evidence=hardship_evidence if eligibility == "means_test" else None,
                         documents_required=list(DOCUMENTS) if missing else [], documents_missing=missing,
                         detainee=bool(detainee), referral_id=getattr(referral, "id", None),
                         limitation_due=limitation_due, created_by_id=getattr(user, "id", None), state="received",
                         centre_code=centre_code)
    if detainee:
        app.forward_by = received_at + timedelta(hours=DETAINEE_HOURS)
    db.session.add(app)
    db.session.flush()
    start_deadline(app, DECIDE, received_at.date())
    _log(app, "create", _("Application received"))
    return app


def forwarded(app: AidApplication, at: datetime | None = None) -> None:
    _check(app, "forward")
    if not app.detainee:
        raise AidError({"detainee": _("Only applications of detained persons are forwarded.")})
    if app.forwarded_at:
        raise AidError({"": _("Already forwarded.")})
    app.forwarded_at = at or _now()
    _log(app, "forward", action_labels()["forward"])


# -- missing materials: one notice, the clock paused -------------------------------------------------------
def request_supplement(app: AidApplication, missing: list[str], by: date, today: date | None = None) -> None:
    target = _check(app, "supplement")
    today = today or clock.today()
    errors: dict = {}
    missing = list(dict.fromkeys(missing or []))
    if not missing:
        errors["documents_missing"] = _("List the missing materials (all of them, in one notice).")
    elif any(d not in DOCUMENTS for d in missing):
        errors["documents_missing"] = _("Choose documents from the list.")
    if not isinstance(by, date) or by <= today:
        errors["supplement_by"] = _("Set a date after today for the materials.")
    if app.supplement_by is not None:
        errors[""] = _("The missing materials are listed in one notice only (法律援助法 Art 43).")
    if errors:
        raise AidError(errors)
    app.documents_missing, app.supplement_by, app.state = missing, by, target
    pause(app, DECIDE, today)
    _log(app, "supplement", _("Missing: %(d)s; by %(by)s", d="、".join(str(DOCUMENTS[d]) for d in missing),
                                by=by.isoformat()))


def materials_supplied(app: AidApplication, today: date | None = None) -> None:
    """All missing materials came in: the clock runs again (the days of the pause are not counted)."""
    app.state = _check(app, "supplied")
    resume(app, DECIDE, today or clock.today())
    app.documents_missing = []
    _log(app, "supplied", action_labels()["supplied"])


def lapse(app: AidApplication, today: date | None = None) -> None:
    """Materials not supplied by the set date: the application counts as withdrawn."""
    today = today or clock.today()
    target = _check(app, "lapse")
    if app.supplement_by is None or today <= app.supplement_by:
        raise AidError({"supplement_by": _("The date set for the materials (%(d)s) has not passed.",
                                           d=app.supplement_by.isoformat() if app.supplement_by else "")})
    app.state = target
    row = find_deadline(app, DECIDE)
    if row is not None and row.status == "paused":
        resume(app, DECIDE, today)
    _stop(app, DECIDE)
    _log(app, "lapse", action_labels()["lapse"])
    _tell_centre(app, _("Materials not supplied by %(d)s: the application counts as withdrawn.",
                        d=app.supplement_by.isoformat()), resolved=False)


# -- recusal, early aid, decision and assignment ------------------------------------------------------------
def recusal_conflict(app: AidApplication, provider: Provider) -> str | None:
    """Why *provider* may not take this application: the same person, the same organisation as the opposing
    party, or a relation the provider declared."""
    pname = normalise_name(provider.name)
    applicant = normalise_name(app.applicant.name)
    opposing = normalise_name(app.opposing_party or "")
    if provider.person_id and provider.person_id == app.applicant_id:
        return _("the provider is the applicant")
    if opposing and pname == opposing:
        return _("the provider is the opposing party")
    if provider.organisation_id and provider.organisation_id == app.opposing_org_id:
        return _("the provider works for the opposing organisation")
    if provider.organisation and opposing and normalise_name(provider.organisation.name) == opposing:
        return _("the provider works for the opposing organisation")
    for line in (provider.relations or "").replace("，", "\n").replace(",", "\n").splitlines():
        name = normalise_name(line.split(":")[0].split("：")[0])
        if name and name in (applicant, opposing):
            return _("the provider declared a relation with %(name)s", name=line.strip())
    return None


def _provider(provider_id) -> Provider:
    provider = db.session.get(Provider, int(provider_id)) if provider_id else None
    if provider is None or not provider.active:
        raise AidError({"provider_id": _("Choose an active lawyer or legal worker.")})
    return provider


def _take(app: AidApplication, provider_id) -> Provider:
    provider = _provider(provider_id)
    conflict = recusal_conflict(app, provider)
    if conflict:
        raise AidError({"provider_id": _("%(name)s must withdraw: %(reason)s", name=provider.name, reason=conflict)})
    app.provider, app.assigned_at = provider, _now()
    db.session.flush()
    return provider


def start_early_aid(app: AidApplication, provider_id, limitation_due: date | None = None,
                    today: date | None = None) -> None:
    """Art 44: aid before the decision when a limitation expires in under 7 days."""
    _check(app, "early_aid")
    today = today or clock.today()
    due = limitation_due or app.limitation_due
    if due is None:
        raise AidError({"limitation_due": _("Give the date the limitation period expires.")})
    left = due.toordinal() - today.toordinal()
    if not 0 <= left < EARLY_AID_DAYS:
        raise AidError({"limitation_due": _("Early aid needs a limitation expiring within 7 days (%(n)d days left).",
                                            n=left)})
    provider = _take(app, provider_id)
    app.early_aid, app.limitation_due = True, due
    _log(app, "early_aid", _("Early aid by %(p)s: limitation expires %(d)s", p=provider.name, d=due.isoformat()))


def grant(app: AidApplication, at: datetime | None = None) -> None:
    target = _check(app, "grant")
    if app.documents_missing:
        raise AidError({"documents_missing": _("Materials are still missing.")})
    app.state, app.decided_at = target, at or _now()
    _stop(app, DECIDE)
    if app.provider is not None:          # early aid: the provider already works on it
        app.state = "assigned"
        _log(app, "grant", _("Aid granted; the early-aid provider continues"))
        _tell_centre(app, _("Legal aid granted (%(ref)s); %(p)s acts for the person.", ref=app.reference,
                            p=app.provider.name))
        return
    start_deadline(app, ASSIGN, app.decided_at.date())
    _log(app, "grant", action_labels()["grant"])
    _tell_centre(app, _("Legal aid granted (%(ref)s); a lawyer will be assigned.", ref=app.reference))


def refuse(app: AidApplication, reason: str, at: datetime | None = None) -> None:
    errors: dict = {}
    reason = _text(reason, "reason", 4000, errors)
    target = _check(app, "refuse")
    if errors:
        raise AidError(errors)
    app.state, app.decided_at, app.refusal_reason = target, at or _now(), reason
    app.provider = None
    _stop(app, DECIDE)
    _log(app, "refuse", _("Refused: %(r)s", r=reason))
    _tell_centre(app, _("Legal aid refused (%(ref)s): %(r)s", ref=app.reference, r=reason), resolved=False)


def assign(app: AidApplication, provider_id) -> None:
    target = _check(app, "assign")
    provider = _take(app, provider_id)
    app.state = target
    _stop(app, ASSIGN)
    _log(app, "assign", _("Assigned to %(p)s", p=provider.name))


# -- objection, termination, closure ------------------------------------------------------------------------
def object_to(app: AidApplication, text: str, at: datetime | None = None) -> None:
    errors: dict = {}
    text = _text(text, "text", 4000, errors)
    target = _check(app, "object")
    if app.objection_at is not None:
        errors[""] = _("An objection was already decided; next comes reconsideration or a lawsuit (Art 49).")
    if errors:
        raise AidError(errors)
    app.objection_against, app.state = app.state, target
    app.objection_at, app.objection_text = at or _now(), text
    start_deadline(app, OBJECTION, app.objection_at.date())
    _log(app, "object", text[:300])


def decide_objection(app: AidApplication, upheld: bool, text: str) -> None:
    errors: dict = {}
    text = _text(text, "text", 4000, errors)
    _check(app, "decide_objection")
    if errors:
        raise AidError(errors)
    app.objection_result = text
    _stop(app, OBJECTION)
    if upheld and app.objection_against == "refused":
        app.state, app.decided_at, app.refusal_reason = "granted", _now(), None
        start_deadline(app, ASSIGN, clock.today())
    elif upheld:
        app.state, app.termination_ground, app.termination_text = "assigned", None, None
    else:
        app.state = app.objection_against or "refused"
    _log(app, "decide_objection", (_("Objection upheld: %(t)s") if upheld else _("Objection rejected: %(t)s"))
         % {"t": text[:300]})
    _tell_centre(app, (_("Objection upheld: %(t)s") if upheld else _("Objection rejected: %(t)s")) % {"t": text},
                 resolved=app.state in ("granted", "assigned"))


def terminate(app: AidApplication, ground: str, text: str) -> None:
    errors: dict = {}
    if ground not in TERMINATION_GROUNDS:
        errors["ground"] = _("Choose a ground from the list of Art 48.")
    text = _text(text, "text", 4000, errors)
    target = _check(app, "terminate")
    if errors:
        raise AidError(errors)
    app.state, app.termination_ground, app.termination_text = target, ground, text
    _log(app, "terminate", f"{TERMINATION_GROUNDS[ground]}: {text[:300]}")
    _tell_centre(app, _("Legal aid terminated: %(g)s; %(t)s", g=TERMINATION_GROUNDS[ground], t=text),
                 resolved=False)


def close(app: AidApplication, report: str) -> None:
    """Art 50: the provider files the case report and copies of the documents (as attachments)."""
    errors: dict = {}
    report = _text(report, "report", 8000, errors)
    target = _check(app, "close")
    if errors:
        raise AidError(errors)
    app.state, app.case_report, app.closed_at = target, report, _now()
    _log(app, "close", report[:300])
    _tell_centre(app, _("Legal aid closed with the case report: %(t)s", t=report))


def archive(app: AidApplication) -> None:
    app.state, app.archived_at = _check(app, "archive"), _now()
    for rule in (DECIDE, ASSIGN, OBJECTION):
        try:
            _stop(app, rule)
        except DeadlineInputError:
            pass
    _log(app, "archive", action_labels()["archive"])


def lapsed_supplements(today: date | None = None) -> list[AidApplication]:
    today = today or clock.today()
    return list(db.session.scalars(select(AidApplication).where(
        AidApplication.state == "supplementing", AidApplication.supplement_by < today)))
