"""Activities: to-dos hanging off a record (summary, assignee, due date, done flag)."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from core.auth.models import User
from core.db import db
from core import clock
from .log import AuditError, log_event
from .models import Activity
from .tracking import _user_id, actor_id


def _user(value) -> User | None:
    if value is None:
        return None
    if isinstance(value, User):
        return value
    try:
        return db.session.get(User, int(value))
    except (TypeError, ValueError):
        return None


def add_activity(record_type: str, record_id, summary: str, assignee, due_date: date | None = None,
                 user=None, notify_assignee: bool = True) -> Activity:
    """A to-do for *assignee* (a User or user id) on the record; the assignee is notified."""
    summary = (summary or "").strip()
    if not summary:
        raise AuditError(_("An activity needs a summary."))
    if len(summary) > 200:
        raise AuditError(_("The summary is longer than %(n)d characters.", n=200))
    person = _user(assignee)
    if person is None or not person.active:
        raise AuditError(_("Choose an active user to assign the activity to."))
    if due_date is not None and not isinstance(due_date, date):
        raise AuditError(_("The due date is not a date."))
    creator = _user_id(user) if user is not None else actor_id()
    now = clock.now()  # local time, like the audit log it is merged with
    act = Activity(record_type=record_type, record_id=str(record_id), summary=summary, assignee_id=person.id,
                   due_date=due_date, done=False, created_by_id=creator, created_at=now, updated_at=now)
    db.session.add(act)
    log_event("activity", record_type, record_id, text=summary, new=person.username, user=user)
    db.session.flush()
    if notify_assignee and person.id != creator:
        _notify(person, act)
    return act


def _notify(person: User, act: Activity) -> None:
    try:
        from core.notifications.services import notify
    except ImportError:  # pragma: no cover - notifications service not installed
        return
    from .access import record_url
    if act.due_date:
        title = _("New activity: %(summary)s (due %(date)s)", summary=act.summary, date=act.due_date.isoformat())
    else:
        title = _("New activity: %(summary)s", summary=act.summary)
    notify([person], title, "",
           url=record_url(act.record_type, act.record_id), record=(act.record_type, act.record_id))


def complete_activity(activity, user=None) -> Activity:
    """Mark an activity done (once); the completion is written to the audit trail."""
    act = activity if isinstance(activity, Activity) else db.session.get(Activity, activity)
    if act is None:
        raise AuditError(_("No such activity."))
    if act.done:
        raise AuditError(_("This activity is already done."))
    act.done = True
    act.done_at = clock.now()
    act.done_by_id = _user_id(user) if user is not None else actor_id()
    log_event("activity_done", act.record_type, act.record_id, text=act.summary, user=user)
    db.session.flush()
    return act


def open_activities(record_type: str, record_id) -> list[Activity]:
    stmt = (select(Activity).where(Activity.record_type == record_type, Activity.record_id == str(record_id),
                                   Activity.done.is_(False)).order_by(Activity.due_date, Activity.id))
    return list(db.session.scalars(stmt))


def my_open_activities(user, limit: int = 20) -> list[Activity]:
    stmt = (select(Activity).where(Activity.assignee_id == user.id, Activity.done.is_(False))
            .order_by(Activity.due_date.is_(None), Activity.due_date, Activity.id).limit(limit))
    return list(db.session.scalars(stmt))


def count_my_open_activities(user) -> int:
    return db.session.scalar(select(func.count(Activity.id)).where(Activity.assignee_id == user.id,
                                                                  Activity.done.is_(False))) or 0
