"""Words for the events a hearing writes to the audit log (``hearing.<kind>``)."""
from flask_babel import lazy_gettext as _l

ACTIONS = {
    "applied": _l("Applied"), "accepted": _l("Accepted"), "refused": _l("Refused"), "withdrawn": _l("Withdrawn"),
    "panel": _l("Panel"), "scheduled": _l("Scheduled"), "postponed": _l("Postponed"), "notified": _l("Notices served"),
    "absence": _l("Absent"), "opened": _l("Opened"), "step": _l("Agenda step"), "evidence": _l("Evidence"),
    "recusal": _l("Recusal"), "conflict": _l("Conflict of interest"), "suspended": _l("Suspended"),
    "resumed": _l("Resumed"), "closed": _l("Closed"), "concluded": _l("Concluded"), "served": _l("Served"),
    "confirmation": _l("Minutes confirmed"), "locked": _l("Minutes locked"), "correction": _l("Correction"),
}


def register() -> None:
    from core.toolkit import register_actions
    register_actions("hearing.", ACTIONS)
