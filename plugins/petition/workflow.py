"""The petition case's lifecycle declared as data (``core.workflow``: each step, its label, the stages it
starts from, where it leads, its clocks and document) and the small helpers every petition module shares
(the error type, step and audit records, text cleaning). The lowest of the petition's service modules: it
imports only the models, so intake, flags, backlog and reception build on it without a cycle through
``services`` (which re-exports what callers know it for: ``services.WORKFLOW``, ``services.PetitionError``)."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from core.toolkit import log_event
from core.toolkit import met, stop_if_running
from core.toolkit import ServiceError, Transition, Workflow, clean_text
from core.toolkit import clock
from .models import OPEN_STATES, STATES, PetitionCase, PetitionStep

QUERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"   # no 0/O, 1/I/L
MAX_REPRESENTATIVES = 5
LIVE = ("open", "paused", "overdue")


class PetitionError(ServiceError):
    """Bad input or an illegal step: ``errors`` maps a field (or ``""``) to a translated message."""


def _record_step(case: PetitionCase, action: str, at: datetime | None = None) -> None:
    case.steps.append(PetitionStep(step=action, at=at or _now()))


PERMISSION = "petition.case.transition"
_FROM_INTAKE = ("registered", "forwarded", "assigned")
# the lifecycle as data (core/workflow.py): the step, its label, the stages it starts from, where it leads
WORKFLOW = Workflow("petition", record_type="petition_case", states=STATES, permission=PERMISSION,
                    error=PetitionError, on_move=_record_step, transitions=[
    Transition("classify", _l("Classify"), _FROM_INTAKE, None, form="classify"),
    Transition("forward", _l("Forward"), ("registered",), "forwarded", form="forward",
               clocks_stop=("petition.register_forward",), clocks_start=("petition.jurisdiction_objection",)),
    Transition("assign", _l("Assign"), ("registered",), "assigned", form="assign",
               clocks_stop=("petition.register_forward",), clocks_start=("petition.jurisdiction_objection",)),
    Transition("object", _l("Unit objects (not within its powers)"), ("forwarded", "assigned"), "registered",
               form="object", clocks_stop=("petition.jurisdiction_objection",),
               clocks_start=("petition.register_forward",)),
    Transition("accept", _l("Accept"), _FROM_INTAKE, "accepted", primary=True,
               clocks_stop=("petition.jurisdiction_objection", "petition.accept_notice", "petition.register_forward")),
    Transition("not_accept", _l("Do not accept"), _FROM_INTAKE, "not_accepted", form="not_accept",
               confirm=_l("the petitioner is told the item is not accepted, with the reason given; it cannot be "
                          "undone.")),
    Transition("start_handling", _l("Start handling"), ("accepted",), "handling", primary=True,
               clocks_start=("petition.handle",)),
    Transition("extend", _l("Extend by 30 days"), ("handling",), "extended", form="extend",
               document="petition.document:extension_notice"),
    Transition("reply", _l("Reply"), ("handling", "extended"), "replied", form="reply", primary=True,
               confirm=_l("the reply is final: the petitioner is told the decision and the 30-day window to ask for "
                          "a review (复查) starts; it cannot be withdrawn."),
               clocks_stop=("petition.handle",), clocks_start=("petition.review_request",),
               document="petition.document:opinion"),
    Transition("request_review", _l("Record review request"), ("replied",), "review_requested",
               clocks_stop=("petition.review_request",), clocks_start=("petition.review_decide",)),
    Transition("decide_review", _l("Record review opinion"), ("review_requested",), "reviewed",
               form="decide_review", clocks_stop=("petition.review_decide",), document="petition.document:review_opinion",
               clocks_start=("petition.recheck_request",)),
    Transition("request_recheck", _l("Record re-check request"), ("reviewed",), "recheck_requested",
               clocks_stop=("petition.recheck_request",), clocks_start=("petition.recheck_decide",)),
    Transition("decide_recheck", _l("Record re-check opinion"), ("recheck_requested",), "rechecked",
               form="decide_recheck", clocks_stop=("petition.recheck_decide",),
               document="petition.document:recheck_opinion"),
    Transition("close", _l("Close (终结)"), ("replied", "reviewed", "rechecked", "not_accepted"), "closed",
               confirm=_l("the item is closed (终结): no further petition on the same facts is accepted and it "
                          "cannot be reopened here.")),
    Transition("flag_backlog", _l("Mark as backlog case"), OPEN_STATES, None, form="flag_backlog"),
    Transition("merge", _l("Merge into another item"), _FROM_INTAKE, "merged", form="merge"),
    # the hand-off to a legal route (诉访分离), driven by the legal-channels plugin, never a button here
    Transition("refer", _l("Referred to a legal route"), _FROM_INTAKE, "referred", system=True),
    Transition("legal_answered", _l("The legal route answered"), ("referred",), "closed", system=True),
    Transition("legal_refused", _l("The legal route refused"), ("referred",), "registered", system=True,
               clocks_start=("petition.register_forward",)),
])


def _now() -> datetime:
    return clock.now().replace(microsecond=0)


_check = WORKFLOW.check


def _step(case: PetitionCase, step: str, at: datetime | None = None) -> None:
    """A step recorded without a stage change (classify, flag as backlog…)."""
    _record_step(case, step, at)


def _log(case: PetitionCase, action: str, text: str) -> None:
    log_event(f"petition.{action}", "petition_case", case.id, text=str(text)[:2000])


def _move(case: PetitionCase, action: str, at: datetime | None = None, note: str | None = None) -> None:
    WORKFLOW.move(case, action, note=note, at=at)


def _stop(case: PetitionCase, rule: str) -> None:
    stop_if_running(case, rule)


def _stop_all(case: PetitionCase) -> None:
    from core.toolkit import deadlines_for
    for d in deadlines_for(case):
        if d["status"] in LIVE:
            met(case, d["rule"])


_text = clean_text
