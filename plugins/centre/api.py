"""``/api/v1/centre-cases`` and ``/api/v1/supervisions`` (contract §9, conventions of §5)."""
from __future__ import annotations

from typing import Literal

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from pydantic import BaseModel, Field
from sqlalchemy import select

from core.toolkit import (ApiBlueprint, ApiBody, ApiError, Collection, Id, LocalDateTime, OptionalText, PageQuery,
    Text, VersionedPatch, run_service)
from core.toolkit import reveal
from core.toolkit import deadlines_for
from core.toolkit import db
from core.toolkit import pdf_response, render_pdf
from . import services, supervision
from .access import case_for, is_grid_worker
from .models import CASE_STATES, CHANNELS, KINDS, LIGHTS, RATINGS, ROUTES, Case, Matter, Supervision, Unit

api = ApiBlueprint("centre_api", __name__, tag="centre-cases")

Channel = Literal[tuple(CHANNELS)]
Kind = Literal[tuple(KINDS)]
Route = Literal[tuple(ROUTES)]
State = Literal[tuple(CASE_STATES)]
Light = Literal[tuple(LIGHTS)]
Rating = Literal[tuple(RATINGS)]


class PersonOut(BaseModel):
    id: int
    name: str
    id_number: str | None = Field(description="masked unless the caller may read it in full")
    phone: str | None = Field(description="masked unless the caller may read it in full")


class PartOut(BaseModel):
    id: int
    unit_id: int
    unit: str
    lead: bool
    state: Literal["open", "answered"]
    due: str | None
    answer: str
    light: Light


class MatterOut(BaseModel):
    id: int
    kind: Kind
    summary: str
    category: str | None
    route: Route | None
    state: Literal["new", "routed", "answered", "resolved"]
    record_type: str | None
    record_id: int | None
    record_reference: str
    answer: str
    parts: list[PartOut]


class DeadlineOut(BaseModel):
    rule: str
    due: str
    status: str
    basis: str | None


class CaseOut(BaseModel):
    id: int
    code: str = Field(description="the case code printed on the slip (一案一码)")
    channel: Channel
    received_at: str
    region_id: int
    person: PersonOut
    state: State
    supervision_light: Light
    repeat: bool
    told_at: str | None
    visited_at: str | None
    rating: Rating | None
    matters: list[MatterOut]
    deadlines: list[DeadlineOut]
    version: int


def _iso(value) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def serialize_case(c: Case) -> CaseOut:
    p = c.person
    limit = supervision.yellow_limit()
    matters = [MatterOut(id=m.id, kind=m.kind, summary=m.summary, category=m.category, route=m.route, state=m.state,
                         record_type=m.record_type, record_id=m.record_id, record_reference=m.record_reference,
                         answer=m.answer,
                         parts=[PartOut(id=pt.id, unit_id=pt.unit_id, unit=pt.unit.name, lead=pt.lead, state=pt.state,
                                        due=pt.due_on.isoformat() if pt.due_on else None, answer=pt.answer,
                                        light=supervision.light_for(pt.due_on, limit=limit) if pt.state == "open"
                                        else "none") for pt in m.parts])
               for m in c.matters]
    return CaseOut(id=c.id, code=c.code, channel=c.channel, received_at=_iso(c.received_at), region_id=c.region_id,
                   person=PersonOut(id=p.id, name=p.name,
                                    id_number=reveal(current_user, "core_person", p.id, "id_number", p.id_number),
                                    phone=reveal(current_user, "core_person", p.id, "phone", p.phone)),
                   state=c.state, supervision_light=supervision.case_light(c), repeat=c.repeat,
                   told_at=_iso(c.told_at), visited_at=_iso(c.visited_at), rating=c.rating, matters=matters,
                   deadlines=[DeadlineOut(rule=d["rule"], due=d["due"], status=d["status"], basis=d["basis"])
                              for d in deadlines_for(c)], version=c.version)


cases = Collection(api, "centre-cases", model=Case, out=CaseOut, read="centre.case.read", region_column="region_id",
                   serialize=serialize_case, item_summary=_l("One centre case"))


def _load_case(id) -> Case:
    if is_grid_worker(current_user):
        raise ApiError(404)
    from core.toolkit import get_or_404_in_scope
    return get_or_404_in_scope(Case, id, "region_id")


cases.load = _load_case


@api.operation("GET", "/centre-cases/<int:id>/slip.pdf", summary=_l("The case slip with the code and a QR code"),
               permission="centre.case.read", produces="application/pdf", tags=("centre-cases",))
def slip_pdf(id: int):
    from .views import slip_data
    case = cases.load(id)
    return pdf_response(render_pdf("centre.slip", **slip_data(case)), f"{case.code}.pdf")


class PersonIn(ApiBody):
    name: Text(100)
    id_number: OptionalText(18) = None
    phone: OptionalText(30) = None


class OtherPartyIn(ApiBody):
    name: Text(100)
    phone: OptionalText(30) = None


class MatterIn(ApiBody):
    kind: Kind
    summary: Text(500)
    category: OptionalText(40) = None
    amount: float | None = Field(None, ge=0, le=1e11)
    parties: int | None = Field(None, ge=1, le=10000)
    route: Route | None = None
    unit_id: Id | None = None
    co_unit_ids: list[Id] = Field(default_factory=list, max_length=10)
    other_parties: list[OtherPartyIn] = Field(default_factory=list, max_length=20,
                                              description="the other side of a dispute (passed to mediation)")
    lead: bool | None = True
    answer: OptionalText(4000) = None


class CaseIn(ApiBody):
    channel: Channel
    received_at: LocalDateTime
    person: PersonIn
    matters: list[MatterIn] = Field(min_length=1, max_length=services.MAX_MATTERS)


class CasePatch(VersionedPatch):
    channel: Channel | None = None
    received_at: LocalDateTime | None = None


@cases.update(body=CasePatch, permission="centre.case.register", summary=_l("Correct how and when it came in"))
def update_case(record: Case, body: CasePatch):
    run_service(services.correct_intake, record, body.changes())


class CaseQuery(PageQuery):
    state: State | None = None
    channel: Channel | None = None
    code: OptionalText(30) = None


@cases.list(query=CaseQuery, summary=_l("Centre cases in your scope (paged)"))
def list_cases(query: CaseQuery):
    stmt = select(Case).order_by(Case.id.desc())
    if is_grid_worker(current_user):
        stmt = stmt.where(Case.id.is_(None))
    for name in ("state", "channel"):
        if getattr(query, name):
            stmt = stmt.where(getattr(Case, name) == getattr(query, name))
    if query.code:
        stmt = stmt.where(Case.code == query.code.strip().upper())
    return stmt


@cases.create(body=CaseIn, permission="centre.case.register",
              summary=_l("Register a visitor once (a known person is matched); matters with a route are routed"))
def create_case(body: CaseIn):
    matters = [m.model_dump() for m in body.matters]
    return run_service(services.register, channel=body.channel, received_at=body.received_at,
                       person=body.person.model_dump(), matters=matters, region_id=current_user.region_id,
                       clerk=current_user)


class VersionIn(ApiBody):
    version: int | None = None


class RouteIn(VersionIn):
    matter_id: Id
    route: Route
    unit_id: Id | None = None
    co_unit_ids: list[Id] = Field(default_factory=list, max_length=10)


class AnswerIn(VersionIn):
    part_id: Id
    answer: Text(4000)


class NoteIn(VersionIn):
    note: Text(4000)


class VisitIn(NoteIn):
    rating: Rating | None = None


class RateIn(VersionIn):
    rating: Rating


class SuperviseIn(VersionIn):
    unit_id: Id
    reason: Text(2000)


def _matter(case: Case, matter_id: int) -> Matter:
    m = next((m for m in case.matters if m.id == matter_id), None)
    if m is None:
        from core.toolkit import invalid
        raise invalid({"matter_id": str(_l("No such matter on this case."))})
    return m


M = "centre.case.manage"


@cases.action("route", body=RouteIn, permission=M, summary=_l("Route one matter (lead unit and co-handlers)"))
def _route(record, body):
    run_service(services.route_matter, _matter(record, body.matter_id), body.route, body.unit_id, body.co_unit_ids,
                user=current_user)


@cases.action("answer", body=AnswerIn, permission=M, summary=_l("Record a unit's answer on its part"))
def _answer(record, body):
    part = next((p for m in record.matters for p in m.parts if p.id == body.part_id), None)
    if part is None:
        from core.toolkit import invalid
        raise invalid({"part_id": str(_l("No such part on this case."))})
    run_service(services.answer_part, part, body.answer, current_user)


@cases.action("tell", body=NoteIn, permission=M, summary=_l("The person was told the result (结果反馈)"))
def _tell(record, body):
    run_service(services.tell, record, body.note, current_user)


@cases.action("visit", body=VisitIn, permission=M, summary=_l("Follow-up visit (回访), with the rating if given"))
def _visit(record, body):
    run_service(services.visit, record, body.note, body.rating, current_user)


@cases.action("rate", body=RateIn, permission=M, summary=_l("The person's rating; not satisfied reopens the case"))
def _rate(record, body):
    run_service(services.rate, record, body.rating, current_user)


@cases.action("supervise", body=SuperviseIn, permission="centre.supervise",
              summary=_l("Issue a supervision order (督办单) to a unit"))
def _supervise(record, body):
    unit = db.session.get(Unit, body.unit_id)
    run_service(supervision.issue, record, unit, body.reason, user=current_user)


# -- supervisions -------------------------------------------------------------------------------------------
class SupervisionOut(BaseModel):
    id: int
    number: str
    case_id: int
    case_code: str
    unit_id: int
    unit: str
    reason: str
    issued_at: str
    due: str | None
    state: Literal["open", "answered"]
    light: Light
    answer: str
    escalated: bool
    version: int


def serialize_sup(s: Supervision) -> SupervisionOut:
    return SupervisionOut(id=s.id, number=s.number, case_id=s.case_id, case_code=s.case.code, unit_id=s.unit_id,
                          unit=s.unit.name, reason=s.reason, issued_at=_iso(s.issued_at),
                          due=s.due_on.isoformat() if s.due_on else None, state=s.state,
                          light=supervision.light_for(s.due_on) if s.state == "open" else "none", answer=s.answer,
                          escalated=s.escalated_at is not None, version=s.version)


sups = Collection(api, "supervisions", model=Supervision, out=SupervisionOut, read="centre.case.read",
                  region_column="region_id", serialize=serialize_sup, tag="supervisions",
                  item_summary=_l("One supervision order"))


class SupIn(ApiBody):
    case_id: Id
    unit_id: Id
    reason: Text(2000)


class SupPatch(VersionedPatch):
    reason: Text(2000) | None = None


@sups.update(body=SupPatch, permission="centre.supervise", summary=_l("Reword an open supervision order"))
def update_sup(record: Supervision, body: SupPatch):
    run_service(supervision.reword, record, body.changes().get("reason"))


class SupQuery(PageQuery):
    state: Literal["open", "answered"] | None = None
    unit_id: Id | None = None
    case_id: Id | None = None


@sups.list(query=SupQuery, summary=_l("Supervision orders in your scope (paged)"))
def list_sups(query: SupQuery):
    stmt = select(Supervision).order_by(Supervision.id.desc())
    for name in ("state", "unit_id", "case_id"):
        if getattr(query, name):
            stmt = stmt.where(getattr(Supervision, name) == getattr(query, name))
    return stmt


@sups.create(body=SupIn, permission="centre.supervise", summary=_l("Issue a supervision order (督办单)"))
def create_sup(body: SupIn):
    case = case_for(current_user, body.case_id)
    if case is None:
        from core.toolkit import invalid
        raise invalid({"case_id": str(_l("No centre case with this id in your scope."))})
    return run_service(supervision.issue, case, db.session.get(Unit, body.unit_id), body.reason, user=current_user)


class SupAnswerIn(VersionIn):
    answer: Text(4000)


@sups.action("answer", body=SupAnswerIn, permission=M, summary=_l("Record the unit's answer"))
def _sup_answer(record, body):
    run_service(supervision.answer, record, body.answer, current_user)


@sups.action("escalate", body=VersionIn, permission="centre.supervise",
             summary=_l("Escalate to the centre's leader"))
def _sup_escalate(record, body):
    supervision.escalate(record, current_user)
