"""Home cards: the officer's petitions with the nearest deadlines, the leader's backlog cases (包案)."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from core.toolkit import DUE_SOON_DAYS, attention, running_clocks
from core.toolkit import rule_title
from core.toolkit import scope_condition
from core.toolkit import clock
from .backlog import services as backlog
from .models import OPEN_STATES, PetitionCase


def deadlines_card(user):
    """The officer's open cases with the nearest deadlines."""
    today = clock.today()
    # the same clocks /petition/warnings lists: overdue, or due within the core's DUE_SOON_DAYS
    rows = running_clocks("petition_case", PetitionCase, PetitionCase.state.in_(OPEN_STATES),
                          scope_condition(PetitionCase.region_id, user), today=today)
    if not rows:
        return None
    # each line names its clock (a case with two running clocks is listed once per clock, never anonymously)
    return {"title": _("Petitions: overdue or due within %(n)d days", n=DUE_SOON_DAYS),
            "url": url_for("petition.warnings"), "count": len(rows),
            "items": [{"label": f"{c.reference} · {rule_title(d.rule_code)}",
                       "url": url_for("petition.case", case_id=c.id), "due": d.due.isoformat(),
                       "status": "overdue" if attention(d.due, today) == "overdue" else "open"} for c, d in rows[:8]]}


def leader_card(user):
    """Home card for a 包案 leader: their open backlog cases, the late ones first."""
    rows = backlog.leader_cases(user)
    if not rows:
        return None
    return {"title": _("My backlog cases (包案)"), "url": url_for("petition_backlog.mine"), "count": len(rows),
            "items": [{"label": f"{r['backlog'].case.reference} · {r['backlog'].state_label}",
                       "url": url_for("petition_backlog.case", backlog_id=r["backlog"].id),
                       "due": r["backlog"].target_date.isoformat() if r["backlog"].target_date else "",
                       "status": "overdue" if r["late"] else "open"} for r in rows[:8]]}
