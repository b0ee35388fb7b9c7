"""One clock of each row of a list, read by the list's own statement.

A list page showing a clock per row (a referral's filing deadline, an aid application's next running clock)
adds :func:`clock_columns` to its statement and reads each row's clock back with :func:`listed_clock`: the
page stays one statement (issue 22: the clocks read by a second statement after the rows cost PostgreSQL a
third round trip per page). Which clock, and its status against today, are what :func:`deadlines_for` and
``status_of`` give for the same record::

    stmt = select(Referral.id, ...).add_columns(*clock_columns(Referral.__tablename__, Referral.id,
                                                               rule_code=Referral.rule_code, name="filing"))
    listed_clock(row, "filing")   # {"rule", "due", "status"} or None
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core import clock
from .deadlines import LIVE, stored_status_on
from .models import Deadline

_PARTS = ("rule", "due", "status")


def clock_columns(record_type: str, record_id, *, rule_code=None, running: bool = False, name: str = "clock"):
    """Columns ``<name>_rule``, ``<name>_due`` and ``<name>_status`` (the stored status) of one clock of the
    record whose id is the column *record_id*: the first clock of *rule_code* (a column or a string) in the
    record's history, or with *running* the running clock due first (ties: the earlier started). Each is a
    scalar subquery on the (record_type, record_id) index, evaluated for the rows of the page only."""
    where = [Deadline.record_type == record_type, Deadline.record_id == record_id]
    if rule_code is not None:
        where.append(Deadline.rule_code == rule_code)
    if running:
        where.append(Deadline.status.in_(LIVE))
        order = (Deadline.due, Deadline.start, Deadline.id)
    else:
        order = (Deadline.start, Deadline.id)
    return [select(col).where(*where).order_by(*order).limit(1).scalar_subquery().label(f"{name}_{part}")
            for part, col in zip(_PARTS, (Deadline.rule_code, Deadline.due, Deadline.status))]


def listed_clock(row, name: str = "clock", today: date | None = None) -> dict | None:
    """The clock :func:`clock_columns` read for *row*: its rule, due date (ISO) and status against *today*
    (``open``, ``overdue``, ``paused``, ``met``), or None when the record has no such clock."""
    rule = getattr(row, f"{name}_rule")
    if rule is None:
        return None
    due = getattr(row, f"{name}_due")
    return {"rule": rule, "due": due.isoformat(),
            "status": stored_status_on(getattr(row, f"{name}_status"), due, today or clock.today())}
