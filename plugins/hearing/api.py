"""``/api/v1/hearings`` (contract §5): list, read, create, patch, workflow actions, statements and
``minutes.pdf``. Personal data of the petitioner comes back masked unless the caller may see it."""
from __future__ import annotations

from typing import Literal

from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from pydantic import BaseModel, Field
from sqlalchemy import select

from core.toolkit import (ApiBlueprint, ApiBody, ApiError, Collection, Id, LocalDateTime, OptionalText, PageQuery,
    Text, VersionedPatch, invalid, run_service)
from core.toolkit import reveal
from core.toolkit import deadlines_for
from core.toolkit import db
from core.toolkit import pdf_response
from core.toolkit import in_scope
from . import scheduling, services, session
from .minutes import services as minutes
from .minutes.documents import render_minutes
from .models import OUTCOMES, ROLES, Hearing, Participant
from .pool import services as panel
from .pool.models import HearingRoom, Panelist

api = ApiBlueprint("hearing_api", __name__, tag="hearings")

# the OpenAPI enums come from the declarations (models, services.WORKFLOW and its agenda), never copied by hand
Role = Literal[tuple(ROLES)]
State = services.WORKFLOW.state_literal()
Step = Literal[tuple(services.AGENDA)]
Outcome = Literal[tuple(OUTCOMES)]


class HearingIn(ApiBody):
    petition_id: Id
    scheduled_at: LocalDateTime
    venue: Text(200)
    origin: Literal["application", "proposal"] = "application"
    consent_at: LocalDateTime | None = None
    matter: OptionalText(2000) = None


class HearingPatch(VersionedPatch):
    matter: Text(2000) | None = None
    venue: Text(200) | None = None


class HearingQuery(PageQuery):
    state: State | None = None
    petition_id: Id | None = None


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


class MemberOut(BaseModel):
    id: int
    panelist_id: int
    name: str
    kind: str
    reason: str
    conflicts: list[str]
    recused: bool


class ParticipantOut(BaseModel):
    id: int
    role: str
    name: str
    unit: str
    arrived_at: str | None


class MinutesOut(BaseModel):
    version: int
    locked: bool
    content_hash: str | None


class HearingOut(BaseModel):
    id: int
    reference: str
    petition_id: int
    petition_reference: str
    region_id: int
    state: str
    origin: str
    matter: str
    warning: str | None
    decision_note: str | None
    scheduled_at: str | None
    ends_at: str | None
    venue: str
    room_id: int | None
    host_name: str
    recorder_name: str
    is_public: bool
    outcome: str | None
    conclusion: str | None
    petitioner: PersonOut
    panel: list[MemberOut]
    participants: list[ParticipantOut]
    minutes: MinutesOut | None
    deadlines: list[DeadlineOut]
    version: int


def _iso(dt) -> str | None:
    return dt.isoformat(timespec="seconds") if dt else None


def serialize(h: Hearing) -> HearingOut:
    p = h.petition.petitioner
    v = minutes.current_version(h)
    return HearingOut(
        id=h.id, reference=h.reference, petition_id=h.petition_id, petition_reference=h.petition.reference,
        region_id=h.region_id, state=h.state, origin=h.origin, matter=h.matter, warning=h.warning,
        decision_note=h.decision_note, scheduled_at=_iso(h.scheduled_at), ends_at=_iso(h.ends_at), venue=h.venue,
        room_id=h.room_id, host_name=h.host_name, recorder_name=h.recorder_name, is_public=h.is_public,
        outcome=h.outcome, conclusion=h.conclusion,
        petitioner=PersonOut(id=p.id, name=p.name,
                             id_number=reveal(current_user, "core_person", p.id, "id_number", p.id_number),
                             phone=reveal(current_user, "core_person", p.id, "phone", p.phone)),
        panel=[MemberOut(id=m.id, panelist_id=m.panelist_id, name=m.panelist.name, kind=m.panelist.kind,
                         reason=m.reason, conflicts=[c["code"] for c in m.conflicts], recused=m.recused)
               for m in h.panel],
        participants=[ParticipantOut(id=x.id, role=x.role, name=x.name, unit=x.unit, arrived_at=_iso(x.arrived_at))
                      for x in h.participants],
        minutes=MinutesOut(version=v.number, locked=v.locked_at is not None, content_hash=v.content_hash)
        if v else None,
        deadlines=[DeadlineOut(rule=d["rule"], due=d["due"], status=d["status"], basis=d["basis"])
                   for d in deadlines_for(h)],
        version=h.version)


hearings = Collection(api, "hearings", model=Hearing, out=HearingOut, read="hearing.hearing.read",
                      region_column="region_id", serialize=serialize, item_summary=_l("One hearing"))
MANAGE, RUN = "hearing.hearing.manage", "hearing.hearing.run"



@hearings.list(query=HearingQuery, summary=_l("Hearings in your scope (paged)"))
def list_hearings(query: HearingQuery):
    stmt = select(Hearing).order_by(Hearing.id.desc())
    if query.state:
        stmt = stmt.where(Hearing.state == query.state)
    if query.petition_id:
        stmt = stmt.where(Hearing.petition_id == query.petition_id)
    return stmt


@hearings.create(body=HearingIn, permission=MANAGE, summary=_l("Record a hearing application"),
                 description=_l("The requested time and venue are kept; the schedule action books the room."))
def create_hearing(body: HearingIn):
    from plugins.petition.models import PetitionCase
    case = db.session.get(PetitionCase, body.petition_id)
    if case is None or not in_scope(current_user, case.region_id):
        raise invalid({"petition_id": _("No petition with this id.")})
    return run_service(services.apply, case, origin=body.origin, consent_at=body.consent_at, matter=body.matter or "",
                owner=current_user, scheduled_at=body.scheduled_at, venue=body.venue)


@hearings.update(body=HearingPatch, permission=MANAGE, summary=_l("Edit a hearing"))
def update_hearing(record: Hearing, body: HearingPatch):
    if record.state not in ("applied", "accepted", "scheduled"):
        raise ApiError(409, "invalid_state", _("The hearing can no longer be edited."))
    for key, value in body.changes().items():
        if value is None:
            raise invalid({key: _("This field is required.")})
        setattr(record, key, value.strip())


class V(ApiBody):
    version: int | None = None


class NoteIn(V):
    note: OptionalText(2000) = None


class ReasonIn(V):
    reason: Text(2000)


class ScheduleIn(V):
    scheduled_at: LocalDateTime
    duration: int | None = Field(default=None, ge=15, le=720)
    room_id: Id | None = None
    venue: OptionalText(200) = None
    host_name: Text(100)
    recorder_name: Text(100)
    is_public: bool = True
    closed_reason: OptionalText(300) = None


class PostponeIn(V):
    reason: Text(2000)
    scheduled_at: LocalDateTime


class PanelistIn(V):
    panelist_id: Id
    reason: Text(500)
    accept_conflict: bool = False


class ConcludeIn(V):
    outcome: Outcome
    conclusion: Text(8000)
    on_spot: bool = False


class ConfirmIn(V):
    participant_id: Id
    status: Literal["confirmed", "refused"]
    note: OptionalText(500) = None


def _room(room_id):
    if room_id is None:
        return None
    room = db.session.get(HearingRoom, room_id)
    if room is None:
        raise invalid({"room_id": _("No room with this id.")})
    return room


def _panelist(panelist_id: int) -> Panelist:
    p = db.session.get(Panelist, panelist_id)
    if p is None:
        raise invalid({"panelist_id": _("No panelist with this id.")})
    return p


# every API action comes from the declaration (services.WORKFLOW: name, summary and permission); the steps taken
# inside a running session have their own endpoints (statements) or are web-only, the draft is edited on the page
services.WORKFLOW.api_actions(hearings, {
    "accept": (NoteIn, lambda r, b: services.accept(r, b.note or "")),
    "refuse": (ReasonIn, lambda r, b: services.refuse(r, b.reason)),
    "withdraw": (ReasonIn, lambda r, b: services.withdraw(r, b.reason)),
    "add_member": (PanelistIn, lambda r, b: panel.add_member(r, _panelist(b.panelist_id), b.reason,
                                                             b.accept_conflict)),
    "schedule": (ScheduleIn, lambda r, b: scheduling.schedule(
        r, b.scheduled_at, duration=b.duration, room=_room(b.room_id), venue=b.venue or "", host_name=b.host_name,
        recorder_name=b.recorder_name, is_public=b.is_public, closed_reason=b.closed_reason or "")),
    "postpone": (PostponeIn, lambda r, b: scheduling.postpone(r, b.reason, b.scheduled_at)),
    "send_notices": (V, lambda r, b: scheduling.send_notices(r)),
    "open_session": (V, lambda r, b: session.open_session(r)),
    "suspend": (ReasonIn, lambda r, b: session.suspend(r, b.reason)),
    "resume": (V, lambda r, b: session.resume(r)),
    "close_session": (V, lambda r, b: session.close_session(r)),
    "conclude": (ConcludeIn, lambda r, b: session.conclude(r, b.outcome, b.conclusion, b.on_spot)),
    "serve_conclusion": (V, lambda r, b: session.serve_conclusion(r)),
    "confirm": (ConfirmIn, lambda r, b: minutes.confirm(r, db.session.get(Participant, b.participant_id), b.status,
                                                        "screen", b.note or "")),
    "lock": (V, lambda r, b: minutes.lock(r, current_user)),
}, skip=("remove_member", "set_step", "record_arrival", "record_absence", "add_statement", "add_evidence",
         "challenge_evidence", "request_recusal", "record_vote", "save_draft"))


class StatementIn(ApiBody):
    speaker_role: Role
    speaker_name: Text(100)
    text: Text(20000)
    step: Step | None = None


class StatementOut(BaseModel):
    id: int
    hearing_id: int
    step: str
    speaker_role: str
    speaker_name: str
    text: str
    at: str


def _statement(st) -> StatementOut:
    return StatementOut(id=st.id, hearing_id=st.hearing_id, step=st.step, speaker_role=st.speaker_role,
                        speaker_name=st.speaker_name, text=st.text, at=st.at.isoformat(timespec="seconds"))


@api.operation("POST", "/hearings/<int:id>/statements", summary=_l("Record a statement"), permission=RUN,
               body=StatementIn, response=StatementOut, status=201)
def add_statement(id: int, body: StatementIn):
    h = hearings.load(id)
    return _statement(run_service(session.add_statement, h, body.speaker_role, body.speaker_name, body.text,
                           step=body.step, user=current_user))


@api.operation("GET", "/hearings/<int:id>/statements", summary=_l("The statements of a hearing"),
               permission="hearing.hearing.read", response=list[StatementOut])
def list_statements(id: int):
    return [_statement(s) for s in services.statements(hearings.load(id))]


@api.operation("GET", "/hearings/<int:id>/minutes.pdf", summary=_l("The minutes as PDF"),
               permission="hearing.hearing.read", produces="application/pdf")
def minutes_pdf(id: int):
    h = hearings.load(id)
    pdf = render_minutes(h)     # a read writes nothing
    return pdf_response(pdf, f"{h.reference}-minutes.pdf")

