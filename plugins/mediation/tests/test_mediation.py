"""Mediation plugin: grid scoping (pages and API), capture, red alerts, escalation, closing with evidence."""
from sqlalchemy import select

from core.auth.models import User
from core.db import db
from core.notifications.models import Notification
from plugins.mediation.models import Dispute, Grid, GridWorker
from core import clock


def _user(name):
    return db.session.scalar(select(User).where(User.username == name))


def _grid_of(username):
    return db.session.scalar(select(Grid).join(GridWorker, GridWorker.grid_id == Grid.id)
                             .where(GridWorker.user_id == _user(username).id))


def _dispute_of(username):
    return db.session.scalar(select(Dispute).where(Dispute.grid_id == _grid_of(username).id).order_by(Dispute.id))


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


BODY = {"category": "neighbour", "summary": "两户因围墙争吵", "risk_level": "yellow",
        "found_at": "2026-03-02T09:30:00", "parties": [{"name": "张三", "phone": "13812345678"}]}


def test_grid_worker_sees_only_own_grid_web(app, login_as):
    other = _dispute_of("grid2")
    own = _dispute_of("grid1")
    assert other is not None and own is not None
    client = login_as("grid1")
    page = client.get("/mediation/").get_data(as_text=True)
    assert own.reference in page and other.reference not in page
    assert client.get(f"/mediation/disputes/{other.id}").status_code == 404
    assert client.get(f"/mediation/disputes/{own.id}").status_code == 200
    csv = client.get("/mediation/?format=csv").get_data(as_text=True)
    assert own.reference in csv and other.reference not in csv
    import io
    from openpyxl import load_workbook
    sheet = client.get("/mediation/?format=xlsx").data
    refs = {r[0] for r in load_workbook(io.BytesIO(sheet)).active.values}
    assert own.reference in refs and other.reference not in refs


def test_grid_worker_sees_only_own_grid_api(app, client, api_token):
    other, own = _dispute_of("grid2"), _dispute_of("grid1")
    h = _auth(api_token("grid1"))
    assert client.get(f"/api/v1/disputes/{other.id}", headers=h).status_code == 404
    assert client.get(f"/api/v1/disputes/{own.id}", headers=h).status_code == 200
    refs = {d["reference"] for d in client.get("/api/v1/disputes?per_page=200", headers=h).get_json()["items"]}
    assert own.reference in refs and other.reference not in refs
    grids = client.get("/api/v1/grids", headers=h).get_json()["items"]
    assert [g["id"] for g in grids] == [_grid_of("grid1").id]
    assert client.get(f"/api/v1/grids/{_grid_of('grid2').id}", headers=h).status_code == 404
    # cannot write into grid2's grid either
    resp = client.post("/api/v1/disputes", headers=h, json={**BODY, "grid_id": _grid_of("grid2").id})
    assert resp.status_code == 422 and "grid_id" in resp.get_json()["error"]["fields"]


def test_capture_via_api_masks_and_is_idempotent(app, client, api_token):
    h = _auth(api_token("grid1"))
    body = {**BODY, "grid_id": _grid_of("grid1").id, "client_uuid": "0b8f1c9e-1111-4222-8333-444455556666",
            "parties": [{"name": "张三", "id_number": "430611199001011231", "phone": "13812345678"}]}
    first = client.post("/api/v1/disputes", headers=h, json=body)
    assert first.status_code == 201, first.get_json()
    data = first.get_json()
    assert data["reference"].startswith("JS-TJ-2026-") and data["state"] == "registered"
    assert data["handling_level"] == "village"
    assert data["parties"][0]["phone"] == "138****5678"
    assert "*" in data["parties"][0]["id_number"]
    again = client.post("/api/v1/disputes", headers=h, json=body)
    assert again.status_code == 201 and again.get_json()["id"] == data["id"]
    assert db.session.scalar(select(db.func.count(Dispute.id)).where(Dispute.client_uuid == body["client_uuid"])) == 1


def test_api_bad_input_422_with_fields(app, client, api_token):
    h = _auth(api_token("grid1"))
    resp = client.post("/api/v1/disputes", headers=h, json={"grid_id": "x", "category": "fight", "risk_level": "pink",
                                                            "found_at": "2026-02-30", "parties": [{"phone": 1}]})
    assert resp.status_code == 422
    fields = resp.get_json()["error"]["fields"]
    for key in ("grid_id", "category", "risk_level", "found_at", "summary", "parties.0.name"):
        assert key in fields, fields
    resp = client.post("/api/v1/disputes", headers=h,
                       json={**BODY, "grid_id": _grid_of("grid1").id, "found_at": "2099-01-01T00:00:00"})
    assert resp.status_code == 422 and "found_at" in resp.get_json()["error"]["fields"]


def test_capture_via_web(app, login_as):
    client = login_as("grid1")
    assert client.get("/mediation/capture").status_code == 200
    resp = client.post("/mediation/capture", data={"grid_id": str(_grid_of("grid1").id), "category": "labour",
                                                   "risk_level": "orange", "summary": "欠薪三个月",
                                                   "party_name": "李四", "party_phone": "13900001111",
                                                   "source": "patrol"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    d = db.session.scalar(select(Dispute).where(Dispute.summary == "欠薪三个月"))
    assert d is not None and d.reporter.username == "grid1" and d.parties[0].person.name == "李四"
    # with a photo from the phone's camera
    from io import BytesIO
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
           b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa75\x81\x84\x00\x00\x00\x00IEND"
           b"\xaeB`\x82")
    resp = client.post("/mediation/capture", data={"grid_id": str(_grid_of("grid1").id), "category": "neighbour",
                                                   "risk_level": "yellow", "summary": "带照片的纠纷", "source": "patrol",
                                                   "photo": (BytesIO(png), "scene.png")},
                       content_type="multipart/form-data")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    from plugins.mediation.services import has_evidence
    assert has_evidence(db.session.scalar(select(Dispute).where(Dispute.summary == "带照片的纠纷")))
    # missing summary: the form comes back with an error, nothing is written
    before = db.session.scalar(select(db.func.count(Dispute.id)))
    resp = client.post("/mediation/capture", data={"grid_id": str(_grid_of("grid1").id), "category": "labour",
                                                   "risk_level": "orange", "summary": ""})
    assert resp.status_code == 200
    assert db.session.scalar(select(db.func.count(Dispute.id))) == before
    # grid1 cannot log into grid2's grid through the form
    resp = client.post("/mediation/capture", data={"grid_id": str(_grid_of("grid2").id), "category": "labour",
                                                   "risk_level": "orange", "summary": "越权"})
    assert db.session.scalar(select(Dispute).where(Dispute.summary == "越权")) is None


def test_red_risk_notifies_town_and_district(app, client, api_token):
    mediator = _user("mediator")
    before = db.session.scalar(select(db.func.count(Notification.id)).where(Notification.user_id == mediator.id))
    h = _auth(api_token("grid1"))
    resp = client.post("/api/v1/disputes", headers=h, json={**BODY, "risk_level": "red", "grid_id": _grid_of("grid1").id})
    assert resp.status_code == 201
    after = db.session.scalar(select(db.func.count(Notification.id)).where(Notification.user_id == mediator.id))
    assert after == before + 1
    grid2 = _user("grid2")
    assert db.session.scalar(select(db.func.count(Notification.id)).where(
        Notification.user_id == grid2.id, Notification.record_id == str(resp.get_json()["id"]))) == 0


def _new(client, api_token, **extra):
    h = _auth(api_token("grid1"))
    resp = client.post("/api/v1/disputes", headers=h, json={**BODY, "grid_id": _grid_of("grid1").id, **extra})
    assert resp.status_code == 201
    return resp.get_json()["id"]


def test_escalation_chain_and_close_with_evidence(app, client, api_token):
    did = _new(client, api_token)
    h = _auth(api_token("mediator"))
    act = lambda name, **body: client.post(f"/api/v1/disputes/{did}/actions/{name}", headers=h, json=body)
    assert act("start").get_json()["state"] == "mediating"
    assert act("fail", reason="双方分歧大").get_json()["state"] == "failed"
    r = act("escalate", reason="村级无法化解").get_json()
    assert (r["state"], r["handling_level"]) == ("escalated", "town")
    act("start")
    r = act("escalate", reason="涉及多个部门").get_json()
    assert r["handling_level"] == "district"
    act("start")
    refused = act("escalate", reason="再上交")
    assert refused.status_code == 422 and "handling_level" in refused.get_json()["error"]["fields"]
    assert act("resolve", outcome="达成口头协议").get_json()["state"] == "resolved"
    no_evidence = act("close")
    assert no_evidence.status_code == 422 and "note" in no_evidence.get_json()["error"]["fields"]
    assert db.session.get(Dispute, did).state == "resolved"
    closed = act("close", note="回访确认已履行").get_json()
    assert closed["state"] == "closed" and closed["closed_at"]


def test_illegal_transitions_refused(app, client, api_token):
    did = _new(client, api_token)
    h = _auth(api_token("mediator"))
    resp = client.post(f"/api/v1/disputes/{did}/actions/resolve", headers=h, json={"outcome": "x"})
    assert resp.status_code == 422
    assert "state" in resp.get_json()["error"]["fields"]
    # a grid worker may not mediate
    g = _auth(api_token("grid1"))
    assert client.post(f"/api/v1/disputes/{did}/actions/start", headers=g, json={}).status_code == 403
    # web: the same refusal shows as a message, not a 500
    from conftest import login
    login(client, "mediator")
    d = db.session.get(Dispute, did)
    resp = client.post(f"/mediation/disputes/{did}/close", data={"version": d.version, "text": "x"},
                       follow_redirects=True)
    assert resp.status_code == 200
    assert db.session.get(Dispute, did).state == "registered"


def test_web_workflow_with_statusbar_and_signal(app, client, api_token):
    from core.signals import signal
    did = _new(client, api_token)
    got = []
    receiver = lambda sender, **kw: got.append((sender.id, kw["channel"]))
    signal("mediation.escalate_to_legal").connect(receiver)
    try:
        from conftest import login
        login(client, "mediator")
        page = client.get(f"/mediation/disputes/{did}").get_data(as_text=True)
        assert "statusbar" in page
        v = lambda: db.session.get(Dispute, did).version
        client.post(f"/mediation/disputes/{did}/start", data={"version": v()})
        db.session.expire_all()
        assert db.session.get(Dispute, did).state == "mediating"
        client.post(f"/mediation/disputes/{did}/fail", data={"version": v(), "text": "不同意",
                                                            "legal_channel": "civil_litigation"})
        db.session.expire_all()
        assert db.session.get(Dispute, did).state == "failed"
        assert got == [(did, "civil_litigation")]
    finally:
        signal("mediation.escalate_to_legal").disconnect(receiver)


def test_home_card_and_grids_page(app, login_as):
    client = login_as("grid1")
    assert client.get("/mediation/grids").status_code == 200
    home = client.get("/").get_data(as_text=True)
    assert _dispute_of("grid1").reference in home


def test_grid_management_and_csv_import(app, login_as):
    client = login_as("admin")
    village = _grid_of("grid1").region
    assert client.get("/mediation/grids/new").status_code == 200
    resp = client.post("/mediation/grids/new", data={"code": "T-01", "name": "测试网格", "region_id": str(village.id),
                                                     "boundary": "东至河", "households": "120",
                                                     "workers": [str(_user("grid2").id)]})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    grid = db.session.scalar(select(Grid).where(Grid.code == "T-01"))
    assert [u.username for u in grid.workers] == ["grid2"]
    # a non-grid-worker cannot be assigned; duplicate code refused
    resp = client.post("/mediation/grids/new", data={"code": "T-01", "name": "x", "region_id": str(village.id),
                                                     "workers": [str(_user("officer").id)]})
    assert resp.status_code == 200 and db.session.scalar(select(db.func.count(Grid.id)).where(Grid.name == "x")) == 0
    from io import BytesIO
    csv = f"code,name,region_code,boundary,households,workers\nT-02,二号网格,{village.code},,50,grid1\n".encode()
    resp = client.post("/mediation/grids/import", data={"file": (BytesIO(csv), "grids.csv")},
                       content_type="multipart/form-data")
    assert resp.status_code == 302
    assert db.session.scalar(select(Grid).where(Grid.code == "T-02")).workers[0].username == "grid1"
    bad = b"code,name,region_code\nT-03,x,999\n"
    resp = client.post("/mediation/grids/import", data={"file": (BytesIO(bad), "g.csv")},
                       content_type="multipart/form-data")
    assert resp.status_code == 200 and db.session.scalar(select(Grid).where(Grid.code == "T-03")) is None
    # grid workers may not manage grids
    assert login_as("grid1").get("/mediation/grids/new").status_code == 403


def test_scale_seeder_inserts_quickly(app):
    from plugins.mediation.seed import seed_scale
    before = db.session.scalar(select(db.func.count(Dispute.id)))
    seen = []
    seed_scale(disputes=1200, progress=seen.append)
    assert db.session.scalar(select(db.func.count(Dispute.id))) == before + 1200 and sum(seen) == 1200


def test_close_with_attachment_as_evidence_via_web(app, client, api_token):
    from core.audit.services import add_attachment
    from conftest import login
    did = _new(client, api_token)
    h = _auth(api_token("mediator"))
    client.post(f"/api/v1/disputes/{did}/actions/start", headers=h, json={})
    client.post(f"/api/v1/disputes/{did}/actions/resolve", headers=h, json={"outcome": "双方和解"})
    login(client, "mediator")
    d = db.session.get(Dispute, did)
    resp = client.post(f"/mediation/disputes/{did}/close?lang=en", data={"version": d.version, "text": ""},
                       follow_redirects=True)
    assert "Closing needs evidence" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Dispute, did).state == "resolved"
    add_attachment("mediation_dispute", did, b"signed agreement", "agreement.txt", user=_user("mediator"))
    db.session.commit()
    resp = client.post(f"/mediation/disputes/{did}/close", data={"version": d.version, "text": ""})
    db.session.expire_all()
    assert db.session.get(Dispute, did).state == "closed"
    page = client.get(f"/mediation/disputes/{did}").get_data(as_text=True)
    assert "agreement.txt" in page


def test_offline_sync_is_idempotent(csrf_app):
    client = csrf_app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    from conftest import csrf_token_from
    client.post("/login", data={"username": "grid1", "password": "concord-demo",
                                "csrf_token": csrf_token_from(login_page)})
    page = client.get("/mediation/capture").get_data(as_text=True)
    assert 'id="sync-queue"' in page and "capture.js" in page
    assert client.get("/mediation/sw.js").headers["Service-Worker-Allowed"] == "/mediation/"
    item = {"grid_id": str(_grid_of("grid1").id), "category": "neighbour", "risk_level": "green",
            "summary": "离线登记的纠纷", "client_uuid": "5d0c3c1e-aaaa-4bbb-8ccc-000000000001",
            "found_at": "2026-03-01T08:00:00", "party_name": "王五"}
    # without the CSRF header the post is refused
    assert client.post("/mediation/capture/sync", json=item).status_code == 400
    token = client.get("/mediation/capture/token").get_json()["csrf_token"]
    first = client.post("/mediation/capture/sync", json=item, headers={"X-CSRFToken": token})
    assert first.status_code == 201, first.get_data(as_text=True)
    second = client.post("/mediation/capture/sync", json=item, headers={"X-CSRFToken": token})
    assert second.status_code == 200 and second.get_json()["id"] == first.get_json()["id"]
    assert db.session.scalar(select(db.func.count(Dispute.id)).where(Dispute.summary == "离线登记的纠纷")) == 1
    bad = client.post("/mediation/capture/sync", json={**item, "client_uuid": None, "category": "??"},
                      headers={"X-CSRFToken": token})
    assert bad.status_code == 422 and "category" in bad.get_json()["fields"]


def test_monthly_report_drill_down_freeze_and_diff(app, client, api_token):
    from core.regions.models import Region
    from conftest import login
    did = _new(client, api_token, category="labour", found_at="2026-03-05T10:00:00")
    _new(client, api_token, category="neighbour", found_at="2026-03-06T10:00:00", risk_level="red")
    town = _grid_of("grid1").region.parent
    district = db.session.scalar(select(Region).where(Region.level == "county"))
    login(client, "mediator")
    page = client.get(f"/mediation/reports?region={district.code}&month=2026-03").get_data(as_text=True)
    assert f"month=2026-03&amp;region={district.code}" in page or f"region={district.code}" in page
    from plugins.mediation.reports.services import rollup
    data = rollup(district, "2026-03")
    assert data["total"] == 2 and data["by"]["category"] == {"labour": 1, "neighbour": 1}
    assert [c["code"] for c in data["children"]] == [town.code]
    # drill down: the figure's link lists exactly its items
    ledger = client.get(f"/mediation/?month=2026-03&region={town.code}&category=labour").get_data(as_text=True)
    ref = db.session.get(Dispute, did).reference
    assert ref in ledger and ledger.count("JS-TJ-2026-") == 1
    # freeze, then a late edit shows as a diff while the frozen figures stay
    resp = client.post("/mediation/reports/submit", data={"region": district.code, "month": "2026-03"})
    assert resp.status_code == 302
    again = client.post("/mediation/reports/submit?lang=en", data={"region": district.code, "month": "2026-03"},
                        follow_redirects=True)
    assert "already been submitted" in again.get_data(as_text=True)
    _new(client, api_token, category="labour", found_at="2026-03-20T10:00:00")
    page = client.get(f"/mediation/reports?region={district.code}&month=2026-03&lang=en").get_data(as_text=True)
    assert "Changed since submission" in page
    xlsx = client.get(f"/mediation/reports.xlsx?region={district.code}&month=2026-03")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    from io import BytesIO
    from openpyxl import load_workbook
    sheet = load_workbook(BytesIO(xlsx.data)).active
    assert sheet["B2"].value == 2          # the frozen total, not the live 3
    # an empty month is a nil return
    client.post("/mediation/reports/submit", data={"region": town.code, "month": "2025-01"})
    from plugins.mediation.reports.models import MonthlyReport
    nil = db.session.scalar(select(MonthlyReport).where(MonthlyReport.month == "2025-01"))
    assert nil.nil_return and nil.data["total"] == 0
    # a grid worker has no monthly ledger
    login(client, "grid1")
    assert client.get("/mediation/reports").status_code == 403


def test_agreement_pdf_and_confirmation_clock(app, client, api_token):
    from conftest import login
    did = _new(client, api_token, parties=[{"name": "张三", "phone": "13812345678"}, {"name": "李四"}])
    h = _auth(api_token("mediator"))
    client.post(f"/api/v1/disputes/{did}/actions/start", headers=h, json={})
    login(client, "mediator")
    assert client.get(f"/mediation/disputes/{did}/agreement").status_code == 200
    resp = client.post(f"/mediation/disputes/{did}/agreement", data={
        "facts": "两户因围墙发生争执", "issues": "围墙位置", "terms": "甲方后退半米重砌围墙",
        "performance": "甲方自行施工", "perform_by": "2026-12-31"})
    assert resp.status_code == 302
    pdf = client.get(f"/mediation/disputes/{did}/agreement.pdf")
    assert pdf.status_code == 200 and pdf.data[:4] == b"%PDF"
    resp = client.post(f"/mediation/disputes/{did}/agreement/sign", data={"signed_on": clock.today().isoformat()})
    assert resp.status_code == 302
    db.session.expire_all()
    d = db.session.get(Dispute, did)
    assert d.state == "resolved"
    from core.calendar.deadlines import deadlines_for
    clocks = {c["rule"]: c["status"] for c in deadlines_for(d)}
    assert clocks == {"mediation.judicial_confirmation_apply": "open", "mediation.period": "met"}
    # signed: no more edits
    resp = client.post(f"/mediation/disputes/{did}/agreement?lang=en", data={
        "facts": "x", "issues": "y", "terms": "z"}, follow_redirects=True)
    assert "can no longer be changed" in resp.get_data(as_text=True)
    # grid2 cannot reach grid1's agreement
    login(client, "grid2")
    assert client.get(f"/mediation/disputes/{did}/agreement.pdf").status_code == 404


def test_jobs_overdue_and_follow_up(app, client, api_token):
    from datetime import timedelta
    from core.calendar.models import Deadline
    from plugins.mediation import jobs
    did = _new(client, api_token)
    h = _auth(api_token("mediator"))
    client.post(f"/api/v1/disputes/{did}/actions/start", headers=h, json={})
    row = db.session.scalar(select(Deadline).where(Deadline.record_type == "mediation_dispute",
                                                   Deadline.record_id == did))
    assert row.rule_code == "mediation.period" and row.status == "open"
    assert jobs.overdue_mediations() == 0
    row.due = clock.today() - timedelta(days=1)
    db.session.commit()
    mediator = _user("mediator")
    before = db.session.scalar(select(db.func.count(Notification.id)).where(Notification.user_id == mediator.id))
    assert jobs.overdue_mediations() == 1
    db.session.commit()
    assert db.session.scalar(select(db.func.count(Notification.id)).where(
        Notification.user_id == mediator.id)) == before + 1
    assert jobs.red_risk_waiting() >= 0 and jobs.performance_follow_up() == 0


def test_recusal_when_the_mediator_is_a_party(app, client, api_token):
    mediator = _user("mediator")
    did = _new(client, api_token, parties=[{"name": mediator.display_name}])
    resp = client.post(f"/api/v1/disputes/{did}/actions/start", headers=_auth(api_token("mediator")), json={})
    assert resp.status_code == 422 and "mediator_id" in resp.get_json()["error"]["fields"]
    assert db.session.get(Dispute, did).state == "registered"
    # another mediator (admin) may take it
    resp = client.post(f"/api/v1/disputes/{did}/actions/start", headers=_auth(api_token("admin")), json={})
    assert resp.status_code == 200 and resp.get_json()["mediator_id"] == _user("admin").id


def test_police_referral_follow_up_visit_and_reopen(app, client, api_token):
    from core.audit.models import Activity, AuditLog
    did = _new(client, api_token)
    h = _auth(api_token("mediator"))
    act = lambda name, **body: client.post(f"/api/v1/disputes/{did}/actions/{name}", headers=h, json=body)
    act("start")
    assert act("fail", reason="疑似涉嫌故意伤害", refer_police=True).status_code == 200
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "mediation.refer_police",
                                                    AuditLog.record_id == str(did))) is not None
    assert act("reopen", reason="x").status_code == 422          # not closed yet
    assert act("close", note="已移交派出所，回执存档").get_json()["state"] == "closed"
    visit = db.session.scalar(select(Activity).where(Activity.record_type == "mediation_dispute",
                                                     Activity.record_id == str(did)))
    assert visit is not None and "回访" in visit.summary
    reopened = act("reopen", reason="当事人再次发生冲突").get_json()
    assert reopened["state"] == "registered" and reopened["closed_at"] is None


def test_api_patch_dispute_and_grid(app, client, api_token):
    did = _new(client, api_token)
    h = _auth(api_token("grid1"))
    d = client.get(f"/api/v1/disputes/{did}", headers=h).get_json()
    resp = client.patch(f"/api/v1/disputes/{did}", headers=h, json={"version": d["version"], "risk_level": "red",
                                                                    "headcount": 3})
    assert resp.status_code == 200 and resp.get_json()["risk_level"] == "red" and resp.get_json()["headcount"] == 3
    stale = client.patch(f"/api/v1/disputes/{did}", headers=h, json={"version": d["version"], "summary": "x"})
    assert stale.status_code == 409
    bad = client.patch(f"/api/v1/disputes/{did}", headers=h, json={"version": d["version"] + 1, "category": "??"})
    assert bad.status_code == 422 and "category" in bad.get_json()["error"]["fields"]
    other = _dispute_of("grid2")
    assert client.patch(f"/api/v1/disputes/{other.id}", headers=h, json={"version": 1, "summary": "x"}).status_code == 404
    # grids: admin creates and changes; a grid worker may not
    a = _auth(api_token("admin"))
    village = _grid_of("grid1").region
    resp = client.post("/api/v1/grids", headers=a, json={"code": "API-1", "name": "接口网格", "region_id": village.id,
                                                        "worker_ids": [_user("grid1").id]})
    assert resp.status_code == 201, resp.get_json()
    g = resp.get_json()
    resp = client.patch(f"/api/v1/grids/{g['id']}", headers=a, json={"version": g["version"], "households": 99})
    assert resp.status_code == 200 and resp.get_json()["households"] == 99
    assert client.post("/api/v1/grids", headers=h, json={"code": "API-2", "name": "x",
                                                         "region_id": village.id}).status_code == 403
    bad = client.post("/api/v1/grids", headers=a, json={"code": "API-1", "name": "x", "region_id": village.id})
    assert bad.status_code == 422 and "code" in bad.get_json()["error"]["fields"]


def test_committees(app, login_as):
    from plugins.mediation.committees.services import committee_for
    from plugins.mediation.committees.models import Committee
    client = login_as("admin")
    assert "人民调解委员会" in client.get("/mediation/committees").get_data(as_text=True)
    town = _grid_of("grid1").region.parent
    resp = client.post("/mediation/committees/new", data={"name": "柳林洲街道人民调解委员会", "region_id": str(town.id),
                                                          "mediators": [str(_user("mediator").id)]})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    assert committee_for(_grid_of("grid1").region).region_id == town.id
    assert committee_for(_grid_of("grid2").region).region.level == "county"
    # a grid worker cannot be a mediator; one committee per region
    resp = client.post("/mediation/committees/new", data={"name": "x", "region_id": str(town.id),
                                                          "mediators": [str(_user("grid1").id)]})
    assert resp.status_code == 200 and db.session.scalar(select(Committee).where(Committee.name == "x")) is None
