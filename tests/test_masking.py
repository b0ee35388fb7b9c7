"""Personal data: masked by default, full for the roles that may read it, and every full read logged."""
import pytest
from sqlalchemy import select

from core.audit.masking import mask_id_number, mask_phone, reveal
from core.audit.models import AuditLog
from core.auth.guard import login_only
from core.auth.models import User
from core.db import db

ID = "430611199001011234"
PHONE = "13812345678"


def _user(name):
    return db.session.scalar(select(User).where(User.username == name))


def _reads():
    return db.session.scalars(select(AuditLog).where(AuditLog.action == "read_personal").order_by(AuditLog.id)).all()


def test_mask_formats():
    assert mask_id_number(ID) == "4306**********1234"
    assert mask_id_number("430611900101123") == "4306*******1123"   # old 15-digit number
    assert mask_phone(PHONE) == "138****5678"
    assert mask_phone("0730-8221234") == "073*****1234"
    assert mask_phone("1234567") == "*******" and mask_id_number("12") == "**"  # too short: all hidden
    assert mask_phone(None) is None and mask_id_number("") == ""


@pytest.mark.parametrize("username", ["officer", "legal", "aid", "admin"])
def test_full_read_is_returned_and_logged(app, username):
    user = _user(username)
    assert reveal(user, "core_user", 5, "id_number", ID) == ID
    assert reveal(user, "core_user", 5, "phone", PHONE) == PHONE
    db.session.commit()
    rows = _reads()
    assert [(r.user_id, r.record_type, r.record_id, r.field) for r in rows] == [
        (user.id, "core_user", "5", "id_number"), (user.id, "core_user", "5", "phone")]
    assert all(r.old is None and r.new is None for r in rows)  # the value itself is not copied into the log


@pytest.mark.parametrize("username", ["mediator", "grid1", "grid2", "leader"])
def test_others_get_masked_values_and_no_log(app, username):
    user = _user(username)
    assert reveal(user, "core_user", 5, "id_number", ID) == "4306**********1234"
    assert reveal(user, "core_user", 5, "phone", PHONE) == "138****5678"
    assert reveal(None, "core_user", 5, "phone", PHONE) == "138****5678"
    db.session.commit()
    assert _reads() == []


def test_template_filter_on_a_get_page_logs_even_without_a_commit(app, login_as):
    @login_only
    def show():
        from flask import render_template_string
        return render_template_string(
            "<p>{{ phone|personal('core_user', 2, 'phone') }}</p>"
            "<p>{{ reveal_personal('core_user', 2, 'id_number', idn) }}</p>"
            "<p>{{ phone|personal('core_user', 2, 'phone') }}</p>", phone=PHONE, idn=ID)
    app.add_url_rule("/_test/personal", "test_personal", show)

    html = login_as("officer").get("/_test/personal").get_data(as_text=True)
    assert PHONE in html and ID in html
    db.session.expire_all()
    officer = _user("officer")
    # one row per response (issue 22), naming both fields
    assert [(r.user_id, r.field) for r in _reads()] == [(officer.id, "id_number,phone")]
    assert _reads()[0].ip == "127.0.0.1"

    html = login_as("mediator").get("/_test/personal").get_data(as_text=True)
    assert PHONE not in html and "138****5678" in html and "4306**********1234" in html
    db.session.expire_all()
    assert len(_reads()) == 1      # the masked reads log nothing


def test_permission_is_declared_and_granted(app):
    for username, full in [("admin", True), ("officer", True), ("legal", True), ("aid", True),
                           ("mediator", False), ("grid1", False), ("grid2", False), ("leader", False)]:
        assert _user(username).can("core.personal_data.read_full") is full, username


def test_a_read_before_the_request_commits_joins_that_commit_once(app, login_as):
    from flask_login import current_user

    @login_only
    def read_then_commit():
        shown = reveal(current_user, "core_user", 3, "phone", PHONE)
        db.session.commit()
        return shown
    app.add_url_rule("/_test/read-commit", "test_read_commit", read_then_commit)

    assert login_as("aid").get("/_test/read-commit").get_data(as_text=True) == PHONE
    db.session.expire_all()
    assert [(r.record_id, r.field) for r in _reads()] == [("3", "phone")]
