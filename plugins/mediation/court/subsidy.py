"""以案定补: the month's subsidy per mediator and committee from reviewed files — court cases and closed
disputes — frozen on submission.

A reviewed court case counts in the month it concluded (its end day), a dispute in the month it was closed. Amount = the rate for its grade and
outcome (setting ``mediation.subsidy_rates``) × the review's share of points, nothing below the pass
share (``mediation.subsidy_pass_percent``). A failed case counts as workload when its hand-back record
was complete (the judge got what mediation established), else it earns nothing and says why."""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from core.toolkit import clock
from core.toolkit import db
from core.toolkit import in_subtree
from core.toolkit import Region
from .models import GRADES, CaseReview, CourtCase, SubsidyReport
from .services import CourtError, handback_missing
from ..reports.services import parse_month

CENT = Decimal("0.01")
SETTINGS = {
    # 以案定补 rates in yuan per reviewed case: grade:outcome=amount (outcome success | failure; a failed case
    # counts only when its hand-back record was complete)
    "subsidy_rates": ["simple:success=100", "simple:failure=40", "ordinary:success=200", "ordinary:failure=80",
                      "difficult:success=400", "difficult:failure=160"],
    # a file scoring below this share of its checklist earns no subsidy
    "subsidy_pass_percent": 60,
}


def _setting(key: str):
    try:
        from core.toolkit import setting as get
        return get(f"mediation.{key}")
    except (KeyError, RuntimeError, ImportError):
        return SETTINGS[key]


def rates() -> dict[tuple[str, str], Decimal]:
    out = {}
    for entry in _setting("subsidy_rates") or []:
        key, _sep, amount = str(entry).partition("=")
        grade, _sep2, outcome = key.strip().partition(":")
        try:
            out[(grade, outcome)] = Decimal(amount.strip())
        except ArithmeticError:
            continue
    return out


def pass_percent() -> int:
    try:
        return int(_setting("subsidy_pass_percent"))
    except (TypeError, ValueError):
        return 60


def outcome_of(record) -> str:
    if isinstance(record, CourtCase):
        return "success" if record.agreement_signed_on is not None else "failure"
    from ..agreements.models import Agreement
    signed = db.session.scalar(select(Agreement.signed_on).where(Agreement.dispute_id == record.id))
    return "success" if signed is not None else "failure"


def _line(case, review: CaseReview, table: dict, passing: int) -> dict:
    """One reviewed file's subsidy: a court case, or a closed dispute (``kind``)."""
    outcome = outcome_of(case)
    is_case = isinstance(case, CourtCase)
    rate = table.get((review.grade, outcome), Decimal(0))
    note = ""
    if is_case and outcome == "failure" and handback_missing(case):
        rate, note = Decimal(0), _("hand-back incomplete")
    if review.percent < passing:
        rate, note = Decimal(0), _("below the pass mark (%(p)s%%)", p=passing)
    amount = (rate * review.total / review.max_total).quantize(CENT, ROUND_HALF_UP) if review.max_total else Decimal(0)
    mediator = case.mediator
    if is_case:
        committee = case.committee.name if case.committee else ""
    else:
        from ..committees.services import handling_committee
        found = handling_committee(case)
        committee = found.name if found else ""
    failed = _("Failed, handed back") if is_case else _("Not resolved, closed")
    return {"kind": "court" if is_case else "dispute", "case_id": case.id, "reference": case.reference,
            "court_case_no": case.court_case_no if is_case else "",
            "mediator_id": case.mediator_id, "mediator": (mediator.display_name or mediator.username) if mediator else "",
            "committee": committee, "grade": str(GRADES.get(review.grade)),
            "outcome": outcome, "outcome_label": _("Agreement") if outcome == "success" else failed,
            "score": f"{review.total}/{review.max_total}", "rate": str(rate), "amount": str(amount), "note": note}


def compute(region: Region, month: str) -> dict:
    start, end = parse_month(month)
    rows = db.session.execute(select(CourtCase, CaseReview).join(CaseReview, CaseReview.case_id == CourtCase.id)
                              .where(in_subtree(CourtCase.region_id, region.path), CourtCase.ended_on >= start.date(),
                                     CourtCase.ended_on < end.date())
                              .order_by(CourtCase.ended_on, CourtCase.id)).all()
    from ..models import Dispute
    disputes = db.session.execute(select(Dispute, CaseReview).join(CaseReview, CaseReview.dispute_id == Dispute.id)
                                  .where(in_subtree(Dispute.region_id, region.path), Dispute.closed_at >= start, Dispute.closed_at < end)
                                  .order_by(Dispute.closed_at, Dispute.id)).all()
    table, passing = rates(), pass_percent()
    lines = [_line(c, r, table, passing) for c, r in list(rows) + list(disputes)]
    by_mediator: dict = {}
    by_committee: dict = {}
    for ln in lines:
        m = by_mediator.setdefault(ln["mediator_id"], {"mediator": ln["mediator"], "committee": ln["committee"],
                                                       "cases": 0, "success": 0, "failure": 0, "amount": Decimal(0)})
        m["cases"] += 1
        m[ln["outcome"]] += 1
        m["amount"] += Decimal(ln["amount"])
        c = by_committee.setdefault(ln["committee"], {"committee": ln["committee"], "cases": 0, "amount": Decimal(0)})
        c["cases"] += 1
        c["amount"] += Decimal(ln["amount"])
    total = sum((Decimal(ln["amount"]) for ln in lines), Decimal(0))
    as_text = lambda d: {**d, "amount": str(d["amount"].quantize(CENT))}  # noqa: E731
    return {"month": month, "region": region.name, "lines": lines,
            "mediators": [as_text(m) for m in sorted(by_mediator.values(), key=lambda m: m["mediator"])],
            "committees": [as_text(c) for c in sorted(by_committee.values(), key=lambda c: c["committee"])],
            "total": str(total.quantize(CENT)), "pass_percent": passing,
            "rates": {f"{g}:{o}": str(v) for (g, o), v in sorted(table.items())}}


def report_for(region: Region, month: str) -> SubsidyReport | None:
    return db.session.scalar(select(SubsidyReport).where(SubsidyReport.region_id == region.id,
                                                         SubsidyReport.month == month))


def current(region: Region, month: str) -> tuple[dict, SubsidyReport | None]:
    """The frozen snapshot once submitted, else the live figures."""
    frozen = report_for(region, month)
    return (frozen.data if frozen else compute(region, month)), frozen


def submit(user, region: Region, month: str) -> SubsidyReport:
    parse_month(month)
    if report_for(region, month) is not None:
        raise CourtError({"": _("The subsidy report for %(month)s was already submitted.", month=month)})
    data = compute(region, month)
    report = SubsidyReport(region_id=region.id, month=month, data=data, total=Decimal(data["total"]),
                           submitted_by_id=user.id if user else None,
                           submitted_at=clock.now().replace(microsecond=0))
    db.session.add(report)
    db.session.flush()
    return report


def report_frozen_for(case) -> bool:
    """Is *case* (a court case or a dispute) counted in a submitted report (of its region or any above)?"""
    ended = case.ended_on if isinstance(case, CourtCase) else case.closed_at
    if ended is None:
        return False
    month = ended.strftime("%Y-%m")
    codes = [c for c in case.region.path.strip("/").split("/") if c]
    return db.session.scalar(select(SubsidyReport.id).join(Region, Region.id == SubsidyReport.region_id)
                             .where(SubsidyReport.month == month, Region.code.in_(codes)).limit(1)) is not None


def month_of(day: date | None = None) -> str:
    return (day or clock.today()).strftime("%Y-%m")
