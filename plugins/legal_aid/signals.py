"""Receivers of the petition and mediation signals: each opens a draft referral for legal staff."""
from __future__ import annotations

import logging

from flask import has_request_context
from flask_babel import gettext as _
from sqlalchemy import select

from core.toolkit import Role, User
from core.toolkit import db
from core.toolkit import notify
from core.toolkit import in_scope
from . import channels, services
from .models import CHANNELS, Referral

log = logging.getLogger(__name__)


def _current_user():
    try:
        from flask_login import current_user
        return current_user if getattr(current_user, "is_authenticated", False) else None
    except Exception:  # outside a request
        return None


def _legal_staff(region_id: int):
    users = db.session.scalars(select(User).join(User.roles).where(Role.code == "legal", User.active.is_(True)))
    return [u for u in users if in_scope(u, region_id)]


def _tell(ref) -> None:
    """Tell legal staff of a new draft, when a person's action (a request) sent the signal; demo seeding and
    bulk imports stay quiet."""
    if not has_request_context():
        return
    url = f"/legal_aid/{ref.id}"
    notify(_legal_staff(ref.region_id), _("New referral to review: %(ref)s", ref=ref.reference),
           body=ref.request[:200], url=url, record=ref)


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
                                       user=_current_user())
    except services.ReferralError as exc:
        log.info("no referral for petition %s: %s", case.id, exc)
        return None
    _tell(ref)
    return ref


def on_dispute_escalated(dispute, channel=None, **_kw):
    """``mediation.escalate_to_legal``: a failed dispute goes to a legal channel."""
    try:
        ref = services.create_referral(dispute=dispute, channel=channel if channel in CHANNELS else None,
                                       user=_current_user())
    except services.ReferralError as exc:
        log.info("no referral for dispute %s: %s", getattr(dispute, "id", None), exc)
        return None
    _tell(ref)
    return ref
