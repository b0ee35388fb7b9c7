"""Deadline objects attached to records, and their recomputation when the holiday table changes."""
import os
from datetime import date, datetime

import pytest
from sqlalchemy import select

from core.auth.models import User
from core.calendar import deadlines as dl
from core.calendar import store
from core.calendar.engine import DeadlineInputError
from core.calendar.importer import import_notice
from core.db import db
from core.signals import signal

DATA = os.path.join(os.path.dirname(__file__), "data")


@pytest.fixture
def record(app):
    return db.session.scalar(select(User).where(User.username == "officer"))


def only(record, today):
    [item] = dl.deadlines_for(record, today=today)
    return item


def test_start_and_read_a_deadline(record):
    dl.start_deadline(record, "petition.handle", date(2026, 8, 3))
    db.session.commit()
    item = only(record, date(2026, 9, 1))
    assert {k: item[k] for k in ("rule", "due", "status", "basis", "days_left")} == {
        "rule": "petition.handle", "due": "2026-10-08", "status": "open",
        "basis": "信访工作条例 第三十四条", "days_left": 37}
    late = only(record, date(2026, 10, 9))
    assert (late["status"], late["days_left"]) == ("overdue", -1)
    assert only(record, date(2026, 10, 8))["status"] == "open"  # the due day itself is still in time


def test_pause_resume_extend_met(record):
    dl.start_deadline(record, "petition.recheck_decide", date(2026, 3, 2))
    assert only(record, date(2026, 3, 5))["due"] == "2026-04-01"
    dl.pause(record, "petition.recheck_decide", date(2026, 3, 10))  # a hearing starts
    paused = only(record, date(2026, 3, 12))
    assert (paused["status"], paused["days_left"]) == ("paused", None)
    with pytest.raises(DeadlineInputError):
        dl.pause(record, "petition.recheck_decide", date(2026, 3, 11))
    dl.resume(record, "petition.recheck_decide", date(2026, 3, 19))  # its last day
    assert only(record, date(2026, 3, 20))["due"] == "2026-04-13"  # +10 days → Sat 04-11 → Mon
    dl.met(record, "petition.recheck_decide", datetime(2026, 4, 10, 9, 0))
    done = only(record, date(2026, 5, 1))
    assert (done["status"], done["met_at"], done["days_left"]) == ("met", "2026-04-10T09:00:00", None)
    with pytest.raises(DeadlineInputError):
        dl.resume(record, "petition.recheck_decide", date(2026, 4, 1))


def test_extension_and_closed_pause_and_working_days(record):
    dl.start_deadline(record, "petition.handle", date(2026, 8, 3))
    dl.extend(record, "petition.handle")
    assert only(record, date(2026, 8, 4))["due"] == "2026-11-02"
    ref = ("legal_aid_application", 41)
    dl.start_deadline(ref, "legal_aid.decide", date(2026, 9, 17))
    assert dl.deadlines_for(ref, today=date(2026, 9, 18))[0]["due"] == "2026-09-24"   # 17 + 7 calendar days
    dl.pause(ref, "legal_aid.decide", date(2026, 9, 21), date(2026, 9, 22))
    # 2 paused days added: Sat 26 falls in 中秋 (25–27) → the next working day, Mon 28
    assert dl.deadlines_for(ref, today=date(2026, 9, 18))[0]["due"] == "2026-09-28"


def test_unknown_rule_is_refused(record):
    from core.calendar.rules import RuleError
    with pytest.raises(RuleError):
        dl.start_deadline(record, "petition.nope", date(2026, 1, 5))


def test_admin_edit_recomputes_open_deadlines_and_notes_it(app, record, login_as):
    received = []

    def listener(sender, years):
        received.append(years)
    signal("core.calendar_changed").connect(listener)
    try:
        dl.start_deadline(record, "petition.handle", date(2026, 8, 3))     # due 10-08
        dl.start_deadline(record, "petition.accept_notice", date(2026, 3, 2))  # due 03-17, unaffected
        untouched = dl.start_deadline(("petition_case", 5), "petition.handle", date(2026, 8, 3))
        dl.met(("petition_case", 5), "petition.handle")
        db.session.commit()
        c = login_as("admin")
        resp = c.post("/admin/calendar/new", data={"date": "2026-10-08", "kind": "holiday", "name": "地方假日"})
        assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
    finally:
        signal("core.calendar_changed").disconnect(listener)
    db.session.expire_all()
    dues = {d["rule"]: d["due"] for d in dl.deadlines_for(record, today=date(2026, 8, 4))}
    assert dues == {"petition.handle": "2026-10-09", "petition.accept_notice": "2026-03-17"}
    assert db.session.get(type(untouched), untouched.id).due == date(2026, 10, 8)  # met: left alone
    assert received == [{2026}]
    try:
        from core.audit.services import history
    except ImportError:
        return
    notes = [e.text for e in history("core_user", record.id) if e.kind == "note"]
    assert any("petition.handle" in t and "2026-10-09" in t for t in notes), notes


def test_notice_import_recomputes_2027_deadlines(app, record):
    dl.start_deadline(record, "petition.accept_notice", date(2027, 9, 20))
    dl.start_deadline(record, "petition.register_forward", date(2026, 3, 2))
    db.session.commit()
    first = {d["rule"]: (d["due"], d["calendar_incomplete"]) for d in dl.deadlines_for(record)}
    assert first["petition.accept_notice"] == ("2027-10-05", True)
    with open(os.path.join(DATA, "holiday_notice_2027.txt"), encoding="utf-8") as fh:
        report = import_notice(fh.read(), source="test")
    db.session.commit()
    # only this record's clocks are asserted: the demo data's own open deadlines, started on the local day the
    # test database was seeded, fall in the 2027 notice's window or not depending on that day (from 16:00 UTC
    # on 2026-12-06 it is the 7th in Beijing, and five demo clocks end on days the notice changes)
    mine = [row.rule_code for row, _old in report["moved"]
            if (row.record_type, row.record_id) == ("core_user", record.id)]
    assert mine == ["petition.accept_notice"]
    after = {d["rule"]: (d["due"], d["calendar_incomplete"]) for d in dl.deadlines_for(record)}
    assert after == {"petition.accept_notice": ("2027-10-08", False), "petition.register_forward": ("2026-03-17", False)}


def test_a_rolled_back_edit_leaves_the_cached_calendar_alone(app):
    from core.calendar.cache import get_calendar
    assert get_calendar().is_working(date(2026, 10, 8))
    store.add_entry(date(2026, 10, 8), "holiday", "试验")
    assert not get_calendar().is_working(date(2026, 10, 8))  # this session sees its own edit
    db.session.rollback()
    assert get_calendar().is_working(date(2026, 10, 8))
