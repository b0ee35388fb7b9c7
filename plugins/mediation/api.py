"""``/disputes`` and ``/grids`` (contract §5), scoped so a grid worker sees only their own grids' items."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from pydantic import AfterValidator, BaseModel, Field
from sqlalchemy import select

from core.toolkit import (ApiBlueprint, ApiBody, ApiError, Collection, Id, LocalDateTime, OptionalText, PageQuery,
    Text, VersionedPatch, invalid, run_service)
from core.toolkit import reveal
from core.toolkit import User
from core.toolkit import db
from . import refusal, services
from .access import can_see_dispute, can_use_grid, dispute_condition, grid_condition
from .grids.services import save_grid
from . import risks
from .models import CATEGORIES, LEVELS, SOURCES, STATES, Dispute, Grid
from .services import LEGAL_CHANNELS

api = ApiBlueprint("mediation_api", __name__, tag="disputes")

Category = Literal[tuple(CATEGORIES)]


def _configured_risk(value: str) -> str:
    if value not in risks.codes():
        from flask_babel import gettext
        raise ValueError(gettext("Unknown code; expected one of: %(codes)s.", codes=", ".join(risks.codes())))
    return value


Risk = Annotated[str, Field(min_length=1, max_length=10, description="a configured risk level "
                            "(setting mediation.risk_levels; default red, orange, yellow, green)"),
                 AfterValidator(_configured_risk)]
Source = Literal[tuple(SOURCES)]
State = Literal[tuple(STATES)]
Level = Literal[tuple(LEVELS)]
Channel = Literal[LEGAL_CHANNELS]


class PartyIn(BaseModel):
    name: Text(100)
    id_number: OptionalText(18) = None
    phone: OptionalText(30) = None


class DisputeIn(ApiBody):
    grid_id: Id
    category: Category
    summary: Text(200)
    risk_level: Risk
    found_at: LocalDateTime
    parties: list[PartyIn] = Field(default=[], max_length=services.MAX_PARTIES)
    source: Source = "patrol"
    description: OptionalText(10_000) = None
    place: OptionalText(200) = None
    headcount: int = Field(default=0, ge=0, le=100_000)
    amount: Decimal | None = Field(default=None, ge=0, lt=Decimal("1e12"), decimal_places=2)
    client_uuid: str | None = Field(default=None, min_length=1, max_length=36, pattern=r"^[0-9A-Za-z-]+$",
                                    description="client-generated id: a repeated POST returns the first record")


class PartyOut(BaseModel):
    id: int
    name: str
    id_number: str | None = Field(description="masked unless the caller may read it in full")
    phone: str | None = Field(description="masked unless the caller may read it in full")


class DisputeOut(BaseModel):
    id: int
    reference: str
    grid_id: int
    region_id: int
    category: Category
    summary: str
    description: str
    place: str
    headcount: int
    amount: str | None
    risk_level: str
    handling_level: Level
    state: State
    source: Source
    found_at: datetime
    closed_at: datetime | None
    reporter_id: int | None
    mediator_id: int | None
    outcome: str
    client_uuid: str | None
    refused_by_id: int | None = Field(description="the party (core person) who refused mediation")
    refusal_reason: str
    centre_code: str | None = Field(None, description="the one-stop centre's case code when the centre routed it")
    parties: list[PartyOut]
    version: int

    @classmethod
    def of(cls, d: Dispute) -> "DisputeOut":
        parties = [PartyOut(id=p.person.id, name=p.person.name,
                            id_number=reveal(current_user, "core_person", p.person.id, "id_number", p.person.id_number),
                            phone=reveal(current_user, "core_person", p.person.id, "phone", p.person.phone))
                   for p in d.parties]
        return cls(id=d.id, reference=d.reference, grid_id=d.grid_id, region_id=d.region_id, category=d.category,
                   summary=d.summary, description=d.description, place=d.place, headcount=d.headcount,
                   amount=None if d.amount is None else str(d.amount), risk_level=d.risk_level,
                   handling_level=d.handling_level, state=d.state, source=d.source, found_at=d.found_at,
                   closed_at=d.closed_at, reporter_id=d.reporter_id, mediator_id=d.mediator_id, outcome=d.outcome,
                   client_uuid=d.client_uuid, refused_by_id=d.refused_by_id, refusal_reason=d.refusal_reason or "",
                   centre_code=d.centre_code, parties=parties, version=d.version)


class DisputeQuery(PageQuery):
    state: State | None = None
    category: Category | None = None
    risk_level: Risk | None = None
    handling_level: Level | None = None
    grid_id: Id | None = None


class ScopedCollection(Collection):
    """Region scope from the base class, plus a per-record check (a grid worker: own grids only)."""

    def __init__(self, *a, check, **kw):
        self.check = check
        super().__init__(*a, **kw)

    def load(self, id: int):
        record = super().load(id)
        if not self.check(current_user, record):
            raise ApiError(404)
        return record


disputes = ScopedCollection(api, "disputes", model=Dispute, out=DisputeOut, read="mediation.dispute.read",
                            region_column="region_id", serialize=DisputeOut.of, check=can_see_dispute,
                            item_summary=_l("One dispute"))


@disputes.list(query=DisputeQuery, summary=_l("Disputes in your scope (paged)"))
def list_disputes(query: DisputeQuery):
    stmt = select(Dispute).where(dispute_condition(current_user))
    for name, column in (("state", Dispute.state), ("category", Dispute.category), ("risk_level", Dispute.risk_level),
                         ("handling_level", Dispute.handling_level), ("grid_id", Dispute.grid_id)):
        value = getattr(query, name)
        if value is not None:
            stmt = stmt.where(column == value)
    return stmt.order_by(Dispute.found_at.desc(), Dispute.id.desc())


@disputes.create(body=DisputeIn, permission="mediation.dispute.create", summary=_l("Log (register) a dispute"))
def create_dispute(body: DisputeIn):
    data = body.model_dump()
    data["parties"] = [p for p in data["parties"]]
    dispute, _created = run_service(services.log_dispute, current_user, data)
    return dispute


class DisputePatch(VersionedPatch):
    category: Category | None = None
    summary: Text(200) | None = None
    description: OptionalText(10_000) = None
    place: OptionalText(200) = None
    headcount: int | None = Field(default=None, ge=0, le=100_000)
    amount: Decimal | None = Field(default=None, ge=0, lt=Decimal("1e12"), decimal_places=2)
    risk_level: Risk | None = None
    source: Source | None = None


@disputes.update(body=DisputePatch, permission=("mediation.dispute.create", "mediation.dispute.mediate"),
                 summary=_l("Correct a dispute's facts"))
def update_dispute(record: Dispute, body: DisputePatch):
    changes = {k: v for k, v in body.changes().items()
               if v is not None or k in ("description", "place", "amount")}
    run_service(services.update_dispute, record, current_user, changes)


class VersionIn(ApiBody):
    version: int | None = Field(default=None, ge=1, le=2**31 - 1, description="if given: stale → 409")


class StartIn(VersionIn):
    mediator_id: Id | None = Field(default=None, description="default: the caller")


class OutcomeIn(VersionIn):
    outcome: Text(10_000)


class FailIn(VersionIn):
    reason: Text(10_000)
    legal_channel: Channel | None = Field(default=None, description="route the failed dispute to a legal channel")
    refer_police: bool = Field(default=False, description="possible criminal or public-order matter (人民调解法 Art 25)")


class ReasonIn(VersionIn):
    reason: Text(2000)


class RefuseIn(VersionIn):
    party_id: Id = Field(description="the core person id of the party who refuses (one of the dispute's parties)")
    reason: Text(5000)


class CloseIn(VersionIn):
    note: OptionalText(5000) = Field(default=None, description="closing note; required unless a file is attached")


def _mediator(body: StartIn):
    """The mediator a start names (default: the caller): an active user, or 422 on mediator_id."""
    if body.mediator_id is None:
        return None
    mediator = db.session.get(User, body.mediator_id)
    if mediator is None or not mediator.active:
        raise invalid({"mediator_id": str(_l("No such user."))})
    return mediator


# one API action per declared step (services.WORKFLOW: summary and permission from the declaration); the grid
# worker's on-the-spot steps are web-only
services.WORKFLOW.api_actions(disputes, {
    "start": (StartIn, lambda r, b: services.start(r, current_user, _mediator(b))),
    "refuse": (RefuseIn, lambda r, b: refusal.refuse(r, current_user, b.party_id, b.reason)),
    "resolve": (OutcomeIn, lambda r, b: services.resolve(r, current_user, b.outcome)),
    "fail": (FailIn, lambda r, b: services.fail(r, current_user, b.reason, b.legal_channel, b.refer_police)),
    "escalate": (ReasonIn, lambda r, b: services.escalate(r, current_user, b.reason)),
    "close": (CloseIn, lambda r, b: services.close(r, current_user, b.note or "")),
    "reopen": (ReasonIn, lambda r, b: services.reopen(r, current_user, b.reason)),
}, skip=("resolve_on_spot", "hand_up"))


class GridOut(BaseModel):
    id: int
    code: str
    name: str
    region_id: int
    region_code: str
    boundary: str
    households: int
    worker_ids: list[int]
    version: int

    @classmethod
    def of(cls, g: Grid) -> "GridOut":
        return cls(id=g.id, code=g.code, name=g.name, region_id=g.region_id, region_code=g.region.code,
                   boundary=g.boundary, households=g.households, worker_ids=[u.id for u in g.workers],
                   version=g.version)


grids = ScopedCollection(api, "grids", model=Grid, out=GridOut, read="mediation.dispute.read",
                         region_column="region_id", serialize=GridOut.of, check=can_use_grid, tag="grids",
                         item_summary=_l("One grid"))


@grids.list(summary=_l("Grids in your scope (paged)"))
def list_grids(query: PageQuery):
    return select(Grid).where(grid_condition(current_user)).order_by(Grid.code)


class GridIn(ApiBody):
    code: Text(30)
    name: Text(100)
    region_id: Id = Field(description="the village or community the grid lies in")
    boundary: OptionalText(500) = None
    households: int = Field(default=0, ge=0, le=1_000_000)
    worker_ids: list[Id] = Field(default=[], max_length=50, description="users with the grid-worker role")


class GridPatch(VersionedPatch):
    name: Text(100) | None = None
    boundary: OptionalText(500) = None
    households: int | None = Field(default=None, ge=0, le=1_000_000)
    worker_ids: list[Id] | None = Field(default=None, max_length=50)


@grids.create(body=GridIn, permission="mediation.grid.manage", summary=_l("Create a grid"))
def create_grid(body: GridIn):
    return run_service(save_grid, current_user, None, **{k: v for k, v in body.model_dump().items()
                                                  if k != "worker_ids"}, worker_ids=body.worker_ids)


@grids.update(body=GridPatch, permission="mediation.grid.manage", summary=_l("Change a grid"))
def update_grid(record: Grid, body: GridPatch):
    ch = body.changes()
    run_service(save_grid, current_user, record, code=record.code, name=ch.get("name") or record.name,
         region_id=record.region_id, boundary=ch.get("boundary", record.boundary),
         households=ch.get("households") if ch.get("households") is not None else record.households,
         worker_ids=ch.get("worker_ids") if ch.get("worker_ids") is not None else [u.id for u in record.workers])
