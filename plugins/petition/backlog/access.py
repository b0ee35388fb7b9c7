"""Who may see or work one backlog case (record type ``petition_backlog``: chatter, audit log, pages)."""
from __future__ import annotations

from flask import url_for

from core.toolkit import db
from core.toolkit import in_scope
from .models import BacklogCase

MANAGE, LEAD = "petition.backlog.manage", "petition.backlog.lead"


def may_work(user, bc: BacklogCase) -> bool:
    """The case's leader and team work the plan; whoever manages backlog cases may too."""
    if user.can(MANAGE):
        return True
    return user.can(LEAD) and (bc.leader_id == user.id or any(u.id == user.id for u in bc.team))


def can_view(user, record_id) -> bool:
    bc = db.session.get(BacklogCase, int(record_id)) if str(record_id).isdigit() else None
    return bool(bc and user.can("petition.case.read") and in_scope(user, bc.case.region_id))


def can_edit(user, record_id) -> bool:
    bc = db.session.get(BacklogCase, int(record_id)) if str(record_id).isdigit() else None
    return bool(bc and in_scope(user, bc.case.region_id) and may_work(user, bc))


def backlog_url(record_id) -> str:
    return url_for("petition_backlog.case", backlog_id=int(record_id))
