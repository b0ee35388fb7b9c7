"""Notifications: the in-app inbox, mark-read, the top-bar badge, the home card and extra channels."""
import re

from sqlalchemy import select

from conftest import csrf_token_from
from core.auth.models import User
from core.db import db
from core.notifications.models import Notification
from core.notifications.services import notify, unread_count


def _user(name):
    return db.session.scalar(select(User).where(User.username == name))


def _badge(html):
    m = re.search(r'class="inbox-link"[^>]*data-unread="(\d+)"', html)
    assert m, "no inbox link in the top bar"
    return int(m.group(1))


def test_notify_reaches_each_active_user_once(app):
    officer, mediator, grid2 = _user("officer"), _user("mediator"), _user("grid2")
    grid2.active = False
    made = notify([officer, mediator.id, officer, grid2], "新信访事项", "请及时处理", url="/petition/",
                  record=("petition_petition", 7))
    db.session.commit()
    assert sorted(n.user_id for n in made) == sorted([officer.id, mediator.id])
    n = db.session.scalar(select(Notification).where(Notification.user_id == officer.id))
    assert (n.title, n.body, n.url, n.record_type, n.record_id, n.read_at) == (
        "新信访事项", "请及时处理", "/petition/", "petition_petition", "7", None)
    assert notify([], "nobody") == []


def test_inbox_badge_home_card_and_mark_read(app, login_as):
    officer = _user("officer")
    notify(officer, "较早的通知", "正文一")
    db.session.commit()
    notify(officer, "较新的通知", "正文二", url="/")
    notify(_user("mediator"), "别人的通知")
    db.session.commit()
    client = login_as("officer")
    home = client.get("/").get_data(as_text=True)
    assert _badge(home) == 2 and "较新的通知" in home  # badge and home card
    inbox = client.get("/notifications/").get_data(as_text=True)
    assert inbox.index("较新的通知") < inbox.index("较早的通知") and "别人的通知" not in inbox
    newer = db.session.scalar(select(Notification).where(Notification.title == "较新的通知"))
    resp = client.post(f"/notifications/{newer.id}/read", data={"open": "1"})
    assert resp.status_code == 302 and resp.location.endswith("/")  # opened its link
    db.session.expire_all()
    assert newer.read_at is not None and unread_count(officer) == 1
    assert _badge(client.get("/notifications/").get_data(as_text=True)) == 1
    assert client.post("/notifications/read-all").status_code == 302
    assert unread_count(officer) == 0
    home = client.get("/").get_data(as_text=True)
    assert _badge(home) == 0 and "较早的通知" not in home  # the card is gone once all is read


def test_someone_elses_notification_cannot_be_marked(app, login_as):
    notify(_user("mediator"), "调解员的通知")
    db.session.commit()
    other = db.session.scalar(select(Notification).where(Notification.title == "调解员的通知"))
    assert login_as("officer").post(f"/notifications/{other.id}/read").status_code == 404
    db.session.expire_all()
    assert other.read_at is None


def test_outside_links_are_not_followed(app, login_as):
    notify(_user("officer"), "外链", url="https://evil.example/")
    db.session.commit()
    n = db.session.scalar(select(Notification).where(Notification.title == "外链"))
    client = login_as("officer")
    assert 'name="open"' not in client.get("/notifications/").get_data(as_text=True)  # no "Open" button
    resp = client.post(f"/notifications/{n.id}/read", data={"open": "1"})
    assert resp.location.endswith("/notifications/")


def test_inbox_needs_login_and_mark_read_needs_csrf(csrf_app):
    client = csrf_app.test_client()
    assert client.get("/notifications/").status_code == 302
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": "officer", "password": "concord-demo", "csrf_token": token})
    notify(_user("officer"), "要读的通知")
    db.session.commit()
    n = db.session.scalar(select(Notification).where(Notification.title == "要读的通知"))
    assert client.post(f"/notifications/{n.id}/read").status_code == 400
    page = client.get("/notifications/").get_data(as_text=True)
    assert client.post(f"/notifications/{n.id}/read", data={"csrf_token": csrf_token_from(page)}).status_code == 302
    db.session.expire_all()
    assert n.read_at is not None


class Recorder:
    def __init__(self, fail=False):
        self.sent, self.fail = [], fail

    def send(self, message):
        if self.fail:
            raise RuntimeError("gateway down")
        self.sent.append(message)


def test_plugin_channels_are_called_after_commit_only(app):
    broken, sms = Recorder(fail=True), Recorder()
    ctx = app.extensions["concord"].core_context()
    ctx.contribute("notification_channel", "core.test_broken", broken)
    ctx.contribute("notification_channel", "core.test_sms", sms)
    officer = _user("officer")
    notify(officer, "回滚的通知")
    db.session.rollback()
    assert sms.sent == []
    notify(officer, "提交的通知", "正文", url="/x")
    assert sms.sent == []          # not before the commit
    db.session.commit()
    (msg,) = sms.sent
    assert (msg.user_id, msg.username, msg.title, msg.body, msg.url) == (officer.id, "officer", "提交的通知", "正文", "/x")
    assert db.session.scalar(select(Notification).where(Notification.title == "提交的通知")) is not None
