"""Court-linked mediation on the home page and in the scheduler: a mediator's court cases waiting for their
signed receipt or whose clock falls due soon (or has passed), and a daily reminder of the same; the
司法确认 application due soon is a reminder to the mediator, who tells the parties. Nothing here changes a case."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from core.toolkit import DUE_SOON_DAYS, Deadline, attention, clock, db, notify, running_clocks
from .models import CourtCase
from .deadlines import CONFIRMATION, ORDINARY, PRE_SUIT, SUMMARY
from .services import RECORD_TYPE

CLOCKS = (ORDINARY, SUMMARY, PRE_SUIT, CONFIRMATION)


def _mine(user):
    return CourtCase.mediator_id == user.id


def card(user):
    """Home card: the mediator's court cases to sign for, and running clocks due soon or overdue."""
    if not user.can("mediation.court.mediate") or user.is_admin:
        return None
    waiting = db.session.scalar(select(func.count(CourtCase.id)).where(_mine(user), CourtCase.state == "assigned")) or 0
    due = running_clocks(RECORD_TYPE, CourtCase, _mine(user), Deadline.rule_code.in_(CLOCKS), limit=8)
    if not waiting and not due:
        return None
    items = [{"label": f"{c.reference} · {c.court_case_no}", "url": url_for("mediation_court.court_case", case_id=c.id),
              "due": d.due.isoformat(), "status": attention(d.due)} for c, d in due]
    if waiting:
        items.insert(0, {"label": _("%(n)s court files to sign for", n=waiting),
                         "url": url_for("mediation_court.court_index", state="assigned"), "due": None, "status": ""})
    return {"title": _("Court-commissioned cases"), "url": url_for("mediation_court.court_index"),
            "count": waiting + len(due), "items": items, "action": None}


def remind_court_clocks() -> int:
    """Daily: tell each mediator of their court clocks overdue or due within the next few days."""
    today = clock.today()
    rows = running_clocks(RECORD_TYPE, CourtCase, Deadline.rule_code.in_(CLOCKS), CourtCase.mediator_id.is_not(None),
                          limit=5000)
    for case, row in rows:
        left = row.due.toordinal() - today.toordinal()
        if row.rule_code == CONFIRMATION:
            title = _("Judicial confirmation for %(ref)s: the parties apply by %(due)s", ref=case.reference,
                      due=row.due.isoformat())
        elif left < 0:
            title = _("Court mediation overdue: %(ref)s (due %(due)s)", ref=case.reference, due=row.due.isoformat())
        else:
            title = _("Court mediation due %(due)s: %(ref)s", ref=case.reference, due=row.due.isoformat())
        notify(case.mediator, title, _("Conclude it (agreement or hand-back), or extend it once with both parties' "
                                       "agreement. Reminders start %(n)s days before the due date.", n=DUE_SOON_DAYS),
               record=(RECORD_TYPE, case.id))
    return len(rows)

