"""``/court-cases`` (contract §10) and ``/mediators`` (the roster), region-scoped like every collection."""
from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from flask import Response
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from pydantic import BaseModel, Field
from sqlalchemy import select

from core.toolkit import (ApiBlueprint, ApiBody, ApiError, Collection, Id, LocalDate, LocalDateTime, OptionalText,
    PageQuery, Text, VersionedPatch, invalid, run_service)
from core.toolkit import reveal
from core.toolkit import User
from core.toolkit import deadlines_for
from core.toolkit import db
from core.toolkit import pdf_response, render_pdf
from . import services as cs
from .access import visible_cases
from .models import GRADES, KINDS, MEDIATOR_KINDS, PROCEDURES, ROLES, RULINGS, CourtCase, MediatorProfile
from . import workflow as wf
from .workflow import STATES
from ..models import CATEGORIES

api = ApiBlueprint("mediation_api_court", __name__, tag="court-cases")

Kind = Literal[tuple(KINDS)]
Procedure = Literal[tuple(PROCEDURES)]
Role = Literal[tuple(ROLES)]
State = Literal[tuple(STATES)]
Category = Literal[tuple(CATEGORIES)]


class PartyIn(BaseModel):
    name: Text(100)
    id_number: OptionalText(18) = None
    phone: OptionalText(30) = None
    role: Role | None = Field(default=None, description="default: the first party plaintiff, the others defendant")
    address: OptionalText(300) = Field(default=None, description="service address as the court gave it")


class CourtCaseIn(ApiBody):
    court: Text(100)
    court_case_no: Text(60)
    kind: Kind = Field(description="commissioned: after filing (委托调解); pre_suit: before filing (委派调解)")
    procedure: Procedure = "ordinary"
    received_at: LocalDateTime
    parties: list[PartyIn] = Field(min_length=1, max_length=cs.MAX_PARTIES)
    claim: Text(10_000)
    category: Category = "other"
    judge_name: OptionalText(60) = None
    judge_phone: OptionalText(30) = None
    file_note: OptionalText(500) = Field(default=None, description="what the court's file holds")
    region_id: Id | None = Field(default=None, description="default: the caller's region (or the district)")


class PartyOut(BaseModel):
    id: int
    person_id: int
    name: str
    role: str
    id_number: str | None
    phone: str | None
    service_address: str
    address_confirmed: bool


class DeadlineOut(BaseModel):
    rule: str
    due: str
    status: str
    basis: str


class HandbackOut(BaseModel):
    undisputed_facts: str
    facts_signed_on: date | None
    disputed_points: str
    evidence: str
    complete: bool
    missing: list[str]


class ReviewOut(BaseModel):
    grade: str
    total: int
    max_total: int
    reviewer_id: int | None
    reviewed_at: datetime


class CourtCaseOut(BaseModel):
    id: int
    reference: str
    batch_id: int | None
    region_id: int
    court: str
    court_case_no: str
    kind: str
    procedure: str
    category: str
    claim: str
    judge_name: str
    judge_phone: str
    received_at: datetime
    file_note: str
    state: str
    committee_id: int | None
    mediator_id: int | None
    assignment_reason: str
    receipt_on: date | None
    extended_on: date | None
    ended_on: date | None
    mediation_days: int | None
    outcome: str
    agreement_terms: str
    agreement_signed_on: date | None
    ruling: str | None
    ruling_no: str
    ruling_on: date | None
    handed_back_on: date | None
    parties: list[PartyOut]
    deadlines: list[DeadlineOut]
    handback: HandbackOut | None
    review: ReviewOut | None
    version: int

    @classmethod
    def of(cls, c: CourtCase) -> "CourtCaseOut":
        parties = [PartyOut(id=p.id, person_id=p.person_id, name=p.person.name, role=p.role,
                            id_number=reveal(current_user, "core_person", p.person_id, "id_number", p.person.id_number),
                            phone=reveal(current_user, "core_person", p.person_id, "phone", p.person.phone),
                            service_address=p.service_address, address_confirmed=p.address_confirmed)
                   for p in c.parties]
        h = c.handback
        missing = cs.handback_missing(c) if h is not None else []
        handback = HandbackOut(undisputed_facts=h.undisputed_facts, facts_signed_on=h.facts_signed_on,
                               disputed_points=h.disputed_points, evidence=h.evidence, complete=not missing,
                               missing=[str(m) for m in missing]) if h is not None else None
        r = c.review
        review = ReviewOut(grade=r.grade, total=r.total, max_total=r.max_total, reviewer_id=r.reviewer_id,
                           reviewed_at=r.reviewed_at) if r is not None else None
        fields = {k: getattr(c, k) for k in cls.model_fields if k not in ("parties", "deadlines", "handback", "review")}
        return cls(**fields, parties=parties, handback=handback, review=review,
                   deadlines=[DeadlineOut(rule=d["rule"], due=d["due"], status=d["status"], basis=d["basis"] or "")
                              for d in deadlines_for(c)])


class CaseQuery(PageQuery):
    state: State | None = None
    kind: Kind | None = None
    court: OptionalText(100) = None
    mediator_id: Id | None = None
    batch_id: Id | None = None


cases = Collection(api, "court-cases", model=CourtCase, out=CourtCaseOut, read="mediation.court.read",
                   region_column="region_id", serialize=CourtCaseOut.of, item_summary=_l("One court case"))


@cases.list(query=CaseQuery, summary=_l("Court-commissioned cases in your scope (paged)"))
def list_cases(query: CaseQuery):
    stmt = visible_cases(current_user)
    for name in ("state", "kind", "court", "mediator_id", "batch_id"):
        value = getattr(query, name)
        if value:
            stmt = stmt.where(getattr(CourtCase, name) == value)
    return stmt.order_by(CourtCase.received_at.desc(), CourtCase.id.desc())


@cases.create(body=CourtCaseIn, permission="mediation.court.register", summary=_l("Register a court case by hand"))
def create_case(body: CourtCaseIn):
    from core.toolkit import Region
    data = body.model_dump()
    region = None
    if body.region_id is not None:
        region = db.session.get(Region, body.region_id)
        if region is None:
            raise invalid({"region_id": str(_l("No such region in your scope."))})
    return run_service(cs.register_case, current_user, data, region)


class CasePatch(VersionedPatch):
    category: Category | None = None
    claim: Text(10_000) | None = None
    judge_name: OptionalText(60) = None
    judge_phone: OptionalText(30) = None
    file_note: OptionalText(500) = None


@cases.update(body=CasePatch, permission="mediation.court.register", summary=_l("Correct a court case's facts"))
def update_case(record: CourtCase, body: CasePatch):
    for key, value in body.changes().items():
        if value is not None:
            setattr(record, key, value)
        elif key in ("judge_name", "judge_phone", "file_note"):
            setattr(record, key, "")


class VersionIn(ApiBody):
    version: int | None = Field(default=None, ge=1, le=2**31 - 1, description="if given: stale → 409")


class AssignIn(VersionIn):
    mediator_id: Id | None = Field(default=None, description="default: the first suggestion without a conflict")
    note: OptionalText(2000) = Field(default=None, description="why this mediator, beyond specialty and load")


class DayIn(VersionIn):
    on: LocalDate | None = Field(default=None, description="default: today")


class ExtendIn(VersionIn):
    agreed_on: LocalDate | None = Field(default=None, description="the day both parties agreed (default: today)")
    note: OptionalText(2000) = None


class SucceedIn(VersionIn):
    terms: Text(10_000)
    signed_on: LocalDate | None = Field(default=None, description="default: today; the 司法确认 clock starts")


class FailIn(VersionIn):
    reason: Text(10_000)
    on: LocalDate | None = None


class AddressIn(BaseModel):
    party_id: Id = Field(description="the case party's id (parties[].id)")
    address: OptionalText(300) = None
    confirmed: bool = False


class HandbackIn(VersionIn):
    undisputed_facts: OptionalText(10_000) = None
    facts_signed_on: LocalDate | None = Field(default=None, description="the day every party signed the facts")
    disputed_points: OptionalText(10_000) = None
    evidence: OptionalText(10_000) = Field(default=None, description="the evidence exchanged, one item a line")
    addresses: list[AddressIn] = Field(default=[], max_length=cs.MAX_PARTIES)


class RulingIn(VersionIn):
    ruling: Literal[tuple(RULINGS)]
    ruling_no: OptionalText(60) = None
    ruling_on: LocalDate | None = None


class ReviewIn(VersionIn):
    grade: Literal[tuple(GRADES)]
    scores: dict[str, int] = Field(description="checklist code → points awarded")
    note: OptionalText(5000) = None


def _user(uid: int) -> User:
    u = db.session.get(User, uid)
    if u is None or not u.active:
        raise invalid({"mediator_id": str(_l("No such user."))})
    return u


# the lifecycle's steps, one API action each, generated from the workflow declaration (summary and permission)
wf.WORKFLOW.api_actions(cases, {
    "assign": (AssignIn, lambda r, b: cs.assign(r, current_user, _user(b.mediator_id) if b.mediator_id else None,
                                                b.note or "")),
    "receipt": (DayIn, lambda r, b: cs.receipt(r, current_user, b.on)),
    "extend": (ExtendIn, lambda r, b: cs.extend(r, current_user, b.agreed_on, b.note or "")),
    "succeed": (SucceedIn, lambda r, b: cs.succeed(r, current_user, b.terms, b.signed_on)),
    "fail": (FailIn, lambda r, b: cs.fail(r, current_user, b.reason, b.on)),
    "handback": (VersionIn, lambda r, b: cs.hand_back(r, current_user)),
    "ruling": (RulingIn, lambda r, b: cs.record_ruling(r, current_user, b.ruling, b.ruling_no or "", b.ruling_on)),
})


@cases.action("handback-record", body=HandbackIn, permission="mediation.court.mediate",
              summary=_l("Write the hand-back record (addresses, undisputed facts, points in dispute, evidence)"))
def handback_record(record: CourtCase, body: HandbackIn):
    data = {k: v for k, v in body.model_dump(exclude={"version", "addresses"}).items() if k in body.model_fields_set}
    data["addresses"] = {a.party_id: {"address": a.address or "", "confirmed": a.confirmed} for a in body.addresses}
    run_service(cs.save_handback, record, current_user, data)


@cases.action("review", body=ReviewIn, permission="mediation.review.score",
              summary=_l("Score the concluded file (卷宗评查)"))
def review(record: CourtCase, body: ReviewIn):
    from .review import score
    run_service(score, record, current_user, body.grade, body.scores, body.note or "")


def _document(id: int, kind: str):
    from .documents import confirmation_data, handback_data
    c = cases.load(id)
    data = run_service(handback_data if kind == "handback" else confirmation_data, c)
    pdf = render_pdf("mediation.court_handback" if kind == "handback" else "mediation.court_confirmation", **data)
    return pdf_response(pdf, f"{c.reference}-{kind}.pdf")


@api.operation("GET", "/court-cases/<int:id>/handback.pdf", summary=_l("The hand-back pack as PDF (after fail)"),
               permission="mediation.court.read", produces="application/pdf", tags=("court-cases",))
def handback_pdf(id: int):
    return _document(id, "handback")


@api.operation("GET", "/court-cases/<int:id>/confirmation.pdf",
               summary=_l("The joint judicial confirmation application as PDF (after succeed)"),
               permission="mediation.court.read", produces="application/pdf", tags=("court-cases",))
def confirmation_pdf(id: int):
    return _document(id, "confirmation")


@api.operation("GET", "/court-cases/<int:id>/handback.json",
               summary=_l("The hand-back record as an export file for the court's system"),
               permission="mediation.court.read", tags=("court-cases",))
def handback_json(id: int):
    import json
    from .documents import handback_export
    c = cases.load(id)
    data = run_service(handback_export, c)
    return Response(json.dumps(data, ensure_ascii=False, indent=1), mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename={c.reference}-handback.json"})


class SuggestionOut(BaseModel):
    mediator_id: int
    name: str
    rank: int
    specialty_match: bool
    load: int
    capacity: int
    available: bool
    conflict: str | None
    why: str


@api.operation("GET", "/court-cases/<int:id>/suggestions", summary=_l("Mediators suggested for the case, best first"),
               permission="mediation.court.read", response=list[SuggestionOut], tags=("court-cases",))
def suggestions(id: int):
    c = cases.load(id)
    return [SuggestionOut(mediator_id=r["id"], name=r["name"], rank=r["rank"], specialty_match=r["match"],
                          load=r["load"], capacity=r["capacity"], available=r["available"], conflict=r["conflict"],
                          why=r["why"]) for r in cs.suggestions(c)]


# -- the roster ------------------------------------------------------------------------------------
class MediatorOut(BaseModel):
    id: int
    user_id: int
    name: str
    kind: str
    specialties: list[str]
    languages: str
    committee_id: int | None
    qualifications: str
    training_hours: int
    available: bool
    max_load: int
    load: int
    version: int

    @classmethod
    def of(cls, p: MediatorProfile) -> "MediatorOut":
        load = cs.caseload([p.user_id])[p.user_id]
        return cls(id=p.id, user_id=p.user_id, name=p.user.display_name or p.user.username, kind=p.kind,
                   specialties=list(p.specialties or []), languages=p.languages, committee_id=p.committee_id,
                   qualifications=p.qualifications, training_hours=p.training_hours, available=p.available,
                   max_load=p.max_load, load=load, version=p.version)


def _profile_region_ok(record: MediatorProfile) -> bool:
    from core.toolkit import in_scope
    return record.user.region_id is None or in_scope(current_user, record.user.region_id)


class RosterCollection(Collection):
    def load(self, id: int):
        record = db.session.get(MediatorProfile, id) if 1 <= id <= 2**31 - 1 else None
        if record is None or not _profile_region_ok(record):
            raise ApiError(404)
        return record


roster = RosterCollection(api, "mediators", model=MediatorProfile, out=MediatorOut, read="mediation.court.read",
                          serialize=MediatorOut.of, tag="mediators", item_summary=_l("One mediator on the roster"))


class RosterQuery(PageQuery):
    specialty: Category | None = None
    kind: Literal[tuple(MEDIATOR_KINDS)] | None = None
    available: bool | None = None


@roster.list(query=RosterQuery, summary=_l("The mediator roster (paged)"))
def list_roster(query: RosterQuery):
    stmt = select(MediatorProfile).join(User, User.id == MediatorProfile.user_id)
    if query.kind:
        stmt = stmt.where(MediatorProfile.kind == query.kind)
    if query.available is not None:
        stmt = stmt.where(MediatorProfile.available.is_(query.available))
    if query.specialty:
        ids = [p.id for p in db.session.scalars(select(MediatorProfile))
               if query.specialty in (p.specialties or [])]
        stmt = stmt.where(MediatorProfile.id.in_(ids or [0]))
    return stmt.order_by(User.username)


class MediatorIn(ApiBody):
    user_id: Id
    kind: Literal[tuple(MEDIATOR_KINDS)] = "people"
    specialties: list[Category] = Field(default=[], max_length=15)
    languages: OptionalText(200) = None
    committee_id: Id | None = None
    qualifications: OptionalText(300) = None
    training_hours: int = Field(default=0, ge=0, le=100_000)
    available: bool = True
    max_load: int = Field(default=10, ge=1, le=1000)


class MediatorPatch(VersionedPatch):
    kind: Literal[tuple(MEDIATOR_KINDS)] | None = None
    specialties: list[Category] | None = Field(default=None, max_length=15)
    languages: OptionalText(200) = None
    committee_id: Id | None = None
    qualifications: OptionalText(300) = None
    training_hours: int | None = Field(default=None, ge=0, le=100_000)
    available: bool | None = None
    max_load: int | None = Field(default=None, ge=1, le=1000)


@roster.create(body=MediatorIn, permission="mediation.roster.manage", summary=_l("Put a mediator on the roster"))
def create_profile(body: MediatorIn):
    from .roster import save_profile
    return run_service(save_profile, current_user, None, body.model_dump())


@roster.update(body=MediatorPatch, permission="mediation.roster.manage", summary=_l("Change a mediator's entry"))
def update_profile(record: MediatorProfile, body: MediatorPatch):
    from .roster import save_profile
    run_service(save_profile, current_user, record, {k: v for k, v in body.changes().items()})
