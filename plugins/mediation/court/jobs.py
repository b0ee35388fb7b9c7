"""Court-linked mediation in the scheduler: a daily reminder to each mediator of their court cases whose clock
falls due soon (or has passed); the 司法确认 application due soon is a reminder to the mediator, who tells the
parties. Nothing here changes a case."""
from __future__ import annotations

from flask_babel import gettext as _

from core.toolkit import DUE_SOON_DAYS, Deadline, clock, notify, running_clocks
from .models import CourtCase
from .deadlines import CLOCKS, CONFIRMATION
from .services import RECORD_TYPE


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

