"""``/api/v1/aid-applications`` (contract §5): the legal-aid queue with one action per step."""
from __future__ import annotations

from typing import Literal

from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from pydantic import BaseModel, Field
from sqlalchemy import select

from core.toolkit import (ApiBlueprint, ApiBody, ApiError, Collection, Id, LocalDate, LocalDateTime, OptionalText, PageQuery,
    Text, VersionedPatch, invalid)
from core.toolkit import db
from core.toolkit import in_scope
from ..api import DeadlineOut, PersonOut, ReasonIn, VersionIn, _deadlines, _person, _run
from ..models import (AID_STATES, DOCUMENTS, EXEMPT_GROUPS, HARDSHIP_EVIDENCE, MATTERS, TERMINATION_GROUNDS, AidApplication,
                      Referral)
from . import services as aid

api = ApiBlueprint("legal_aid_api_aid", __name__, tag="aid-applications")

AidState = Literal[tuple(AID_STATES)]
Matter = Literal[tuple(MATTERS)]
Document = Literal[tuple(DOCUMENTS)]


# -- legal-aid applications ---------------------------------------------------------------------------------
class AidOut(BaseModel):
    id: int
    reference: str
    region_id: int
    referral_id: int | None
    received_at: str
    matter_type: str
    summary: str
    opposing_party: str
    eligibility: str
    exempt_group: str | None
    documents_missing: list[str]
    supplement_by: str | None
    detainee: bool
    forward_by: str | None
    forwarded_at: str | None
    early_aid: bool
    limitation_due: str | None
    state: str
    provider_id: int | None
    refusal_reason: str | None
    termination_ground: str | None
    applicant: PersonOut
    deadlines: list[DeadlineOut]
    centre_code: str | None = Field(None, description="the one-stop centre's case code when the centre routed it")
    version: int


def _iso(v):
    return v.isoformat(timespec="seconds") if hasattr(v, "hour") else (v.isoformat() if v else None)


def serialize_aid(a: AidApplication) -> AidOut:
    return AidOut(id=a.id, reference=a.reference, region_id=a.region_id, referral_id=a.referral_id,
                  received_at=_iso(a.received_at), matter_type=a.matter_type, summary=a.summary,
                  opposing_party=a.opposing_party, eligibility=a.eligibility, exempt_group=a.exempt_group,
                  documents_missing=list(a.documents_missing or []),
                  supplement_by=a.supplement_by.isoformat() if a.supplement_by else None, detainee=a.detainee,
                  forward_by=_iso(a.forward_by) if a.forward_by else None,
                  forwarded_at=_iso(a.forwarded_at) if a.forwarded_at else None, early_aid=a.early_aid,
                  limitation_due=a.limitation_due.isoformat() if a.limitation_due else None, state=a.state,
                  provider_id=a.provider_id, refusal_reason=a.refusal_reason, termination_ground=a.termination_ground,
                  applicant=_person(a.applicant), deadlines=_deadlines(a), centre_code=a.centre_code,
                  version=a.version)


applications = Collection(api, "aid-applications", model=AidApplication, out=AidOut, read="legal_aid.aid.read",
                          region_column="region_id", serialize=serialize_aid, tag="aid-applications",
                          item_summary=_l("One legal-aid application"))


class ApplicantIn(BaseModel):
    name: Text(100)
    id_number: OptionalText(18) = None
    phone: OptionalText(30) = None


class AidIn(ApiBody):
    applicant: ApplicantIn
    matter_type: Matter
    summary: Text(4000)
    region_id: Id | None = None
    referral_id: Id | None = None
    opposing_party: OptionalText(200) = None
    exempt_group: Literal[tuple(EXEMPT_GROUPS)] | None = None
    hardship_evidence: Literal[tuple(HARDSHIP_EVIDENCE)] | None = None
    documents_missing: list[Document] = Field(default=[], max_length=len(DOCUMENTS))
    detainee: bool = False
    limitation_due: LocalDate | None = None
    received_at: LocalDateTime | None = None


class AidPatch(VersionedPatch):
    summary: Text(4000) | None = None
    opposing_party: OptionalText(200) = None
    limitation_due: LocalDate | None = None


class AidQuery(PageQuery):
    state: AidState | None = None
    matter_type: Matter | None = None


@applications.list(query=AidQuery, summary=_l("Legal-aid applications in your scope (paged)"))
def list_applications(query: AidQuery):
    stmt = select(AidApplication).order_by(AidApplication.id.desc())
    for name in ("state", "matter_type"):
        value = getattr(query, name)
        if value:
            stmt = stmt.where(getattr(AidApplication, name) == value)
    return stmt


A = "legal_aid.aid.manage"


@applications.create(body=AidIn, permission="legal_aid.aid.apply", summary=_l("Receive a legal-aid application"))
def create_application(body: AidIn):
    referral = None
    if body.referral_id is not None:
        referral = db.session.get(Referral, body.referral_id)
        if referral is None or not in_scope(current_user, referral.region_id):
            raise invalid({"referral_id": _("No referral with this id in your scope.")})
    region_id = body.region_id or (referral.region_id if referral else None) or current_user.region_id
    if region_id is None or not in_scope(current_user, region_id):
        raise invalid({"region_id": _("Choose a region in your scope.")})
    return _run(aid.create_application, applicant=body.applicant.model_dump(), region_id=region_id,
                matter_type=body.matter_type, summary=body.summary, opposing_party=body.opposing_party or "",
                exempt_group=body.exempt_group, hardship_evidence=body.hardship_evidence,
                documents_missing=list(body.documents_missing), detainee=body.detainee, referral=referral,
                limitation_due=body.limitation_due,
                received_at=body.received_at.replace(tzinfo=None) if body.received_at else None, user=current_user)


@applications.update(body=AidPatch, permission=A, summary=_l("Edit a legal-aid application"))
def update_application(record: AidApplication, body: AidPatch):
    changes = body.changes()
    if "summary" in changes and changes["summary"] is None:
        raise invalid({"summary": _("This field is required.")})
    if record.state not in ("received", "supplementing"):
        raise ApiError(409, "invalid_state", _("Only an application awaiting its decision can be edited."))
    for key, value in changes.items():
        setattr(record, key, value if value is not None or key == "limitation_due" else "")


class SupplementIn(VersionIn):
    documents_missing: list[Document] = Field(min_length=1, max_length=len(DOCUMENTS))
    supplement_by: LocalDate


class ProviderIn(VersionIn):
    provider_id: Id


class EarlyAidIn(ProviderIn):
    limitation_due: LocalDate | None = None


class TextIn(VersionIn):
    text: Text(4000)


class ObjectionDecisionIn(TextIn):
    upheld: bool


class TerminateIn(TextIn):
    ground: Literal[tuple(TERMINATION_GROUNDS)]


class ReportIn(VersionIn):
    report: Text(8000)


# one API action per declared step (aid.WORKFLOW: summary and permission from the declaration)
aid.WORKFLOW.api_actions(applications, {
    "forward": (VersionIn, lambda r, b: aid.forwarded(r)),
    "supplement": (SupplementIn, lambda r, b: aid.request_supplement(r, list(b.documents_missing), b.supplement_by)),
    "supplied": (VersionIn, lambda r, b: aid.materials_supplied(r)),
    "lapse": (VersionIn, lambda r, b: aid.lapse(r)),
    "early_aid": (EarlyAidIn, lambda r, b: aid.start_early_aid(r, b.provider_id, b.limitation_due)),
    "grant": (VersionIn, lambda r, b: aid.grant(r)),
    "refuse": (ReasonIn, lambda r, b: aid.refuse(r, b.reason)),
    "assign": (ProviderIn, lambda r, b: aid.assign(r, b.provider_id)),
    "object": (TextIn, lambda r, b: aid.object_to(r, b.text)),
    "decide_objection": (ObjectionDecisionIn, lambda r, b: aid.decide_objection(r, b.upheld, b.text)),
    "terminate": (TerminateIn, lambda r, b: aid.terminate(r, b.ground, b.text)),
    "close": (ReportIn, lambda r, b: aid.close(r, b.report)),
    "archive": (VersionIn, lambda r, b: aid.archive(r)),
}, run=_run)
