"""The one-stop centre end to end on the real database: one window, one code, routing into the petition and
mediation plugins through the declared points, lead and co-handlers, the loop's closing conditions, /status by
case code without personal data, supervision lights, the monthly 通报, and scoping."""
from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta

from sqlalchemy import select

from core import clock
from core.db import db


def _user(name):
    from core.auth.models import User
    return db.session.scalar(select(User).where(User.username == name))


def _unit(name):
    from plugins.centre.models import Unit
    return db.session.scalar(select(Unit).where(Unit.name == name))


LABOUR = "县劳动争议人民调解委员会"
PETITION_OFFICE = "县信访局（人民来访接待中心）"
HOUSING = "县住房和城乡建设局窗口"


def _register(client, token, **over):
    body = {"channel": "visit", "received_at": clock.now().replace(microsecond=0).isoformat(),
            "person": {"name": "郑春华", "id_number": "430611198503150026", "phone": "13907301111"},
            "matters": [{"kind": "dispute", "category": "labour", "summary": "工地拖欠工资两个月共一万二千元",
                         "other_parties": [{"name": "君山区宏达建筑有限公司"}]},
                        {"kind": "petition", "summary": "投诉县住建局对欠薪举报不作为",
                         "co_unit_ids": [_unit(HOUSING).id]}]}
    body.update(over)
    return client.post("/api/v1/centre-cases", json=body, headers={"Authorization": f"Bearer {token}"})


def test_one_window_one_code_routes_into_mediation_and_petition(app, client, api_token):
    tok = api_token("centre")
    r = _register(client, tok)
    assert r.status_code == 201, r.get_json()
    case = r.get_json()
    assert case["code"].startswith("ZX-") and case["state"] == "routed"
    dispute, complaint = case["matters"]
    assert dispute["route"] == "mediation" and dispute["record_type"] == "mediation_dispute"
    assert [p["unit"] for p in dispute["parts"]] == [LABOUR]                  # triage: labour → labour committee
    assert complaint["route"] == "petition" and complaint["record_type"] == "petition_case"
    assert [(p["unit"], p["lead"]) for p in complaint["parts"]] == [(PETITION_OFFICE, True), (HOUSING, False)]
    admin = api_token("officer")
    h = {"Authorization": f"Bearer {admin}"}
    d = client.get(f"/api/v1/disputes/{dispute['record_id']}", headers=h).get_json()
    p = client.get(f"/api/v1/petitions/{complaint['record_id']}", headers=h).get_json()
    assert d["centre_code"] == case["code"] and p["centre_code"] == case["code"]
    # the petition's clock on the centre's lead part is the statute's (信访工作条例 第三十四条)
    got = client.get(f"/api/v1/centre-cases/{case['id']}", headers={"Authorization": f"Bearer {tok}"}).get_json()
    assert got["supervision_light"] == "none"
    # a known visitor is matched, not refused, and counts as a repeat visitor
    again = _register(client, tok, matters=[{"kind": "consultation", "summary": "咨询仲裁时效"}]).get_json()
    assert again["person"]["id"] == case["person"]["id"] and again["repeat"] is True
    assert again["state"] == "answered" and again["matters"][0]["state"] == "resolved"


def _run_loop(app, client, api_token):
    from plugins.centre.models import Case
    from plugins.mediation import services as med
    from plugins.mediation.agreements import services as agreements
    from plugins.mediation.models import Dispute
    from plugins.petition import services as pet
    from plugins.petition.models import PetitionCase
    tok = api_token("centre")
    h = {"Authorization": f"Bearer {tok}"}
    case = _register(client, tok).get_json()
    dispute_m, complaint_m = case["matters"]
    mediator = _user("mediator")
    d = db.session.get(Dispute, dispute_m["record_id"])
    med.start(d, mediator)
    agreements.save(d, {"facts": "拖欠工资", "issues": "金额", "terms": "十日内付清一万二千元", "perform_by": None})
    agreements.sign(d, mediator, clock.today())
    db.session.commit()
    c = db.session.get(Case, case["id"])
    assert c.matters[0].state == "routed"              # signed but not yet performed: still open
    med.close(d, mediator, "已全部履行，当事人确认收到工资")
    db.session.commit()
    db.session.expire_all()
    c = db.session.get(Case, case["id"])
    assert c.matters[0].state == "answered" and "履行" in c.matters[0].answer
    # the lead replies first: the matter stays open until the co-handler answered
    petition = db.session.get(PetitionCase, complaint_m["record_id"])
    pet.accept(petition)
    pet.start_handling(petition)
    pet.reply(petition, "support", "已责成住建局限期处理欠薪举报")
    db.session.commit()
    db.session.expire_all()
    c = db.session.get(Case, case["id"])
    lead, co = c.matters[1].parts
    assert lead.state == "answered" and co.state == "open" and c.matters[1].state == "routed"
    assert c.state == "routed"
    r = client.post(f"/api/v1/centre-cases/{case['id']}/actions/answer", headers=h,
                    json={"part_id": co.id, "answer": "已立案调查，责令施工单位支付"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["state"] == "answered"
    return case, h


def test_loop_closes_only_after_answers_feedback_visit_and_rating(app, client, api_token):
    case, h = _run_loop(app, client, api_token)
    url = f"/api/v1/centre-cases/{case['id']}/actions"
    assert client.post(f"{url}/visit", headers=h, json={"note": "回访"}).status_code == 409   # not told yet
    assert client.post(f"{url}/tell", headers=h, json={"note": "当面告知两项办理结果"}).get_json()["state"] == "answered"
    # the person checks the code at /status: kind, stage, summary; no name, ID number or phone
    page = client.get(f"/status?code={case['code']}").get_data(as_text=True)
    assert case["code"] in page and "工地拖欠工资" in page
    assert "郑春华" not in page and "13907301111" not in page and "430611198503150026" not in page
    assert 'name="rating"' in page
    r = client.post("/status/centre-rating", data={"code": case["code"], "rating": "satisfied"})
    assert r.status_code == 302
    got = client.get(f"/api/v1/centre-cases/{case['id']}", headers=h).get_json()
    assert got["rating"] == "satisfied" and got["state"] == "answered"      # rated, but no follow-up visit yet
    got = client.post(f"{url}/visit", headers=h, json={"note": "电话回访，当事人认可"}).get_json()
    assert got["state"] == "closed"


def test_unsatisfied_reopens_under_escalated_supervision(app, client, api_token):
    from core.notifications.models import Notification
    case, h = _run_loop(app, client, api_token)
    url = f"/api/v1/centre-cases/{case['id']}/actions"
    client.post(f"{url}/tell", headers=h, json={"note": "告知结果"})
    got = client.post(f"{url}/visit", headers=h, json={"note": "回访", "rating": "unsatisfied"}).get_json()
    assert got["state"] == "routed" and got["rating"] is None
    assert all(p["state"] == "open" for m in got["matters"] for p in m["parts"] if p["lead"])
    sups = client.get(f"/api/v1/supervisions?case_id={case['id']}", headers=h).get_json()["items"]
    assert len(sups) == 2 and all(s["escalated"] for s in sups)
    lead = _user("centre_lead")
    assert db.session.scalar(select(Notification.id).where(Notification.user_id == lead.id)) is not None


def test_supervision_lights_yellow_before_the_deadline_red_after(app, client, api_token):
    from core.calendar.services import compute
    tok = api_token("centre_lead")
    h = {"Authorization": f"Bearer {tok}"}
    case = _register(client, api_token("centre")).get_json()
    sup = client.post("/api/v1/supervisions", headers=h,
                      json={"case_id": case["id"], "unit_id": _unit(HOUSING).id, "reason": "请五个工作日内回复"}).get_json()
    due = date.fromisoformat(sup["due"])
    assert due == compute(clock.today(), 5, "working").due          # centre.supervision_answer: 5 working days
    assert sup["light"] == "none"
    with clock.frozen(datetime.combine(due - timedelta(days=1), datetime.min.time()).replace(hour=9)):
        h = {"Authorization": f"Bearer {api_token('centre_lead')}"}     # a session of that day
        got = client.get(f"/api/v1/supervisions/{sup['id']}", headers=h).get_json()
        assert got.get("light") == "yellow", got
        assert client.get(f"/api/v1/centre-cases/{case['id']}", headers=h).get_json()["supervision_light"] == "yellow"
    with clock.frozen(datetime.combine(due + timedelta(days=1), datetime.min.time()).replace(hour=9)):
        h = {"Authorization": f"Bearer {api_token('centre_lead')}"}
        assert client.get(f"/api/v1/supervisions/{sup['id']}", headers=h).get_json()["light"] == "red"
        assert client.get(f"/api/v1/centre-cases/{case['id']}", headers=h).get_json()["supervision_light"] == "red"
        from plugins.centre import supervision
        assert supervision.escalate_overdue() >= 1      # this order (and any demo order as late)
        db.session.commit()
        assert client.get(f"/api/v1/supervisions/{sup['id']}", headers=h).get_json()["escalated"] is True


def test_triage_rules_are_data(app):
    from decimal import Decimal
    from plugins.centre import services
    route, unit, rule = services.suggest("dispute", "labour", None, 12)
    assert (route, unit.name) == ("petition", PETITION_OFFICE)           # a group labour dispute
    route, unit, _ = services.suggest("dispute", "contract", Decimal("800000"), 2)
    assert route == "court"
    route, unit, _ = services.suggest("department", None, None, 1, summary="公司欠薪不发")
    assert unit.name == "县人力资源和社会保障局窗口"
    route, unit, _ = services.suggest("dispute", "neighbour", None, 2)
    assert (route, unit.name) == ("mediation", "县人民调解委员会")


def test_slip_and_monthly_report_documents(app, client, api_token, login_as):
    from openpyxl import load_workbook
    from pypdf import PdfReader
    case, _h = _run_loop(app, client, api_token)
    login_as("centre_lead")
    slip = client.get(f"/centre/cases/{case['id']}/slip.pdf")
    assert slip.status_code == 200 and slip.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(slip.data)).pages)
    assert case["code"] in text and "郑春华" not in text
    assert len(PdfReader(io.BytesIO(slip.data)).pages) == 1
    api_slip = client.get(f"/api/v1/centre-cases/{case['id']}/slip.pdf", headers=_h)
    assert api_slip.status_code == 200 and api_slip.data[:4] == b"%PDF"
    # the QR drawn on the slip is segno's encoding of the code, cell for cell (quiet zone included)
    import segno
    from core.pdf import render_html
    from plugins.centre.views import slip_loader
    html = render_html("centre.slip", **slip_loader(case["id"]))
    matrix = [list(r) for r in segno.make(case["code"], error="m", micro=False).matrix_iter(scale=1, border=4)]
    drawn = [[1 if c == "k" else 0 for c in row] for row in
             [re.findall(r'<td class="(k|w)">', tr) for tr in re.findall(r"<tr>(.*?)</tr>", html.split('class="qr"')[1]
                                                                           .split("</table>")[0])]]
    assert drawn == matrix and len(matrix) >= 29
    month = clock.today().strftime("%Y-%m")
    pdf = client.get(f"/centre/supervisions/report.pdf?month={month}")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert HOUSING in text and "按期率" in text and "— 1 —" in text
    xlsx = client.get(f"/centre/supervisions/report.xlsx?month={month}")
    rows = list(load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True))
    units = [r[1] for r in rows[1:]]
    assert LABOUR in units and HOUSING in units and rows[1][0] == 1


def test_grid_workers_cannot_read_centre_cases(app, client, api_token):
    case = _register(client, api_token("centre")).get_json()
    h = {"Authorization": f"Bearer {api_token('grid1')}"}
    assert client.get(f"/api/v1/centre-cases/{case['id']}", headers=h).status_code == 404
    assert client.get("/api/v1/centre-cases", headers=h).get_json()["total"] == 0


def test_patch_checks_the_version(app, client, api_token):
    h = {"Authorization": f"Bearer {api_token('centre')}"}
    case = _register(client, api_token("centre")).get_json()
    r = client.patch(f"/api/v1/centre-cases/{case['id']}", headers=h, json={"version": case["version"],
                                                                           "channel": "phone"})
    assert r.status_code == 200 and r.get_json()["channel"] == "phone"
    stale = client.patch(f"/api/v1/centre-cases/{case['id']}", headers=h, json={"version": case["version"],
                                                                               "channel": "letter"})
    assert stale.status_code == 409


def test_pages_render_for_the_clerk_and_the_leader(app, client, login_as):
    from plugins.centre.models import Case, Meeting
    login_as("centre")
    for url in ("/centre/", "/centre/new", "/centre/board", "/centre/supervisions", "/centre/supervisions/report",
                "/centre/meetings", "/centre/rules", "/centre/?waiting=tell", "/centre/?light=red",
                "/centre/?repeat=1"):
        assert client.get(url).status_code == 200, url
    c = db.session.scalar(select(Case).order_by(Case.id))
    assert client.get(f"/centre/cases/{c.id}").status_code == 200
    m = db.session.scalar(select(Meeting))
    assert client.get(f"/centre/meetings/{m.id}").status_code == 200
    board = client.get("/centre/board").get_data(as_text=True)
    assert "/centre/?unit=" in board and "/centre/?waiting=route" in board


def test_openapi_lists_the_collections(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert "/centre-cases" in doc["paths"] and "/supervisions" in doc["paths"]
    assert "/centre-cases/{id}/actions/route" in doc["paths"]
    assert "/centre-cases/{id}/slip.pdf" in doc["paths"]


def test_the_plugin_touches_no_core_file():
    """Core names no plugin (the centre included), and the centre imports no other plugin's code: it reaches
    petition and mediation only through the declared points."""
    import pathlib
    import re
    root = pathlib.Path(__file__).resolve().parents[3]
    for path in (root / "core").rglob("*.py"):
        assert "plugins.centre" not in path.read_text(encoding="utf-8"), path
    other = re.compile(r"^\s*(?:from|import)\s+plugins\.(?:petition|mediation|legal_aid|hearing)\b(.*)$", re.M)
    for path in (root / "plugins" / "centre").glob("*.py"):
        for rest in other.findall(path.read_text(encoding="utf-8")):
            assert rest.startswith(".points") or rest.strip().startswith("import points"), (path, rest)


def test_scale_seeder_adds_centre_traffic(app):
    from sqlalchemy import func
    from plugins.centre.models import Case, Part
    from plugins.centre.seed import seed_scale
    before = db.session.scalar(select(func.count(Case.id)))
    assert seed_scale(petitions=1500)["centre_cases"] == 150
    db.session.commit()
    assert db.session.scalar(select(func.count(Case.id))) == before + 150
    assert db.session.scalar(select(func.count(Part.id)).where(Part.state == "answered")) >= 75


def test_joint_meeting_decision_becomes_tracked_tasks(app, client, login_as):
    from plugins.centre.models import Case, Meeting, MeetingTask
    login_as("centre_lead")
    c = db.session.scalar(select(Case).where(Case.state == "routed").order_by(Case.id))
    units = [_unit(PETITION_OFFICE), _unit(HOUSING), _unit(LABOUR)]
    r = client.post("/centre/meetings/new", data={"title": "欠薪群体访会商", "case_id": c.id, "place": "会商室",
                                                  "unit_ids": [str(u.id) for u in units]})
    assert r.status_code == 302
    m = db.session.scalar(select(Meeting).where(Meeting.title == "欠薪群体访会商"))
    r = client.post(f"/centre/meetings/{m.id}/record", data={
        "present": [str(units[0].id), str(units[1].id)], "opinions": "住建局：已约谈企业", "decision": "十日内清偿",
        "task1_unit": str(units[1].id), "task1_text": "督促企业清偿欠薪", "task2_unit": str(units[0].id),
        "task2_text": "答复来访人"})
    assert r.status_code == 302
    db.session.expire_all()
    m = db.session.get(Meeting, m.id)
    assert {a["unit_id"]: a["present"] for a in m.attendance} == {units[0].id: True, units[1].id: True,
                                                                   units[2].id: False}
    assert len(m.tasks) == 2 and all(t.due_on for t in m.tasks)
    from core.calendar.deadlines import deadlines_for
    assert deadlines_for(m.tasks[0])[0]["rule"] == "centre.meeting_task"
    client.post(f"/centre/tasks/{m.tasks[0].id}/done", data={"note": "已清偿"})
    db.session.expire_all()
    assert db.session.get(MeetingTask, m.tasks[0].id).done_at is not None


def test_jobs_and_home_card(app, client, login_as):
    from core.notifications.models import Notification
    from plugins.centre import jobs
    from plugins.centre.models import Part
    open_parts = db.session.scalars(select(Part).where(Part.state == "open")).all()
    latest = max(p.due_on for p in open_parts)
    with clock.frozen(datetime.combine(latest + timedelta(days=1), datetime.min.time()).replace(hour=8)):
        assert jobs.warn_lights() == len(open_parts)         # every open part is red by then
        assert jobs.escalate_overdue() >= 1                   # the demo's unescalated order
    clerk = _user("centre")
    assert db.session.scalar(select(Notification.id).where(Notification.user_id == clerk.id)) is not None
    login_as("centre")
    home = client.get("/").get_data(as_text=True)
    assert "/centre/?waiting=" in home
