"""Home page card: a grid worker sees their own open items, a mediator the items waiting for mediation."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from core.toolkit import db
from .access import dispute_condition, is_grid_worker
from .models import Dispute


def card(user):
    if is_grid_worker(user):
        where = [dispute_condition(user), Dispute.state.in_(("registered", "mediating", "escalated", "failed", "resolved"))]
        title = _("My open disputes")
    elif user.can("mediation.dispute.mediate"):
        where = [dispute_condition(user), Dispute.state.in_(("registered", "escalated"))]
        title = _("Disputes waiting for mediation")
    else:
        return None
    count = db.session.scalar(select(func.count(Dispute.id)).where(*where)) or 0
    action = ({"label": _("Log a dispute (登记纠纷)"), "url": url_for("mediation.capture")}
              if user.can("mediation.dispute.create") and is_grid_worker(user) else None)
    if not count:
        return {"title": title, "url": url_for("mediation.index"), "count": 0, "items": [], "action": action} \
            if action else None
    rows = db.session.scalars(select(Dispute).where(*where).order_by(Dispute.found_at.desc()).limit(8)).all()
    items = [{"label": f"{d.reference} · {d.summary}", "url": url_for("mediation.dispute", dispute_id=d.id),
              "due": None, "status": d.risk_level} for d in rows]
    return {"title": title, "url": url_for("mediation.index"), "count": count, "items": items, "action": action}
