"""The legal channels' side of the petition plugin's points: a petition classified into a statutory route
(``petition.statutory_channel``) opens a draft referral for legal staff, or moves the draft it already has."""
from __future__ import annotations

import logging

from sqlalchemy import select

from core.toolkit import db
from . import services
from .channels import services as channels
from .models import Referral

log = logging.getLogger(__name__)


def on_petition_channel(case, channel=None, **_kw):
    """``petition.statutory_channel``: the officer classified the case into a statutory route."""
    line = channels.suggest(channel, case.request or "")
    draft = db.session.scalar(select(Referral).where(Referral.petition_id == case.id, Referral.state == "draft"))
    if draft is not None:            # classified again: the draft follows the new route
        if line is not None and line.channel != draft.channel:
            services.update_referral(draft, {"channel": line.channel})
        return draft
    try:
        ref = services.create_referral(petition=case, channel=line.channel if line else None,
                                       user=services.acting_user())
    except services.ReferralError as exc:
        log.info("no referral for petition %s: %s", case.id, exc)
        return None
    services.tell_legal_staff(ref)
    return ref
