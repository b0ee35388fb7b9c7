"""Daily reminders (run by ``concord scheduler``): the decision on an application, the notices, the
hearing day and the conclusion's service deadline, sent to the hearing's owner and host."""
from __future__ import annotations

from datetime import date

from flask_babel import force_locale, gettext as _
from sqlalchemy import select

from core.toolkit import Deadline
from core.toolkit import db
from core.toolkit import notify
from core.toolkit import clock as local_clock
from .models import Hearing
from .scheduling import latest_notice_day

SOON_DAYS = 2
CLOCKS = {"hearing.decide": ("applied",), "hearing.conclusion_spot": ("concluded",),
          "hearing.conclusion_later": ("concluded",)}


def _users(h: Hearing) -> list[int]:
    return sorted({u for u in (h.owner_id, h.host_user_id) if u})


def _send(h: Hearing, title: str) -> int:
    return len(notify(_users(h), title, url=f"/hearing/{h.id}", record=h))


def remind(today: date | None = None) -> int:
    """Every reminder due today; returns the number of notifications sent."""
    today = today or local_clock.today()
    horizon = date.fromordinal(today.toordinal() + SOON_DAYS)
    sent = 0
    with force_locale("zh"):
        rows = db.session.execute(select(Hearing, Deadline).join(
            Deadline, (Deadline.record_type == "hearing_hearing") & (Deadline.record_id == Hearing.id))
            .where(Deadline.rule_code.in_(list(CLOCKS)), Deadline.status.in_(("open", "overdue")),
                   Deadline.due <= horizon)).all()
        for h, clock in rows:
            if h.state not in CLOCKS[clock.rule_code]:
                continue
            if clock.rule_code == "hearing.decide":
                title = _("Hearing %(ref)s: decide on the application by %(due)s", ref=h.reference, due=clock.due)
            else:
                title = _("Hearing %(ref)s: serve the conclusion by %(due)s", ref=h.reference, due=clock.due)
            sent += _send(h, title)
        for h in db.session.scalars(select(Hearing).where(Hearing.state.in_(("scheduled", "notified")),
                                                          Hearing.scheduled_at.is_not(None))):
            day = h.scheduled_at.date()
            if h.state == "scheduled":
                last = latest_notice_day(day)
                if last <= horizon:
                    sent += _send(h, _("Hearing %(ref)s: serve the notices by %(due)s", ref=h.reference, due=last))
            if today <= day <= date.fromordinal(today.toordinal() + 1):
                sent += _send(h, _("Hearing %(ref)s on %(at)s at %(place)s", ref=h.reference,
                                   at=h.scheduled_at.strftime("%Y-%m-%d %H:%M"), place=h.place))
    db.session.flush()
    return sent
