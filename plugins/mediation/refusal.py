"""A party refuses mediation, which ends it (人民调解法 Art 3, 17: mediation is voluntary; Art 26: the
parties are told their other routes)."""
from __future__ import annotations

from flask_babel import gettext as _

from core.toolkit import log_event, log_note
from core.toolkit import db
from .models import Dispute
from .services import RECORD_TYPE, WORKFLOW, MediationError, _stop_clock, tell_other_routes


def refuse(dispute: Dispute, user, party_id, reason: str) -> Dispute:
    """A party refuses mediation, which ends it (人民调解法 Art 3, 17: mediation is voluntary): the party,
    the reason and the notice of the other routes go on the item's timeline."""
    WORKFLOW.check(dispute, "refuse")
    errors = {}
    try:
        pid = int(party_id or 0)
    except (TypeError, ValueError):
        pid = 0
    party = next((p for p in dispute.parties if p.person_id == pid), None)
    if party is None:
        errors["party_id"] = (_("Choose the party who refused.") if dispute.parties
                              else _("Record the parties first."))
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Give the reason.")
    if errors:
        raise MediationError(errors)
    dispute.refused_by_id = party.person_id
    dispute.refusal_reason = reason[:5000]
    dispute.outcome = reason[:10_000]
    dispute.state = "refused"
    _stop_clock(dispute)
    log_event("mediation.refused", RECORD_TYPE, dispute.id, text=f"{party.person.name}: {reason[:400]}", user=user)
    log_note(RECORD_TYPE, dispute.id, _("Mediation refused by the party %(party)s: %(reason)s",
                                        party=party.person.name, reason=reason[:5000]), user=user)
    tell_other_routes(dispute, user)
    db.session.flush()
    return dispute
