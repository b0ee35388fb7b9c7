"""Declared API operations validate what they say they validate: malformed bodies answer 400/413/415/422
with fields and Chinese messages, never 500; collections page, scope, lock (409) and run actions."""
import json

import pytest
from sqlalchemy import select

from conftest import IsolatedClient
from test_api import auth, error_of, is_chinese

GOOD = {"title": "邻里纠纷", "kind": "neighbour", "found_at": "2026-11-02T09:30:00",
        "knew_at": "2026-08-03", "grid_id": 3, "parties": [{"name": "张三", "phone": "13800000000"}]}


@pytest.fixture
def app(make_app):
    """Core plus the test-only ``apitest`` plugin (tests/test_api_plugin.py)."""
    from core.bootstrap import sync_reference_data
    from test_api_plugin import manifest
    app = make_app(plugins=[manifest])
    app.test_client_class = IsolatedClient
    with app.app_context():
        sync_reference_data(app)
        yield app


def post(client, token, body, path="/api/v1/echo", **kw):
    if "data" not in kw:
        kw["json"] = body
    return client.post(path, headers=auth(token), **kw)


def test_a_good_body_is_accepted_and_normalised(client, api_token):
    token = api_token("officer")
    resp = post(client, token, {**GOOD, "unknown_extra": 1, "found_at": "2026-11-02"})
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["found_at"] == "2026-11-02T00:00:00" and body["knew_at"] == "2026-08-03"
    assert "unknown_extra" not in body
    # a date-time where a date suffices, and an offset converted to local time
    body = post(client, token, {**GOOD, "knew_at": "2026-08-03T10:00:00", "found_at": "2026-11-02T01:30:00Z"}).get_json()
    assert body["knew_at"] == "2026-08-03" and body["found_at"] == "2026-11-02T09:30:00"


@pytest.mark.parametrize("change,field", [
    ({"found_at": "2026-02-30T09:00:00"}, "found_at"),
    ({"found_at": "2026-13-01"}, "found_at"),
    ({"found_at": "yesterday"}, "found_at"),
    ({"found_at": 1700000000}, "found_at"),
    ({"knew_at": "2026-02-30"}, "knew_at"),
    ({"knew_at": "0000-01-01"}, "knew_at"),
    ({"kind": "alien"}, "kind"),
    ({"kind": None}, "kind"),
    ({"title": ""}, "title"),
    ({"title": "   "}, "title"),
    ({"title": "x" * 51}, "title"),
    ({"title": "x" * 2_000_000}, "title"),
    ({"title": 12}, "title"),
    ({"title": {"a": 1}}, "title"),
    ({"grid_id": "three"}, "grid_id"),
    ({"grid_id": 0}, "grid_id"),
    ({"grid_id": 10**30}, "grid_id"),
    ({"grid_id": 1.5}, "grid_id"),
    ({"parties": "张三"}, "parties"),
    ({"parties": [{"phone": "1"}]}, "parties.0.name"),
    ({"parties": [{"name": "x"}] * 6}, "parties"),
])
def test_invalid_fields_answer_422_with_chinese_messages(client, api_token, change, field):
    err = error_of(post(client, api_token("officer"), {**GOOD, **change}), 422)
    assert err["code"] == "invalid" and field in err["fields"], err
    assert is_chinese(err["fields"][field]) and is_chinese(err["message"])


def test_missing_fields_are_listed(client, api_token):
    err = error_of(post(client, api_token("officer"), {}), 422)
    assert set(err["fields"]) == {"title", "kind", "found_at"}
    assert set(err["fields"].values()) == {"必填。"}


@pytest.mark.parametrize("kwargs,status", [
    ({"data": "{not json", "content_type": "application/json"}, 400),
    ({"data": b"\xff\xfe\x00garbage", "content_type": "application/json"}, 400),
    ({"data": "[" * 100_000, "content_type": "application/json"}, 400),
    ({"data": json.dumps(GOOD), "content_type": "text/plain"}, 415),
    ({"data": "title=x", "content_type": "application/x-www-form-urlencoded"}, 415),
    ({"data": "[1, 2]", "content_type": "application/json"}, 422),
    ({"data": "\"text\"", "content_type": "application/json"}, 422),
    ({"data": "null", "content_type": "application/json"}, 422),
    ({"data": "{\"title\": NaN}", "content_type": "application/json"}, 422),
    ({"data": "{\"a\": 1" + "0" * 5000 + "}", "content_type": "application/json"}, 400),
    ({"data": json.dumps({"title": "x" * 3_000_000}), "content_type": "application/json"}, 413),
])
def test_malformed_bodies_never_answer_500(client, api_token, kwargs, status):
    err = error_of(post(client, api_token("officer"), None, **kwargs), status)
    assert is_chinese(err["message"])
    if status == 422:
        assert err["fields"], err


def test_a_view_can_refuse_a_field(client, api_token):
    err = error_of(post(client, api_token("officer"), {**GOOD, "title": "taken"}), 422)
    assert err["fields"] == {"title": "taken"}


def test_write_permission_is_checked_before_the_body(client, api_token):
    err = error_of(post(client, api_token("grid1"), {"garbage": True}), 403)
    assert err["code"] == "forbidden"
    error_of(post(client, "bad-token", GOOD), 401)


def test_wrong_method_and_unknown_path_answer_json(client, api_token):
    token = api_token("officer")
    error_of(client.get("/api/v1/echo", headers=auth(token)), 405)
    error_of(client.get("/api/v1/nowhere", headers=auth(token)), 404)
    error_of(client.post("/api/v1/people/1/actions/explode", headers=auth(token), json={}), 404)


# -- a collection: list, get, patch with version, actions -----------------------------------------

def _user(username):
    from core.auth.models import User
    from core.db import db
    return db.session.scalar(select(User).where(User.username == username))


def test_collection_scope_and_paging(client, api_token):
    grid1, grid2 = _user("grid1"), _user("grid2")
    page = client.get("/api/v1/people?per_page=50", headers=auth(api_token("grid1"))).get_json()
    assert grid1.id in {p["id"] for p in page["items"]} and grid2.id not in {p["id"] for p in page["items"]}
    error_of(client.get(f"/api/v1/people/{grid2.id}", headers=auth(api_token("grid1"))), 404)
    officer = auth(api_token("officer"))
    assert client.get(f"/api/v1/people/{grid2.id}", headers=officer).get_json()["username"] == "grid2"
    one = client.get("/api/v1/people?username=grid2", headers=officer).get_json()
    assert one["total"] == 1 and one["items"][0]["id"] == grid2.id


def test_patch_checks_the_version(client, api_token):
    h = auth(api_token("officer"))
    target = _user("grid2")
    current = client.get(f"/api/v1/people/{target.id}", headers=h).get_json()
    ok = client.patch(f"/api/v1/people/{target.id}", headers=h,
                      json={"version": current["version"], "display_name": "刘网格员"})
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json()["display_name"] == "刘网格员" and ok.get_json()["version"] == current["version"] + 1
    stale = client.patch(f"/api/v1/people/{target.id}", headers=h,
                         json={"version": current["version"], "display_name": "覆盖"})
    assert error_of(stale, 409)["code"] == "conflict"
    assert client.get(f"/api/v1/people/{target.id}", headers=h).get_json()["display_name"] == "刘网格员"
    err = error_of(client.patch(f"/api/v1/people/{target.id}", headers=h, json={"display_name": "x"}), 422)
    assert "version" in err["fields"]
    error_of(client.patch(f"/api/v1/people/{_user('grid1').id}", headers=auth(api_token("grid1")),
                          json={"version": 1}), 403)


def test_actions_run_on_records_in_scope(client, api_token):
    h = auth(api_token("officer"))
    target = _user("grid1")
    resp = client.post(f"/api/v1/people/{target.id}/actions/rename", headers=h, json={"display_name": "陈"})
    assert resp.status_code == 200 and resp.get_json()["display_name"] == "陈"
    stale = client.post(f"/api/v1/people/{target.id}/actions/rename", headers=h,
                        json={"display_name": "x", "version": 1})
    error_of(stale, 409)
    assert client.post(f"/api/v1/people/{target.id}/actions/ping", headers=h).get_json() == {"pong": "grid1"}
    g1 = auth(api_token("grid1"))
    error_of(client.post(f"/api/v1/people/{_user('grid2').id}/actions/ping", headers=g1), 404)
    error_of(client.post(f"/api/v1/people/{target.id}/actions/rename", headers=g1, json={"display_name": "y"}), 403)


def test_create_answers_201_and_a_duplicate_409(client, api_token):
    h = auth(api_token("officer"))
    resp = client.post("/api/v1/people", headers=h, json={"username": "newcomer"})
    assert resp.status_code == 201 and resp.get_json()["id"] and resp.get_json()["version"] == 1
    assert client.get(f"/api/v1/people/{resp.get_json()['id']}", headers=h).status_code == 200
    err = error_of(client.post("/api/v1/people", headers=h, json={"username": "newcomer"}), 409)
    assert err["code"] == "duplicate" and is_chinese(err["message"])
    assert client.get("/api/v1/people?username=newcomer&per_page=", headers=h).get_json()["total"] == 1
