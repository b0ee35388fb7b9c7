"""Petition web pages, /status with rating, and the petitions API (scoping, masking, bad input)."""
from sqlalchemy import func, select

from core.audit.models import Activity
from core.db import db
from core.parties.models import Organisation
from core.parties.validation import id_check_char
from plugins.petition.models import PetitionCase

ID17 = "43061119800101001"
ID = ID17 + id_check_char(ID17)
BODY = {"channel": "visit", "received_at": "2026-11-02T09:30:00", "request": "要求解决拖欠工资问题",
        "facts": "公司拖欠三个月工资", "petitioner": {"name": "测试人", "id_number": ID, "phone": "13912345678"}}


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def test_list_and_csv(login_as):
    client = login_as("officer")
    html = client.get("/petition/").get_data(as_text=True)
    assert "JS-XF-" in html
    resp = client.get("/petition/?state=closed&format=csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert resp.get_data(as_text=True).count("JS-XF-") == 1


def test_list_exports_to_xlsx_with_chinese_headers_and_typed_cells(login_as):
    import io
    from openpyxl import load_workbook
    client = login_as("officer")
    resp = client.get("/petition/?format=xlsx")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    rows = list(load_workbook(io.BytesIO(resp.data)).active.values)
    assert rows[0][0] == "编号" and "阶段" in rows[0]
    refs = [r[0] for r in rows[1:]]
    assert refs and all(ref.startswith("JS-XF-") for ref in refs)
    assert len(refs) == db.session.scalar(select(func.count(PetitionCase.id)))
    assert "导出 xlsx" in client.get("/petition/").get_data(as_text=True)


def test_grid_worker_cannot_see_petitions(login_as, client):
    login_as("grid1")
    assert client.get("/petition/").status_code == 403
    case_id = db.session.scalar(select(PetitionCase.id).limit(1))
    assert client.get(f"/petition/{case_id}").status_code in (403, 404)


def test_intake_shows_duplicates_then_registers(login_as, app):
    client = login_as("officer")
    region = str(db.session.scalar(select(PetitionCase.region_id).limit(1)))
    form = {"channel": "visit", "received_at": "2026-11-02T09:30", "name": "赵德明", "id_number": "",
            "phone": "13907301111", "region_id": region, "group_size": "1", "request": "要求解决拖欠的工程款",
            "facts": ""}
    before = db.session.scalar(select(db.func.count(PetitionCase.id)))
    html = client.post("/petition/new", data=form).get_data(as_text=True)
    assert "JS-XF-2026-00001" in html and 'name="confirm"' in html
    assert db.session.scalar(select(db.func.count(PetitionCase.id))) == before
    resp = client.post("/petition/new", data={**form, "link": "1"})
    assert resp.status_code == 302
    case = db.session.scalar(select(PetitionCase).order_by(PetitionCase.id.desc()).limit(1))
    assert case.repeat and case.repeat_of_id == 1


def test_case_page_actions_and_illegal_post(login_as):
    client = login_as("officer")
    case = db.session.scalar(select(PetitionCase).where(PetitionCase.state == "accepted"))
    html = client.get(f"/petition/{case.id}").get_data(as_text=True)
    assert case.reference in html and "138****" not in html  # officer sees full phone
    # the clock by its title and article, never its code (issue 19)
    assert "petition.accept_notice" not in html and "信访工作条例" in html
    resp = client.post(f"/petition/{case.id}/act/start_handling", data={"version": case.version})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(PetitionCase, case.id).state == "handling"
    resp = client.post(f"/petition/{case.id}/act/close", data={"version": case.version + 1},
                       follow_redirects=True)
    db.session.expire_all()
    assert db.session.get(PetitionCase, case.id).state == "handling"
    assert resp.status_code == 200


def test_mediator_reads_masked_and_cannot_act(login_as):
    client = login_as("mediator")
    case = db.session.scalar(select(PetitionCase).where(PetitionCase.state == "accepted"))
    html = client.get(f"/petition/{case.id}").get_data(as_text=True)
    assert case.petitioner.phone not in html and "****" in html
    assert client.post(f"/petition/{case.id}/act/start_handling", data={"version": case.version}).status_code == 403


def test_status_lookup_and_unsatisfied_rating_opens_follow_up(client):
    case = db.session.scalar(select(PetitionCase).where(PetitionCase.state == "replied"))
    html = client.post("/status", data={"code": case.query_code.lower()}).get_data(as_text=True)
    assert case.reference in html and case.petitioner.name not in html
    assert case.petitioner.phone not in html and 'name="rate-satisfaction"' in html
    html = client.post("/status", data={"rate-code": case.query_code, "rate-satisfaction": "unsatisfied"},
                       follow_redirects=True).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(PetitionCase, case.id).satisfaction == "unsatisfied"
    act = db.session.scalar(select(Activity).where(Activity.record_type == "petition_case",
                                                   Activity.record_id == str(case.id)))
    assert act is not None and act.assignee.username == "officer"
    assert client.post("/status", data={"code": "ZZZZZZZZ"}).status_code == 200


def test_api_create_read_mask_and_actions(client, api_token):
    officer = _auth(api_token("officer"))
    resp = client.post("/api/v1/petitions", json=BODY, headers=officer)
    assert resp.status_code == 201, resp.get_json()
    data = resp.get_json()
    assert data["reference"].startswith("JS-XF-2026-") and data["query_code"]
    assert data["petitioner"]["id_number"] == ID
    assert {d["rule"] for d in data["deadlines"]} == {"petition.register_forward", "petition.accept_notice"}
    pid = data["id"]
    mediator = _auth(api_token("mediator"))
    got = client.get(f"/api/v1/petitions/{pid}", headers=mediator).get_json()
    assert got["petitioner"]["id_number"] == "4306**********" + ID[-4:]
    assert got["petitioner"]["phone"] == "139****5678"
    assert client.post(f"/api/v1/petitions/{pid}/actions/accept", json={}, headers=mediator).status_code == 403
    resp = client.post(f"/api/v1/petitions/{pid}/actions/start_handling", json={}, headers=officer)
    assert resp.status_code == 409
    resp = client.post(f"/api/v1/petitions/{pid}/actions/accept", json={}, headers=officer)
    assert resp.status_code == 200 and resp.get_json()["state"] == "accepted"
    resp = client.patch(f"/api/v1/petitions/{pid}", json={"version": 1, "facts": "x"}, headers=officer)
    assert resp.status_code == 409
    grid = _auth(api_token("grid1"))
    assert client.get(f"/api/v1/petitions/{pid}", headers=grid).status_code in (403, 404)
    listed = client.get("/api/v1/petitions?state=accepted", headers=officer).get_json()
    assert any(item["id"] == pid for item in listed["items"])


def test_api_bad_input_answers_422(client, api_token):
    officer = _auth(api_token("officer"))
    for body in ({**BODY, "channel": "fax"}, {**BODY, "received_at": "2026-02-30T09:00:00"},
                 {k: v for k, v in BODY.items() if k != "petitioner"},
                 {**BODY, "petitioner": {"name": "某", "id_number": "123"}}):
        resp = client.post("/api/v1/petitions", json=body, headers=officer)
        assert resp.status_code == 422, (body, resp.get_json())
        assert "error" in resp.get_json()


def test_officer_home_card_lists_nearest_deadlines(login_as):
    client = login_as("officer")
    html = client.get("/").get_data(as_text=True)
    assert "/petition/" in html and "JS-XF-2026-" in html


def test_reply_opinion_pdf(login_as):
    client = login_as("officer")
    case = db.session.scalar(select(PetitionCase).where(PetitionCase.state == "replied"))
    html = client.get(f"/petition/{case.id}").get_data(as_text=True)
    assert f"/petition/{case.id}/document/opinion.pdf" in html
    resp = client.get(f"/petition/{case.id}/document/opinion.pdf")
    assert resp.status_code == 200 and resp.data[:4] == b"%PDF"
    assert client.get(f"/petition/{case.id}/document/recheck_opinion.pdf").status_code == 404
    from plugins.petition.documents import document_data
    data = document_data(case, "opinion")
    assert data["title"] == "信访事项处理意见书"
    assert [h for h, _ in data["sections"]][-1] == "五、救济途径和期限"


def test_classify_assign_and_refusal_through_forms(login_as):
    client = login_as("officer")
    case = db.session.scalar(select(PetitionCase).where(PetitionCase.state == "registered"))
    html = client.get(f"/petition/{case.id}").get_data(as_text=True)
    assert 'data-action="forward"' in html and 'data-action="assign"' in html   # status-bar buttons open the form
    assert 'id="forward-handling_unit"' in client.get(f"/petition/{case.id}?act=forward").get_data(as_text=True)
    assert 'id="assign-handling_unit"' in client.get(f"/petition/{case.id}?act=assign").get_data(as_text=True)
    client.post(f"/petition/{case.id}/act/classify", data={"version": case.version, "classify-category": "claim",
                                                           "classify-route": ""})
    db.session.expire_all()
    assert db.session.get(PetitionCase, case.id).category is None     # a claim needs its route
    client.post(f"/petition/{case.id}/act/classify", data={"version": case.version, "classify-category": "claim",
                                                           "classify-route": "ordinary"})
    db.session.expire_all()
    case = db.session.get(PetitionCase, case.id)
    assert case.route == "ordinary"
    unit_id = db.session.scalar(select(Organisation.id).where(Organisation.code == "JS-XFJ"))
    client.post(f"/petition/{case.id}/act/assign", data={"version": case.version, "assign-handling_unit": unit_id})
    db.session.expire_all()
    case = db.session.get(PetitionCase, case.id)
    assert case.state == "assigned" and case.handling_unit_id == unit_id
    resp = client.post(f"/petition/{case.id}/act/reply", data={"version": case.version, "reply-decision": "support",
                                                               "reply-text": "x"}, follow_redirects=True)
    db.session.expire_all()
    assert db.session.get(PetitionCase, case.id).state == "assigned"
    assert "不能执行" in resp.get_data(as_text=True)


def test_status_lookups_are_rate_limited(app, client):
    app.config["PETITION_STATUS_LIMIT"] = 2
    for _i in range(2):
        assert client.post("/status", data={"code": "ABCDEFGH"}).status_code == 200
    resp = client.post("/status", data={"code": "ABCDEFGH"})
    assert resp.status_code == 429
    assert client.get("/status").status_code == 200
