"""Audit trail: tracked fields written in the same transaction, append-only log, the admin page."""
import pytest
from sqlalchemy import func, select, text

from conftest import USE_PG
from core.audit import audit_actor
from core.audit.models import AuditLog
from core.auth.models import User
from core.db import db


def _user(name):
    return db.session.scalar(select(User).where(User.username == name))


def _rows(record_type, record_id, **where):
    stmt = select(AuditLog).where(AuditLog.record_type == record_type, AuditLog.record_id == str(record_id))
    for key, value in where.items():
        stmt = stmt.where(getattr(AuditLog, key) == value)
    return db.session.scalars(stmt.order_by(AuditLog.id)).all()


def test_tracked_change_writes_one_row_per_field_with_old_and_new(app):
    admin, grid1 = _user("admin"), _user("grid1")
    old_name = grid1.display_name
    with audit_actor(admin):
        grid1.display_name = "陈网格（改）"
        grid1.active = False
        grid1.phone = "13812345678"          # not tracked
        db.session.commit()
    rows = _rows("core_user", grid1.id, action="update")
    assert {(r.field, r.old, r.new) for r in rows} == {
        ("display_name", old_name, "陈网格（改）"), ("active", "true", "false")}
    assert all(r.user_id == admin.id for r in rows)


def test_relationship_changes_are_tracked_by_label(app):
    from core.auth.models import Role
    grid1 = _user("grid1")
    grid1.roles = [db.session.get(Role, "grid_worker"), db.session.get(Role, "mediator")]
    db.session.commit()
    (row,) = _rows("core_user", grid1.id, action="update", field="roles")
    assert row.user_id is None  # no request, no audit_actor: the system
    assert "调解员" in row.new and "调解员" not in row.old


def test_rollback_leaves_no_audit_rows(app):
    grid1 = _user("grid1")
    before = db.session.scalar(select(func.count(AuditLog.id)))
    grid1.display_name = "临时"
    db.session.flush()
    assert db.session.scalar(select(func.count(AuditLog.id))) == before + 1  # written in the transaction …
    db.session.rollback()
    assert db.session.scalar(select(func.count(AuditLog.id))) == before      # … and gone with it
    assert _rows("core_user", grid1.id, action="update") == []


def test_create_and_delete_of_a_tracked_record(app):
    from core.auth.services import create_user
    admin = _user("admin")
    with audit_actor(admin):
        user = create_user("temp1", "long-enough-pw", ["officer"], display_name="临时用户")
        db.session.commit()
        uid = user.id
        (created,) = _rows("core_user", uid, action="create")
        assert '"display_name": "临时用户"' in created.new and created.user_id == admin.id
        db.session.delete(user)
        db.session.commit()
    (deleted,) = _rows("core_user", uid, action="delete")
    assert "临时用户" in deleted.old


def test_a_web_edit_is_attributed_to_the_signed_in_user_with_ip(app, login_as):
    client = login_as("admin")
    officer = _user("officer")
    resp = client.post(f"/admin/users/{officer.id}", data={
        "username": "officer", "display_name": "王信访（新）", "roles": ["officer"],
        "region_code": officer.region.code, "active": "y", "version": officer.version})
    assert resp.status_code == 302
    db.session.expire_all()
    (row,) = _rows("core_user", officer.id, action="update", field="display_name")
    assert row.user_id == _user("admin").id and row.ip == "127.0.0.1" and row.new == "王信访（新）"


def test_sign_in_is_logged(app, login_as):
    login_as("officer")
    rows = _rows("core_user", _user("officer").id, action="login")
    assert len(rows) == 1 and rows[0].user_id == _user("officer").id


def test_the_app_offers_no_way_to_change_or_remove_audit_rows(app, login_as):
    import core.audit as audit_pkg
    import pkgutil, importlib, inspect
    for mod in pkgutil.iter_modules(audit_pkg.__path__):
        module = importlib.import_module(f"core.audit.{mod.name}")
        names = [n for n, f in inspect.getmembers(module, inspect.isfunction) if f.__module__ == module.__name__]
        assert not [n for n in names if n.startswith(("delete", "remove", "update", "edit", "purge"))], module
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("audit."):
            assert rule.methods - {"GET", "HEAD", "OPTIONS"} == set(), rule
    client = login_as("admin")
    assert client.post("/admin/audit/").status_code == 405


@pytest.mark.skipif(not USE_PG, reason="the append-only trigger exists on PostgreSQL only (SQLite has no such guard)")
def test_postgres_refuses_raw_update_and_delete(app):
    log_id = db.session.scalar(select(func.min(AuditLog.id)))
    for sql in ("UPDATE core_audit_log SET text = 'forged' WHERE id = :id",
                "DELETE FROM core_audit_log WHERE id = :id"):
        with pytest.raises(Exception, match="append-only"):
            db.session.execute(text(sql), {"id": log_id})
        db.session.rollback()
    with pytest.raises(Exception, match="append-only"):
        db.session.execute(text("TRUNCATE core_audit_log"))
    db.session.rollback()
    assert db.session.get(AuditLog, log_id).text is None


def test_audit_page_filters_by_record_user_and_dates(app, login_as):
    from core.audit.services import log_note
    admin, grid1 = _user("admin"), _user("grid1")
    log_note("core_user", grid1.id, "筛选测试", user=admin)
    db.session.commit()
    client = login_as("admin")
    page = client.get(f"/admin/audit/?record_type=core_user&record_id={grid1.id}&user={admin.id}&lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "筛选测试" in html and "Audit log" in html
    other = client.get(f"/admin/audit/?record_type=core_user&record_id={_user('grid2').id}").get_data(as_text=True)
    assert "筛选测试" not in other
    assert "筛选测试" not in client.get("/admin/audit/?date_to=2000-01-01").get_data(as_text=True)
    bad = client.get("/admin/audit/?date_from=2026-13-45&lang=en")
    assert bad.status_code == 200 and "Not a valid date" in bad.get_data(as_text=True)
    csv = client.get(f"/admin/audit/?record_type=core_user&record_id={grid1.id}&format=csv")
    assert csv.mimetype == "text/csv" and "筛选测试" in csv.get_data(as_text=True)


def test_audit_page_is_for_administrators_only(app, login_as):
    assert login_as("officer").get("/admin/audit/").status_code == 403
    assert "admin.audit.read" in _user("admin").permission_codes


def test_plugin_events_are_namespaced(app):
    from core.audit.services import log_event
    log_event("petition.forward", "petition_petition", 7, text="转交区住建局", user=_user("officer"))
    db.session.commit()
    (row,) = _rows("petition_petition", 7)
    assert row.action == "petition.forward" and row.user_id == _user("officer").id
    with pytest.raises(ValueError):
        log_event("forward", "petition_petition", 7)


def test_the_audit_filters_follow_renamed_users_and_the_language(app, login_as):
    """The filter's selects are kept per process and language while the users and record types stay the same:
    a renamed user shows under the new name at once, a new record type appears, and each language keeps its
    own words."""
    import re
    from core.audit.services import log_note
    client = login_as("admin")
    grid1 = _user("grid1")

    def user_options(html):
        select_ = re.search(r'<select name="user".*?</select>', html, re.S).group(0)
        return re.findall(r'<option value="(\d*)" (selected)?>([^<]*)</option>', select_)

    zh = client.get("/admin/audit/").get_data(as_text=True)
    assert any(text.startswith(grid1.display_name) for _v, _s, text in user_options(zh))
    assert "全部" in zh and "All" not in re.search(r'<select name="action".*?</select>', zh, re.S).group(0)
    grid1.display_name = "网格员𠀋改名"
    db.session.commit()
    renamed = client.get(f"/admin/audit/?user={grid1.id}").get_data(as_text=True)
    options = user_options(renamed)
    assert (str(grid1.id), "selected", "网格员𠀋改名 (grid1)") in options
    assert sum(1 for _v, chosen, _t in options if chosen) == 1
    # a value that is no option selects nothing (and is not kept as a drawing of its own)
    odd = client.get("/admin/audit/?user=999999&action=nonsense").get_data(as_text=True)
    assert not [o for o in user_options(odd) if o[1]]
    log_note("a_new_record_type", 1, "新类型", user=_user("admin"))
    db.session.commit()
    types = re.search(r'<select name="record_type".*?</select>',
                      client.get("/admin/audit/").get_data(as_text=True), re.S).group(0)
    assert 'value="a_new_record_type"' in types
    en = client.get("/admin/audit/?lang=en").get_data(as_text=True)
    action = re.search(r'<select name="action".*?</select>', en, re.S).group(0)
    assert "Action: all" in action and "Signed in" in action and "登录" not in action
    zh_again = client.get("/admin/audit/?lang=zh").get_data(as_text=True)
    assert "Signed in" not in re.search(r'<select name="action".*?</select>', zh_again, re.S).group(0)


def test_a_filter_is_drawn_once_for_the_same_words_and_choice(app):
    from core.shell.listing import Filter
    f = Filter("state", "阶段", [("open", "办理中"), ("a&b", "<b>")], lambda s, v: s)
    first = f.html("open", "全部")
    assert '<option value="open" selected>办理中</option>' in first and "&lt;b&gt;" in first
    assert 'value="a&amp;b" >' in first
    assert f.html("open", "全部") is first                     # drawn once for this choice
    nothing = f.html("no-such-value", "全部")
    assert "selected" not in nothing and nothing == f.html(None, "全部")
    assert "阶段: all" in f.html(None, "all")
    again = Filter("state", "阶段", [("open", "办理中"), ("a&b", "<b>")], lambda s, v: s)
    assert again.html("open", "全部") is first                 # a filter made anew with the same words
    renamed = Filter("state", "阶段", [("open", "处理中"), ("a&b", "<b>")], lambda s, v: s)
    assert '<option value="open" selected>处理中</option>' in renamed.html("open", "全部")   # new words: drawn anew


def test_the_audit_filter_lists_are_read_again_only_when_the_log_moves(app, login_as):
    """The users and record types the filter lists are kept while the log's newest entry stays the same: a page
    after a page runs no query for them; a new user (a tracked creation) is listed on the next page."""
    import re

    from sqlalchemy import event
    from core.auth.services import create_user
    client = login_as("auditor")
    seen = []

    def remember(conn, cursor, statement, params, context, executemany):
        seen.append(statement)
    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        client.get("/admin/audit/")
        seen.clear()
        assert "新来的审计员" not in client.get("/admin/audit/").get_data(as_text=True)
        assert not [s for s in seen if "WITH RECURSIVE" in s]           # kept: the log did not move
        with audit_actor(_user("admin")):
            create_user("newcomer", "Concord-Long-Pass-2026!", ["audit_admin"], display_name="新来的审计员")
            db.session.commit()
        seen.clear()
        page = client.get("/admin/audit/").get_data(as_text=True)
        assert len([s for s in seen if "WITH RECURSIVE" in s]) == 1
        users = re.search(r'<select name="user".*?</select>', page, re.S).group(0)
        assert "新来的审计员 (newcomer)" in users
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
