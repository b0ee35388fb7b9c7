"""The centre's legal-aid route on the real database: a legal-aid request registered at the window becomes a
legal-aid application in plugins/legal_aid (through ``centre.route_matter``, no import) carrying the case code;
it waits there for the materials the window could not take; its decision answers the centre's matter back
(through ``centre.matter_answered``) and the centre's loop closes on it. And the centre's documents use the
shared font stack, so a name or a unit outside the BMP reads back from the PDF."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from core import clock
from core.db import db

NAME = "张𠀀𪚥"          # 𠀀 U+20000 (Ext B), 𪚥 U+2A6A5 (Ext B): outside the BMP
AID_CENTRE = "县法律援助中心"


def _h(token):
    return {"Authorization": f"Bearer {token}"}


def _register(client, token, **matter):
    body = {"channel": "visit", "received_at": clock.now().replace(microsecond=0).isoformat(),
            "person": {"name": NAME, "phone": "13907302222"},
            "matters": [{"kind": "legal_aid", "category": "labour", "summary": "请求法律援助追讨工伤赔偿和欠薪",
                         "other_parties": [{"name": "君山区宏达建筑有限公司"}], **matter}]}
    r = client.post("/api/v1/centre-cases", json=body, headers=_h(token))
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def _act(client, token, aid_id, action, **body):
    r = client.post(f"/api/v1/aid-applications/{aid_id}/actions/{action}", json=body, headers=_h(token))
    return r


def test_legal_aid_route_opens_an_application_that_answers_back(app, client, api_token):
    clerk, aid = api_token("centre"), api_token("aid")
    case = _register(client, clerk)
    (m,) = case["matters"]
    assert m["route"] == "legal_aid" and m["record_type"] == "legal_aid_application" and m["record_id"]
    assert [(p["unit"], p["lead"], p["state"]) for p in m["parts"]] == [(AID_CENTRE, True, "open")]
    assert m["record_reference"].startswith("JS-FY-")
    # the application exists on the legal-aid side with the case code and what the window knew
    a = client.get(f"/api/v1/aid-applications/{m['record_id']}", headers=_h(aid)).get_json()
    assert a["centre_code"] == case["code"] and a["reference"] == m["record_reference"]
    assert a["state"] == "received" and a["matter_type"] == "labour" and a["eligibility"] == "means_test"
    assert a["applicant"]["name"] == NAME and a["opposing_party"] == "君山区宏达建筑有限公司"
    # no ID number, form, hardship proof or materials at the window: all listed missing, so no decision yet
    assert a["documents_missing"] == ["id", "application_form", "hardship", "case_materials"]
    assert any(d["rule"] == "legal_aid.decide" and d["status"] == "open" for d in a["deadlines"])
    assert _act(client, aid, a["id"], "grant").status_code == 422
    # the legal-aid side's one notice of missing materials (Art 43), then the materials come in
    by = (clock.today() + timedelta(days=10)).isoformat()
    r = _act(client, aid, a["id"], "supplement", documents_missing=a["documents_missing"], supplement_by=by)
    assert r.status_code == 200 and r.get_json()["state"] == "supplementing", r.get_json()
    got = client.get(f"/api/v1/centre-cases/{case['id']}", headers=_h(clerk)).get_json()
    assert got["state"] == "routed" and got["matters"][0]["state"] == "routed"    # waiting is not an answer
    assert _act(client, aid, a["id"], "supplied").get_json()["state"] == "received"
    r = _act(client, aid, a["id"], "grant")
    assert r.status_code == 200 and r.get_json()["state"] == "granted", r.get_json()
    # the decision answered the centre's matter on its lead part; the loop goes on at the centre
    got = client.get(f"/api/v1/centre-cases/{case['id']}", headers=_h(clerk)).get_json()
    (gm,) = got["matters"]
    assert gm["state"] == "answered" and gm["parts"][0]["state"] == "answered"
    assert a["reference"] in gm["answer"] and got["state"] == "answered"
    for action, body in (("tell", {"note": "电话告知已准予法律援助"}),
                         ("visit", {"note": "回访：律师已联系", "rating": "satisfied"})):
        r = client.post(f"/api/v1/centre-cases/{case['id']}/actions/{action}", json=body, headers=_h(clerk))
        assert r.status_code == 200, r.get_json()
    assert r.get_json()["state"] == "closed"
    # the closure later on the legal-aid side does not answer a matter twice
    from plugins.legal_aid.models import Provider
    pid = db.session.scalar(select(Provider.id).where(Provider.name == "陈明律"))
    assert _act(client, aid, a["id"], "assign", provider_id=pid).status_code == 200
    assert _act(client, aid, a["id"], "close", report="调解结案，追回工资").status_code == 200
    got = client.get(f"/api/v1/centre-cases/{case['id']}", headers=_h(clerk)).get_json()
    assert got["state"] == "closed" and got["matters"][0]["answer"] == gm["answer"]


def test_refusal_answers_not_resolved_and_closure_answers_a_reopened_matter(app, client, api_token):
    """A refusal goes back as an unresolved answer; after an objection upheld and the person not satisfied,
    the reopened matter takes the next answer from the legal-aid side (the closure)."""
    from plugins.centre import services as centre
    from plugins.centre.models import Case
    from plugins.legal_aid.aid import services as aid_service
    from plugins.legal_aid.models import AidApplication, Provider
    clerk = api_token("centre")
    case = _register(client, clerk, category="marriage_family", summary="离婚纠纷中请求法律援助",
                      other_parties=[])
    app_ = db.session.get(AidApplication, case["matters"][0]["record_id"])
    assert app_.matter_type == "other_31" and app_.opposing_party == "" and app_.centre_code == case["code"]
    aid_service.request_supplement(app_, list(app_.documents_missing), clock.today() + timedelta(days=5))
    aid_service.materials_supplied(app_)
    aid_service.refuse(app_, "经核查不符合经济困难标准")
    db.session.commit()
    db.session.expire_all()
    c = db.session.get(Case, case["id"])
    assert c.matters[0].state == "answered" and c.matters[0].answer.startswith("未化解：")    # resolved=False
    assert "经核查不符合经济困难标准" in c.matters[0].answer and c.state == "answered"
    centre.tell(c, "告知不予援助及异议途径")
    centre.visit(c, "回访", rating="unsatisfied")          # reopens the lead part under supervision
    aid_service.object_to(app_, "申请人提交了低保证明")
    aid_service.decide_objection(app_, True, "异议成立，准予法律援助")
    db.session.commit()
    db.session.expire_all()
    c = db.session.get(Case, case["id"])
    assert c.matters[0].state == "answered" and "异议成立" in c.matters[0].answer and c.reopened == 1
    provider = db.session.scalar(select(Provider).where(Provider.name == "陈明律"))
    aid_service.assign(app_, provider.id)
    aid_service.close(app_, "结案报告")
    db.session.commit()
    db.session.expire_all()
    assert "异议成立" in db.session.get(Case, case["id"]).matters[0].answer     # answered once per opening


def test_other_routes_are_not_taken_by_legal_aid(app):
    """The legal-aid receiver answers None for a route that is not its own (the petition and mediation
    receivers take theirs), and applications carry no code unless the centre opened them."""
    from core.toolkit import Region
    from plugins.legal_aid.aid import services as aid
    from plugins.legal_aid.centre_link import on_route
    assert on_route(object(), case=None, route="legal_aid") is None
    assert on_route(object(), case=object(), route="petition") is None
    region = db.session.scalar(select(Region.id).where(Region.level == "county"))
    direct = aid.create_application(applicant={"name": "申请人丙"}, region_id=region, matter_type="labour",
                                    summary="工资", exempt_group="migrant_worker")
    assert direct.centre_code is None
    # without the centre, a means-tested application still needs its hardship check or the proof listed missing
    with pytest.raises(aid.AidError):
        aid.create_application(applicant={"name": "申请人丁"}, region_id=region, matter_type="labour", summary="工资")
    pending = aid.create_application(applicant={"name": "申请人丁"}, region_id=region, matter_type="labour",
                                     summary="工资", documents_missing=["hardship"])
    assert pending.eligibility == "means_test" and pending.documents_missing == ["hardship"]


def test_slip_and_report_read_back_characters_outside_the_bmp(app, client, api_token, login_as):
    """The slip for a person named 张𠀀𪚥 (the slip prints no name by design: the code, the matters and their
    units) and the monthly 通报 use the shared stack with the Ext B–H fallback faces: a unit named with
    characters outside the BMP reads back from both PDFs with pypdf, and the fallback face is embedded."""
    from pypdf import PdfReader
    from plugins.centre.models import Unit
    unit = db.session.scalar(select(Unit).where(Unit.name == AID_CENTRE))
    unit.name = "𠀀𪚥乡法律援助工作站"
    db.session.commit()
    clerk = api_token("centre")
    case = _register(client, clerk)
    part = case["matters"][0]["parts"][0]
    r = client.post(f"/api/v1/centre-cases/{case['id']}/actions/answer", headers=_h(clerk),
                    json={"part_id": part["id"], "answer": "已受理，告知所需材料"})     # counted in the 通报
    assert r.status_code == 200, r.get_json()
    login_as("centre_lead")
    slip = client.get(f"/centre/cases/{case['id']}/slip.pdf")
    assert slip.status_code == 200
    reader = PdfReader(io.BytesIO(slip.data))
    text = "".join(p.extract_text() for p in reader.pages)
    assert case["code"] in text and "𠀀𪚥乡法律援助工作站" in text and NAME not in text
    fonts = {str(f["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].get_object().values()}
    assert any("Concord-Han-Ext" in f for f in fonts), fonts
    month = clock.today().strftime("%Y-%m")
    pdf = client.get(f"/centre/supervisions/report.pdf?month={month}")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "𠀀𪚥乡法律援助工作站" in text and "— 1 —" in text
