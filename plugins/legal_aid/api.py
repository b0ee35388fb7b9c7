"""``/api/v1/referrals`` (contract §5; ``aid_api`` adds ``/aid-applications``): list with filters, read, create with
the minimal body, patch with version (stale → 409) and one action per workflow step."""
from __future__ import annotations

from typing import Literal

from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from pydantic import BaseModel
from sqlalchemy import select

from core.toolkit import (ApiBlueprint, ApiBody, Collection, Id, LocalDate, OptionalText, PageQuery, Text,
    VersionedPatch, invalid, run_service)
from core.toolkit import reveal
from core.toolkit import deadlines_for
from core.toolkit import db
from core.toolkit import in_scope
from plugins.petition.models import PetitionCase
from . import services
from .models import CHANNELS, REFERRAL_STATES, SERVICE_METHODS, Referral

api = ApiBlueprint("legal_aid_api", __name__, tag="referrals")

Channel = Literal[tuple(CHANNELS)]
RefState = Literal[tuple(REFERRAL_STATES)]


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


def _person(p) -> PersonOut | None:
    if p is None:
        return None
    return PersonOut(id=p.id, name=p.name, id_number=reveal(current_user, "core_person", p.id, "id_number", p.id_number),
                     phone=reveal(current_user, "core_person", p.id, "phone", p.phone))


def _deadlines(record) -> list[DeadlineOut]:
    return [DeadlineOut(rule=d["rule"], due=d["due"], status=d["status"], basis=d["basis"]) for d in deadlines_for(record)]


_run = run_service  # ServiceError → 422 with fields, or 409


# -- referrals ----------------------------------------------------------------------------------------------
class ReferralOut(BaseModel):
    id: int
    reference: str
    source_type: str
    petition_id: int | None
    dispute_id: int | None
    source_reference: str
    region_id: int
    request: str
    channel: str | None
    basis: str
    body_id: int | None
    knew_at: str | None
    state: str
    filing_deadline: str | None
    person: PersonOut | None
    receipt_number: str | None
    refusal_reason: str | None
    outcome_reference: str | None
    outcome_text: str | None
    deadlines: list[DeadlineOut]
    version: int


def serialize_referral(r: Referral) -> ReferralOut:
    fd = services.filing_deadline(r)
    return ReferralOut(id=r.id, reference=r.reference, source_type=r.source_type, petition_id=r.petition_id,
                       dispute_id=r.dispute_id, source_reference=r.source_reference, region_id=r.region_id,
                       request=r.request, channel=r.channel, basis=r.basis, body_id=r.body_id,
                       knew_at=r.knew_at.isoformat() if r.knew_at else None, state=r.state,
                       filing_deadline=fd["due"] if fd else None, person=_person(r.person),
                       receipt_number=r.receipt_number, refusal_reason=r.refusal_reason,
                       outcome_reference=r.outcome_reference, outcome_text=r.outcome_text,
                       deadlines=_deadlines(r), version=r.version)


referrals = Collection(api, "referrals", model=Referral, out=ReferralOut, read="legal_aid.referral.read",
                       region_column="region_id", serialize=serialize_referral, item_summary=_l("One referral"))


class ReferralIn(ApiBody):
    petition_id: Id | None = None
    dispute_id: Id | None = None
    channel: Channel
    knew_at: LocalDate
    body_id: Id | None = None
    request: OptionalText(4000) = None


class ReferralPatch(VersionedPatch):
    channel: Channel | None = None
    knew_at: LocalDate | None = None
    body_id: Id | None = None
    request: Text(4000) | None = None
    what_to_bring: OptionalText(4000) = None


class ReferralQuery(PageQuery):
    state: RefState | None = None
    channel: Channel | None = None
    petition_id: Id | None = None
    dispute_id: Id | None = None


@referrals.list(query=ReferralQuery, summary=_l("Referrals in your scope (paged)"))
def list_referrals(query: ReferralQuery):
    stmt = select(Referral).order_by(Referral.id.desc())
    for name in ("state", "channel", "petition_id", "dispute_id"):
        value = getattr(query, name)
        if value:
            stmt = stmt.where(getattr(Referral, name) == value)
    return stmt


M = "legal_aid.referral.manage"


@referrals.create(body=ReferralIn, permission=M, summary=_l("Refer a petition or a failed dispute"))
def create_referral(body: ReferralIn):
    if (body.petition_id is None) == (body.dispute_id is None):
        raise invalid({"petition_id": _("Give either a petition or a dispute.")})
    petition = dispute = None
    if body.petition_id is not None:
        petition = db.session.get(PetitionCase, body.petition_id)
        if petition is None or not in_scope(current_user, petition.region_id):
            raise invalid({"petition_id": _("No petition with this id in your scope.")})
    else:
        dispute = services.dispute_by_id(body.dispute_id)
        if dispute is None or not in_scope(current_user, dispute.region_id):
            raise invalid({"dispute_id": _("No dispute with this id in your scope.")})
    return _run(services.create_referral, petition=petition, dispute=dispute, channel=body.channel,
                knew_at=body.knew_at, body_id=body.body_id, request=body.request or None, user=current_user)


@referrals.update(body=ReferralPatch, permission=M, summary=_l("Edit a draft referral"))
def update_referral(record: Referral, body: ReferralPatch):
    changes = body.changes()
    for key in ("channel", "knew_at", "request"):
        if key in changes and changes[key] is None:
            raise invalid({key: _("This field is required.")})
    _run(services.update_referral, record, changes)


class VersionIn(ApiBody):
    version: int | None = None


class NotifyIn(VersionIn):
    service_method: Literal[tuple(SERVICE_METHODS)]


class ReceiptIn(VersionIn):
    receipt_number: Text(60)


class ReasonIn(VersionIn):
    reason: Text(2000)


class OutcomeIn(VersionIn):
    outcome_reference: Text(60)
    outcome_text: Text(4000)


class FeedbackIn(VersionIn):
    feedback_note: Text(4000)


# one API action per declared referral step (services.WORKFLOW: summary and permission from the declaration);
# the draft is edited through PATCH
services.WORKFLOW.api_actions(referrals, {
    "notify": (NotifyIn, lambda r, b: services.notify(r, b.service_method)),
    "send": (VersionIn, lambda r, b: services.send(r)),
    "receipt": (ReceiptIn, lambda r, b: services.record_receipt(r, b.receipt_number)),
    "accept": (VersionIn, lambda r, b: services.accept(r)),
    "refuse": (ReasonIn, lambda r, b: services.refuse(r, b.reason)),
    "outcome": (OutcomeIn, lambda r, b: services.record_outcome(r, b.outcome_reference, b.outcome_text)),
    "feedback": (FeedbackIn, lambda r, b: services.record_feedback(r, b.feedback_note)),
    "close": (VersionIn, lambda r, b: services.close(r)),
}, run=_run, skip=("edit",))
