"""Home-page card: the user's next hearings in scope."""
from __future__ import annotations

from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from core.toolkit import db
from core.toolkit import scope_condition
from core.toolkit import clock
from .models import Hearing
from .services import ACTIVE


def upcoming(user):
    rows = db.session.scalars(select(Hearing).where(
        scope_condition(Hearing.region_id, user), Hearing.state.in_(ACTIVE),
        Hearing.scheduled_at >= datetime.combine(clock.today(), datetime.min.time()))
        .order_by(Hearing.scheduled_at).limit(8)).all()
    if not rows:
        return None
    return {"title": _("Upcoming hearings"), "url": url_for("hearing_calendar.calendar"), "count": len(rows),
            "items": [{"label": f"{h.reference} · {h.place} · {h.state_label}",
                       "url": url_for("hearing.hearing", hearing_id=h.id),
                       "due": h.scheduled_at.strftime("%Y-%m-%d %H:%M"), "status": "open"} for h in rows]}
