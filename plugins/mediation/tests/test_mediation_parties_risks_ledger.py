"""Mediation: a party's refusal, other routes on failure, configurable risk levels, the mediator picker,
the monthly ledger as PDF, photos from the offline queue, and the committees / reports API."""
from io import BytesIO

from sqlalchemy import func, select

from core.audit.models import Attachment, AuditLog
from core.auth.models import User
from core.db import db
from core.notifications.models import Notification
from plugins.mediation.committees.models import Committee, CommitteeMember
from plugins.mediation.models import Dispute, Grid, GridWorker, Photo

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
       b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa75\x81\x84\x00\x00\x00\x00IEND"
       b"\xaeB`\x82")
BODY = {"category": "neighbour", "summary": "两户因围墙争吵", "risk_level": "yellow",
        "found_at": "2026-03-02T09:30:00", "parties": [{"name": "张三", "phone": "13812345678"}, {"name": "李四"}]}


def _user(name):
    return db.session.scalar(select(User).where(User.username == name))


def _grid_of(username):
    return db.session.scalar(select(Grid).join(GridWorker, GridWorker.grid_id == Grid.id)
                             .where(GridWorker.user_id == _user(username).id))


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def _new(client, api_token, **extra):
    resp = client.post("/api/v1/disputes", headers=_auth(api_token("grid1")),
                       json={**BODY, "grid_id": _grid_of("grid1").id, **extra})
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def _set(key, value):
    from core.settings.services import set_value
    set_value(f"mediation.{key}", value)
    db.session.commit()


# --- refusal (人民调解法: mediation is voluntary) and the other routes ---------------------------------

def test_a_party_refuses_mediation_which_ends_it(app, client, api_token):
    d = _new(client, api_token)
    h = _auth(api_token("mediator"))
    act = lambda name, **body: client.post(f"/api/v1/disputes/{d['id']}/actions/{name}", headers=h, json=body)
    assert act("start").status_code == 200
    li_si = next(p for p in d["parties"] if p["name"] == "李四")
    # bad input: no such party, no reason → 422, nothing written
    bad = act("refuse", party_id=999999, reason="不愿意")
    assert bad.status_code == 422 and "party_id" in bad.get_json()["error"]["fields"]
    bad = act("refuse", party_id=li_si["id"], reason="")
    assert bad.status_code == 422 and "reason" in bad.get_json()["error"]["fields"]
    assert db.session.get(Dispute, d["id"]).state == "mediating"
    resp = act("refuse", party_id=li_si["id"], reason="不愿意调解，要求直接起诉")
    assert resp.status_code == 200, resp.get_json()
    out = resp.get_json()
    assert out["state"] == "refused" and out["refused_by_id"] == li_si["id"]
    assert out["refusal_reason"] == "不愿意调解，要求直接起诉"
    # its own step on the timeline, with the party and the reason, and the notice of the other routes
    event = db.session.scalar(select(AuditLog).where(AuditLog.action == "mediation.refused",
                                                     AuditLog.record_id == str(d["id"])))
    assert event is not None and "李四" in event.text and "起诉" in event.text
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "mediation.other_routes",
                                                    AuditLog.record_id == str(d["id"]))) is not None
    # the mediation clock stopped; it cannot be mediated or escalated any more, but may be closed
    assert act("resolve", outcome="x").status_code == 422
    assert act("escalate", reason="x").status_code == 422
    assert act("refuse", party_id=li_si["id"], reason="again").status_code == 422
    assert act("close", note="当事人拒绝调解，已告知其他途径").get_json()["state"] == "closed"


def test_refusal_and_other_routes_on_the_page(app, client, api_token, login_as):
    d = _new(client, api_token)
    web = login_as("mediator")
    page = web.get(f"/mediation/disputes/{d['id']}").get_data(as_text=True)
    assert "act=refuse" in page                    # the status bar's action opens its form (?act=)
    page = web.get(f"/mediation/disputes/{d['id']}?act=refuse").get_data(as_text=True)
    assert "refuse-party" in page and "李四" in page
    dispute = db.session.get(Dispute, d["id"])
    party = next(p for p in dispute.parties if p.person.name == "张三")
    resp = web.post(f"/mediation/disputes/{d['id']}/refuse",
                    data={"version": dispute.version, "party_id": str(party.person_id), "text": "认为对方无诚意"})
    assert resp.status_code == 302
    db.session.expire_all()
    dispute = db.session.get(Dispute, d["id"])
    assert dispute.state == "refused" and dispute.refused_by.name == "张三"
    page = web.get(f"/mediation/disputes/{d['id']}").get_data(as_text=True)
    assert "other-routes" in page and "认为对方无诚意" in page
    assert "仲裁" in page                                  # the routes, in Chinese
    # the refusal without a reason is refused, nothing changes
    d2 = _new(client, api_token)
    dispute2 = db.session.get(Dispute, d2["id"])
    web.post(f"/mediation/disputes/{d2['id']}/refuse", data={"version": dispute2.version,
                                                             "party_id": str(dispute2.parties[0].person_id), "text": ""})
    db.session.expire_all()
    assert db.session.get(Dispute, d2["id"]).state == "registered"


def test_failure_tells_the_parties_their_other_routes(app, client, api_token):
    d = _new(client, api_token)
    h = _auth(api_token("mediator"))
    client.post(f"/api/v1/disputes/{d['id']}/actions/start", headers=h, json={})
    assert client.post(f"/api/v1/disputes/{d['id']}/actions/fail", headers=h,
                       json={"reason": "分歧过大"}).get_json()["state"] == "failed"
    logs = db.session.scalars(select(AuditLog).where(AuditLog.record_id == str(d["id"]),
                                                     AuditLog.record_type == "mediation_dispute")).all()
    assert any(entry.action == "mediation.other_routes" for entry in logs)


# --- configurable risk levels -------------------------------------------------------------------------

def test_risk_levels_are_configurable_and_red_still_alerts(app, client, api_token, login_as):
    from plugins.mediation import risks
    mediator = _user("mediator")
    count = lambda: db.session.scalar(select(func.count(Notification.id)).where(Notification.user_id == mediator.id))
    # default: orange alerts nobody
    before = count()
    _new(client, api_token, risk_level="orange")
    assert count() == before
    _set("risk_levels", "red, purple, orange, green")
    admin = login_as("admin")              # through the settings page, as an administrator would
    assert admin.post("/admin/settings/mediation.risk_labels", data={"value": "purple=紫色，"}).status_code == 302
    assert "mediation.risk_alerts" in admin.get("/admin/settings/").get_data(as_text=True)
    _set("risk_colours", "purple=#9b59b6, red=#ff0000, green=javascript:alert(1)")
    _set("risk_alerts", "orange=district")
    assert risks.codes() == ["red", "purple", "orange", "green"]
    assert risks.label("purple") == "紫色" and risks.colour("green") == risks.FALLBACK_COLOUR
    before = count()
    _new(client, api_token, risk_level="orange")
    assert count() == before + 1                         # orange now alerts the district
    out = _new(client, api_token, risk_level="purple")   # a new level is accepted
    assert out["risk_level"] == "purple" and count() == before + 1
    bad = client.post("/api/v1/disputes", headers=_auth(api_token("grid1")),
                      json={**BODY, "grid_id": _grid_of("grid1").id, "risk_level": "yellow"})  # no longer configured
    assert bad.status_code == 422 and "risk_level" in bad.get_json()["error"]["fields"]
    web = login_as("grid1")
    page = web.get("/mediation/capture").get_data(as_text=True)
    assert "紫色" in page and 'value="yellow"' not in page
    css = web.get("/mediation/risk.css").get_data(as_text=True)
    assert ".risk-purple { background: #9b59b6; }" in css and "javascript" not in css
    # red cannot be configured away, and always alerts the town and the district at once
    _set("risk_levels", "orange, green")
    _set("risk_alerts", "")
    assert "red" in risks.codes() and risks.alert_tiers("red") == ["town", "district"]
    before = count()
    _new(client, api_token, risk_level="red")
    assert count() == before + 1
    # the monthly ledger lists the configured levels (and labels a code a snapshot still holds)
    page = login_as("admin").get("/mediation/reports?month=2026-03").get_data(as_text=True)
    assert "紫色" in page


# --- the mediator picker with the recusal check ---------------------------------------------------------

def test_mediator_picker_from_the_committee_with_recusal(app, client, api_token, login_as):
    admin, mediator = _user("admin"), _user("mediator")
    committee = db.session.scalar(select(Committee))
    db.session.add(CommitteeMember(committee_id=committee.id, user_id=admin.id))
    db.session.commit()
    d = _new(client, api_token, parties=[{"name": admin.display_name}, {"name": "王五"}])
    web = login_as("mediator")
    page = web.get(f"/mediation/disputes/{d['id']}").get_data(as_text=True)
    assert "act=start" in page                     # the status bar's action opens its form (?act=)
    page = web.get(f"/mediation/disputes/{d['id']}?act=start").get_data(as_text=True)
    assert 'id="mediator-pick"' in page and mediator.display_name in page
    assert f'<option value="{admin.id}" disabled' in page        # a party by name: must withdraw
    assert "recusal" in page
    # the web picker: a committee member may be chosen; the one who must withdraw may not
    dispute = db.session.get(Dispute, d["id"])
    web.post(f"/mediation/disputes/{d['id']}/start", data={"version": dispute.version, "mediator_id": str(admin.id)})
    db.session.expire_all()
    assert db.session.get(Dispute, d["id"]).state == "registered"
    # the API: someone outside the committee is refused; a member is assigned
    h = _auth(api_token("mediator"))
    outsider = client.post(f"/api/v1/disputes/{d['id']}/actions/start", headers=_auth(api_token("admin")),
                           json={"mediator_id": _user("grid1").id})
    assert outsider.status_code == 422 and "mediator_id" in outsider.get_json()["error"]["fields"]
    d2 = _new(client, api_token)
    resp = client.post(f"/api/v1/disputes/{d2['id']}/actions/start", headers=h, json={"mediator_id": admin.id})
    assert resp.status_code == 200 and resp.get_json()["mediator_id"] == admin.id
    dispute = db.session.get(Dispute, d["id"])
    web.post(f"/mediation/disputes/{d['id']}/start", data={"version": dispute.version,
                                                           "mediator_id": str(mediator.id)})
    db.session.expire_all()
    dispute = db.session.get(Dispute, d["id"])
    assert dispute.state == "mediating" and dispute.mediator_id == mediator.id


# --- the monthly ledger as PDF ----------------------------------------------------------------------------

def test_monthly_ledger_pdf(app, client, api_token, login_as):
    from pypdf import PdfReader
    from core.regions.models import Region
    _new(client, api_token, found_at="2026-03-05T10:00:00")
    town = _grid_of("grid1").region.parent
    web = login_as("mediator")
    resp = web.get(f"/mediation/reports.pdf?region={town.code}&month=2026-03")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(resp.data)).pages)
    assert town.name in text and "2026-03" in text
    assert "邻里" in text or "相邻" in text                 # the category rows, labelled in Chinese
    # a month with nothing: the nil return is said so
    resp = web.get(f"/mediation/reports.pdf?region={town.code}&month=2001-01")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(resp.data)).pages)
    assert "零报告" in text
    # the loader of `concord pdf render mediation.ledger --record CODE:YYYY-MM`
    from plugins.mediation.reports.documents import pdf_loader
    assert pdf_loader(f"{town.code}:2026-03")["total"] >= 1
    district = db.session.scalar(select(Region).where(Region.level == "county"))
    assert "PDF" in web.get(f"/mediation/reports?region={district.code}&month=2026-03").get_data(as_text=True)


# --- photos from the offline queue ---------------------------------------------------------------------------

def _csrf_client(csrf_app, username="grid1"):
    from conftest import csrf_token_from
    c = csrf_app.test_client()
    c.post("/login", data={"username": username, "password": "concord-demo",
                           "csrf_token": csrf_token_from(c.get("/login").get_data(as_text=True))})
    return c, c.get("/mediation/capture/token").get_json()["csrf_token"]


def test_offline_photo_upload_is_idempotent_and_checked(csrf_app):
    c, token = _csrf_client(csrf_app)
    page = c.get("/mediation/capture").get_data(as_text=True)
    assert "data-photo-url" in page and 'accept="image/jpeg,image/png"' in page
    item = {"grid_id": str(_grid_of("grid1").id), "category": "neighbour", "risk_level": "green",
            "summary": "离线带照片", "client_uuid": "7d0c3c1e-aaaa-4bbb-8ccc-000000000001",
            "found_at": "2026-03-01T08:00:00"}
    assert c.post("/mediation/capture/sync", json=item, headers={"X-CSRFToken": token}).status_code == 201
    send = lambda data, cid="p-0001", uuid=item["client_uuid"], name="scene.png": c.post(
        "/mediation/capture/photo", data={"client_id": cid, "dispute_uuid": uuid, "photo": (BytesIO(data), name)},
        headers={"X-CSRFToken": token}, content_type="multipart/form-data")
    # without the CSRF header: refused
    assert c.post("/mediation/capture/photo", data={"client_id": "p-0001", "dispute_uuid": item["client_uuid"]},
                  content_type="multipart/form-data").status_code == 400
    first = send(PNG)
    assert first.status_code == 201, first.get_data(as_text=True)
    again = send(PNG)
    assert again.status_code == 200 and again.get_json()["attachment_id"] == first.get_json()["attachment_id"]
    did = first.get_json()["dispute_id"]
    assert db.session.scalar(select(func.count(Photo.id)).where(Photo.dispute_id == did)) == 1
    assert db.session.scalar(select(func.count(Attachment.id)).where(Attachment.record_id == str(did))) == 1
    # the type is checked by content, not by name; the size against the setting
    bad = send(b"GIF89a not a photo", cid="p-0002", name="x.png")
    assert bad.status_code == 422 and "photo" in bad.get_json()["fields"]
    from core.settings.services import set_value
    set_value("mediation.photo_max_kb", "1")
    db.session.commit()
    big = send(PNG + b"\0" * 2048, cid="p-0003")
    assert big.status_code == 422 and "1 KB" in big.get_json()["message"]
    # someone else's dispute, or an unknown one: 422, nothing stored
    assert send(PNG, cid="p-0004", uuid="no-such-uuid").status_code == 422
    other, other_token = _csrf_client(csrf_app, "grid2")
    resp = other.post("/mediation/capture/photo", data={"client_id": "p-0005", "dispute_uuid": item["client_uuid"],
                                                        "photo": (BytesIO(PNG), "a.png")},
                      headers={"X-CSRFToken": other_token}, content_type="multipart/form-data")
    assert resp.status_code == 422
    assert db.session.scalar(select(func.count(Attachment.id)).where(Attachment.record_id == str(did))) == 1
    # a photo is evidence enough to close (销号)
    from plugins.mediation.services import has_evidence
    assert has_evidence(db.session.get(Dispute, did))


def test_close_with_a_photo_of_the_evidence(app, client, api_token, login_as):
    d = _new(client, api_token)
    h = _auth(api_token("mediator"))
    client.post(f"/api/v1/disputes/{d['id']}/actions/start", headers=h, json={})
    client.post(f"/api/v1/disputes/{d['id']}/actions/resolve", headers=h, json={"outcome": "和解"})
    web = login_as("mediator")
    dispute = db.session.get(Dispute, d["id"])
    assert 'enctype="multipart/form-data"' in web.get(f"/mediation/disputes/{d['id']}").get_data(as_text=True)
    resp = web.post(f"/mediation/disputes/{d['id']}/close",
                    data={"version": dispute.version, "text": "", "photo": (BytesIO(PNG), "receipt.png")},
                    content_type="multipart/form-data")
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Dispute, d["id"]).state == "closed"


# --- API: committees and monthly reports ---------------------------------------------------------------------

def test_api_committees_and_monthly_reports(app, client, api_token):
    from core.regions.models import Region
    from plugins.mediation.reports.services import rollup
    h = _auth(api_token("mediator"))
    items = client.get("/api/v1/committees", headers=h).get_json()["items"]
    assert len(items) == 1 and items[0]["region_level"] == "county"
    assert _user("mediator").id in [m["id"] for m in items[0]["mediators"]]   # the roster adds more; order is the database's
    one = client.get(f"/api/v1/committees/{items[0]['id']}", headers=h)
    assert one.status_code == 200 and one.get_json()["name"] == items[0]["name"]
    # a grid worker's scope is their village: the district committee is not theirs to see
    g = _auth(api_token("grid1"))
    assert client.get("/api/v1/committees", headers=g).get_json()["items"] == []
    assert client.get(f"/api/v1/committees/{items[0]['id']}", headers=g).status_code == 404
    _new(client, api_token, found_at="2026-03-05T10:00:00", risk_level="orange")
    district = db.session.scalar(select(Region).where(Region.level == "county"))
    resp = client.get(f"/api/v1/reports?region={district.code}&month=2026-03", headers=h)
    assert resp.status_code == 200, resp.get_json()
    data = resp.get_json()
    live = rollup(district, "2026-03")
    assert data["total"] == live["total"] >= 1 and data["by"]["risk_level"] == live["by"]["risk_level"]
    assert data["frozen"] is False and data["nil_return"] is False and data["children"]
    empty = client.get(f"/api/v1/reports?region={district.code}&month=2001-01", headers=h).get_json()
    assert empty["total"] == 0 and empty["nil_return"] is True
    # bad input → 422 with the field; no permission → 403
    bad = client.get(f"/api/v1/reports?region={district.code}&month=2026-13", headers=h)
    assert bad.status_code == 422 and "month" in bad.get_json()["error"]["fields"]
    bad = client.get("/api/v1/reports?region=999999999999&month=2026-03", headers=h)
    assert bad.status_code == 422 and "region" in bad.get_json()["error"]["fields"]
    assert client.get(f"/api/v1/reports?region={district.code}&month=2026-03", headers=g).status_code == 403
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/committees" in spec["paths"] and "/reports" in spec["paths"]
    assert "/disputes/{id}/actions/refuse" in spec["paths"]


# --- the packed ledger key the roll-up groups by -----------------------------------------------------------

def test_ledger_key_covers_every_code_and_matches_the_columns(app, client, api_token):
    from plugins.mediation import ledger_key
    from plugins.mediation.reports import services as reports
    from plugins.mediation.models import CATEGORIES, LEVELS, RISKS, SOURCES, STATES
    from plugins.mediation.seed import seed_scale
    from core.regions.models import Region
    assert set(ledger_key.CATEGORY) == set(CATEGORIES) and set(ledger_key.SOURCE) == set(SOURCES)
    assert set(ledger_key.RISK) == set(RISKS) and set(ledger_key.STATE) == set(STATES)
    assert set(ledger_key.LEVEL) == set(LEVELS)
    seed_scale(disputes=3000)
    db.session.commit()
    rows = db.session.execute(select(Dispute.category, Dispute.source, Dispute.risk_level, Dispute.state,
                                     Dispute.handling_level, Dispute.ledger_key)).all()
    assert all(ledger_key.pack(*r[:5]) == r[5] for r in rows)       # the database keeps the key right
    # the key survives a change of state through the ORM
    d = _new(client, api_token)
    client.post(f"/api/v1/disputes/{d['id']}/actions/start", headers=_auth(api_token("mediator")), json={})
    db.session.expire_all()
    row = db.session.get(Dispute, d["id"])
    assert ledger_key.digit("state", row.ledger_key) == ledger_key.STATE["mediating"]
    district = db.session.scalar(select(Region).where(Region.level == "county"))
    lo, hi = reports.parse_month("2000-01")[0], reports.parse_month("2100-12")[1]
    ids = reports._subtree_ids(district)
    fast = reports._counts_by_key(Dispute.region_id, ids, lo, hi)
    plain = reports._counts_by_columns(Dispute.region_id, ids, lo, hi)
    assert fast == plain and sum(fast[0].values()) == len(rows) + 1
    # a risk level outside the key's tables: the roll-up counts it the plain way, and right
    _set("risk_levels", "red, purple, orange, yellow, green")
    _new(client, api_token, risk_level="purple")
    assert reports._counts_by_key(Dispute.region_id, ids, lo, hi) is None
    assert reports.rollup_between(district, lo, hi)["by"]["risk_level"]["purple"] == 1


# --- both sides at capture: an agreement needs two parties (人民调解法 第二十九条) ---------------------------------

def test_capture_takes_the_other_party_online_and_offline(csrf_app, login_as):
    web = login_as("grid1")
    page = web.get("/mediation/capture").get_data(as_text=True)
    assert 'name="other_party_name"' in page and 'name="other_party_phone"' in page
    resp = web.post("/mediation/capture", data={
        "grid_id": str(_grid_of("grid1").id), "category": "neighbour", "risk_level": "yellow",
        "summary": "两户争围墙", "source": "patrol", "party_name": "张三", "other_party_name": "李四",
        "other_party_phone": "13900002222"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    d = db.session.scalar(select(Dispute).where(Dispute.summary == "两户争围墙"))
    assert [p.person.name for p in d.parties] == ["张三", "李四"] and d.parties[1].person.phone == "13900002222"
    # the agreement form no longer asks for the other party first
    web2 = login_as("mediator")
    assert "at least two parties" not in web2.get(f"/mediation/disputes/{d.id}/agreement?lang=en").get_data(as_text=True)
    # the offline queue sends the form's fields as they are: the other party arrives too
    c, token = _csrf_client(csrf_app)
    item = {"grid_id": str(_grid_of("grid1").id), "category": "neighbour", "risk_level": "green",
            "summary": "离线两方纠纷", "client_uuid": "7d0c3c1e-aaaa-4bbb-8ccc-000000000009",
            "found_at": "2026-03-01T08:00:00", "party_name": "王五", "other_party_name": "赵六"}
    assert c.post("/mediation/capture/sync", json=item, headers={"X-CSRFToken": token}).status_code == 201
    d = db.session.scalar(select(Dispute).where(Dispute.summary == "离线两方纠纷"))
    assert [p.person.name for p in d.parties] == ["王五", "赵六"]


def test_the_dispute_list_follows_a_risk_label_change_at_once(app, login_as):
    """The list's filters and risk words are kept per language between requests; a change on the settings page
    shows on the next page, in each language, and the filter selects what was asked for."""
    import re
    mediator = login_as("mediator")

    def risk_select(html):
        return re.search(r'<select name="risk".*?</select>', html, re.S).group(0)

    before = mediator.get("/mediation/").get_data(as_text=True)
    assert "紫色" not in risk_select(before)
    _set("risk_levels", "red, purple, orange, green")
    admin = login_as("admin")
    assert admin.post("/admin/settings/mediation.risk_labels", data={"value": "purple=紫色"}).status_code == 302
    after = mediator.get("/mediation/?risk=purple").get_data(as_text=True)
    assert '<option value="purple" selected>紫色</option>' in risk_select(after)
    english = mediator.get("/mediation/?lang=en").get_data(as_text=True)
    assert 'value="purple" >紫色</option>' in risk_select(english) and "Risk: all" in risk_select(english)
    assert admin.post("/admin/settings/mediation.risk_labels", data={"value": "purple=深紫"}).status_code == 302
    again = mediator.get("/mediation/?lang=zh").get_data(as_text=True)
    assert "深紫" in risk_select(again) and "紫色" not in risk_select(again)
