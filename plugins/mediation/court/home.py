"""Court-linked mediation on the home page: a mediator's court cases waiting for their signed receipt or whose
clock falls due soon (or has passed)."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from core.toolkit import Deadline, attention, db, running_clocks
from .deadlines import CLOCKS
from .models import CourtCase
from .services import RECORD_TYPE


def _mine(user):
    return CourtCase.mediator_id == user.id


def card(user):
    """Home card: the mediator's court cases to sign for, and running clocks due soon or overdue."""
    if not user.can("mediation.court.mediate") or user.is_admin:
        return None
    waiting = db.session.scalar(select(func.count(CourtCase.id)).where(_mine(user), CourtCase.state == "assigned")) or 0
    due = running_clocks(RECORD_TYPE, CourtCase, _mine(user), Deadline.rule_code.in_(CLOCKS), limit=8)
    if not waiting and not due:
        return None
    items = [{"label": f"{c.reference} · {c.court_case_no}", "url": url_for("mediation_court.court_case", case_id=c.id),
              "due": d.due.isoformat(), "status": attention(d.due)} for c, d in due]
    if waiting:
        items.insert(0, {"label": _("%(n)s court files to sign for", n=waiting),
                         "url": url_for("mediation_court.court_index", state="assigned"), "due": None, "status": ""})
    return {"title": _("Court-commissioned cases"), "url": url_for("mediation_court.court_index"),
            "count": waiting + len(due), "items": items, "action": None}
