"""Issue 16, the 等保 2.0 third-level controls: password policy, forced change of initial passwords, expiry,
三员分立, TOTP for administrators, security audit rows, audit retention ≥ 180 days, de-identification of
closed, expired matters (个人信息保护法 Art 19), and the Administration → Security controls page."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from conftest import DEMO_PASSWORD, login
from core import clock
from core.audit.models import AuditLog
from core.auth.models import User
from core.db import db


def _user(name):
    return db.session.scalar(select(User).where(User.username == name))


def _actions(user=None):
    stmt = select(AuditLog).order_by(AuditLog.id)
    if user is not None:
        stmt = stmt.where(AuditLog.user_id == user.id)
    return [r for r in db.session.scalars(stmt)]


# -- password policy -------------------------------------------------------------------------------
def test_password_policy_length_classes_name_and_history(app, client):
    from core.security import policy
    officer = _user("officer")
    for bad in ("short1A", "onlylowercaseletters", "Officer-2026-xyz"):
        with pytest.raises(policy.PolicyError):
            policy.check(bad, officer)
    policy.check("Good-enough-2026", officer)
    login(client, "officer")
    change = lambda cur, new: client.post("/account/password", data={"current": cur, "new": new, "repeat": new})
    assert change(DEMO_PASSWORD, "First-pass-2026").status_code == 302
    assert change("First-pass-2026", "Second-pass-2026").status_code == 302
    again = change("Second-pass-2026", "First-pass-2026")          # one of the last N: refused
    assert again.status_code == 200 and "最近用过" in again.get_data(as_text=True)
    assert change("wrong-current-pw", "Third-pass-2026").status_code == 200


def test_an_initial_password_must_be_changed_at_the_first_sign_in(app, client):
    login(client, "admin")
    resp = client.post("/admin/users/new", data={"username": "newclerk", "display_name": "新办事员",
                                                 "password": "Initial-pass-2026", "roles": ["officer"],
                                                 "region_code": "430611000000", "active": "y"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    assert _user("newclerk").must_change_password
    client.post("/logout")
    resp = login(client, "newclerk", "Initial-pass-2026")
    assert resp.status_code == 302 and resp.location.endswith("/account/password")
    for path in ("/", "/petition/"):
        r = client.get(path)
        assert r.status_code == 302 and r.location.endswith("/account/password"), path
    assert client.post("/account/password", data={"current": "Initial-pass-2026", "new": "My-own-pass-2026",
                                                  "repeat": "My-own-pass-2026"}).status_code == 302
    assert client.get("/").status_code == 200
    db.session.expire_all()
    assert not _user("newclerk").must_change_password


def test_an_expired_password_leads_to_the_change_form_but_not_in_demo_mode(app, client, make_app):
    db.session.execute(update(User).where(User.username == "legal")
                       .values(password_changed_at=clock.now() - timedelta(days=91)))
    db.session.commit()
    resp = login(client, "legal")
    assert resp.location.endswith("/account/password")
    demo = make_app({"DEMO": True, "WTF_CSRF_ENABLED": False}).test_client()
    assert not login(demo, "legal").location.endswith("/account/password")


# -- 三员分立 ----------------------------------------------------------------------------------------
def test_no_account_holds_two_administrator_duties(app):
    from core.admin.services import AdminError, update_user
    secadmin = _user("secadmin")
    with pytest.raises(AdminError):
        update_user(secadmin, display_name="x", roles=["security_admin", "audit_admin"],
                    region_code=None, active=True, password=None)
    with pytest.raises(AdminError):
        update_user(secadmin, display_name="x", roles=["security_admin", "admin"],
                    region_code=None, active=True, password=None)


def test_strict_separation_gives_each_administrator_only_its_duty(make_app):
    app = make_app({"SEPARATE_ADMIN_DUTIES": True, "WTF_CSRF_ENABLED": False})
    expect = {  # path: who may open it
        "/admin/users": {"admin"}, "/admin/apps": {"admin"}, "/admin/settings/": {"admin"},
        "/admin/roles": {"secadmin"}, "/admin/users/roles": {"secadmin"}, "/admin/audit/": {"auditor"},
        "/admin/audit/?format=csv": {"auditor"}, "/admin/security/": {"admin", "secadmin", "auditor"},
    }
    for name in ("admin", "secadmin", "auditor"):
        c = app.test_client()
        assert login(c, name).status_code == 302
        for path, allowed in expect.items():
            status = c.get(path).status_code
            assert (status == 200) == (name in allowed), (name, path, status)
        if name != "admin":
            assert c.get("/petition/").status_code == 403


def test_the_security_administrator_gives_roles_the_system_administrator_cannot(make_app):
    """三员分立: the system administrator creates and edits accounts but cannot give roles (not even
    by posting the field); the security administrator assigns them, audited; nobody gets two duties."""
    from conftest import IsolatedClient
    app = make_app({"SEPARATE_ADMIN_DUTIES": True, "WTF_CSRF_ENABLED": False})
    app.test_client_class = IsolatedClient     # two signed-in clients while the test holds a context
    with app.app_context():
        sysadmin, secadmin = app.test_client(), app.test_client()
        assert login(sysadmin, "admin").status_code == 302 and login(secadmin, "secadmin").status_code == 302
        form = sysadmin.get("/admin/users/new").get_data(as_text=True)
        assert 'name="roles"' not in form and "安全管理员" in form
        resp = sysadmin.post("/admin/users/new", data={"username": "clerk9", "password": "Kx7!pq2m#Lz",
                             "roles": ["admin"], "active": "y"})
        assert resp.status_code == 302
        clerk = _user("clerk9")
        assert clerk.roles == []                                  # the posted role was not given
        resp = sysadmin.post(f"/admin/users/{clerk.id}", data={"username": "clerk9", "display_name": "办事员",
                             "roles": ["security_admin"], "active": "y", "version": clerk.version})
        assert resp.status_code == 302
        db.session.expire_all()
        assert _user("clerk9").roles == [] and _user("clerk9").display_name == "办事员"
        assert sysadmin.get(f"/admin/users/{clerk.id}/roles").status_code == 403
        # the security administrator: a list of accounts, the roles form, nothing else of the account
        listing = secadmin.get("/admin/users/roles").get_data(as_text=True)
        assert "clerk9" in listing and f"/admin/users/{clerk.id}/roles" in listing
        assert f'href="/admin/users/{clerk.id}"' not in listing
        account = secadmin.get(f"/admin/users/{clerk.id}").get_data(as_text=True)   # the roles form, no more
        assert 'name="roles"' in account and 'name="password"' not in account
        assert secadmin.post(f"/admin/users/{clerk.id}", data={"username": "clerk9", "password": "Zz9!newpass#1",
                             "active": "y", "version": clerk.version}).status_code == 403
        clerk = _user("clerk9")
        resp = secadmin.post(f"/admin/users/{clerk.id}/roles", data={"roles": ["officer"], "version": clerk.version})
        assert resp.status_code == 302
        db.session.expire_all()
        assert [r.code for r in _user("clerk9").roles] == ["officer"]
        entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "permission_change",
                                                          AuditLog.record_id == str(clerk.id))).all()
        assert entry and entry[-1].new == "officer"
        clerk = _user("clerk9")
        html = secadmin.post(f"/admin/users/{clerk.id}/roles", data={"roles": ["admin", "audit_admin"],
                             "version": clerk.version}).get_data(as_text=True)
        assert "三员分立" in html
        db.session.expire_all()
        assert [r.code for r in _user("clerk9").roles] == ["officer"]


def test_demo_admin_keeps_every_power_without_strict_separation(app, client):
    login(client, "admin")
    for path in ("/admin/users", "/admin/roles", "/admin/audit/", "/admin/apps", "/admin/security/"):
        assert client.get(path).status_code == 200, path


# -- second factor ---------------------------------------------------------------------------------
def test_totp_second_factor_for_an_administrator(app, client):
    import pyotp
    from core.security import totp
    admin = _user("admin")
    secret = totp.enable(admin)
    db.session.commit()
    resp = login(client, "admin")
    assert resp.location.endswith("/login/second-factor")
    assert client.get("/").status_code == 302                   # not signed in yet
    wrong = client.post("/login/second-factor", data={"code": "000000"})
    assert wrong.status_code == 200 and client.get("/").status_code == 302
    ok = client.post("/login/second-factor", data={"code": pyotp.TOTP(secret).now()})
    assert ok.status_code == 302 and client.get("/").status_code == 200


# -- audit -----------------------------------------------------------------------------------------
def test_sign_in_outcomes_permission_changes_and_exports_are_audit_rows(app, client):
    start = db.session.scalar(select(db.func.max(AuditLog.id))) or 0
    login(client, "leader", "wrong-password")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client, "aid", "wrong-password")
    login(client, "aid")
    login(client, "admin")
    client.get("/petition/?format=csv")
    client.post("/admin/roles/leader", data={"perm": ["petition.case.read"]})
    client.post("/logout")
    rows = [r for r in _actions() if r.id > start]
    by = lambda action: [r for r in rows if r.action == action]
    leader, aid, admin = _user("leader"), _user("aid"), _user("admin")
    assert any(r.user_id == leader.id and r.field == "refused" and r.ip for r in by("login_failed"))
    assert any(r.user_id == aid.id and r.field == "locked" for r in by("lockout"))
    assert any(r.user_id == admin.id and r.ip for r in by("login"))
    assert any(r.user_id == admin.id and "format=csv" in (r.text or "") for r in by("export"))
    assert any(r.record_type == "core_role" and r.record_id == "leader" for r in by("permission_change"))
    assert any(r.user_id == admin.id for r in by("logout"))


def test_the_audit_log_is_kept_at_least_180_days(app):
    from core.security.retention import RetentionError, purge_audit
    now = clock.now()
    old = AuditLog(at=now - timedelta(days=400), action="note", text="old row")
    recent = AuditLog(at=now - timedelta(days=100), action="note", text="recent row")
    db.session.add_all([old, recent])
    db.session.commit()
    for days in (0, 30, 179):
        with pytest.raises(RetentionError):
            purge_audit(days)
    assert purge_audit(200) >= 1
    db.session.commit()
    texts = set(db.session.scalars(select(AuditLog.text)))
    assert "old row" not in texts and "recent row" in texts


def test_closed_expired_matters_are_de_identified_open_ones_kept(app):
    from core.parties import create_person
    from core.security.retention import DEIDENTIFIED, deidentify
    from plugins.mediation.models import Dispute, DisputeParty
    d_old, d_open = db.session.scalars(select(Dispute).order_by(Dispute.id).limit(2)).all()
    gone = create_person("旧案当事人", phone="13800001111", region_id=d_old.region_id)
    kept = create_person("两案当事人", phone="13800002222", region_id=d_old.region_id)
    db.session.add_all([DisputeParty(dispute_id=d_old.id, person_id=gone.id),
                        DisputeParty(dispute_id=d_old.id, person_id=kept.id),
                        DisputeParty(dispute_id=d_open.id, person_id=kept.id)])
    db.session.execute(update(Dispute).where(Dispute.id == d_old.id)
                       .values(state="closed", closed_at=clock.now() - timedelta(days=2000)))
    db.session.execute(update(Dispute).where(Dispute.id == d_open.id).values(closed_at=None))
    db.session.commit()
    assert deidentify(days=1825) >= 1
    db.session.commit()
    db.session.expire_all()
    assert gone.name == DEIDENTIFIED and gone.phone is None and gone.id_number is None
    assert kept.name == "两案当事人" and kept.phone == "13800002222"
    assert any(r.action == "deidentify" and r.record_id == str(gone.id) for r in _actions())


# -- the controls page -----------------------------------------------------------------------------
def test_the_controls_page_lists_each_control_and_whether_it_is_met(app, client):
    login(client, "admin")
    html = client.get("/admin/security/").get_data(as_text=True)
    for code in ("password_complexity", "initial_password", "lockout", "idle_timeout", "session_lifetime",
                 "second_factor", "separation", "audit_events", "audit_retention", "personal_data_retention"):
        assert f'data-control="{code}"' in html, code
    assert 'data-control="separation" data-met="no"' in html      # not strict outside production
    assert 'data-control="idle_timeout" data-met="yes"' in html
    login(client, "grid1")
    assert client.get("/admin/security/").status_code == 403


def test_the_api_token_needs_the_second_factor_and_a_changed_initial_password(app, client):
    import pyotp
    from core.security import totp
    admin = _user("admin")
    secret = totp.enable(admin)
    db.session.commit()
    body = {"username": "admin", "password": DEMO_PASSWORD}
    assert client.post("/api/v1/auth/token", json=body).status_code == 401
    assert client.post("/api/v1/auth/token", json={**body, "otp": "000000"}).status_code == 401
    assert client.post("/api/v1/auth/token", json={**body, "otp": pyotp.TOTP(secret).now()}).status_code == 200
    db.session.execute(update(User).where(User.username == "officer").values(must_change_password=True))
    db.session.commit()
    assert client.post("/api/v1/auth/token", json={"username": "officer", "password": DEMO_PASSWORD}).status_code == 401


def test_postgresql_itself_refuses_to_delete_audit_rows_younger_than_180_days(app):
    from sqlalchemy import delete, text
    from sqlalchemy.exc import DBAPIError
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only (SQLite: the purge refuses; see the controls page)")
    now = clock.now()
    db.session.add_all([AuditLog(at=now - timedelta(days=100), action="note", text="young"),
                        AuditLog(at=now - timedelta(days=400), action="note", text="old")])
    db.session.commit()
    for stmt in (delete(AuditLog).where(AuditLog.text == "young"), text("UPDATE core_audit_log SET text = 'x'"),
                 text("TRUNCATE core_audit_log")):
        with pytest.raises(DBAPIError):
            db.session.execute(stmt)
        db.session.rollback()
    db.session.execute(delete(AuditLog).where(AuditLog.text == "old"))
    db.session.commit()
    assert set(db.session.scalars(select(AuditLog.text).where(AuditLog.text.in_(("young", "old"))))) == {"young"}
