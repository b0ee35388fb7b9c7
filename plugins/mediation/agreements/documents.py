"""The mediation agreement as PDF data (templates/pdf/agreement.html); ``pdf_loader`` gives ``concord pdf render``
one dispute's agreement."""
from __future__ import annotations

from flask_babel import gettext as _

from core.toolkit import RecordNotFound
from core.toolkit import clock
from core.toolkit import db
from ..errors import MediationError
from ..models import Dispute
from .services import GENDERS, agreement_of, particulars, require_two_parties

_END_PUNCT = "。，、；：,.;:！!？? \t\n"


def pdf_data(dispute: Dispute) -> dict:
    agreement = agreement_of(dispute)
    if agreement is None:
        raise MediationError({"state": _("Draw up the agreement first.")})
    require_two_parties(dispute)
    county = dispute.region
    while county is not None and county.level not in ("town", "county"):
        county = county.parent
    committee = f"{(county.name if county else '')}人民调解委员会"
    day = agreement.signed_on or clock.today()
    parties = []
    for link in dispute.parties:
        p = particulars(link)
        born = p["birth_date"]
        p["gender"] = GENDERS.get(p["gender"] or "", "")
        p["age"] = (day.year - born.year - ((day.month, day.day) < (born.month, born.day))) if born else None
        parties.append(p)
    return {
        "title": "人民调解协议书",
        "reference": dispute.reference,
        "committee": committee,
        "parties": parties,
        "agreement": agreement,
        # the text as typed, paragraph by paragraph (line breaks kept), without the closing punctuation
        # the template adds its own to
        "facts": _paragraphs(agreement.facts),
        "issues": _paragraphs(agreement.issues),
        "responsibilities": _paragraphs(agreement.responsibilities),
        "terms": _paragraphs(agreement.terms),
        "performance": _clause(agreement.performance) or "按协议内容履行",
        "copies": len(parties) + 1,
        "mediator": dispute.mediator.display_name if dispute.mediator else "",
        "date": day,
    }


def _paragraphs(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]


def _clause(text: str | None) -> str:
    """*text* as a clause the template continues ("…，于…前履行完毕。"): one line, no closing punctuation."""
    return "；".join(_paragraphs(text)).rstrip(_END_PUNCT)


def pdf_loader(record_id) -> dict:
    """``concord pdf render mediation.agreement --record DISPUTE_ID``."""
    dispute = db.session.get(Dispute, int(record_id)) if str(record_id).isdigit() else None
    if dispute is None:
        raise RecordNotFound(f"no dispute {record_id!r}")
    try:
        return pdf_data(dispute)
    except MediationError as exc:
        raise RecordNotFound(exc.message) from None
