"""The legal channels' side of the mediation plugin's points: a failed dispute escalated to a legal channel
(``mediation.escalate_to_legal``) opens a draft referral for legal staff."""
from __future__ import annotations

import logging

from . import services
from .models import CHANNELS

log = logging.getLogger(__name__)


def on_dispute_escalated(dispute, channel=None, **_kw):
    """``mediation.escalate_to_legal``: a failed dispute goes to a legal channel."""
    try:
        ref = services.create_referral(dispute=dispute, channel=channel if channel in CHANNELS else None,
                                       user=services.acting_user())
    except services.ReferralError as exc:
        log.info("no referral for dispute %s: %s", getattr(dispute, "id", None), exc)
        return None
    services.tell_legal_staff(ref)
    return ref
