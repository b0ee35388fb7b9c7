"""The documents back to the court: the hand-back pack (调解终结) when mediation fails, as PDF and as an
export file (JSON), and the joint 司法确认 application with the agreement attached when it succeeds; and the
month's 以案定补 report. The ``*_loader`` functions give ``concord pdf render`` one record's data."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from core.toolkit import RecordNotFound
from core.toolkit import Region
from core.toolkit import clock
from core.toolkit import db
from core.toolkit import find_deadline
from .models import CourtCase
from .deadlines import CONFIRMATION
from .services import CourtError, handback_missing
from .subsidy import current
from ..reports.services import parse_month


def _committee(case: CourtCase) -> str:
    if case.committee:
        return case.committee.name
    return f"{case.region.name}人民调解委员会"


def _parties(case: CourtCase) -> list[dict]:
    return [{"name": p.person.name, "role": p.role_label, "address": p.service_address,
             "confirmed": p.address_confirmed, "phone": p.person.phone or ""} for p in case.parties]


def handback_data(case: CourtCase) -> dict:
    if case.state not in ("failed", "closed") or case.agreement_signed_on is not None:
        raise CourtError({"": _("The hand-back pack exists once mediation has failed.")})
    h = case.handback
    return {
        "title": "调解终结交接材料", "reference": case.reference, "court": case.court,
        "court_case_no": case.court_case_no, "kind": case.kind_label, "procedure": case.procedure_label,
        "committee": _committee(case), "mediator": case.mediator.display_name if case.mediator else "",
        "claim": case.claim, "receipt_on": case.receipt_on, "ended_on": case.ended_on, "reason": case.outcome,
        "parties": _parties(case),
        "undisputed_facts": h.undisputed_facts if h else "", "facts_signed_on": h.facts_signed_on if h else None,
        "disputed_points": h.disputed_points if h else "",
        "evidence": [line.strip() for line in (h.evidence if h else "").splitlines() if line.strip()],
        "missing": handback_missing(case), "date": clock.today(),
    }


def handback_export(case: CourtCase) -> dict:
    """The same record as a machine-readable file for the court's system (dates as ISO text)."""
    data = handback_data(case)
    out = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items() if k != "title"}
    out["format"] = "concord.court_handback/1"
    out["parties"] = [{k: v for k, v in p.items() if k != "phone"} for p in data["parties"]]
    return out


def confirmation_data(case: CourtCase) -> dict:
    if case.agreement_signed_on is None:
        raise CourtError({"": _("The judicial confirmation application exists once an agreement is signed.")})
    row = find_deadline(case, CONFIRMATION)
    return {
        "title": "司法确认申请书", "reference": case.reference, "court": case.court,
        "court_case_no": case.court_case_no, "committee": _committee(case),
        "kind_word": "委派" if case.kind == "pre_suit" else "委托",
        "mediator": case.mediator.display_name if case.mediator else "", "parties": _parties(case),
        "claim": case.claim, "terms": case.agreement_terms, "signed_on": case.agreement_signed_on,
        "apply_by": row.due if row else None, "basis": row.basis if row else "人民调解法 第三十三条",
        "ruling": case.ruling_label if case.ruling else "", "ruling_no": case.ruling_no,
        "date": clock.today(),
    }


def handback_loader(record_id) -> dict:
    return _loader(record_id, "handback")


def confirmation_loader(record_id) -> dict:
    return _loader(record_id, "confirmation")


def _loader(record_id, kind: str) -> dict:
    c = db.session.get(CourtCase, int(record_id)) if str(record_id).isdigit() else None
    if c is None:
        raise RecordNotFound(f"no court case {record_id!r}")
    try:
        return handback_data(c) if kind == "handback" else confirmation_data(c)
    except CourtError as exc:
        raise RecordNotFound(exc.message) from None


def subsidy_pdf_data(region, month: str) -> dict:
    data, frozen = current(region, month)
    status = (_("Submitted on %(at)s; frozen snapshot", at=frozen.submitted_at.strftime("%Y-%m-%d %H:%M"))
              if frozen else _("Not yet submitted; live figures"))
    return {"title": "以案定补月度报表", "region": region.name, "month": month, "status": status, "data": data}


def subsidy_loader(record_id) -> dict:
    """``concord pdf render mediation.subsidy_report --record REGIONCODE:YYYY-MM``."""
    code, _sep, month = str(record_id).partition(":")
    region = db.session.scalar(select(Region).where(Region.code == code)) if code else None
    if region is None:
        raise RecordNotFound(f"no region {code!r}")
    try:
        parse_month(month)
    except Exception as exc:  # noqa: BLE001 - the month's own message
        raise RecordNotFound(str(exc)) from None
    return subsidy_pdf_data(region, month)
