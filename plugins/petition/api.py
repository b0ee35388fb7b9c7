"""``/api/v1/petitions`` (contract §5): list, read, create, patch and the lifecycle actions."""
from __future__ import annotations

from typing import Literal

from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from core.toolkit import (ApiBlueprint, ApiBody, Collection, Id, LocalDateTime, OptionalText, PageQuery, Text,
    VersionedPatch, invalid, run_service)
from core.toolkit import reveal
from core.toolkit import deadlines_for
from core.toolkit import db
from core.toolkit import Organisation
from core.toolkit import in_scope
from . import services
from .models import PetitionCase

api = ApiBlueprint("petition_api", __name__, tag="petitions")

Channel = Literal["visit", "letter", "online", "phone", "hotline_12345", "grid", "transferred"]
State = services.WORKFLOW.state_literal()     # the stages, from the declared workflow


class PersonIn(BaseModel):
    name: Text(100)
    id_number: OptionalText(18) = None
    phone: OptionalText(30) = None


class PetitionIn(ApiBody):
    channel: Channel
    received_at: LocalDateTime
    request: Text(4000)
    facts: Text(8000)
    petitioner: PersonIn
    region_id: Id | None = None
    group_size: int = Field(default=1, ge=1, le=10000)
    representatives: list[PersonIn] = Field(default=[], max_length=5)
    urgent_reason: Text(200) | None = None
    skip_level_reason: Text(200) | None = None


class PetitionPatch(VersionedPatch):
    request: Text(4000) | None = None
    facts: Text(8000) | None = None
    group_size: int | None = Field(default=None, ge=1, le=10000)


class PetitionQuery(PageQuery):
    state: State | None = None
    channel: Channel | None = None
    category: Literal["suggestion", "accusation", "claim"] | None = None


class PersonOut(BaseModel):
    id: int
    name: str
    id_number: str | None
    phone: str | None


class DeadlineOut(BaseModel):
    rule: str
    due: str
    status: str
    basis: str | None


class PetitionOut(BaseModel):
    id: int
    reference: str
    query_code: str
    channel: str
    received_at: str
    request: str
    facts: str
    state: str
    category: str | None
    route: str | None
    region_id: int
    handling_unit_id: int | None
    group_size: int
    repeat: bool
    skip_level: bool
    backlog: bool
    urgent: bool
    skip_level_reason: str | None
    merged_into_id: int | None
    decision: str | None
    satisfaction: str | None
    centre_code: str | None = None
    petitioner: PersonOut
    deadlines: list[DeadlineOut]
    version: int


def _person(p, case_id) -> PersonOut:
    return PersonOut(id=p.id, name=p.name,
                     id_number=reveal(current_user, "core_person", p.id, "id_number", p.id_number),
                     phone=reveal(current_user, "core_person", p.id, "phone", p.phone))


def serialize(case: PetitionCase) -> PetitionOut:
    return PetitionOut(
        id=case.id, reference=case.reference, query_code=case.query_code, channel=case.channel,
        received_at=case.received_at.isoformat(timespec="seconds"), request=case.request, facts=case.facts,
        state=case.state, category=case.category, route=case.route, region_id=case.region_id,
        handling_unit_id=case.handling_unit_id, group_size=case.group_size, repeat=case.repeat,
        skip_level=case.skip_level, backlog=case.backlog, urgent=case.urgent,
        skip_level_reason=case.skip_level_reason, merged_into_id=case.merged_into_id, decision=case.decision, satisfaction=case.satisfaction,
        centre_code=case.centre_code,
        petitioner=_person(case.petitioner, case.id), version=case.version,
        deadlines=[DeadlineOut(rule=d["rule"], due=d["due"], status=d["status"], basis=d["basis"])
                   for d in deadlines_for(case)])


petitions = Collection(api, "petitions", model=PetitionCase, out=PetitionOut, read="petition.case.read",
                       region_column="region_id", serialize=serialize, item_summary=_l("One petition"))


_run = run_service  # ServiceError → 422 with fields, or 409


@petitions.list(query=PetitionQuery, summary=_l("Petitions in your scope (paged)"))
def list_petitions(query: PetitionQuery):
    stmt = select(PetitionCase).order_by(PetitionCase.id.desc()).options(
        lazyload(PetitionCase.representatives), lazyload(PetitionCase.steps), lazyload(PetitionCase.region),
        lazyload(PetitionCase.handling_unit))     # the list item carries ids, not these relations
    for name in ("state", "channel", "category"):
        value = getattr(query, name)
        if value:
            stmt = stmt.where(getattr(PetitionCase, name) == value)
    return stmt


@petitions.create(body=PetitionIn, permission="petition.case.create", summary=_l("Register a petition"))
def create_petition(body: PetitionIn):
    region_id = body.region_id or current_user.region_id
    if region_id is None or not in_scope(current_user, region_id):
        raise invalid({"region_id": _("Choose a region in your scope.")})
    return _run(services.register, channel=body.channel, received_at=body.received_at.replace(tzinfo=None),
                request=body.request, facts=body.facts, petitioner=body.petitioner.model_dump(),
                region_id=region_id, officer_id=current_user.id, group_size=body.group_size,
                representatives=[r.model_dump() for r in body.representatives],
                urgent_reason=body.urgent_reason, skip_level_reason=body.skip_level_reason)


@petitions.update(body=PetitionPatch, permission="petition.case.edit", summary=_l("Edit a petition"))
def update_petition(record: PetitionCase, body: PetitionPatch):
    for key, value in body.changes().items():
        if value is None:
            raise invalid({key: _("This field is required.")})
        setattr(record, key, value)


class ClassifyIn(ApiBody):
    category: Literal["suggestion", "accusation", "claim"]
    route: Literal["litigation", "arbitration", "party_appeal", "administrative", "protective_duty",
                   "ordinary"] | None = None
    version: int | None = None


class UnitIn(ApiBody):
    handling_unit_id: Id
    version: int | None = None


class ReasonIn(ApiBody):
    reason: Text(2000)
    version: int | None = None


class ReplyIn(ApiBody):
    decision: Literal["support", "explain", "not_support"]
    text: Text(8000)
    version: int | None = None


class OpinionIn(ApiBody):
    text: Text(8000)
    version: int | None = None


class VersionIn(ApiBody):
    version: int | None = None


class FlagIn(ApiBody):
    reason: Text(200)
    version: int | None = None


class MergeIn(ApiBody):
    into_id: Id
    reason: Text(500)
    version: int | None = None


PERM = "petition.case.transition"


def _unit(body) -> Organisation:
    unit = db.session.get(Organisation, body.handling_unit_id)
    if unit is None:
        raise invalid({"handling_unit_id": _("No organisation with this id.")})
    return unit


def _merge(record, body) -> None:
    from .flags import merge
    target = db.session.get(PetitionCase, body.into_id)
    if target is None or not in_scope(current_user, target.region_id):
        raise invalid({"into_id": _("No petition with this id in your scope.")})
    merge(record, target, body.reason)


# each declared step (services.WORKFLOW) → (body, how to call the service with the record and the body);
# the operations, their summaries and permission come from the declaration
services.WORKFLOW.api_actions(petitions, {
    "classify": (ClassifyIn, lambda r, b: services.classify(r, b.category, b.route)),
    "forward": (UnitIn, lambda r, b: services.route_to_unit(r, "forward", _unit(b))),
    "assign": (UnitIn, lambda r, b: services.route_to_unit(r, "assign", _unit(b))),
    "object": (ReasonIn, lambda r, b: services.object_to_case(r, b.reason)),
    "flag_backlog": (FlagIn, lambda r, b: services.flag_backlog(r, b.reason)),
    "merge": (MergeIn, _merge),
    "accept": (VersionIn, lambda r, b: services.accept(r)),
    "not_accept": (ReasonIn, lambda r, b: services.not_accept(r, b.reason)),
    "start_handling": (VersionIn, lambda r, b: services.start_handling(r)),
    "extend": (ReasonIn, lambda r, b: services.extend(r, b.reason)),
    "reply": (ReplyIn, lambda r, b: services.reply(r, b.decision, b.text)),
    "request_review": (VersionIn, lambda r, b: services.request_review(r)),
    "decide_review": (OpinionIn, lambda r, b: services.decide_review(r, b.text)),
    "request_recheck": (VersionIn, lambda r, b: services.request_recheck(r)),
    "decide_recheck": (OpinionIn, lambda r, b: services.decide_recheck(r, b.text)),
    "close": (VersionIn, lambda r, b: services.close(r)),
}, run=_run)
