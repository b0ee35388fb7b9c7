"""Scheduled jobs: filing-deadline alerts (fewer than 7 days, again at 3 and 1), legal-aid decision,
assignment and objection reminders, lapsed supplements, detainee forwarding, overdue body feedback."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from core.toolkit import Role, User
from core.toolkit import Deadline
from core.toolkit import db
from core.toolkit import notify
from core.toolkit import in_scope
from core.toolkit import clock
from . import services
from .aid import services as aid
from .models import AidApplication, Referral

ALERT_AT = (6, 5, 4, 3, 2, 1, 0)     # every day of the last week; the first alert offers early legal aid
FEEDBACK_WAIT_DAYS = 30


def _staff(role: str, region_id: int) -> list[User]:
    users = db.session.scalars(select(User).join(User.roles).where(Role.code == role, User.active.is_(True)))
    return [u for u in users if in_scope(u, region_id)]


def _url(endpoint: str, **kw) -> str:
    """Paths, not ``url_for``: jobs run without a request (the blueprint is mounted at /legal_aid)."""
    paths = {"legal_aid.referral": "/legal_aid/{ref_id}", "legal_aid_aid.item": "/legal_aid/aid/{app_id}",
             "legal_aid_aid.new": "/legal_aid/aid/new?referral={referral}"}
    return paths[endpoint].format(**kw)


def filing_alerts(today: date | None = None) -> dict:
    """Alert legal staff once a day when fewer than 7 days remain before a referral's filing deadline."""
    today = today or clock.today()
    sent = 0
    for ref in db.session.scalars(select(Referral).where(Referral.state.in_(("draft", "notified", "sent", "received")))):
        left = services.days_left(ref, today)
        if left is None or left not in ALERT_AT or ref.alerted_days == left:
            continue
        aid_url = _url("legal_aid_aid.new", referral=ref.id)
        body = _("Early legal aid is possible (法律援助法 Art 44): %(url)s", url=aid_url)
        notify(_staff("legal", ref.region_id) + _staff("aid", ref.region_id),
               _("Filing deadline of %(ref)s in %(n)d days (%(channel)s)", ref=ref.reference, n=left,
                 channel=ref.channel_label), body=body, url=_url("legal_aid.referral", ref_id=ref.id), record=ref)
        ref.alerted_days = left
        sent += 1
    return {"alerts": sent}


def aid_reminders(today: date | None = None) -> dict:
    """Decision (7 working days), assignment (3) and objection (5) clocks due within 2 days or overdue;
    applications whose materials were not supplied by the set date are treated as withdrawn."""
    today = today or clock.today()
    lapsed = 0
    for app in aid.lapsed_supplements(today):
        aid.lapse(app, today)
        lapsed += 1
    stmt = (select(AidApplication, Deadline).join(Deadline, (Deadline.record_type == "legal_aid_application")
                                                  & (Deadline.record_id == AidApplication.id))
            .where(Deadline.status.in_(("open", "overdue"))))
    reminded = 0
    for app, row in db.session.execute(stmt).all():
        left = row.due.toordinal() - today.toordinal()
        if left > 2:
            continue
        notify(_staff("aid", app.region_id), _("%(ref)s: %(rule)s due %(due)s", ref=app.reference, rule=row.rule_code,
                                                 due=row.due.isoformat()),
               url=_url("legal_aid_aid.item", app_id=app.id), record=app)
        reminded += 1
    feedback = 0
    for ref in db.session.scalars(select(Referral).where(Referral.state.in_(("sent", "received", "accepted")))):
        since = ref.decided_at or ref.receipt_at or ref.sent_at
        if since and (today.toordinal() - since.date().toordinal()) in (FEEDBACK_WAIT_DAYS, 2 * FEEDBACK_WAIT_DAYS):
            notify(_staff("legal", ref.region_id), _("No answer yet from %(body)s on %(ref)s",
                                                     body=ref.body.name if ref.body else "", ref=ref.reference),
                   url=_url("legal_aid.referral", ref_id=ref.id), record=ref)
            feedback += 1
    return {"lapsed": lapsed, "reminders": reminded, "feedback_overdue": feedback}


def detainee_reminders(now: datetime | None = None) -> dict:
    """Detainee applications not forwarded yet (24 hours, 法律援助法 Art 39)."""
    now = now or clock.now()
    n = 0
    for app in db.session.scalars(select(AidApplication).where(AidApplication.detainee.is_(True),
                                                              AidApplication.forwarded_at.is_(None),
                                                              AidApplication.state.in_(("received", "supplementing")))):
        hours = int((app.forward_by - now).total_seconds() // 3600) if app.forward_by else 0
        notify(_staff("aid", app.region_id), _("Forward the detainee application %(ref)s: %(h)d hours left",
                                               ref=app.reference, h=hours),
               url=_url("legal_aid_aid.item", app_id=app.id), record=app)
        n += 1
    return {"reminders": n}
