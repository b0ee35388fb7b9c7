"""Idempotent writes and sign-in throttling, one request at a time (the races themselves: test_races.py):
forms carry a one-time token, a resent form or API call answers the first outcome, a failed one frees its
key, login failures are counted per account and per address outside the user row's optimistic lock."""
import re

from sqlalchemy import func, select, text, update

from conftest import login

PETITION = {"channel": "letter", "received_at": "2026-06-01T09:00:00", "request": "幂等测试来信反映路灯损坏",
            "facts": "事实", "petitioner": {"name": "幂等测试人"}}


def _form(region_id, **extra):
    return {"channel": "visit", "received_at": "2026-06-01T09:30", "region_id": str(region_id),
            "name": "表单幂等人", "phone": "13900001111", "request": "表单重复提交要求修复桥梁栏杆",
            "group_size": "1", **extra}


def _district():
    from core.db import db
    from core.regions.models import Region
    return db.session.scalar(select(Region.id).where(Region.code == "430611000000"))


def _count(sql, **params):
    from core.db import db
    return db.session.execute(text(sql), params).scalar()


def test_every_post_form_of_a_signed_in_user_carries_a_one_time_token(client, login_as):
    assert 'name="_once"' not in client.get("/login").get_data(as_text=True)     # anonymous: none
    login_as("officer")
    page = client.get("/petition/new").get_data(as_text=True)
    tokens = re.findall(r'name="_once" value="([^"]+)"', page)
    assert len(tokens) == len(re.findall(r'<form[^>]*method="post"', page, re.I)) >= 1
    again = re.findall(r'name="_once" value="([^"]+)"', client.get("/petition/new").get_data(as_text=True))
    assert set(tokens).isdisjoint(again)                                        # a new token per page


def test_a_resent_form_answers_the_first_redirect_and_a_failed_one_frees_its_token(app, client, login_as):
    login_as("officer")
    region = _district()
    first = client.post("/petition/new", data=_form(region, _once="tok-1"))
    assert first.status_code == 302
    again = client.post("/petition/new", data=_form(region, _once="tok-1"))
    assert again.status_code == 303 and again.location == first.location
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count("SELECT count(*) FROM petition_case WHERE request = :r", r=_form(region)["request"]) == 1
    assert "已经提交过" in client.get(again.location).get_data(as_text=True)
    # the same page sent again with other fields (Back, edit, send) is a new request, not a replay
    edited = client.post("/petition/new", data=_form(region, _once="tok-1", name="后退再填的人", phone="13900003333",
                                                     request="后退后重新填写的另一件事请求修路灯"))
    assert edited.status_code == 302 and "Idempotent-Replayed" not in edited.headers
    assert edited.location != first.location

    # invalid input re-shows the form and keeps nothing: the corrected form with the same token registers
    bad = client.post("/petition/new", data=_form(region, _once="tok-2", request="", name="另一人"))
    assert bad.status_code == 200
    good = client.post("/petition/new", data=_form(region, _once="tok-2", name="另一人", phone="13900002222",
                                                   request="完全不同的事项请求清理河道垃圾"))
    assert good.status_code == 302 and "Idempotent-Replayed" not in good.headers


def test_an_api_repeat_answers_the_first_outcome(client, api_token):
    tok = api_token("officer")
    headers = {"Authorization": f"Bearer {tok}", "Idempotency-Key": "intake-0001"}
    first = client.post("/api/v1/petitions", json=PETITION, headers=headers)
    assert first.status_code == 201
    again = client.post("/api/v1/petitions", json=PETITION, headers=headers)
    assert again.status_code == 201 and again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count("SELECT count(*) FROM petition_case WHERE request = :r", r=PETITION["request"]) == 1
    # the same key for another request is refused; a malformed key too
    other = client.post("/api/v1/petitions", json={**PETITION, "request": "别的事"}, headers=headers)
    assert other.status_code == 422 and other.get_json()["error"]["code"] == "idempotency_key_reused"
    bad = client.post("/api/v1/petitions", json=PETITION, headers={**headers, "Idempotency-Key": "含空格 key"})
    assert bad.status_code == 422
    # a failed call frees its key: the corrected call with the same key creates the record
    k2 = {**headers, "Idempotency-Key": "intake-0002"}
    assert client.post("/api/v1/petitions", json={**PETITION, "channel": "pigeon"}, headers=k2).status_code == 422
    ok = client.post("/api/v1/petitions", json={**PETITION, "request": "更正后的来信"}, headers=k2)
    assert ok.status_code == 201 and ok.get_json()["id"] != first.get_json()["id"]
    # another user's same key is another key
    tok2 = api_token("admin")
    mine = client.post("/api/v1/petitions", json={**PETITION, "region_id": _district()},
                       headers={"Authorization": f"Bearer {tok2}", "Idempotency-Key": "intake-0001"})
    assert mine.status_code == 201 and mine.get_json()["id"] != first.get_json()["id"], mine.get_json()


def test_a_resent_dispute_client_uuid_answers_the_first_record(client, api_token):
    tok = api_token("grid1")
    grid_id = client.get("/api/v1/grids", headers={"Authorization": f"Bearer {tok}"}).get_json()["items"][0]["id"]
    body = {"grid_id": grid_id, "category": "neighbour", "summary": "重发测试", "risk_level": "green",
            "found_at": "2026-06-01T10:00:00", "parties": [{"name": "重发当事人"}],
            "client_uuid": "5b1f9c52-0000-4000-8000-000000000001"}
    a = client.post("/api/v1/disputes", json=body, headers={"Authorization": f"Bearer {tok}"})
    b = client.post("/api/v1/disputes", json=body, headers={"Authorization": f"Bearer {tok}"})
    assert a.status_code == b.status_code == 201 and a.get_json()["id"] == b.get_json()["id"]


def test_login_failures_lock_the_account_outside_its_version(app, client, monkeypatch):
    from core import clock
    from core.auth.models import User
    from core.db import db
    version = db.session.scalar(select(User.version).where(User.username == "legal"))
    for _i in range(app.config["LOGIN_MAX_FAILURES"]):
        assert "用户名或密码错误" in login(client, "legal", "nope-nope").get_data(as_text=True)
    resp = login(client, "legal")                                   # right password, locked
    assert resp.status_code == 200 and "锁定" in resp.get_data(as_text=True)
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.username == "legal"))
    assert user.version == version and user.locked_until is not None     # mirrored for the admin's list
    # the lock runs out
    later = clock.now() + __import__("datetime").timedelta(minutes=app.config["LOGIN_LOCK_MINUTES"] + 1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert login(client, "legal").status_code == 302
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.username == "legal"))
    assert user.version == version and user.last_login_at == later and user.locked_until is None


def test_an_administrator_clearing_the_lock_unlocks(app, client):
    from core.auth.models import User
    from core.db import db
    for _i in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client, "aid", "nope-nope")
    assert login(client, "aid").status_code == 200
    db.session.execute(update(User).where(User.username == "aid").values(locked_until=None))
    db.session.commit()
    assert login(client, "aid").status_code == 302


def test_failures_from_one_address_lock_that_address(app, client):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    for name in ("officer", "leader", "mediator"):
        login(client, name, "wrong-wrong")
    resp = login(client, "admin")
    assert resp.status_code == 200 and "该地址" in resp.get_data(as_text=True)
    other = client.post("/login", data={"username": "admin", "password": "concord-demo"},
                        environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 302


def test_sign_in_and_language_choice_leave_the_users_version(app, client, login_as):
    from core.auth.models import User
    from core.db import db
    before = db.session.scalar(select(User.version).where(User.username == "officer"))
    login_as("officer")
    assert client.get("/?lang=en").status_code == 200
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.username == "officer"))
    assert user.version == before and user.locale == "en" and user.last_login_at is not None
    assert db.session.scalar(select(func.count()).select_from(text("core_login_throttle"))) >= 1


def test_an_action_sent_twice_with_one_key_is_taken_once(client, api_token):
    tok = api_token("officer")
    auth = {"Authorization": f"Bearer {tok}"}
    case = client.post("/api/v1/petitions", json={**PETITION, "request": "动作幂等测试"}, headers=auth).get_json()
    step = {**auth, "Idempotency-Key": f"accept-{case['id']}"}
    first = client.post(f"/api/v1/petitions/{case['id']}/actions/accept", json={"version": case["version"]},
                        headers=step)
    assert first.status_code == 200 and first.get_json()["state"] == "accepted"
    again = client.post(f"/api/v1/petitions/{case['id']}/actions/accept", json={"version": case["version"]},
                        headers=step)
    assert again.status_code == 200 and again.get_json() == first.get_json()    # not 409: the same step
    stale = client.post(f"/api/v1/petitions/{case['id']}/actions/accept", json={"version": case["version"]},
                        headers=auth)
    assert stale.status_code == 409                                             # without the key: stale
