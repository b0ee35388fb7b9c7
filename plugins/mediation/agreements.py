"""调解协议书: draft from the dispute, record the signatures (it takes effect), PDF, and the 30-day
judicial-confirmation clock (人民调解法 Art 33) started from the day it takes effect."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from core.audit.services import log_note
from core.calendar.deadlines import deadlines_for, start_deadline
from core.db import db
from core import clock
from .models import Agreement, Dispute
from .services import RECORD_TYPE, MediationError, _stop_clock

CLOCK = "mediation.judicial_confirmation_apply"
TEXT_FIELDS = ("facts", "issues", "responsibilities", "terms", "performance")
REQUIRED = ("facts", "issues", "terms")


def agreement_of(dispute: Dispute) -> Agreement | None:
    return db.session.scalar(select(Agreement).where(Agreement.dispute_id == dispute.id))


def save(dispute: Dispute, data: dict) -> Agreement:
    if dispute.state not in ("mediating", "resolved"):
        raise MediationError({"state": _("An agreement is drawn up during mediation or after it succeeded.")})
    agreement = agreement_of(dispute)
    if agreement is not None and agreement.signed_on is not None:
        raise MediationError({"state": _("The agreement is signed and can no longer be changed.")})
    errors = {}
    values = {}
    for name in TEXT_FIELDS:
        text = str(data.get(name) or "").strip()[:10_000]
        if name in REQUIRED and not text:
            errors[name] = _("Required.")
        values[name] = text
    perform_by = data.get("perform_by")
    if perform_by is not None and not isinstance(perform_by, date):
        errors["perform_by"] = _("Not a valid date.")
    if errors:
        raise MediationError(errors)
    if agreement is None:
        agreement = Agreement(dispute_id=dispute.id, **values, perform_by=perform_by)
        db.session.add(agreement)
    else:
        for k, v in values.items():
            setattr(agreement, k, v)
        agreement.perform_by = perform_by
    db.session.flush()
    return agreement


def sign(dispute: Dispute, user, signed_on: date) -> Agreement:
    """The parties and the mediator signed: the agreement takes effect, the dispute is resolved, and the
    parties' 30 days to apply for judicial confirmation start."""
    agreement = agreement_of(dispute)
    if agreement is None:
        raise MediationError({"state": _("Draw up the agreement first.")})
    if agreement.signed_on is not None:
        raise MediationError({"state": _("The agreement is already signed.")})
    if not isinstance(signed_on, date) or signed_on > clock.today():
        raise MediationError({"signed_on": _("Cannot lie in the future.")})
    agreement.signed_on = signed_on
    if dispute.state == "mediating":
        dispute.outcome = dispute.outcome or _("Mediation agreement signed.")
        dispute.state = "resolved"
        _stop_clock(dispute)
    start_deadline(dispute, CLOCK, signed_on)
    log_note(RECORD_TYPE, dispute.id, _("Mediation agreement signed on %(day)s; it takes effect.",
                                        day=signed_on.isoformat()), user=user)
    db.session.flush()
    return agreement


def pdf_data(dispute: Dispute) -> dict:
    agreement = agreement_of(dispute)
    if agreement is None:
        raise MediationError({"state": _("Draw up the agreement first.")})
    county = dispute.region
    while county is not None and county.level not in ("town", "county"):
        county = county.parent
    committee = f"{(county.name if county else '')}人民调解委员会"
    return {
        "title": "人民调解协议书",
        "reference": dispute.reference,
        "committee": committee,
        "parties": [{"name": p.person.name, "address": p.person.address or ""} for p in dispute.parties],
        "agreement": agreement,
        "mediator": dispute.mediator.display_name if dispute.mediator else "",
        "date": agreement.signed_on or clock.today(),
    }


def clocks(dispute: Dispute) -> list[dict]:
    return deadlines_for(dispute)
