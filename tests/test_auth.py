"""Accounts and access: login, lockout, CSRF, permissions on every route, region scoping."""
from conftest import csrf_token_from, login


def test_login_success_and_failure_messages(client):
    resp = login(client, "officer", "wrong-password")
    assert resp.status_code == 200
    assert "用户名或密码错误" in resp.get_data(as_text=True)
    assert login(client, "officer").status_code == 302
    assert client.get("/").status_code == 200


def test_lockout_after_repeated_failures(client, app):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client, "legal", "nope-nope")
    resp = login(client, "legal")  # right password, but locked
    assert resp.status_code == 200
    assert "锁定" in resp.get_data(as_text=True)


def test_passwords_are_hashed(app):
    from core.auth.models import User
    from core.db import db
    from sqlalchemy import select
    user = db.session.scalar(select(User).where(User.username == "admin"))
    assert user.password_hash.startswith("scrypt:") and "concord-demo" not in user.password_hash


def test_csrf_rejects_a_form_without_token(csrf_app):
    client = csrf_app.test_client()
    resp = client.post("/login", data={"username": "admin", "password": "concord-demo"})
    assert resp.status_code == 400
    page = client.get("/login").get_data(as_text=True)
    resp = client.post("/login", data={"username": "admin", "password": "concord-demo",
                                       "csrf_token": csrf_token_from(page)})
    assert resp.status_code == 302


def test_session_cookie_flags(client):
    resp = login(client, "admin")
    cookie = resp.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_anonymous_is_sent_to_login(client):
    for path in ("/", "/petition/", "/admin/", "/admin/users"):
        resp = client.get(path)
        assert resp.status_code == 302 and "/login" in resp.location


def test_every_route_declares_a_permission(app):
    from core.auth.guard import view_permission
    undeclared = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if view_permission(rule.endpoint) is None:
                undeclared.append(rule.endpoint)
    assert undeclared == []


def _routes_needing(app, exclude_roles_with):
    """GET routes without URL parameters, with their declared permissions."""
    from core.auth.guard import LOGIN, PUBLIC, view_permission
    out = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            mark = view_permission(rule.endpoint)
            if "GET" in rule.methods and not rule.arguments and mark not in (PUBLIC, LOGIN) and not rule.rule.startswith("/api/"):
                out.append((rule.rule, mark))
    return out


def test_every_page_refuses_a_role_without_its_permission(app, client):
    from core.auth.models import User
    from core.db import db
    from sqlalchemy import select
    routes = _routes_needing(app, None)
    assert routes, "no guarded routes found"
    for username in ("grid1", "aid", "leader", "mediator"):
        client.post("/logout")
        login(client, username)
        user = db.session.scalar(select(User).where(User.username == username))
        for path, perms in routes:
            status = client.get(path).status_code
            if any(user.can(p) for p in perms):
                assert status in (200, 302), (username, path, status)
            else:
                assert status == 403, (username, path, status)


def test_each_demo_account_sees_only_its_menus(client):
    expected = {
        "admin": {"petition.root", "hearing.root", "mediation.root", "legal_aid.root", "centre.root", "admin.root"},
        "grid1": {"mediation.root"},
        "aid": {"legal_aid.root", "centre.root"},
    }
    import re
    for username, menus in expected.items():
        client.post("/logout")
        login(client, username)
        html = client.get("/").get_data(as_text=True)
        seen = set(re.findall(r'data-menu="([a-z_]+\.root)"', html))
        assert seen == menus, (username, seen)


def test_language_switch_is_remembered(client):
    html = client.get("/login?lang=en").get_data(as_text=True)
    assert "Sign in" in html
    assert "Sign in" in client.get("/login").get_data(as_text=True)
    assert "登录" in client.get("/login?lang=zh").get_data(as_text=True)


def test_default_language_is_chinese(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'lang="zh-CN"' in html and "登录" in html


def test_region_scope(app):
    from core.auth.models import User
    from core.regions import Region, in_scope
    from core.db import db
    from sqlalchemy import select
    grid1 = db.session.scalar(select(User).where(User.username == "grid1"))
    grid2 = db.session.scalar(select(User).where(User.username == "grid2"))
    officer = db.session.scalar(select(User).where(User.username == "officer"))
    assert in_scope(grid1, grid1.region_id) and not in_scope(grid1, grid2.region_id)
    assert in_scope(officer, grid1.region_id) and in_scope(officer, grid2.region_id)
    district = db.session.scalar(select(Region).where(Region.code == "430611000000"))
    assert not in_scope(grid1, district.id)


def test_optimistic_lock_conflict_on_user_edit(client, app):
    from core.auth.models import User
    from core.db import db
    from sqlalchemy import select
    login(client, "admin")
    user = db.session.scalar(select(User).where(User.username == "leader"))
    stale = user.version
    form = {"username": "leader", "display_name": "新名字", "roles": ["leader"], "region_code": "430611000000",
            "active": "y", "version": str(stale)}
    assert client.post(f"/admin/users/{user.id}", data=form).status_code == 302
    form["display_name"] = "又一个名字"
    resp = client.post(f"/admin/users/{user.id}", data=form)  # same (now stale) version
    assert resp.status_code == 409
    db.session.expire_all()
    assert db.session.get(User, user.id).display_name == "新名字"
