"""Daily jobs: overdue supervision orders go to the centre's leader; the clerks hear of parts turning yellow or red."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from core.toolkit import clock
from core.toolkit import Role, User
from core.toolkit import db
from core.toolkit import notify
from . import supervision
from .models import Part


def escalate_overdue() -> int:
    n = supervision.escalate_overdue()
    db.session.commit()
    return n


def warn_lights() -> int:
    today = clock.today()
    limit = supervision.yellow_limit(today)
    parts = db.session.scalars(select(Part).where(Part.state == "open", Part.due_on <= limit)).all()
    if not parts:
        return 0
    red = sum(1 for p in parts if p.due_on < today)
    clerks = db.session.scalars(select(User).join(User.roles).where(Role.code.in_(("centre", "centre_lead")),
                                                                    User.active.is_(True))).all()
    notify(clerks, _("Centre: %(red)d parts overdue, %(yellow)d due soon", red=red, yellow=len(parts) - red),
           url="/centre/board")
    db.session.commit()
    return len(parts)
