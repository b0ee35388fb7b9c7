"""Issue 16, the holes probing found: each test failed before its fix.

Derived views list only openable records, a person lookup by ID number stays inside the caller's scope,
logout / password change / reset / disable end every session and token, logout is a POST, huge ids are 404,
trusted proxies, Secure cookies and HSTS in production, LIKE wildcards, bidi controls, the CSV type."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from conftest import DEMO_PASSWORD, login
from core.auth.models import ApiToken, User
from core.db import db


def _user(name):
    return db.session.scalar(select(User).where(User.username == name))


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


# -- 1. derived views ------------------------------------------------------------------------------
def test_dashboard_drill_down_and_export_list_only_records_the_viewer_may_open(app, client):
    from plugins.legal_aid.models import AidApplication
    apps = db.session.scalars(select(AidApplication)).all()
    assert apps, "the demo data has legal-aid applications"
    year = apps[0].received_at.year
    url = f"/dashboard/records?m=legal_aid.applications&period={year}&format=csv"
    refs = {a.reference for a in apps if a.received_at.year == year}

    login(client, "leader")                      # may open legal-aid applications: sees them
    assert refs & set(client.get(url).get_data(as_text=True).split(","))  or any(
        r in client.get(url).get_data(as_text=True) for r in refs)
    for name in ("mediator", "officer"):         # 403 on /legal_aid/aid/<id>: must not read them here either
        client.post("/logout")
        login(client, name)
        assert client.get(f"/legal_aid/aid/{apps[0].id}").status_code == 403
        text = client.get(url).get_data(as_text=True)
        assert not any(r in text for r in refs), name
        page = client.get(url.replace("&format=csv", "")).get_data(as_text=True)
        assert not any(r in page for r in refs), name


def test_a_notification_about_a_record_reaches_only_those_who_may_open_it(app):
    from core.notifications.services import notify
    from plugins.mediation.models import Dispute, Grid, GridWorker
    grid1_grid = db.session.scalar(select(Grid).join(GridWorker, GridWorker.grid_id == Grid.id)
                                   .where(GridWorker.user_id == _user("grid1").id))
    dispute = db.session.scalar(select(Dispute).where(Dispute.grid_id == grid1_grid.id))
    sent = notify([_user("grid1"), _user("grid2")], "测试通知", record=("mediation_dispute", dispute.id))
    assert [n.user_id for n in sent] == [_user("grid1").id]


def test_hotspots_count_only_records_the_viewer_may_open(app):
    from datetime import datetime
    from core.kpi.hotspots import find
    from core.kpi.regions import root_for, subtree_ids
    from core.audit.access import may_view
    start, end = datetime(2000, 1, 1), datetime(2100, 1, 1)
    for name in ("grid1", "mediator", "officer"):
        user = _user(name)
        region = root_for(user)
        for h in find(region, start, end, subtree_ids(region), viewer=user, min_items=1):
            for item in h.items:
                assert may_view(user, item["record_type"], item["id"]), (name, item["record_type"], item["id"])


# -- 2. person lookup by ID number -----------------------------------------------------------------
def test_a_grid_worker_cannot_reveal_or_attach_a_person_outside_its_grid(app, client, api_token):
    from core.parties import create_person
    from core.parties.validation import id_check_char
    from plugins.mediation.models import Grid, GridWorker
    grid_of = lambda n: db.session.scalar(select(Grid).join(GridWorker, GridWorker.grid_id == Grid.id)
                                          .where(GridWorker.user_id == _user(n).id))
    id17 = "43061119800101123"
    secret = create_person("真实姓名", id_number=id17 + id_check_char(id17), region_id=grid_of("grid2").region_id)
    db.session.commit()
    body = {"grid_id": grid_of("grid1").id, "category": "neighbour", "summary": "邻里纠纷", "risk_level": "green",
            "found_at": "2026-03-02T09:30:00", "parties": [{"name": "假名", "id_number": secret.id_number}]}
    resp = client.post("/api/v1/disputes", headers=_auth(api_token("grid1")), json=body)
    assert resp.status_code == 201, resp.get_json()
    text = resp.get_data(as_text=True)
    assert "真实姓名" not in text
    from plugins.mediation.models import Dispute
    dispute = db.session.get(Dispute, resp.get_json()["id"])
    assert secret.id not in {p.person_id for p in dispute.parties}
    # inside the caller's own grid the same ID number still finds the same person
    own = create_person("本村人", id_number="430611199001011231", region_id=grid_of("grid1").region_id)
    db.session.commit()
    body["parties"] = [{"name": "本村人", "id_number": own.id_number}]
    resp = client.post("/api/v1/disputes", headers=_auth(api_token("grid1")), json=body)
    db.session.expire_all()
    assert own.id in {p.person_id for p in db.session.get(Dispute, resp.get_json()["id"]).parties}


# -- 3/4. sessions end; logout is a POST -----------------------------------------------------------
def _clients(app, n):
    out = []
    for _ in range(n):
        c = app.test_client()
        assert login(c, "officer").status_code == 302
        assert c.get("/").status_code == 200
        out.append(c)
    return out


def test_logout_is_a_post_and_ends_every_session_and_token_of_the_user(app, client, api_token):
    a, b = _clients(app, 2)
    token = api_token("officer")
    assert client.get("/api/v1/petitions", headers=_auth(token)).status_code == 200
    assert a.get("/logout").status_code == 405          # <img src=/logout> signs nobody out
    assert a.get("/").status_code == 200
    assert a.post("/logout").status_code == 302
    for c in (a, b):
        resp = c.get("/")
        assert resp.status_code == 302 and "/login" in resp.location
    assert client.get("/api/v1/petitions", headers=_auth(token)).status_code == 401


def test_logout_needs_the_csrf_token(csrf_app):
    from conftest import csrf_token_from
    c = csrf_app.test_client()
    page = c.get("/login").get_data(as_text=True)
    c.post("/login", data={"username": "officer", "password": DEMO_PASSWORD, "csrf_token": csrf_token_from(page)})
    assert c.post("/logout").status_code == 400
    assert c.get("/").status_code == 200
    token = csrf_token_from(c.get("/").get_data(as_text=True))
    assert c.post("/logout", data={"csrf_token": token}).status_code == 302
    assert c.get("/").status_code == 302


def test_password_change_reset_and_disable_end_sessions_and_tokens(app, client, api_token):
    a, = _clients(app, 1)
    token = api_token("officer")
    # own change: the other browser and the token end, this browser continues
    login(client, "officer")
    resp = client.post("/account/password", data={"current": DEMO_PASSWORD, "new": "Neue-Passwort-2026",
                                                  "repeat": "Neue-Passwort-2026"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    assert client.get("/").status_code == 200
    assert a.get("/").status_code == 302
    assert client.get("/api/v1/petitions", headers=_auth(token)).status_code == 401
    # an administrator's reset, then a disable
    from core.admin.services import update_user
    officer = _user("officer")
    token = api_token("officer", "Neue-Passwort-2026")
    update_user(officer, display_name=officer.display_name, roles=["officer"], region_code=officer.region.code,
                active=True, password="Reset-by-admin-77")
    db.session.commit()
    assert client.get("/").status_code == 302
    assert db.session.scalar(select(func.count(ApiToken.id)).where(ApiToken.user_id == officer.id)) == 0
    b = app.test_client()
    assert login(b, "officer", "Reset-by-admin-77").status_code == 302
    update_user(officer, display_name=officer.display_name, roles=["officer"], region_code=officer.region.code,
                active=False, password=None)
    db.session.commit()
    assert b.get("/").status_code == 302


def test_idle_timeout_and_absolute_lifetime(app, client):
    login(client, "officer")
    assert client.get("/").status_code == 200
    with client.session_transaction() as s:
        s["_seen_at"] = int(time.time()) - 31 * 60
    assert client.get("/").status_code == 302
    login(client, "officer")
    with client.session_transaction() as s:
        s["_signed_in_at"] = int(time.time()) - 13 * 3600
    assert client.get("/").status_code == 302


# -- 6. huge ids -----------------------------------------------------------------------------------
def test_an_id_the_database_cannot_hold_is_404_on_every_route(app, client, api_token):
    """Every GET route with an int part, generated from the URL map, as a signed-in administrator."""
    headers = _auth(api_token("admin"))
    login(client, "admin")
    checked = 0
    for rule, huge in [(r, h) for r in app.url_map.iter_rules() for h in ("99999999999999999999", "2147483648")]:
        if "GET" not in rule.methods or not rule.arguments:
            continue
        converters = {name: type(conv).__name__ for name, conv in rule._converters.items()}
        if not any(c.endswith("IntConverter") or c == "IntegerConverter" for c in converters.values()):
            continue
        path = rule.rule
        for name, conv in converters.items():
            value = huge if "Int" in conv else "x"
            path = path.replace(f"<int:{name}>", value).replace(f"<{name}>", value)
            path = path.replace(f"<path:{name}>", value)
        resp = client.get(path, headers=headers if path.startswith("/api/") else None)
        assert resp.status_code == 404, (path, resp.status_code)
        checked += 1
    assert checked >= 2 * 17


# -- 7. behind the proxy; production cookies ------------------------------------------------------
def test_trusted_proxy_secure_cookies_and_hsts(make_app):
    from core.audit.models import AuditLog
    app = make_app({"TRUSTED_PROXIES": 1, "PRODUCTION": True, "WTF_CSRF_ENABLED": False})
    c = app.test_client()
    resp = c.post("/login", data={"username": "officer", "password": DEMO_PASSWORD},
                  headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"},
                  base_url="https://localhost")
    assert resp.status_code == 302
    assert "Secure" in resp.headers["Set-Cookie"]
    assert "max-age=" in resp.headers["Strict-Transport-Security"]
    with app.app_context():
        row = db.session.scalar(select(AuditLog).where(AuditLog.action == "login").order_by(AuditLog.id.desc()))
        assert row.ip == "203.0.113.9"
    plain = make_app({"WTF_CSRF_ENABLED": False}).test_client()
    resp = plain.post("/login", data={"username": "officer", "password": DEMO_PASSWORD},
                      headers={"X-Forwarded-For": "203.0.113.9"})
    assert "Secure" not in resp.headers["Set-Cookie"] and "Strict-Transport-Security" not in resp.headers


# -- 8. smaller ------------------------------------------------------------------------------------
def test_list_search_treats_like_wildcards_as_text(app, client):
    login(client, "officer")
    every = client.get("/petition/?format=csv").get_data(as_text=True).strip().splitlines()
    assert len(every) > 2
    for q in ("%", "_", "%25"):
        rows = client.get("/petition/", query_string={"q": q, "format": "csv"}).get_data(as_text=True).strip().splitlines()
        assert len(rows) == 1, (q, len(rows))      # the header only: no request contains % or _


def test_csv_content_type_names_its_charset_once(app, client):
    login(client, "officer")
    assert client.get("/petition/?format=csv").headers["Content-Type"] == "text/csv; charset=utf-8"
    login(client, "leader")
    resp = client.get("/dashboard/records?m=petition.received&period=2026&format=csv")
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize("name", ["张\u202e三", "\u2067李四", "王\u200f五"])
def test_bidi_controls_are_refused_in_person_names(app, name):
    from core.parties import PartyError, create_person
    with pytest.raises(PartyError):
        create_person(name)


def test_bidi_controls_are_refused_in_file_names(app):
    from core.audit.attachments import AttachmentError, add_attachment
    with pytest.raises(AttachmentError):
        add_attachment("core_user", 1, b"plain text", filename="invoice\u202etxt.exe.txt")
