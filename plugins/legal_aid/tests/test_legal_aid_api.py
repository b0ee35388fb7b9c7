"""The referrals and aid-applications API (contract §5) and the web pages: permissions, scoping, masking,
optimistic locking, bad input, documents."""
from datetime import date

from sqlalchemy import select

from core.db import db
from core.regions.models import Region
from plugins.legal_aid.models import AidApplication, ChannelRule, Referral
from plugins.petition.models import PetitionCase
from core import clock


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def _registered_petition():
    return db.session.scalar(select(PetitionCase).where(PetitionCase.state == "registered").order_by(PetitionCase.id.desc()))


def _fresh_petition():
    from datetime import datetime
    from core.auth.models import User
    from plugins.petition import services as petitions
    district = db.session.scalar(select(Region).where(Region.code == "430611000000"))
    case = petitions.register(channel="visit", received_at=datetime(2026, 11, 2, 9, 0), request="要求撤销罚款决定",
                              facts="", petitioner={"name": "测试人", "phone": "13912345678"}, region_id=district.id,
                              officer_id=db.session.scalar(select(User.id).where(User.username == "officer")))
    db.session.commit()
    return case


def _new_petition(client, token):
    body = {"channel": "visit", "received_at": "2026-11-02T09:30:00", "request": "要求撤销罚款决定", "facts": "事实",
            "petitioner": {"name": "测试人", "phone": "13912345678"}}
    resp = client.post("/api/v1/petitions", json=body, headers=_auth(token))
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["id"]


def test_referral_through_the_api(client, api_token):
    officer, legal = api_token("officer"), api_token("legal")
    pid = _new_petition(client, officer)
    resp = client.post("/api/v1/referrals", json={"petition_id": pid, "channel": "admin_reconsideration",
                                                  "knew_at": "2026-08-03"}, headers=_auth(legal))
    assert resp.status_code == 201, resp.get_json()
    ref = resp.get_json()
    assert ref["state"] == "draft" and ref["filing_deadline"] == ref["deadlines"][0]["due"]
    assert ref["deadlines"][0]["rule"] == "referral.admin_reconsideration_file"
    assert ref["person"]["phone"] == "13912345678"              # legal may see it in full
    rid, v = ref["id"], ref["version"]
    stale = client.patch(f"/api/v1/referrals/{rid}", json={"version": v + 5, "knew_at": "2026-08-04"},
                         headers=_auth(legal))
    assert stale.status_code == 409
    ok = client.patch(f"/api/v1/referrals/{rid}", json={"version": v, "knew_at": "2026-08-04"}, headers=_auth(legal))
    assert ok.status_code == 200 and ok.get_json()["knew_at"] == "2026-08-04"
    bad = client.post(f"/api/v1/referrals/{rid}/actions/send", json={}, headers=_auth(legal))
    assert bad.status_code == 409 and bad.get_json()["error"]["code"] == "invalid_state"
    for action, body in (("notify", {"service_method": "in_person"}), ("send", {}),
                         ("receipt", {"receipt_number": "R-18"}), ("accept", {}),
                         ("outcome", {"outcome_reference": "君复决字〔2026〕7号", "outcome_text": "撤销"}),
                         ("feedback", {"feedback_note": "已告知"}), ("close", {})):
        resp = client.post(f"/api/v1/referrals/{rid}/actions/{action}", json=body, headers=_auth(legal))
        assert resp.status_code == 200, (action, resp.get_json())
    assert resp.get_json()["state"] == "closed"
    petition = client.get(f"/api/v1/petitions/{pid}", headers=_auth(officer)).get_json()
    assert petition["state"] == "closed"
    listed = client.get("/api/v1/referrals?state=closed&channel=admin_reconsideration", headers=_auth(legal)).get_json()
    assert [r["id"] for r in listed["items"]] == [rid]


def test_bad_referral_input_answers_422(client, api_token):
    legal = api_token("legal")
    pid = _registered_petition().id
    cases = [
        {"petition_id": pid, "channel": "mediation", "knew_at": "2026-08-03"},
        {"petition_id": pid, "channel": "civil_litigation", "knew_at": "2026-02-30"},
        {"petition_id": pid, "channel": "civil_litigation", "knew_at": "2099-01-01"},
        {"petition_id": pid, "dispute_id": 1, "channel": "civil_litigation", "knew_at": "2026-08-03"},
        {"channel": "civil_litigation", "knew_at": "2026-08-03"},
        {"petition_id": 999999, "channel": "civil_litigation", "knew_at": "2026-08-03"},
        {"petition_id": "x", "channel": "civil_litigation", "knew_at": "2026-08-03"},
    ]
    for body in cases:
        resp = client.post("/api/v1/referrals", json=body, headers=_auth(legal))
        assert resp.status_code == 422, (body, resp.status_code, resp.get_json())
        assert resp.get_json()["error"]["fields"]


def test_referral_from_a_dispute(client, api_token):
    from plugins.mediation.models import Dispute
    dispute = db.session.scalar(select(Dispute).order_by(Dispute.id))
    resp = client.post("/api/v1/referrals", json={"dispute_id": dispute.id, "channel": "civil_litigation",
                                                  "knew_at": "2026-08-03"}, headers=_auth(api_token("legal")))
    assert resp.status_code == 201 and resp.get_json()["source_reference"] == dispute.reference


def test_permissions_masking_and_scope(client, api_token, app):
    from core.auth.services import create_user
    leader, grid, officer = api_token("leader"), api_token("grid1"), api_token("officer")
    ref = db.session.scalar(select(Referral).order_by(Referral.id))
    one = client.get(f"/api/v1/referrals/{ref.id}", headers=_auth(leader)).get_json()
    assert "*" in one["person"]["phone"]                       # a leader reads masked data
    assert client.get(f"/api/v1/referrals/{ref.id}", headers=_auth(grid)).status_code == 403
    assert client.get(f"/api/v1/referrals/{ref.id}", headers=_auth(officer)).status_code == 200
    resp = client.post("/api/v1/referrals", json={"petition_id": ref.petition_id, "channel": "civil_litigation",
                                                  "knew_at": "2026-08-03"}, headers=_auth(officer))
    assert resp.status_code == 403                             # officers read referrals only
    other = db.session.scalar(select(Region).where(Region.level == "town", Region.id != ref.region_id))
    create_user("legal_far", "long-enough-pw-1", ["legal"], region_code=other.code)
    db.session.commit()
    far = api_token("legal_far", "long-enough-pw-1")
    assert client.get(f"/api/v1/referrals/{ref.id}", headers=_auth(far)).status_code == 404
    assert client.get("/api/v1/referrals", headers=_auth(far)).get_json()["total"] == 0
    app_id = db.session.scalar(select(AidApplication.id).limit(1))
    assert client.get(f"/api/v1/aid-applications/{app_id}", headers=_auth(far)).status_code in (403, 404)


def test_aid_application_through_the_api(client, api_token):
    aid, legal = api_token("aid"), api_token("legal")
    body = {"applicant": {"name": "申请人乙", "id_number": None, "phone": "13900002222"}, "matter_type": "labour",
            "summary": "拖欠工资", "exempt_group": "migrant_worker", "documents_missing": ["id"]}
    resp = client.post("/api/v1/aid-applications", json=body, headers=_auth(aid))
    assert resp.status_code == 201, resp.get_json()
    a = resp.get_json()
    assert a["deadlines"][0]["rule"] == "legal_aid.decide" and a["documents_missing"] == ["id"]
    aid_id = a["id"]
    steps = [("supplement", {"documents_missing": ["id"], "supplement_by": "2099-01-01"}, "supplementing"),
             ("supplied", {}, "received"), ("grant", {}, "granted")]
    for action, payload, state in steps:
        resp = client.post(f"/api/v1/aid-applications/{aid_id}/actions/{action}", json=payload, headers=_auth(aid))
        assert resp.status_code == 200 and resp.get_json()["state"] == state, resp.get_json()
    paused = client.get(f"/api/v1/aid-applications/{aid_id}", headers=_auth(aid)).get_json()
    assert any(d["rule"] == "legal_aid.assign" and d["status"] == "open" for d in paused["deadlines"])
    from plugins.legal_aid.models import Provider
    pid = db.session.scalar(select(Provider.id).where(Provider.name == "陈明律"))
    resp = client.post(f"/api/v1/aid-applications/{aid_id}/actions/assign", json={"provider_id": pid},
                       headers=_auth(aid))
    assert resp.status_code == 200 and resp.get_json()["provider_id"] == pid
    resp = client.post(f"/api/v1/aid-applications/{aid_id}/actions/close", json={"report": ""}, headers=_auth(aid))
    assert resp.status_code == 422
    filed = client.post("/api/v1/aid-applications", json=body, headers=_auth(legal))   # legal staff may file
    assert filed.status_code == 201
    assert client.post("/api/v1/aid-applications", json=body, headers=_auth(api_token("grid1"))).status_code == 403
    assert client.post(f"/api/v1/aid-applications/{filed.get_json()['id']}/actions/grant", json={},
                       headers=_auth(legal)).status_code == 403                         # only aid officers decide
    bad = client.post("/api/v1/aid-applications", json={**body, "matter_type": "divorce"}, headers=_auth(aid))
    assert bad.status_code == 422
    bad = client.post("/api/v1/aid-applications", json={**body, "exempt_group": None}, headers=_auth(aid))
    assert bad.status_code == 422 and "hardship_evidence" in bad.get_json()["error"]["fields"]
    listed = client.get("/api/v1/aid-applications?state=assigned", headers=_auth(aid)).get_json()
    assert [x["id"] for x in listed["items"]] == [aid_id]


def test_openapi_lists_the_actions(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert "/referrals/{id}/actions/outcome" in doc["paths"]
    assert "/aid-applications/{id}/actions/early_aid" in doc["paths"]


# -- web pages ----------------------------------------------------------------------------------------------
def test_legal_refers_a_petition_through_the_pages(login_as, client):
    login_as("legal")
    case = _fresh_petition()
    html = client.get("/legal_aid/new").get_data(as_text=True)
    assert case.reference in html
    resp = client.post("/legal_aid/new", data={"petition_id": str(case.id), "channel": "admin_reconsideration",
                                               "knew_at": "2026-03-02"})
    assert resp.status_code == 302
    ref = db.session.scalar(select(Referral).where(Referral.petition_id == case.id, Referral.state == "draft"))
    page = client.get(f"/legal_aid/{ref.id}").get_data(as_text=True)
    assert "2026-05-06" in page and "行政复议法" in page
    pdf = client.get(f"/legal_aid/{ref.id}/notice.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    v0 = ref.version
    resp = client.post(f"/legal_aid/{ref.id}/act/notify", data={"version": v0,
                                                               "notify-service_method": "in_person"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Referral, ref.id).state == "notified"
    assert db.session.get(PetitionCase, case.id).state == "referred"
    stale = client.post(f"/legal_aid/{ref.id}/act/send", data={"version": v0}, follow_redirects=True)
    assert stale.status_code == 200
    db.session.expire_all()
    assert db.session.get(Referral, ref.id).state == "notified"        # a stale form changes nothing
    for path in ("/legal_aid/", "/legal_aid/board", "/legal_aid/stats", "/legal_aid/aid/", "/legal_aid/providers", "/"):
        assert client.get(path).status_code == 200, path
    assert client.get("/legal_aid/channels").status_code == 403


def test_home_card_offers_early_aid_near_the_filing_deadline(login_as, client):
    ref = db.session.scalar(select(Referral).where(Referral.knew_at.is_not(None)))   # the demo one: due within days
    login_as("legal")
    home = client.get("/").get_data(as_text=True)
    assert ref.reference in home and f"/legal_aid/aid/new?referral={ref.id}" in home
    form = client.get(f"/legal_aid/aid/new?referral={ref.id}").get_data(as_text=True)
    assert ref.person.name in form and ref.request[:10] in form


def test_officer_reads_but_cannot_act(login_as, client):
    login_as("officer")
    ref = db.session.scalar(select(Referral).order_by(Referral.id))
    assert client.get(f"/legal_aid/{ref.id}").status_code == 200
    assert client.post(f"/legal_aid/{ref.id}/act/close", data={"version": ref.version}).status_code == 403
    assert client.get("/legal_aid/aid/").status_code == 403


def test_admin_edits_the_channel_list(login_as, client):
    login_as("admin")
    html = client.get("/legal_aid/channels").get_data(as_text=True)
    assert "行政复议法 第二十条" in html and "申请劳动争议仲裁" in html   # the rule by its name, not its code
    line = db.session.scalar(select(ChannelRule).where(ChannelRule.channel == "labour_arbitration"))
    form = {"request_type": "劳动争议（含工资）", "keywords": "工资", "channel": "labour_arbitration",
            "basis": line.basis, "body_kind": "arbitration_commission", "body_id": str(line.body_id),
            "rule_code": "referral.labour_arbitration_file", "what_to_bring": "劳动合同", "sort": "30",
            "active": "y", "department_id": "", "version": str(line.version)}
    assert client.post(f"/legal_aid/channels/{line.id}", data=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(ChannelRule, line.id).request_type == "劳动争议（含工资）"
    bad = client.post("/legal_aid/channels/new", data={**form, "rule_code": "nope", "request_type": ""})
    assert bad.status_code == 200 and 'aria-invalid="true"' in bad.get_data(as_text=True)


def test_aid_officer_takes_an_application_with_missing_documents(login_as, client):
    login_as("aid")
    region = str(db.session.scalar(select(Region.id).where(Region.code == "430611000000")))
    resp = client.post("/legal_aid/aid/new", data={"name": "申请人丙", "phone": "13900003333", "region_id": region,
                                                   "matter_type": "pension", "summary": "抚恤金未发放",
                                                   "hardship_evidence": "pledge", "documents_missing": ["id", "hardship"]})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    a = db.session.scalar(select(AidApplication).order_by(AidApplication.id.desc()))
    assert a.documents_missing == ["id", "hardship"]
    resp = client.post(f"/legal_aid/aid/{a.id}/act/supplement",
                       data={"version": a.version, "supplement-documents_missing": ["id", "hardship"],
                             "supplement-supplement_by": date.fromordinal(clock.today().toordinal() + 10).isoformat()})
    assert resp.status_code == 302
    page = client.get(f"/legal_aid/aid/{a.id}").get_data(as_text=True)
    assert "作出是否给予法律援助的决定" in page and "status-paused" in page
    pdf = client.get(f"/legal_aid/aid/{a.id}/document/supplement_notice.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client.get(f"/legal_aid/aid/{a.id}/document/refusal_decision.pdf").status_code == 404


def test_board_and_diversion_statistics(login_as, client):
    from plugins.legal_aid import services
    case = _fresh_petition()
    ref = services.create_referral(petition=case, channel="admin_reconsideration", knew_at=date(2026, 8, 3))
    services.notify(ref, "in_person")
    services.send(ref)
    services.refuse(ref, "超出复议范围")
    db.session.commit()
    login_as("leader")
    board = client.get("/legal_aid/board").get_data(as_text=True)
    card = board.split(ref.reference)[1].split("</article>")[0]
    assert services.filing_deadline(ref)["due"] in card           # the filing clock, read with the cards

    from sqlalchemy import event
    seen = []
    listener = lambda *a: seen.append(1)    # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        client.get("/legal_aid/board")
        few = len(seen)
        for _ in range(3):
            services.create_referral(petition=_fresh_petition(), channel="civil_litigation", knew_at=date(2026, 8, 3))
        db.session.commit()
        seen.clear()
        client.get("/legal_aid/board")
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(seen) == few                                          # no statement per card
    html = client.get("/legal_aid/stats").get_data(as_text=True)
    row = html.split("行政复议</th>")[1].split("</tr>")[0]
    assert [c.split("</td>")[0] for c in row.split("<td>")[1:]] == ["1", "0", "0", "1"]


def test_list_pages_do_not_query_per_row(app, client, login_as, api_token):
    """With a dozen referrals and applications, 12 rows cost no more statements than 2."""
    from sqlalchemy import event
    from plugins.legal_aid import services
    from plugins.legal_aid.aid import services as aid
    region = db.session.scalar(select(Region.id).where(Region.code == "430611000000"))
    for i in range(12):
        case = _fresh_petition()
        services.create_referral(petition=case, channel="civil_litigation", knew_at=date(2026, 1, 5))
        aid.create_application(applicant={"name": f"批量{i}"}, region_id=region, matter_type="labour",
                               summary="工资", exempt_group="migrant_worker")
    db.session.commit()

    def count(url, headers=None):
        seen = []
        listener = lambda *a: seen.append(1)    # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(url, headers=headers or {}).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    for user, url in (("legal", "/api/v1/referrals?per_page={n}"), ("aid", "/api/v1/aid-applications?per_page={n}")):
        headers = _auth(api_token(user))
        count(url.format(n=1), headers)     # warm the per-process grants cache: compare like with like
        assert count(url.format(n=12), headers) <= count(url.format(n=2), headers), url
    login_as("aid")
    for url in ("/legal_aid/?per_page={n}", "/legal_aid/aid/?per_page={n}"):
        count(url.format(n=1))
        assert count(url.format(n=12)) <= count(url.format(n=2)), url
