"""调解协议书: draft from the dispute, record the signatures (it takes effect), PDF, and the 30-day
judicial-confirmation clock (人民调解法 Art 33) started from the day it takes effect."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from core.toolkit import log_note
from core.toolkit import deadlines_for, start_deadline
from core.toolkit import db
from core.toolkit import clock
from ..models import Dispute, DisputeParty
from .models import Agreement
from ..errors import MediationError
from ..services import RECORD_TYPE, _stop_clock

CLOCK = "mediation.judicial_confirmation_apply"
TEXT_FIELDS = ("facts", "issues", "responsibilities", "terms", "performance")
REQUIRED = ("facts", "issues", "terms")
PARTY_FIELDS = ("gender", "ethnicity", "birth_date", "occupation", "address")
GENDERS = {"male": "男", "female": "女"}


def require_two_parties(dispute: Dispute) -> None:
    """An agreement settles a dispute between parties: fewer than two cannot make one (Art 29)."""
    if len(dispute.parties) < 2:
        raise MediationError({"parties": _("A mediation agreement needs at least two parties; add the other "
                                           "party to the dispute first.")})


def from_id_number(id_number: str | None) -> tuple[date | None, str | None]:
    """Birth date and gender an 18-digit resident ID number carries (GB 11643: digits 7–14 the birth
    date, digit 17 odd for men), or (None, None)."""
    n = (id_number or "").strip().upper()
    if len(n) != 18 or not n[:17].isdigit():
        return None, None
    try:
        born = date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return None, None
    return born, ("male" if int(n[16]) % 2 else "female")


def particulars(link: DisputeParty) -> dict:
    """One party's particulars for the agreement: recorded values first, then what the ID number says."""
    person = link.person
    born, gender = from_id_number(person.id_number)
    return {"name": person.name, "gender": link.gender or gender, "ethnicity": link.ethnicity or "",
            "birth_date": link.birth_date or born, "occupation": link.occupation or "",
            "address": person.address or "", "id_number": person.id_number or "", "person_id": person.id}


def save_particulars(dispute: Dispute, data: dict) -> None:
    """*data*: {person_id: {gender, ethnicity, birth_date, occupation, address}} (blank keeps the value)."""
    errors = {}
    for link in dispute.parties:
        given = data.get(link.person_id) or data.get(str(link.person_id)) or {}
        gender = (given.get("gender") or "").strip()
        if gender and gender not in GENDERS:
            errors[f"party-{link.person_id}-gender"] = _("Not a valid choice.")
        born = given.get("birth_date")
        if born is not None and not isinstance(born, date):
            errors[f"party-{link.person_id}-birth_date"] = _("Not a valid date.")
        elif born is not None and born > clock.today():
            errors[f"party-{link.person_id}-birth_date"] = _("Cannot lie in the future.")
        if errors:
            continue
        link.gender = gender or link.gender
        link.ethnicity = (given.get("ethnicity") or "").strip()[:20] or link.ethnicity
        link.birth_date = born or link.birth_date
        link.occupation = (given.get("occupation") or "").strip()[:100] or link.occupation
        address = (given.get("address") or "").strip()[:200]
        if address:
            link.person.address = address
    if errors:
        raise MediationError(errors)


def agreement_of(dispute: Dispute) -> Agreement | None:
    return db.session.scalar(select(Agreement).where(Agreement.dispute_id == dispute.id))


def save(dispute: Dispute, data: dict) -> Agreement:
    if dispute.state not in ("mediating", "resolved"):
        raise MediationError({"state": _("An agreement is drawn up during mediation or after it succeeded.")})
    agreement = agreement_of(dispute)
    if agreement is not None and agreement.signed_on is not None:
        raise MediationError({"state": _("The agreement is signed and can no longer be changed.")})
    require_two_parties(dispute)
    if data.get("parties"):
        save_particulars(dispute, data["parties"])
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
    require_two_parties(dispute)
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


def clocks(dispute: Dispute) -> list[dict]:
    return deadlines_for(dispute)
