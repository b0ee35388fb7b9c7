"""督办: a daily job that warns the handling officer of petitions whose clocks are due soon or overdue,
and the district's leaders of the overdue ones (信访工作条例 Art 40)."""
from __future__ import annotations

from datetime import date

from flask_babel import force_locale, gettext as _
from sqlalchemy import select

from core.toolkit import Role, User
from core.toolkit import attention, running_clocks
from core.toolkit import Deadline
from core.toolkit import rule_title
from core.toolkit import db
from core.toolkit import notify
from core.toolkit import in_scope
from core.toolkit import clock as local_clock
from .models import OPEN_STATES, PetitionCase

SOON_DAYS = 3


def _leaders() -> list[User]:
    return list(db.session.scalars(select(User).where(User.active.is_(True), User.roles.any(Role.code == "leader"))))


def remind_due(today: date | None = None) -> int:
    """Notify about every live clock of an open petition due within 3 days or overdue; the number sent."""
    today = today or local_clock.today()
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
            rule = rule_title(clock.rule_code)
            title = (_("Overdue: %(ref)s, %(rule)s was due on %(due)s", ref=case.reference, rule=rule,
                       due=clock.due.isoformat()) if overdue else
                     _("Due soon: %(ref)s, %(rule)s is due on %(due)s", ref=case.reference, rule=rule,
                       due=clock.due.isoformat()))
            users = [case.officer_id] if case.officer_id else []
            if overdue:
                users += [u for u in leaders if in_scope(u, case.region_id)]
            sent += len(notify(users, title, url=f"/petition/{case.id}", record=case))
    return sent


# -- 预警信息: the overdue list and the weekly warning digest for leaders -----------------------------
def warnings(user, today: date | None = None) -> dict:
    """What a leader or officer should look at now, within the user's region scope."""
    from core.toolkit import scope_condition
    from .backlog.models import BacklogCase
    today = today or local_clock.today()
    week_ago = date.fromordinal(today.toordinal() - 7)
    scoped = scope_condition(PetitionCase.region_id, user)
    # the core deadline service's one definition of overdue / due soon (the home card counts the same)
    clocks = running_clocks("petition_case", PetitionCase, scoped, PetitionCase.state.in_(OPEN_STATES), today=today)
    recent = select(PetitionCase).where(scoped, PetitionCase.received_at >= week_ago)
    return {
        "overdue": [(c, d) for c, d in clocks if attention(d.due, today) == "overdue"],
        "due_soon": [(c, d) for c, d in clocks if attention(d.due, today) == "due_soon"],
        "urgent": list(db.session.scalars(recent.where(PetitionCase.urgent.is_(True)))),
        "repeat": list(db.session.scalars(recent.where(PetitionCase.repeat.is_(True)))),
        "skip_level": list(db.session.scalars(recent.where(PetitionCase.skip_level.is_(True)))),
        "unsatisfied": list(db.session.scalars(select(PetitionCase).where(
            scoped, PetitionCase.satisfaction == "unsatisfied", PetitionCase.state.in_(OPEN_STATES + ("replied",))))),
        "new_backlog": list(db.session.scalars(select(BacklogCase).join(PetitionCase).where(
            scoped, BacklogCase.flagged_at >= week_ago))),
    }


def weekly_digest(today: date | None = None) -> int:
    """Monday's warning digest (预警信息) to every leader: counts with a link to the warnings page."""
    today = today or local_clock.today()
    sent = 0
    with force_locale("zh"):
        for leader in _leaders():
            w = warnings(leader, today)
            counts = {k: len(v) for k, v in w.items()}
            if not any(counts.values()):
                continue
            body = _("Overdue: %(overdue)d · due within 7 days: %(due_soon)d · urgent this week: %(urgent)d · "
                     "repeat petitions this week: %(repeat)d · level-skipping this week: %(skip_level)d · "
                     "unsatisfied replies: %(unsatisfied)d · new backlog cases: %(new_backlog)d", **counts)
            sent += len(notify(leader, _("Weekly petition warnings (%(day)s)", day=today.isoformat()), body=body,
                               url="/petition/warnings"))
    return sent
