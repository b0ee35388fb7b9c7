"""The JSON API base (contract §5): bearer tokens only, permissions, region scope, paging, validation
errors in the user's language, never a 500, and the core /regions and /me."""
import pytest
from sqlalchemy import select

from conftest import login


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def is_chinese(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def error_of(resp, status):
    assert resp.status_code == status, (resp.status_code, resp.get_data(as_text=True)[:500])
    body = resp.get_json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body
    return body["error"]


# -- authentication -------------------------------------------------------------------------------

def test_api_needs_a_valid_bearer_token(client, api_token):
    err = error_of(client.get("/api/v1/me"), 401)
    assert err["code"] == "unauthorized" and is_chinese(err["message"])
    error_of(client.get("/api/v1/me", headers=auth("not-a-token")), 401)
    error_of(client.get("/api/v1/me", headers={"Authorization": "Basic YWRtaW46eA=="}), 401)
    error_of(client.get("/api/v1/regions", headers=auth("x" * 5000)), 401)
    token = api_token("officer")
    me = client.get("/api/v1/me", headers=auth(token)).get_json()
    assert me["username"] == "officer" and "officer" in me["roles"] and me["region"]["code"] == "430611000000"


def test_session_cookie_is_not_accepted_by_the_api(client):
    assert login(client, "admin").status_code == 302
    assert client.get("/").status_code == 200          # the browser session works for pages …
    error_of(client.get("/api/v1/me"), 401)              # … but never for the API
    error_of(client.get("/api/v1/regions"), 401)


def test_token_endpoint_answers_bad_input_without_500(client):
    err = error_of(client.post("/api/v1/auth/token", json={"username": "admin", "password": "wrong"}), 401)
    assert err["code"] == "invalid_credentials"
    err = error_of(client.post("/api/v1/auth/token", json={}), 422)
    assert err["fields"] == {"username": "必填。", "password": "必填。"}
    error_of(client.post("/api/v1/auth/token", data="{not json", content_type="application/json"), 400)
    error_of(client.post("/api/v1/auth/token", data='{"username": "a"}', content_type="text/plain"), 415)
    err = error_of(client.post("/api/v1/auth/token", json=["admin", "concord-demo"]), 422)
    assert "_body" in err["fields"]
    err = error_of(client.post("/api/v1/auth/token", json={"username": 5, "password": ["x"]}), 422)
    assert set(err["fields"]) == {"username", "password"}


# -- permissions and scope ------------------------------------------------------------------------

def test_a_role_without_the_permission_gets_403(app, client, api_token):
    from core.auth.models import Role
    from core.db import db
    role = db.session.get(Role, "grid_worker")
    role.permissions = [p for p in role.permissions if p.code != "core.regions.read"]
    db.session.commit()
    err = error_of(client.get("/api/v1/regions", headers=auth(api_token("grid1"))), 403)
    assert err["code"] == "forbidden"
    assert client.get("/api/v1/regions", headers=auth(api_token("officer"))).status_code == 200


def test_regions_are_scoped_to_the_callers_region(app, client, api_token):
    from core.auth.models import User
    from core.db import db
    from core.regions import Region
    grid1 = db.session.scalar(select(User).where(User.username == "grid1"))
    token = api_token("grid1")
    page = client.get("/api/v1/regions?per_page=200", headers=auth(token)).get_json()
    codes = {r["code"] for r in page["items"]}
    assert grid1.region.code in codes and page["total"] == len(codes)
    inside = db.session.scalars(select(Region).where(Region.path.startswith(grid1.region.path))).all()
    assert codes == {r.code for r in inside}
    outside = db.session.scalar(select(Region).where(Region.code == "430611000000"))  # the district
    error_of(client.get(f"/api/v1/regions/{outside.id}", headers=auth(token)), 404)
    error_of(client.get("/api/v1/regions/999999", headers=auth(token)), 404)
    error_of(client.get("/api/v1/regions/99999999999999999999999", headers=auth(token)), 404)
    assert client.get(f"/api/v1/regions/{grid1.region_id}", headers=auth(token)).get_json()["code"] == grid1.region.code
    officer = auth(api_token("officer"))
    assert client.get(f"/api/v1/regions/{outside.id}", headers=officer).status_code == 200


# -- paging and filters ---------------------------------------------------------------------------

def test_regions_are_paged(client, api_token):
    h = auth(api_token("officer"))
    first = client.get("/api/v1/regions?per_page=10", headers=h).get_json()
    assert set(first) == {"items", "page", "per_page", "total", "total_exact"} and first["total_exact"] is True
    assert first["page"] == 1 and first["per_page"] == 10 and len(first["items"]) == 10 and first["total"] > 20
    second = client.get("/api/v1/regions?per_page=10&page=2", headers=h).get_json()
    assert not {r["id"] for r in first["items"]} & {r["id"] for r in second["items"]}
    last_page = -(-first["total"] // 10)
    tail = client.get(f"/api/v1/regions?per_page=10&page={last_page + 1}", headers=h).get_json()
    assert tail["items"] == [] and tail["total"] == first["total"]
    assert client.get("/api/v1/regions", headers=h).get_json()["per_page"] == 20


@pytest.mark.parametrize("qs,field", [("per_page=201", "per_page"), ("per_page=0", "per_page"),
                                      ("page=abc", "page"), ("page=0", "page"), ("page=1e9", "page"),
                                      ("level=planet", "level"), ("parent=999999999999", "parent"),
                                      ("parent=%27;drop", "parent"), ("q=" + "x" * 51, "q")])
def test_bad_query_parameters_answer_422(client, api_token, qs, field):
    err = error_of(client.get(f"/api/v1/regions?{qs}", headers=auth(api_token("officer"))), 422)
    assert err["code"] == "invalid" and field in err["fields"], err


def test_region_filters(client, api_token):
    h = auth(api_token("officer"))
    towns = client.get("/api/v1/regions?level=town&per_page=200", headers=h).get_json()
    assert towns["total"] > 0 and {r["level"] for r in towns["items"]} == {"town"}
    kids = client.get("/api/v1/regions?parent=430611000000&per_page=200", headers=h).get_json()
    assert kids["total"] == towns["total"] and {r["parent_code"] for r in kids["items"]} == {"430611000000"}
    named = client.get("/api/v1/regions?q=%E5%90%9B%E5%B1%B1", headers=h).get_json()  # 君山
    names = [r["name"] for r in named["items"]]
    assert "君山区" in names and all("君山" in n for n in names) and named["total"] == len(names) < 90


# -- messages in the user's language --------------------------------------------------------------

def test_messages_follow_lang_and_accept_language(client, api_token):
    h = auth(api_token("officer"))
    zh_cn = error_of(client.get("/api/v1/regions/0", headers={**h, "Accept-Language": "zh-CN,zh;q=0.9"}), 404)
    assert zh_cn["message"] == error_of(client.get("/api/v1/regions/0", headers=h), 404)["message"]
    assert is_chinese(zh_cn["message"])
    zh = error_of(client.get("/api/v1/regions?per_page=0", headers=h), 422)
    en = error_of(client.get("/api/v1/regions?per_page=0&lang=en", headers=h), 422)
    al = error_of(client.get("/api/v1/regions?per_page=0", headers={**h, "Accept-Language": "en-US,en;q=0.8"}), 422)
    assert en["fields"]["per_page"] == al["fields"]["per_page"] == "Must be at least 1."
    assert zh["fields"]["per_page"] != en["fields"]["per_page"] and "1" in zh["fields"]["per_page"]
