"""Deadline objects: a statutory clock attached to any record, for plugins.

    from core.calendar.deadlines import start_deadline, pause, resume, met, deadlines_for
    start_deadline(case, "petition.handle", case.accepted_on)
    deadlines_for(case)  # [{"rule", "due", "status", "basis", "days_left", …}]

A record is any model instance with ``__tablename__`` and ``id`` (or a ``(record_type, id)``
pair). The caller commits. When the holiday table changes, ``calendar_changed`` recomputes every
open deadline it can affect and notes each move on the record's history.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from datetime import date, datetime

from flask import g, has_app_context
from flask_babel import gettext as _
from sqlalchemy import select

from core.db import db
from core.plugins import points
from core import clock
from . import cache
from .engine import DeadlineInputError
from .models import Deadline
from .services import compute, get_rule, period_length

log = logging.getLogger(__name__)
LIVE = ("open", "paused", "overdue")


def _ref(record) -> tuple[str, int]:
    if isinstance(record, tuple):
        return str(record[0]), int(record[1])
    return record.__tablename__, int(record.id)


def find_deadline(record, rule_code: str) -> Deadline | None:
    """The latest clock of *rule_code* on *record*, running or not (None when it never started)."""
    rtype, rid = _ref(record)
    return db.session.scalar(select(Deadline).where(
        Deadline.record_type == rtype, Deadline.record_id == rid, Deadline.rule_code == rule_code)
        .order_by(Deadline.id.desc()).limit(1))


def _closed_pauses(row: Deadline) -> list[tuple[date, date]]:
    return [(date.fromisoformat(a), date.fromisoformat(b)) for a, b in row.pauses or [] if b]


def _recompute(row: Deadline, get_calendar=None) -> bool:
    """Refresh ``due`` and ``calendar_incomplete``; True if the due date moved. A running pause
    is left out until it is resumed."""
    result = compute(row.start, row.length, row.unit, _closed_pauses(row), get_calendar=get_calendar)
    moved = result.due != row.due
    row.due, row.calendar_incomplete = result.due, result.calendar_incomplete
    return moved


def _live(record, rule_code: str) -> Deadline:
    row = find_deadline(record, rule_code)
    if row is None or row.status not in LIVE:
        raise DeadlineInputError(f"no running deadline {rule_code} on this record")
    return row


def start_deadline(record, rule_code: str, start_date: date, *, extended: bool = False,
                   pauses: list[tuple[date, date]] = ()) -> Deadline:
    """Start (or restart from a new start day) the clock *rule_code* on *record*."""
    rule = get_rule(rule_code)
    rtype, rid = _ref(record)
    row = find_deadline(record, rule_code)
    if row is None or row.status == "met":
        row = Deadline(record_type=rtype, record_id=rid, rule_code=rule_code)
    with db.session.no_autoflush:
        row.length, row.unit, row.extended = period_length(rule, extended), rule.unit, extended
        row.start, row.status, row.met_at = start_date, "open", None
        row.pauses = [[a.isoformat(), b.isoformat()] for a, b in pauses]
        row.basis, row.override_source = rule.basis, rule.override_source
        _recompute(row)
    db.session.add(row)
    db.session.flush()
    return row


def pause(record, rule_code: str, first_day: date, last_day: date | None = None) -> Deadline:
    """Stop the clock from *first_day*; with *last_day* the pause is closed at once (inclusive)."""
    row = _live(record, rule_code)
    if row.status == "paused":
        raise DeadlineInputError(f"deadline {rule_code} is already paused")
    if last_day is not None and last_day < first_day:
        raise DeadlineInputError("a pause cannot end before it starts")
    row.pauses = list(row.pauses or []) + [[first_day.isoformat(), last_day.isoformat() if last_day else None]]
    if last_day is None:
        row.status = "paused"
    _recompute(row)
    return row


def resume(record, rule_code: str, last_paused_day: date) -> Deadline:
    """Close the running pause: *last_paused_day* is its last day (inclusive)."""
    row = _live(record, rule_code)
    if row.status != "paused":
        raise DeadlineInputError(f"deadline {rule_code} is not paused")
    pauses = [list(p) for p in row.pauses]
    if last_paused_day < date.fromisoformat(pauses[-1][0]):
        raise DeadlineInputError("a pause cannot end before it starts")
    pauses[-1][1] = last_paused_day.isoformat()
    row.pauses, row.status = pauses, "open"
    _recompute(row)
    return row


def extend(record, rule_code: str) -> Deadline:
    """Apply the rule's extension (e.g. petition.handle: 60 days + 30)."""
    row = _live(record, rule_code)
    if not row.extended:
        row.length, row.extended = period_length(get_rule(rule_code), True), True
        _recompute(row)
    return row


def met(record, rule_code: str, at: datetime | None = None) -> Deadline:
    """The step the clock waited for happened: stop it."""
    row = _live(record, rule_code)
    row.status, row.met_at = "met", at or clock.now()
    return row


def stop_if_running(record, rule_code: str, at: datetime | None = None) -> Deadline | None:
    """Stop the clock of *rule_code* when one runs on *record*; a step that ends a clock which may never
    have started (or already stopped) calls this instead of ``met``."""
    row = find_deadline(record, rule_code)
    if row is None or row.status not in LIVE:
        return None
    row.status, row.met_at = "met", at or clock.now()
    return row


def stored_status_on(status: str, due: date, today: date) -> str:
    """A clock's status on *today* from its stored *status* and *due* date: a running clock is overdue once
    its due day has passed, whatever was stored when it was last written."""
    if status in ("open", "overdue"):
        return "overdue" if today > due else "open"
    return status


def status_of(row: Deadline, today: date) -> str:
    return stored_status_on(row.status, row.due, today)


def as_dict(row: Deadline, today: date | None = None) -> dict:
    today = today or clock.today()
    status = status_of(row, today)
    days_left = row.due.toordinal() - today.toordinal() if status in ("open", "overdue") else None
    return {"rule": row.rule_code, "due": row.due.isoformat(), "status": status, "basis": row.basis,
            "days_left": days_left, "start": row.start.isoformat(), "length": row.length,
            "unit": row.unit, "extended": row.extended, "calendar_incomplete": row.calendar_incomplete,
            "override_source": row.override_source,
            "met_at": row.met_at.isoformat(timespec="seconds") if row.met_at else None}


def deadlines_for(record, today: date | None = None) -> list[dict]:
    """Every clock of *record*, oldest first, with its status against *today*."""
    rtype, rid = _ref(record)
    batch = g.get("_concord_deadline_batch") if has_app_context() else None
    if batch is not None and (rtype, rid) in batch:
        rows = batch[(rtype, rid)]
    else:
        rows = db.session.scalars(select(Deadline).where(
            Deadline.record_type == rtype, Deadline.record_id == rid).order_by(Deadline.start, Deadline.id))
    return [as_dict(r, today) for r in rows]


_batch = None


def _batch_statement():
    """The clocks of some records of one type, built once per process (issue 22: built, and its cache key
    computed, on every list page)."""
    global _batch
    if _batch is None:
        from sqlalchemy import bindparam
        # Core rows: ``as_dict`` reads a clock's columns only (issue 22: no Deadline objects on a list page)
        _batch = (select(Deadline.__table__).where(Deadline.record_type == bindparam("rtype"),
                                         Deadline.record_id.in_(bindparam("ids", expanding=True)))
                  .order_by(Deadline.start, Deadline.id))
    return _batch


@contextmanager
def deadline_batch(records):
    """Load the clocks of many records in one query; ``deadlines_for`` on any of them inside the block reads
    from it (a list page shows 100 records with 1 query for their clocks, not 100)."""
    refs = [_ref(r) for r in records]
    batch: dict[tuple[str, int], list] = {ref: [] for ref in refs}    # each clock as a Core row
    by_type: dict[str, list[int]] = {}
    for rtype, rid in refs:
        by_type.setdefault(rtype, []).append(rid)
    for rtype, ids in by_type.items():
        for row in db.session.execute(_batch_statement(), {"rtype": rtype, "ids": ids}):
            batch[(rtype, row.record_id)].append(row)
    previous = g.get("_concord_deadline_batch")
    g._concord_deadline_batch = batch
    try:
        yield batch
    finally:
        g._concord_deadline_batch = previous


def recompute_open(years: set[int] | None = None) -> list[tuple[Deadline, date]]:
    """Recompute running deadlines whose period touches *years*; returns (row, old due) moved."""
    stmt = select(Deadline).where(Deadline.status.in_(LIVE))
    if years:
        stmt = stmt.where(Deadline.start <= date(max(years), 12, 31), Deadline.due >= date(min(years), 1, 1))
    get_calendar, moved = cache.provider(), []
    for row in db.session.scalars(stmt):
        old = row.due
        if _recompute(row, get_calendar):
            moved.append((row, old))
    return moved


def _note(row: Deadline, old: date) -> None:
    text = _("Deadline %(rule)s moved from %(old)s to %(new)s: the holiday calendar changed.",
             rule=row.rule_code, old=old.isoformat(), new=row.due.isoformat())
    try:
        from core.audit.services import log_note
    except ImportError:
        log.info("%s %s: %s", row.record_type, row.record_id, text)
        return
    log_note(row.record_type, row.record_id, text, user=None)


def calendar_changed(years: set[int]) -> list[tuple[Deadline, date]]:
    """After an edit of the holiday table: recompute, note each move, emit ``core.calendar_changed``."""
    moved = recompute_open(years)
    for row, old in moved:
        _note(row, old)
    db.session.flush()
    points.calendar_changed.send(None, years=set(years))
    return moved


def deadline_rows(record, today: date | None = None) -> list[dict]:
    """The clocks of *record* for a page: each with its rule's title and a translated status."""
    labels = {"open": _("open"), "met": _("met"), "overdue": _("overdue"), "paused": _("paused")}
    out = []
    for d in deadlines_for(record, today):
        try:
            title = str(get_rule(d["rule"]).title) or d["rule"]
        except Exception:  # a rule no longer declared (plugin removed)
            title = d["rule"]
        out.append({**d, "title": title, "status_label": labels.get(d["status"], d["status"])})
    return out


# -- attention: the one definition of overdue and due soon ------------------------------------------------
DUE_SOON_DAYS = 7     # "due soon" = due within the next 7 calendar days (today included); every view uses it


def attention(due: date, today: date | None = None) -> str:
    """``overdue`` (the due day has passed), ``due_soon`` (due within DUE_SOON_DAYS) or ``later``."""
    today = today or clock.today()
    left = due.toordinal() - today.toordinal()
    if left < 0:
        return "overdue"
    return "due_soon" if left <= DUE_SOON_DAYS else "later"


def attention_horizon(today: date | None = None) -> date:
    """The last due day that still counts as due soon (for a query's ``Deadline.due <= …``)."""
    today = today or clock.today()
    return date.fromordinal(today.toordinal() + DUE_SOON_DAYS)


def running_clocks(record_type: str, model, *where, today: date | None = None, limit: int = 500):
    """(record, Deadline) pairs of running clocks of *record_type* due by the attention horizon, nearest
    first: what every warnings list, home card and figure of "overdue / due soon" counts."""
    from sqlalchemy import select as _select
    stmt = (_select(model, Deadline).join(Deadline, (Deadline.record_type == record_type)
                                          & (Deadline.record_id == model.id))
            .where(Deadline.status.in_(("open", "overdue")), Deadline.due <= attention_horizon(today), *where)
            .order_by(Deadline.due, Deadline.id).limit(limit))
    return db.session.execute(stmt).all()
