"""Words for the events grid mediation writes to the audit log (``mediation.<action>``)."""
from flask_babel import lazy_gettext as _l

ACTIONS = {
    "refused": _l("Refused by a party"), "refer_police": _l("Referred to the police"),
    "other_routes": _l("Other routes stated"), "escalate_to_legal": _l("Referred to a legal channel"),
    "resolve_on_spot": _l("Resolved on the spot"), "hand_up": _l("Handed up to the village committee"),
}


def register() -> None:
    from core.toolkit import register_actions
    register_actions("mediation.", ACTIONS)
