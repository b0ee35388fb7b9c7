"""The admin page of the holiday table: who may use it, CSRF, add/edit/delete, bad input."""
from datetime import date

from sqlalchemy import select

from core.calendar.cache import get_calendar
from core.calendar.models import Holiday, HolidayYear
from core.db import db
from conftest import csrf_token_from


def entry(day):
    db.session.expire_all()
    return db.session.scalar(select(Holiday).where(Holiday.date == day))


def test_admin_sees_a_year(login_as):
    c = login_as("admin")
    page = c.get("/admin/calendar/?year=2026").get_data(as_text=True)
    assert "2026-02-14" in page and "春节" in page and "2026-10-10" in page
    assert c.get("/admin/calendar/?year=abc").status_code == 200
    assert "/admin/calendar/" in c.get("/admin/").get_data(as_text=True)  # linked from the admin area
    rules = c.get("/admin/calendar/rules").get_data(as_text=True)
    assert "petition.handle" in rules and "信访工作条例 第三十四条" in rules


def test_other_roles_are_refused(login_as):
    c = login_as("officer")
    assert c.get("/admin/calendar/").status_code == 403
    assert c.post("/admin/calendar/new", data={"date": "2026-10-08", "kind": "holiday", "name": "x"}).status_code == 403
    assert entry(date(2026, 10, 8)) is None


def test_add_edit_delete(login_as):
    c = login_as("admin")
    assert c.post("/admin/calendar/new", data={"date": "2026-10-08", "kind": "holiday", "name": "地方假日"}).status_code == 302
    row = entry(date(2026, 10, 8))
    assert (row.kind, row.name, row.source) == ("holiday", "地方假日", "admin admin")
    assert not get_calendar().is_working(date(2026, 10, 8))
    resp = c.post(f"/admin/calendar/{row.id}", data={"date": "2026-10-08", "kind": "workday", "name": "国庆节"})
    assert resp.status_code == 302
    assert entry(date(2026, 10, 8)).kind == "workday"
    # a bare POST only leads to the confirmation page, which names the day
    assert c.post(f"/admin/calendar/{row.id}/delete").headers["Location"].endswith(f"/admin/calendar/{row.id}/delete")
    assert row.date.isoformat() in c.get(f"/admin/calendar/{row.id}/delete").get_data(as_text=True)
    assert c.post(f"/admin/calendar/{row.id}/delete", data={"confirm": "1"}).status_code == 302
    assert entry(date(2026, 10, 8)) is None
    assert get_calendar().is_working(date(2026, 10, 8))
    assert c.post("/admin/calendar/999999/delete").status_code == 404


def test_bad_input_rewrites_the_form_and_writes_nothing(login_as):
    c = login_as("admin")
    before = db.session.scalar(select(db.func.count(Holiday.id)))
    for data in ({"date": "2026-02-30", "kind": "holiday", "name": "x"},
                 {"date": "2026-10-08", "kind": "sometimes", "name": "x"},
                 {"date": "2026-10-08", "kind": "holiday", "name": ""},
                 {"date": "2026-02-14", "kind": "holiday", "name": "重复"},   # already in the table
                 {"date": "1800-01-01", "kind": "holiday", "name": "x"}):
        resp = c.post("/admin/calendar/new", data=data)
        assert resp.status_code == 200, data
        assert 'role="alert"' in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count(Holiday.id))) == before


def test_mark_a_year_covered(login_as):
    c = login_as("admin")
    assert c.post("/admin/calendar/year/2027", data={"covered": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(HolidayYear, 2027).covered
    assert 2027 not in get_calendar().uncovered


def test_forms_need_the_csrf_token(csrf_app):
    c = csrf_app.test_client()
    page = c.get("/login").get_data(as_text=True)
    resp = c.post("/login", data={"username": "admin", "password": "concord-demo", "csrf_token": csrf_token_from(page)})
    assert resp.status_code == 302
    resp = c.post("/admin/calendar/new", data={"date": "2026-10-08", "kind": "holiday", "name": "x"})
    assert resp.status_code == 400
    assert entry(date(2026, 10, 8)) is None
    form = c.get("/admin/calendar/new").get_data(as_text=True)
    resp = c.post("/admin/calendar/new", data={"date": "2026-10-08", "kind": "holiday", "name": "x",
                                               "csrf_token": csrf_token_from(form)})
    assert resp.status_code == 302
    assert entry(date(2026, 10, 8)) is not None
