"""The clerk's home card: cases waiting on the centre (to route, to tell, to visit) and red lights."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from core.toolkit import db
from .access import case_condition
from .models import Case, Matter


def card(user) -> list[dict]:
    cond = case_condition(user)
    to_route = db.session.scalar(select(func.count(func.distinct(Matter.case_id))).join(Case, Case.id == Matter.case_id)
                                 .where(cond, Matter.state == "new")) or 0
    to_tell = db.session.scalar(select(func.count(Case.id)).where(cond, Case.state == "answered",
                                                                   Case.told_at.is_(None))) or 0
    to_visit = db.session.scalar(select(func.count(Case.id)).where(cond, Case.state == "answered",
                                                                    Case.told_at.is_not(None))) or 0
    items = []
    if to_route:
        items.append({"label": _("%(n)d centre cases wait for routing", n=to_route), "url": "/centre/?waiting=route", "status": "open"})
    if to_tell:
        items.append({"label": _("%(n)d centre cases: tell the person the result", n=to_tell),
                      "url": "/centre/?waiting=tell", "status": "open"})
    if to_visit:
        items.append({"label": _("%(n)d centre cases wait for the follow-up visit", n=to_visit),
                      "url": "/centre/?waiting=visit", "status": "open"})
    return items or None
