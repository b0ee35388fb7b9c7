"""Scheduled jobs: overdue mediations, red-risk items still waiting, monthly-ledger reminders,
agreements whose performance date has passed. Each notifies; none changes a dispute."""
from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from core.toolkit import User
from core.toolkit import Deadline
from core.toolkit import db
from core.toolkit import notify
from core.toolkit import setting
from core.toolkit import clock
from .agreements.models import Agreement
from .models import Dispute
from .reports.models import MonthlyReport
from .services import PERIOD, RECORD_TYPE, alert_red


def overdue_mediations() -> int:
    today = clock.today()
    rows = db.session.execute(select(Deadline, Dispute).join(Dispute, Dispute.id == Deadline.record_id).where(
        Deadline.record_type == RECORD_TYPE, Deadline.rule_code == PERIOD, Deadline.status.in_(("open", "overdue")),
        Deadline.due < today, Dispute.state == "mediating")).all()
    for deadline, dispute in rows:
        if dispute.mediator is not None:
            notify(dispute.mediator, _("Mediation overdue: %(ref)s", ref=dispute.reference),
                   _("Due %(due)s. Conclude it, or extend it with the parties' consent.", due=deadline.due.isoformat()),
                   record=(RECORD_TYPE, dispute.id))
    return len(rows)


def red_risk_waiting() -> int:
    """Red items (and any level configured to alert) still only registered after a day: alert again."""
    from .risks import alerting_codes
    limit = clock.now() - timedelta(hours=24)  # an operational reminder, not a legal time limit
    disputes = db.session.scalars(select(Dispute).where(Dispute.risk_level.in_(alerting_codes()),
                                                        Dispute.state == "registered",
                                                        Dispute.created_at < limit)).all()
    for d in disputes:
        alert_red(d)
    return len(disputes)


def _previous_month(today: date) -> str:
    """The ledger period before *today*'s month, as YYYY-MM."""
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def report_reminders() -> int:
    """From five days before the due day (setting mediation.report_due_day, default the 20th): remind
    everyone who submits ledgers for a region whose last month is not submitted yet."""
    today = clock.today()
    due_day = int(setting("mediation.report_due_day") or 20)
    if not due_day - 5 <= today.day <= due_day:
        return 0
    month = _previous_month(today)
    sent = 0
    for user in db.session.scalars(select(User).where(User.active.is_(True), User.region_id.is_not(None))):
        if not user.can("mediation.report.submit") or user.is_admin:
            continue
        done = db.session.scalar(select(MonthlyReport.id).where(MonthlyReport.region_id == user.region_id,
                                                                MonthlyReport.month == month))
        if done is None:
            notify(user, _("Monthly dispute ledger for %(month)s is due by day %(day)d", month=month, day=due_day),
                   _("Submit it, or a nil return if nothing happened."))
            sent += 1
    return sent


def performance_follow_up() -> int:
    rows = db.session.execute(select(Agreement, Dispute).join(Dispute, Dispute.id == Agreement.dispute_id).where(
        Agreement.signed_on.is_not(None), Agreement.perform_by < clock.today(), Dispute.state == "resolved")).all()
    for agreement, dispute in rows:
        if dispute.mediator is not None:
            notify(dispute.mediator, _("Follow up the agreement of %(ref)s", ref=dispute.reference),
                   _("Performance was due by %(day)s: visit the parties, then close the item with evidence.",
                     day=agreement.perform_by.isoformat()), record=(RECORD_TYPE, dispute.id))
    return len(rows)
