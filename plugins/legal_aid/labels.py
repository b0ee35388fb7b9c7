"""Words for the events legal channels and legal aid write to the audit log."""
from flask_babel import lazy_gettext as _l

REFERRAL_ACTIONS = {
    "create": _l("Referral created"), "notify": _l("Notice served"), "send": _l("Sent to the body"),
    "receipt": _l("Receipt returned"), "accept": _l("Accepted by the body"), "refuse": _l("Refused by the body"),
    "outcome": _l("Outcome recorded"), "feedback": _l("Feedback given"), "close": _l("Closed"),
}
AID_ACTIONS = {
    "create": _l("Application received"), "forward": _l("Forwarded"), "supplement": _l("Materials requested"),
    "supplied": _l("Materials supplied"), "lapse": _l("Treated as withdrawn"), "grant": _l("Aid granted"),
    "refuse": _l("Aid refused"), "object": _l("Objection"), "decide_objection": _l("Objection decided"),
    "early_aid": _l("Early aid"), "assign": _l("Assigned"), "terminate": _l("Terminated"), "close": _l("Closed"),
    "archive": _l("Archived"),
}


def register() -> None:
    from core.toolkit import register_actions
    register_actions("legal_aid.referral.", REFERRAL_ACTIONS)
    register_actions("legal_aid.aid.", AID_ACTIONS)
    from core.toolkit import register_enum
    from .models import CHANNELS
    register_enum("legal_channel", CHANNELS)
