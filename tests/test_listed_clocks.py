"""A list's clocks read by its own statement (``core.calendar.listed``) pick the same clock, with the same status
against today, as ``deadlines_for`` does for the record — for many mixed histories of clocks (several rules,
restarted, paused, met, stored as overdue or open on either side of today)."""
from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from core.auth.models import User
from core.calendar.deadlines import LIVE, deadlines_for
from core.calendar.listed import clock_columns, listed_clock
from core.calendar.models import Deadline
from core.db import db

RTYPE = "test_listed_record"
RULES = ("legal_aid.litigation", "legal_aid.arbitration", "petition.handle")
TODAYS = (date(2026, 3, 1), date(2026, 3, 15), date(2026, 4, 30))


def _histories(seed: int) -> list[int]:
    """Clocks on ``RTYPE`` records numbered by the users' ids (0–5 clocks each, ties in due and start
    included); the ids of the records."""
    rnd = random.Random(seed)
    ids = list(db.session.scalars(select(User.id).order_by(User.id)))
    for rid in ids:
        for _ in range(rnd.randint(0, 5)):
            start = date(2026, 2, 1) + timedelta(days=rnd.choice((0, 0, 10, 20, 40)))
            db.session.add(Deadline(record_type=RTYPE, record_id=rid, rule_code=rnd.choice(RULES), length=15,
                                    unit="calendar", start=start,
                                    due=start + timedelta(days=rnd.choice((14, 14, 30, 45, 60))),
                                    status=rnd.choice(("open", "open", "overdue", "paused", "met")), pauses=[],
                                    basis="test"))
    db.session.commit()
    return ids


def _rows(**kwargs):
    """The users' ids with the listed clock of the record of the same number, as a list page reads them."""
    stmt = select(User.id, *clock_columns(RTYPE, User.id, **kwargs)).order_by(User.id)
    return db.session.connection().execute(stmt).all()


def test_the_first_clock_of_a_rule_is_what_deadlines_for_finds(app):
    """A referral's filing deadline: the first clock of its time limit in the record's history."""
    _histories(seed=7)
    checked = 0
    for rule in RULES:
        for today in TODAYS:
            for row in _rows(rule_code=rule, name="filing"):
                expected = next(({k: d[k] for k in ("rule", "due", "status")}
                                 for d in deadlines_for((RTYPE, row.id), today) if d["rule"] == rule), None)
                assert listed_clock(row, "filing", today) == expected, (rule, today, row.id)
                checked += expected is not None
    assert checked > 20          # the histories gave clocks to compare, not only empty records


def test_the_running_clock_due_first_is_what_deadlines_for_finds(app):
    """An aid application's clock: of its running clocks (open, overdue, paused), the one due first; of two
    due the same day, the one started (then created) first."""
    _histories(seed=11)
    checked = 0
    for today in TODAYS:
        for row in _rows(running=True):
            live = sorted((d for d in deadlines_for((RTYPE, row.id), today) if d["status"] in LIVE),
                          key=lambda d: d["due"])
            expected = {k: live[0][k] for k in ("rule", "due", "status")} if live else None
            assert listed_clock(row, today=today) == expected, (today, row.id)
            checked += expected is not None
    assert checked > 20


def test_a_rule_given_as_a_column_is_compared_per_row(app):
    """``rule_code`` may be a column of the listed table (the referral's own time limit): each row compares
    with its own value."""
    from sqlalchemy import literal
    ids = _histories(seed=3)
    rows = db.session.connection().execute(select(User.id, *clock_columns(
        RTYPE, User.id, rule_code=literal(RULES[0]), name="x")).order_by(User.id)).all()
    assert [r.id for r in rows] == ids
    for row in rows:
        got = listed_clock(row, "x", TODAYS[1])
        assert got is None or got["rule"] == RULES[0]
