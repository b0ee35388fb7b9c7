"""One clock (issue 14, contract §8): Concord keeps Asia/Shanghai time whatever the process TZ.

Time travel with ``time-machine`` (it moves the real clock: ``time.time``, ``datetime.now``…) at local
00:30 on the first of a month, 08:59, 23:59 and on a month's last minute, with the process TZ set to UTC,
America/New_York and Asia/Shanghai (``os.environ['TZ']`` + ``time.tzset()``, restored afterwards).
Expected values are computed here from the frozen instant, never by the code under test.
"""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from core import clock
from core.auth.models import User
from core.db import db
from core.regions.models import Region

LOCAL = ZoneInfo("Asia/Shanghai")
PROCESS_ZONES = ["UTC", "America/New_York", "Asia/Shanghai"]
MOMENTS = {                                   # local wall times (Asia/Shanghai)
    "00:30 month start": datetime(2026, 12, 1, 0, 30),   # still 11-30 in UTC and New York
    "08:59": datetime(2026, 12, 8, 8, 59),               # still 12-08 00:59 UTC, 12-07 in New York
    "23:59": datetime(2026, 12, 8, 23, 59),
    "month end": datetime(2026, 11, 30, 23, 59),
}
MATRIX = [pytest.param(local, zone, id=f"{name} TZ={zone}") for name, local in MOMENTS.items()
          for zone in PROCESS_ZONES]


@contextmanager
def process_tz(zone: str):
    old = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


@contextmanager
def at_local(local: datetime, zone: str = "UTC", tick: bool = False):
    """The machine's clock at the instant *local* (Asia/Shanghai wall time), the process in *zone*.
    The destination is a POSIX timestamp: given an aware datetime, time-machine also sets TZ to its zone."""
    instant = local.replace(tzinfo=LOCAL).timestamp()
    with process_tz(zone), time_machine.travel(instant, tick=tick) as traveller:
        assert time.localtime().tm_gmtoff == datetime.now(ZoneInfo(zone)).utcoffset().total_seconds()
        yield traveller


def _user(name: str) -> User:
    return db.session.scalar(select(User).where(User.username == name))


def _district() -> Region:
    return db.session.scalar(select(Region).where(Region.code == "430611000000"))


def _id_number(birth: date, seq: str = "001") -> str:
    from core.parties.validation import id_check_char
    id17 = f"430611{birth:%Y%m%d}{seq}"
    return id17 + id_check_char(id17)


# -- the clock itself ------------------------------------------------------------------------------------
@pytest.mark.parametrize("local,zone", MATRIX)
def test_clock_answers_local_time_whatever_the_process_tz(local, zone):
    with at_local(local, zone):
        assert clock.now() == local
        assert clock.today() == local.date()
        assert clock.now_aware() == local.replace(tzinfo=LOCAL)
        assert clock.now_utc() == local.replace(tzinfo=LOCAL).astimezone(timezone.utc)
        assert clock.to_local(clock.now_utc()) == local


def test_zone_follows_the_setting(app, monkeypatch):
    local = datetime(2026, 12, 8, 1, 30)
    with at_local(local, "UTC"):
        app.config["TIMEZONE"] = "Europe/Berlin"
        try:
            assert clock.now() == datetime(2026, 12, 7, 18, 30)
        finally:
            app.config["TIMEZONE"] = "Asia/Shanghai"
        assert clock.now() == local


def test_frozen_override_is_local_and_restored():
    with clock.frozen(datetime(2026, 1, 31, 23, 59)):
        assert clock.today() == date(2026, 1, 31)
        with clock.frozen(datetime(2026, 2, 1, 0, 0, tzinfo=timezone.utc)):
            assert clock.now() == datetime(2026, 2, 1, 8, 0)
        assert clock.now() == datetime(2026, 1, 31, 23, 59)


# -- intake, deadlines, status -----------------------------------------------------------------------------
@pytest.mark.parametrize("local,zone", MATRIX)
def test_intake_of_a_petition_received_minutes_ago(app, local, zone):
    from core.calendar.deadlines import deadlines_for
    from plugins.petition import services
    with at_local(local, zone):
        received = local - timedelta(minutes=10)
        case = services.register(channel="visit", received_at=received, request="要求解决拖欠工资问题（时钟）",
                                 petitioner={"name": "时钟测", "id_number": _id_number(date(1980, 1, 1)),
                                             "phone": "13912340000"},
                                 region_id=_district().id, officer_id=_user("officer").id)
        db.session.flush()
        assert case.reference.split("-")[2] == str(received.year)
        starts = {d["rule"]: d["start"] for d in deadlines_for(case)}
        assert starts["petition.register_forward"] == received.date().isoformat()
        steps = {s.step: s.at for s in case.steps}
        assert steps["received"] == received and steps["registered"] == local
        assert case.created_at == local            # the row's own timestamp is local too
        services.accept(case)
        services.start_handling(case)
        db.session.flush()
        assert case.accepted_at == local
        starts = {d["rule"]: d["start"] for d in deadlines_for(case)}
        assert starts["petition.handle"] == local.date().isoformat()


@pytest.mark.parametrize("local,zone", MATRIX)
def test_deadline_open_overdue_and_due_soon(app, local, zone):
    from core.calendar.deadlines import deadlines_for, find_deadline
    from plugins.petition import services, supervision
    with at_local(local, zone):
        case = services.register(channel="letter", received_at=local - timedelta(days=20),
                                 request="反映道路积水问题（时钟）", petitioner={"name": "时钟到期"},
                                 region_id=_district().id, officer_id=_user("officer").id)
        db.session.flush()
        today = local.date()
        find_deadline(case, "petition.register_forward").due = today - timedelta(days=1)
        find_deadline(case, "petition.accept_notice").due = today
        db.session.flush()
        status = {d["rule"]: (d["status"], d["days_left"]) for d in deadlines_for(case)}
        assert status == {"petition.register_forward": ("overdue", -1), "petition.accept_notice": ("open", 0)}
        w = supervision.warnings(_user("officer"))
        assert case in [c for c, _d in w["overdue"]]
        assert case in [c for c, _d in w["due_soon"]]


# -- mediation: a dispute found half an hour ago ------------------------------------------------------------
@pytest.mark.parametrize("local,zone", MATRIX)
def test_dispute_found_half_an_hour_ago(app, local, zone):
    from core.calendar.deadlines import deadlines_for
    from plugins.mediation import services
    from plugins.mediation.models import Grid, GridWorker
    grid1 = _user("grid1")
    grid = db.session.scalar(select(Grid).join(GridWorker, GridWorker.grid_id == Grid.id)
                             .where(GridWorker.user_id == grid1.id))
    with at_local(local, zone):
        found = local - timedelta(minutes=30)
        dispute, created = services.log_dispute(grid1, {
            "grid_id": grid.id, "category": "neighbour", "risk_level": "yellow", "summary": "两户因围墙争吵（时钟）",
            "found_at": found, "parties": [{"name": "张三", "phone": "13812345678"}]}, alert=False)
        assert created and dispute.found_at == found
        services.start(dispute, _user("mediator"))
        db.session.flush()
        assert [d["start"] for d in deadlines_for(dispute)] == [local.date().isoformat()]


@pytest.mark.parametrize("local,zone", MATRIX)
def test_dispute_found_at_with_an_offset_through_the_api(app, client, api_token, local, zone):
    from plugins.mediation.models import Dispute, Grid, GridWorker
    grid = db.session.scalar(select(Grid).join(GridWorker, GridWorker.grid_id == Grid.id)
                             .where(GridWorker.user_id == _user("grid1").id))
    with at_local(local, zone):
        token = api_token("grid1")
        found = (local - timedelta(minutes=30)).replace(tzinfo=LOCAL)
        resp = client.post("/api/v1/disputes", headers={"Authorization": f"Bearer {token}"}, json={
            "grid_id": grid.id, "category": "neighbour", "risk_level": "yellow", "summary": "两户因围墙争吵（接口）",
            "found_at": found.astimezone(timezone.utc).isoformat(), "parties": [{"name": "张三"}]})
        assert resp.status_code == 201, resp.get_json()
        row = db.session.get(Dispute, resp.get_json()["id"])
        assert row.found_at == found.replace(tzinfo=None)


# -- tokens ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("local,zone", MATRIX)
def test_token_expiry_is_local_time(app, client, local, zone):
    from core.auth.tokens import TOKEN_LIFETIME, user_for_token
    with at_local(local, zone) as traveller:
        resp = client.post("/api/v1/auth/token", json={"username": "officer", "password": "concord-demo"})
        assert resp.status_code == 200
        body = resp.get_json()
        assert datetime.fromisoformat(body["expires_at"]) == local + TOKEN_LIFETIME
        assert user_for_token(body["token"]).username == "officer"
        traveller.shift(TOKEN_LIFETIME - timedelta(minutes=1))
        assert user_for_token(body["token"]) is not None
        traveller.shift(timedelta(minutes=2))
        assert user_for_token(body["token"]) is None


# -- audit and notifications carry the same local time as everything else ------------------------------------
@pytest.mark.parametrize("local,zone", MATRIX)
def test_audit_and_notification_times_are_local(app, local, zone):
    from core.audit.log import log_event
    from core.notifications.services import notify
    with at_local(local, zone):
        row = log_event("petition.clock_test", "petition_case", 1, text="x")
        assert row.at == local
        (n,) = notify(_user("officer"), "时钟测试")
        assert n.created_at == local


# -- KPI periods at a month's turn -------------------------------------------------------------------------------
@pytest.mark.parametrize("local,zone", MATRIX)
def test_month_end_kpi_periods(app, local, zone):
    from core.kpi import periods as P
    from core.kpi import report
    from core.kpi.views import _month
    with at_local(local, zone):
        with app.test_request_context("/kpi/"):
            assert _month().code == f"{local:%Y-%m}"
        last_month = P.containing("month", local.date()).previous()
        this_month = P.containing("month", local.date())
        admin = _user("admin")
        assert report.submit(admin, _district(), last_month).period == last_month.code
        with pytest.raises(report.ReportError):
            report.submit(admin, _district(), this_month)


# -- validation: "not in the future" ---------------------------------------------------------------------------
@pytest.mark.parametrize("local,zone", MATRIX)
def test_id_number_of_a_child_born_today(app, local, zone):
    from core.parties.validation import InvalidValue, clean_id_number
    with at_local(local, zone):
        today = local.date()
        assert clean_id_number(_id_number(today)) == _id_number(today)
        with pytest.raises(InvalidValue):
            clean_id_number(_id_number(today + timedelta(days=1)))


# -- ./run.sh on a UTC machine at 01:30 local: demo seeding into a fresh database, then a quick intake --------
@pytest.mark.parametrize("zone", ["UTC", "America/New_York"])
def test_seed_demo_and_intake_at_0130_local_on_a_foreign_machine(tmp_path, zone):
    import re

    from core.app import create_app
    from core.bootstrap import upgrade_and_sync
    from core.seed import seed_demo
    from plugins.petition.models import PetitionCase
    local = datetime(2026, 12, 8, 1, 30)
    instance = tmp_path / "instance"
    instance.mkdir()
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.db'}", "INSTANCE_PATH": str(instance),
                      "SECRET_KEY": "test", "TESTING": True, "WTF_CSRF_ENABLED": False})
    with app.app_context(), at_local(local, zone, tick=True):
        upgrade_and_sync(app)
        seed_demo(app.extensions["concord"])
        db.session.commit()
        # the story: every step of a demo petition follows the one before it, none lies in the future
        cases = db.session.scalars(select(PetitionCase).order_by(PetitionCase.id)).all()
        assert len(cases) >= 8
        client = app.test_client()
        for case in cases:
            times = [s.at for s in case.steps]
            assert times == sorted(times), (case.reference, [(s.step, s.at) for s in case.steps])
            assert times[-1] <= clock.now()
            page = client.post("/status", data={"code": case.query_code}).get_data(as_text=True)
            steps = page.split('<ol class="steps">', 1)[1].split("</ol>", 1)[0]
            shown = re.findall(r'<time datetime="([^"]+)"', steps)
            assert shown and shown == sorted(shown), (case.reference, shown)
        # a quick intake through the form: received a minute ago
        assert client.post("/login", data={"username": "officer", "password": "concord-demo"}).status_code == 302
        form = client.get("/petition/new")
        assert form.status_code == 200
        received = (clock.now() - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")
        resp = client.post("/petition/new", data={
            "channel": "visit", "received_at": received, "request": "要求解决拖欠工资问题（凌晨）", "facts": "",
            "name": "凌晨来访", "phone": "13912349999", "region_id": _district().id,
            "group_size": 1, "confirm": "1"}, follow_redirects=False)
        assert resp.status_code == 302, re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]+)', resp.get_data(as_text=True))
        case = db.session.scalar(select(PetitionCase).where(PetitionCase.request == "要求解决拖欠工资问题（凌晨）"))
        assert case.received_at.date() == local.date()
        db.session.remove()
        db.engine.dispose()


# -- iCal: local times carry their zone, the stamp is true UTC ----------------------------------------------------
@pytest.mark.parametrize("zone", PROCESS_ZONES)
def test_ical_feed_instants(app, client, login_as, zone):
    from icalendar import Calendar
    from plugins.hearing.models import Hearing
    h = db.session.scalar(select(Hearing).where(Hearing.scheduled_at.is_not(None)).order_by(Hearing.id))
    local = datetime(2026, 12, 8, 1, 30)
    with at_local(local, zone):
        login_as("mediator")
        for path in (f"/hearing/{h.id}.ics", None):
            if path is None:        # the subscribed feed, read without a session
                html = client.post("/hearing/feed").get_data(as_text=True)
                path = html.split('id="feed-url">')[1].split("<")[0].split("localhost", 1)[1]
            data = client.get(path).data
            assert b"DTSTART;TZID=Asia/Shanghai:" in data and b"BEGIN:VTIMEZONE" in data
            cal = Calendar.from_ical(data)
            assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
            (ev,) = [e for e in cal.walk("VEVENT") if e["UID"] == f"hearing-{h.id}@concord"]
            start, end, stamp = ev.decoded("dtstart"), ev.decoded("dtend"), ev.decoded("dtstamp")
            assert start == h.scheduled_at.replace(tzinfo=LOCAL)                  # the same instant
            assert start.astimezone(timezone.utc) == h.scheduled_at.replace(tzinfo=LOCAL).astimezone(timezone.utc)
            assert end > start
            assert stamp.utcoffset() == timedelta(0)
            assert stamp == local.replace(tzinfo=LOCAL)                          # 17:30Z the day before
            assert b"DTSTAMP:20261207T173000Z" in data


def test_an_unknown_zone_stops_the_start(tmp_path, monkeypatch):
    from core.config import load_config
    monkeypatch.setenv("CONCORD_TIMEZONE", "Asia/Beijing")          # not an IANA name
    with pytest.raises(ValueError, match="CONCORD_TIMEZONE"):
        load_config({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    monkeypatch.setenv("CONCORD_TIMEZONE", "Asia/Urumqi")
    cfg = load_config({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    assert cfg["TIMEZONE"] == cfg["BABEL_DEFAULT_TIMEZONE"] == "Asia/Urumqi"
