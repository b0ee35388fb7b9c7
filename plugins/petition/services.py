"""Petition services: routing and the lifecycle, one job per function (intake: ``intake.py``,
re-exported here). Callers commit.

The lifecycle is data (``workflow.WORKFLOW``, re-exported here): each action names the stages it may start
from and the stage it leads to; ``_check`` refuses anything else with a translated message.
"""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from core.toolkit import extend as extend_deadline, find_deadline, start_deadline
from core.toolkit import db
from core.toolkit import clock
from . import points
from .models import CATEGORIES, DECISIONS, OPEN_STATES, ROUTES, STATES, PetitionCase  # noqa: F401 (callers use services.STATES, OPEN_STATES)
# intake lives in its own module (it builds on workflow, not on this one); re-exported for ``services.register``
from .intake import duplicate_candidates, final_matter, mark_repeat, new_query_code, register  # noqa: F401
from .workflow import (LIVE, MAX_REPRESENTATIVES, PERMISSION, QUERY_ALPHABET, WORKFLOW,  # noqa: F401
                       PetitionError, _check, _log, _move, _now, _record_step, _step, _stop, _stop_all, _text)


def action_labels() -> dict[str, str]:
    return WORKFLOW.labels()


def allowed_actions(case: PetitionCase) -> list[str]:
    return WORKFLOW.allowed(case)


def _required_text(value, field: str, max_len: int) -> str:
    """One required text input, trimmed, or PetitionError naming *field*."""
    errors: dict = {}
    value = _text(value, field, max_len, errors)
    if errors:
        raise PetitionError(errors)
    return value


def _request_and_start(case: PetitionCase, action: str, stop: str, start: str, at: datetime | None) -> None:
    """A petitioner's request (复查/复核): the stage moves, its filing clock stops, the decision clock starts."""
    at = at or _now()
    _move(case, action, at)
    _stop(case, stop)
    start_deadline(case, start, at.date())


# -- lifecycle -------------------------------------------------------------------------------------
def classify(case: PetitionCase, category: str, route: str | None = None) -> None:
    _check(case, "classify")
    if category not in CATEGORIES:
        raise PetitionError({"category": _("Choose a category from the list.")})
    if category == "claim":
        if route not in ROUTES:
            raise PetitionError({"route": _("For an appeal or claim, choose the statutory route.")})
    else:
        route = None
    case.category, case.route = category, route
    _step(case, "classify")
    _log(case, "classify", _("Classified: %(c)s", c=CATEGORIES[category]) + (f" · {ROUTES[route]}" if route else ""))
    if route and route != "ordinary":
        points.statutory_channel.send(case, channel=route)


def route_to_unit(case: PetitionCase, action: str, unit) -> None:
    """Forward (转送) or assign (交办) the case to a handling unit."""
    if action not in ("forward", "assign"):
        raise PetitionError(_("Unknown action."))
    _check(case, action)
    if unit is None:
        raise PetitionError({"handling_unit": _("Choose the handling unit.")})
    case.handling_unit = unit
    _move(case, action, note=f"{action_labels()[action]} → {unit.name}")
    _stop(case, "petition.register_forward")
    start_deadline(case, "petition.jurisdiction_objection", _now().date())


def object_to_case(case: PetitionCase, reason: str, today: date | None = None) -> None:
    """The handling unit objects that the matter is outside its powers (5 working days, 条例 Art 23):
    the case goes back to registration to be routed again."""
    errors: dict = {}
    reason = _text(reason, "reason", 2000, errors)
    _check(case, "object")
    if errors:
        raise PetitionError(errors)
    row = find_deadline(case, "petition.jurisdiction_objection")
    if row is not None and row.status in LIVE and (today or clock.today()) > row.due:
        raise PetitionError(_("The 5 working days for an objection ended on %(due)s.", due=row.due.isoformat()))
    unit = case.handling_unit.name if case.handling_unit else ""
    _move(case, "object", note=_("Objection by %(unit)s: %(r)s", unit=unit, r=reason))
    case.handling_unit = None
    _stop(case, "petition.jurisdiction_objection")
    start_deadline(case, "petition.register_forward", _now().date())


def accept(case: PetitionCase, at: datetime | None = None) -> None:
    at = at or _now()
    _move(case, "accept", at)
    case.accepted_at = at
    _stop(case, "petition.jurisdiction_objection")
    _stop(case, "petition.accept_notice")
    _stop(case, "petition.register_forward")


def not_accept(case: PetitionCase, reason: str) -> None:
    reason = _required_text(reason, "reason", 2000)
    _move(case, "not_accept", note=_("Not accepted: %(r)s", r=reason))
    case.outcome_note = reason
    _stop_all(case)


def start_handling(case: PetitionCase) -> None:
    _move(case, "start_handling")
    start_deadline(case, "petition.handle", (case.accepted_at or _now()).date())


def extend(case: PetitionCase, reason: str) -> None:
    reason = _required_text(reason, "reason", 2000)
    _move(case, "extend", note=_("Extended by 30 days: %(r)s", r=reason))
    extend_deadline(case, "petition.handle")


def reply(case: PetitionCase, decision: str, text: str, at: datetime | None = None) -> None:
    errors: dict = {}
    if decision not in DECISIONS:
        errors["decision"] = _("Choose a decision from the list.")
    text = _text(text, "text", 8000, errors)
    if errors:
        raise PetitionError(errors)
    at = at or _now()
    _move(case, "reply", at, note=_("Replied: %(d)s", d=DECISIONS[decision]))
    case.decision, case.decision_text, case.replied_at = decision, text, at
    _stop(case, "petition.handle")
    start_deadline(case, "petition.review_request", at.date())
    from .centre_link import tell_centre       # a matter routed by a one-stop centre: its answer goes back
    tell_centre(case, f"{DECISIONS[decision]}：{text}")


def request_review(case: PetitionCase, at: datetime | None = None) -> None:
    _request_and_start(case, "request_review", "petition.review_request", "petition.review_decide", at)


def decide_review(case: PetitionCase, text: str, at: datetime | None = None) -> None:
    text = _required_text(text, "text", 8000)
    at = at or _now()
    _move(case, "decide_review", at, note=_("Review opinion: %(t)s", t=text[:300]))
    case.review_opinion = text
    _stop(case, "petition.review_decide")
    start_deadline(case, "petition.recheck_request", at.date())


def request_recheck(case: PetitionCase, at: datetime | None = None) -> None:
    _request_and_start(case, "request_recheck", "petition.recheck_request", "petition.recheck_decide", at)


def decide_recheck(case: PetitionCase, text: str, at: datetime | None = None) -> None:
    text = _required_text(text, "text", 8000)
    at = at or _now()
    _move(case, "decide_recheck", at, note=_("Re-check opinion: %(t)s", t=text[:300]))
    case.rechecked_at, case.recheck_opinion = at, text
    _stop(case, "petition.recheck_decide")


def close(case: PetitionCase) -> None:
    _move(case, "close")
    case.closed_at = _now()
    _stop_all(case)


# -- hand-off to a legal route (诉访分离): called by the legal-channels plugin -----------------------
def mark_referred(case: PetitionCase, note: str) -> None:
    """The matter was handed to a court, arbitration or reconsideration body: the petition clocks stop
    and the case waits for that route's answer (it is not closed until the route answers)."""
    _move(case, "refer", note=_("Referred to a legal route: %(n)s", n=(note or "")[:500]))
    _stop_all(case)


def legal_route_answered(case: PetitionCase, note: str) -> None:
    """The legal route gave its outcome: the petition is closed with that outcome."""
    _move(case, "legal_answered", note=_("The legal route answered: %(n)s", n=(note or "")[:500]))
    case.outcome_note = (note or "")[:2000]
    case.closed_at = _now()


def legal_route_refused(case: PetitionCase, reason: str) -> None:
    """The receiving body refused the matter: the petition is reopened to be handled here again."""
    errors: dict = {}
    reason = _text(reason, "reason", 2000, errors)
    if errors:
        raise PetitionError(errors)
    _move(case, "legal_refused", note=_("The legal route refused, reopened: %(r)s", r=reason))
    start_deadline(case, "petition.register_forward", _now().date())


def rate(case: PetitionCase, value: str) -> None:
    """The petitioner's rating after a reply; 不满意 opens a follow-up activity for the officer."""
    from .models import SATISFACTION
    if value not in SATISFACTION:
        raise PetitionError({"satisfaction": _("Choose a rating from the list.")})
    if case.replied_at is None:
        raise PetitionError(_("A petition can be rated only after the reply."))
    if case.satisfaction:
        raise PetitionError(_("This petition has already been rated."))
    case.satisfaction = value
    _step(case, "rated")
    if value == "unsatisfied" and case.officer_id:
        from core.toolkit import add_activity
        add_activity("petition_case", case.id, _("Follow up: the petitioner is not satisfied with the reply "
                                                   "(explain, or guide to a review)"),
                     case.officer_id, due_date=clock.today(), user=case.officer_id)
    if value == "unsatisfied":
        _tell_unsatisfied(case)


def _tell_unsatisfied(case: PetitionCase) -> int:
    """不满意: the handling officer and the supervising leaders of the region hear of it at once."""
    from core.toolkit import notify
    from core.toolkit import in_scope
    from .supervision import _leaders
    users = ([case.officer_id] if case.officer_id else []) + [u for u in _leaders() if in_scope(u, case.region_id)]
    return len(notify(users, _("Not satisfied with the reply: %(ref)s", ref=case.reference),
                      _("The petitioner rated the reply 不满意; explain it, or guide them to a review (复查)."),
                      url=f"/petition/{case.id}", record=case))


def flag_backlog(case: PetitionCase, reason: str) -> None:
    """Mark an open case as a backlog case (积案) by hand, with the reason."""
    from .backlog.services import flag
    _check(case, "flag_backlog")
    flag(case, "manual", reason)


def on_hearing_concluded(case, hearing=None, text: str = "", **_extra) -> None:
    """A hearing on this case concluded (signal ``hearing.concluded`` from a hearing plugin, if enabled): its
    conclusion feeds the next written opinion (handling, review or re-check)."""
    if not isinstance(case, PetitionCase) or not (text or "").strip():
        return
    case.hearing_conclusion = text.strip()[:8000]
    _log(case, "hearing", _("Hearing conclusion received: %(t)s", t=text.strip()[:300]))


def by_query_code(code: str) -> PetitionCase | None:
    code = (code or "").strip().upper().replace("-", "")
    if not code or len(code) > 20:
        return None
    return db.session.scalar(select(PetitionCase).where(PetitionCase.query_code == code))
