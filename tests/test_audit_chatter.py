"""Chatter on a core record type (core_user: administrators only): notes, attachments, activities."""
import io
import os
import re
import zipfile

import pytest
from sqlalchemy import func, select

from conftest import csrf_token_from
from core.audit.models import Activity, Attachment, AuditLog
from core.auth.models import User
from core.db import db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _user(name):
    return db.session.scalar(select(User).where(User.username == name))


def _docx(main="word/document.xml"):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(main, "<doc/>")
    return buf.getvalue()


def _upload(client, record_id, name, data, **extra):
    return client.post(f"/chatter/r/core_user/{record_id}/attachments?lang=en", data={
        "chatter-file-file": (io.BytesIO(data), name), **extra}, content_type="multipart/form-data",
        follow_redirects=True)


def _attachments():
    return db.session.scalar(select(func.count(Attachment.id)))


def _files(app):
    root = os.path.join(app.instance_path, "attachments")
    return [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs]


def test_panel_shows_history_newest_first(app, login_as):
    from core.audit.services import log_note
    grid1, admin = _user("grid1"), _user("admin")
    log_note("core_user", grid1.id, "first note", user=admin)
    db.session.commit()
    grid1.display_name = "陈网格二"
    db.session.commit()
    log_note("core_user", grid1.id, "second note", user=admin)
    db.session.commit()
    html = login_as("admin").get(f"/chatter/r/core_user/{grid1.id}").get_data(as_text=True)
    second, change, first = html.index("second note"), html.index("陈网格二</span>"), html.index("first note")
    assert second < change < first
    assert 'name="chatter-note-text"' in html and 'name="chatter-file-file"' in html
    assert 'name="chatter-activity-summary"' in html


def test_note_posted_through_the_form(app, login_as):
    client = login_as("admin")
    grid1 = _user("grid1")
    resp = client.post(f"/chatter/r/core_user/{grid1.id}/note", data={
        "chatter-note-text": "电话回访，已联系。", "next": f"/admin/users/{grid1.id}"})
    assert resp.status_code == 302 and resp.location.endswith(f"/admin/users/{grid1.id}")
    (note,) = db.session.scalars(select(AuditLog).where(AuditLog.action == "note",    # demo data has notes too
                                                        AuditLog.record_type == "core_user")).all()
    assert note.text == "电话回访，已联系。" and note.user_id == _user("admin").id
    # an outside "next" is not followed; an empty note is refused with a message
    resp = client.post(f"/chatter/r/core_user/{grid1.id}/note?lang=en", data={
        "chatter-note-text": "  ", "next": "https://evil.example/"}, follow_redirects=True)
    assert "evil" not in resp.request.url and "The note is empty." in resp.get_data(as_text=True)


def test_attachment_round_trip_is_a_download(app, login_as):
    client = login_as("admin")
    grid1 = _user("grid1")
    resp = _upload(client, grid1.id, "协议书.pdf", PDF)
    assert "attached" in resp.get_data(as_text=True)
    att = db.session.scalar(select(Attachment))
    assert att.kind == "pdf" and att.size == len(PDF) and att.filename == "协议书.pdf"
    assert "/" in att.stored_name and "协议书" not in att.stored_name  # random name, not the user's
    dl = client.get(f"/chatter/attachments/{att.id}")
    assert dl.status_code == 200 and dl.data == PDF
    assert dl.mimetype == "application/pdf"
    assert dl.headers["Content-Disposition"].startswith("attachment")
    assert dl.headers["X-Content-Type-Options"] == "nosniff" and "sandbox" in dl.headers["Content-Security-Policy"]
    html = client.get(f"/chatter/r/core_user/{grid1.id}").get_data(as_text=True)
    assert f"/chatter/attachments/{att.id}" in html


@pytest.mark.parametrize("name,data,message", [
    ("page.html", b"<html><script>alert(1)</script></html>", "cannot be attached"),
    ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "cannot be attached"),
    ("fake.pdf", PNG, "is not a PDF file"),
    ("fake.png", PDF, "is not a PNG file"),
    ("fake.docx", _docx(main="xl/workbook.xml"), "is not a DOCX file"),
    ("binary.txt", b"abc\x00\x01\x02", "is not a TXT file"),
    ("empty.pdf", b"", "The file is empty."),
])
def test_attachment_type_is_checked_by_extension_and_content(app, login_as, name, data, message):
    client = login_as("admin")
    resp = _upload(client, _user("grid1").id, name, data)
    assert message in resp.get_data(as_text=True)
    assert _attachments() == 0 and _files(app) == []


@pytest.mark.parametrize("name,data", [("a.docx", _docx()), ("b.xlsx", _docx("xl/workbook.xml")),
                                       ("c.png", PNG), ("d.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20),
                                       ("e.txt", "中文记录\n".encode("gb18030"))])
def test_accepted_types(app, login_as, name, data):
    _upload(login_as("admin"), _user("grid1").id, name, data)
    assert _attachments() == 1


def test_attachment_size_limit(app, login_as):
    app.config["ATTACHMENT_MAX_BYTES"] = 1024
    client = login_as("admin")
    resp = _upload(client, _user("grid1").id, "big.pdf", PDF + b"0" * 2048)
    assert "larger than the limit" in resp.get_data(as_text=True)
    assert _attachments() == 0 and _files(app) == []


def test_default_size_limit_is_ten_megabytes(app):
    from core.audit.attachments import AttachmentError, check_file, max_bytes
    assert max_bytes() == 10 * 1024 * 1024
    with pytest.raises(AttachmentError, match="10 MB"):
        check_file("x.pdf", PDF + b"0" * (10 * 1024 * 1024), max_bytes())


def test_rolled_back_upload_leaves_no_file(app):
    from core.audit.services import add_attachment
    add_attachment("core_user", 1, PDF, filename="x.pdf")
    assert len(_files(app)) == 1
    db.session.rollback()
    assert _files(app) == [] and _attachments() == 0


def test_users_without_access_get_404_and_403(app, login_as):
    from core.audit.services import add_attachment
    grid1 = _user("grid1")
    att = add_attachment("core_user", grid1.id, PDF, filename="x.pdf", user=_user("admin"))
    db.session.commit()
    client = login_as("officer")  # may not manage users, so may not see a user's chatter
    assert client.get(f"/chatter/attachments/{att.id}").status_code == 404
    assert client.get(f"/chatter/r/core_user/{grid1.id}").status_code == 404
    assert client.post(f"/chatter/r/core_user/{grid1.id}/note", data={"chatter-note-text": "x"}).status_code == 404
    assert _upload(client, grid1.id, "y.pdf", PDF).status_code == 404
    assert client.get("/chatter/r/no_such_type/1").status_code == 404
    assert login_as("admin").get("/chatter/r/no_such_type/1").status_code == 404


def test_view_only_users_may_not_post(app, login_as):
    from core.audit.access import register_record_access
    register_record_access("core_region", lambda u, rid: True, lambda u, rid: False)
    client = login_as("grid1")
    resp = client.get("/chatter/r/core_region/1")
    assert resp.status_code == 200 and "chatter-note-text" not in resp.get_data(as_text=True)
    assert client.post("/chatter/r/core_region/1/note", data={"chatter-note-text": "x"}).status_code == 403


def test_activity_plan_notify_and_complete(app, login_as):
    from core.notifications.models import Notification
    client = login_as("admin")
    grid1, officer = _user("grid1"), _user("officer")
    # a notification about a record goes only to those who may open it: user records are for user
    # administrators, so the officer is one here too (holds the administrator's roles as well)
    officer.roles = list(officer.roles) + [r for r in _user("admin").roles if r not in officer.roles]
    db.session.commit()
    resp = client.post(f"/chatter/r/core_user/{grid1.id}/activities", data={
        "chatter-activity-summary": "核实住址", "chatter-activity-assignee": str(officer.id),
        "chatter-activity-due_date": "2026-12-01"})
    assert resp.status_code == 302
    act = db.session.scalar(select(Activity))
    assert (act.summary, act.assignee_id, act.due_date.isoformat(), act.done) == ("核实住址", officer.id, "2026-12-01", False)
    note = db.session.scalar(select(Notification).where(Notification.user_id == officer.id))
    assert "核实住址" in note.title and note.url == f"/admin/users/{grid1.id}"
    html = client.get(f"/chatter/r/core_user/{grid1.id}").get_data(as_text=True)
    assert "核实住址" in html and f"/chatter/activities/{act.id}/done" in html
    bad = client.post(f"/chatter/r/core_user/{grid1.id}/activities?lang=en", data={
        "chatter-activity-summary": "x", "chatter-activity-assignee": "99999",
        "chatter-activity-due_date": "2026-02-31"}, follow_redirects=True)
    assert "Not a valid" in bad.get_data(as_text=True) and db.session.scalar(select(func.count(Activity.id))) == 1
    assert client.post(f"/chatter/activities/{act.id}/done").status_code == 302
    db.session.expire_all()
    assert act.done and act.done_by_id == _user("admin").id
    again = client.post(f"/chatter/activities/{act.id}/done?lang=en", follow_redirects=True)
    assert "already done" in again.get_data(as_text=True)
    # someone who may not open user records is assigned the activity but not told of a record they cannot open
    grid2 = _user("grid2")
    assert client.post(f"/chatter/r/core_user/{grid1.id}/activities", data={
        "chatter-activity-summary": "核对电话", "chatter-activity-assignee": str(grid2.id)}).status_code == 302
    assert db.session.scalar(select(Notification).where(Notification.user_id == grid2.id)) is None


def test_home_card_lists_my_open_activities(app, login_as):
    from core.audit.services import add_activity
    add_activity("core_user", 1, "准备听证材料", _user("admin"), user=_user("officer"))
    # the card lists only activities on records its reader may open: a mediator cannot open user records
    add_activity("core_user", 1, "核对账号信息", _user("mediator"), user=_user("admin"))
    db.session.commit()
    assert "准备听证材料" in login_as("admin").get("/").get_data(as_text=True)
    assert "核对账号信息" not in login_as("mediator").get("/").get_data(as_text=True)


def test_chatter_forms_need_the_csrf_token(csrf_app):
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": "admin", "password": "concord-demo", "csrf_token": token})
    grid1 = _user("grid1")
    url = f"/chatter/r/core_user/{grid1.id}/note"
    assert client.post(url, data={"chatter-note-text": "no token"}).status_code == 400
    page = client.get(f"/chatter/r/core_user/{grid1.id}").get_data(as_text=True)
    # each form's first hidden fields: its one-time token (``_once``, core.concurrency.idempotency), the CSRF token
    forms = re.findall(r'<form method="post"[^>]*>\s*(?:<input type="hidden" name="_once"[^>]*>\s*)?'
                       r'<input type="hidden" name="csrf_token"', page)
    assert len(forms) >= 3  # note, attachment and activity forms all carry the token
    assert client.post(url, data={"chatter-note-text": "with token", "csrf_token": csrf_token_from(page)}).status_code == 302
    texts = db.session.scalars(select(AuditLog.text).where(AuditLog.action == "note",
                                                           AuditLog.record_type == "core_user")).all()
    assert texts == ["with token"]
