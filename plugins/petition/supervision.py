"""督办: a daily job that warns the handling officer of petitions whose clocks are due soon or overdue,
and the district's leaders of the overdue ones (信访工作条例 Art 40)."""
from __future__ import annotations

from datetime import date

from flask_babel import force_locale, gettext as _
from sqlalchemy import select

from core.auth.models import Role, User
from core.calendar.models import Deadline
from core.db import db
from core.notifications.services import notify
from core.regions.scope import in_scope
from .models import OPEN_STATES, PetitionCase

SOON_DAYS = 3


def _leaders() -> list[User]:
    return list(db.session.scalars(select(User).where(User.active.is_(True), User.roles.any(Role.code == "leader"))))


def remind_due(today: date | None = None) -> int:
    """Notify about every live clock of an open petition due within 3 days or overdue; the number sent."""
    today = today or date.today()
    horizon = date.fromordinal(today.toordinal() + SOON_DAYS)
    rows = db.session.execute(
        select(PetitionCase, Deadline).join(Deadline, (Deadline.record_type == "petition_case")
                                            & (Deadline.record_id == PetitionCase.id))
        .where(PetitionCase.state.in_(OPEN_STATES), Deadline.status.in_(("open", "overdue")),
               Deadline.due <= horizon).order_by(Deadline.due)).all()
    leaders = _leaders()
    sent = 0
    with force_locale("zh"):
        for case, clock in rows:
            overdue = clock.due < today
            title = (_("Overdue: %(ref)s, %(rule)s was due on %(due)s", ref=case.reference, rule=clock.rule_code,
                       due=clock.due.isoformat()) if overdue else
                     _("Due soon: %(ref)s, %(rule)s is due on %(due)s", ref=case.reference, rule=clock.rule_code,
                       due=clock.due.isoformat()))
            users = [case.officer_id] if case.officer_id else []
            if overdue:
                users += [u for u in leaders if in_scope(u, case.region_id)]
            sent += len(notify(users, title, url=f"/petition/{case.id}", record=case))
    return sent
