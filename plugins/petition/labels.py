"""Words for the events the petition register writes to the audit log (``petition.<action>``)."""
from flask_babel import lazy_gettext as _l

ACTIONS = {
    "register": _l("Registered"), "classify": _l("Classify"), "forward": _l("Forward"), "assign": _l("Assign"),
    "object": _l("Unit objects (not within its powers)"), "accept": _l("Accept"), "not_accept": _l("Do not accept"),
    "start_handling": _l("Start handling"), "extend": _l("Extend by 30 days"), "reply": _l("Reply"),
    "request_review": _l("Record review request"), "decide_review": _l("Record review opinion"),
    "request_recheck": _l("Record re-check request"), "decide_recheck": _l("Record re-check opinion"),
    "close": _l("Close (终结)"), "flag_backlog": _l("Mark as backlog case"), "merge": _l("Merge into another item"),
    "refer": _l("Referred to a legal route"), "legal_answered": _l("The legal route answered"),
    "legal_refused": _l("The legal route refused"), "hearing": _l("Hearing"), "urgent": _l("Urgent"),
    "reception": _l("Leader reception"), "reception_book": _l("Reception booking"), "rate": _l("Satisfaction"),
    "backlog_flag": _l("Backlog case"), "backlog_assign": _l("Responsible leader"),
    "backlog_step": _l("Plan step"), "backlog_step_done": _l("Plan step done"),
    "backlog_review": _l("Progress review"), "backlog_close_out": _l("Closed out (销号)"),
}


def register() -> None:
    from core.toolkit import register_actions
    register_actions("petition.", ACTIONS)
