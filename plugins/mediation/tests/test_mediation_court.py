"""Court-linked mediation (issue 21): rules with worked examples, import (CSV, xlsx, bad rows), the case
flow through services and API, assignment with recusal, hand-back and confirmation PDFs read back, review
and the frozen 以案定补 report."""
import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from core import clock
from core.auth.models import User
from core.calendar.services import compute_rule
from core.db import db
from plugins.mediation.court import services as cs
from plugins.mediation.court.importer import COLUMNS, ImportFailed, import_batch
from plugins.mediation.court.models import CourtCase

HEADER = ",".join(COLUMNS)


def _user(name):
    return db.session.scalar(select(User).where(User.username == name))


def _row(no, category="labour", kind="commissioned", procedure="ordinary", defendant="某劳务公司", received=None):
    received = received or (clock.today() - timedelta(days=2)).isoformat() + "T09:00"
    return (f"君山区人民法院,{no},{kind},{procedure},{category},{received},请求支付工资,刘法官,0730-8301234,起诉状,"
            f"李四,,13907300001,君山区柳林社区,{defendant},,,君山区工业园")


def _import(rows, name="batch.csv"):
    data = "\n".join([HEADER] + rows).encode()
    return import_batch(name, data, cs.default_region(), _user("admin"))


# -- rules: worked examples (calendar days, start day not counted, end rolls past rest days) --------
@pytest.mark.parametrize("rule,start,due", [
    # 2026-03-02 is a Monday: +15 days = Tue 17 March (a working day)
    ("mediation.court_commissioned_ordinary", "2026-03-02", "2026-03-17"),
    # +7 days = Mon 9 March
    ("mediation.court_commissioned_summary", "2026-03-02", "2026-03-09"),
    # Wed 2026-03-04 + 7 = Wed 11 March
    ("mediation.court_commissioned_summary", "2026-03-04", "2026-03-11"),
    # 30 days from Thu 2026-09-03 = Sat 3 October, inside 国庆 (1–7 October): rolls to Thu 8 October
    ("mediation.pre_suit", "2026-09-03", "2026-10-08"),
    # 7 days from Mon 2026-09-28 = Mon 5 October, a holiday: rolls to 8 October
    ("mediation.court_commissioned_summary", "2026-09-28", "2026-10-08"),
    ("mediation.judicial_confirmation_apply", "2026-03-02", "2026-04-01"),
])
def test_rules_worked_examples(app, rule, start, due):
    with app.app_context():
        result = compute_rule(rule, date.fromisoformat(start))
        assert result["due"] == due
        assert result["basis"]


def test_rules_listed_with_their_source(app):
    from core.calendar.services import get_rule
    with app.app_context():
        ordinary, summary, pre = (get_rule(c) for c in ("mediation.court_commissioned_ordinary",
                                                       "mediation.court_commissioned_summary", "mediation.pre_suit"))
        assert (ordinary.length, summary.length, pre.length) == (15, 7, 30)
        assert ordinary.extension == summary.extension == 30
        assert "最高人民法院关于严格依法规范民事案件立案与调解工作的意见" in ordinary.basis
        assert "特邀调解" in pre.basis


def test_extension_adds_thirty_days_once(app):
    with app.app_context():
        _batch, (case,) = _import([_row("(2026)湘0611民初9001号", procedure="summary")])
        admin, med = _user("admin"), _user("labour_mediator")
        cs.assign(case, admin, med)
        signed = clock.today() - timedelta(days=1)
        cs.receipt(case, med, signed)
        before = cs.clocks.find_deadline(case, "mediation.court_commissioned_summary").due
        assert before == date.fromisoformat(compute_rule("mediation.court_commissioned_summary", signed)["due"])
        cs.extend(case, med, clock.today(), "双方同意")
        row = cs.clocks.find_deadline(case, "mediation.court_commissioned_summary")
        assert row.length == 37 and row.extended and row.due > before
        with pytest.raises(cs.CourtError):
            cs.extend(case, med, clock.today())


# -- import ----------------------------------------------------------------------------------------
def test_import_csv_creates_cases(app):
    with app.app_context():
        batch, cases = _import([_row("(2026)湘0611民初9101号"), _row("(2026)湘0611民初9102号", kind="委派")])
        db.session.commit()
        assert batch.rows == 2 and [c.kind for c in cases] == ["commissioned", "pre_suit"]
        assert cases[0].reference.startswith("JS-SD-") and {p.role for p in cases[0].parties} == {"plaintiff", "defendant"}


def test_import_bad_rows_reported_by_number_and_nothing_imported(app):
    with app.app_context():
        before = db.session.scalar(select(func.count(CourtCase.id)))
        rows = [_row("(2026)湘0611民初9201号"), _row("(2026)湘0611民初9202号", kind="whatever"),
                _row("(2026)湘0611民初9201号"), _row("(2026)湘0611民初9204号", received="2026-02-30")]
        with pytest.raises(ImportFailed) as info:
            _import(rows)
        db.session.rollback()
        numbers = {n for n, _f, _m in info.value.rows}
        assert numbers == {2, 3, 4}
        assert ("kind" in {f for n, f, _m in info.value.rows if n == 2})
        assert db.session.scalar(select(func.count(CourtCase.id))) == before


def test_import_xlsx(app):
    from openpyxl import Workbook
    with app.app_context():
        wb = Workbook()
        ws = wb.active
        ws.append(list(COLUMNS))
        ws.append(_row("(2026)湘0611民初9301号").split(","))
        buf = io.BytesIO()
        wb.save(buf)
        _batch, cases = import_batch("b.xlsx", buf.getvalue(), cs.default_region(), _user("admin"))
        assert cases[0].court_case_no == "(2026)湘0611民初9301号"


def test_cli_import(app, tmp_path):
    path = tmp_path / "batch.csv"
    path.write_text("\n".join([HEADER, _row("(2026)湘0611民初9401号")]), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["mediation", "import-court", str(path)])
    assert result.exit_code == 0, result.output
    assert "(2026)湘0611民初9401号" in result.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([HEADER, _row("(2026)湘0611民初9402号", kind="x")]), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["mediation", "import-court", str(bad)])
    assert result.exit_code == 2 and "row 1: kind" in result.output


# -- assignment, recusal, flow, documents ----------------------------------------------------------
def test_assignment_by_specialty_and_recusal(app):
    with app.app_context():
        _batch, (case,) = _import([_row("(2026)湘0611民初9501号", defendant="孙明")])
        rows = cs.suggestions(case)
        assert rows[0]["name"] == "钱劳动" and rows[0]["match"]
        conflicted = next(r for r in rows if r["name"] == "孙明")
        assert conflicted["conflict"] and conflicted["rank"] == len(rows)
        with pytest.raises(cs.CourtError) as info:
            cs.assign(case, _user("admin"), _user("lawyer_mediator"))
        assert "mediator_id" in info.value.errors
        cs.assign(case, _user("admin"), None)
        assert case.mediator.username == "labour_mediator" and "劳动" in case.assignment_reason or case.assignment_reason


def _pdf_text(data: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_api_flow_fail_handback_and_succeed_confirmation(app, client, api_token):
    h = {"Authorization": f"Bearer {api_token('labour_mediator')}"}
    body = {"court": "君山区人民法院", "court_case_no": "(2026)湘0611民初9601号", "kind": "commissioned",
            "procedure": "ordinary", "category": "labour", "received_at": (clock.today() - timedelta(days=3)).isoformat(),
            "parties": [{"name": "周一", "phone": "13907309999"}, {"name": "某公司"}], "claim": "请求支付工资"}
    r = client.post("/api/v1/court-cases", json=body, headers=h)
    assert r.status_code == 201, r.get_json()
    cid = r.get_json()["id"]
    assert client.post(f"/api/v1/court-cases/{cid}/actions/receipt", json={}, headers=h).status_code == 409
    assert client.post(f"/api/v1/court-cases/{cid}/actions/assign", json={}, headers=h).status_code == 200
    r = client.post(f"/api/v1/court-cases/{cid}/actions/receipt", json={"on": clock.today().isoformat()}, headers=h)
    assert r.status_code == 200
    deadlines = r.get_json()["deadlines"]
    assert deadlines[0]["rule"] == "mediation.court_commissioned_ordinary" and deadlines[0]["status"] == "open"
    assert client.get(f"/api/v1/court-cases/{cid}/handback.pdf", headers=h).status_code == 409
    r = client.post(f"/api/v1/court-cases/{cid}/actions/fail", json={"reason": "双方分歧较大"}, headers=h)
    assert r.status_code == 200 and r.get_json()["handback"]["complete"] is False
    parties = r.get_json()["parties"]
    assert client.post(f"/api/v1/court-cases/{cid}/actions/handback", json={}, headers=h).status_code == 409
    r = client.post(f"/api/v1/court-cases/{cid}/actions/handback-record", headers=h, json={
        "undisputed_facts": "双方存在劳动关系，入职时间为2025年3月。", "facts_signed_on": clock.today().isoformat(),
        "disputed_points": "加班费计算基数", "evidence": "劳动合同\n工资条",
        "addresses": [{"party_id": p["id"], "address": "君山区柳林社区1号", "confirmed": True} for p in parties]})
    assert r.status_code == 200 and r.get_json()["handback"]["complete"] is True
    pdf = client.get(f"/api/v1/court-cases/{cid}/handback.pdf", headers=h)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = _pdf_text(pdf.data)
    assert "无争议事实记载" in text and "双方存在劳动关系" in text and "加班费计算基数" in text and "送达地址确认书" in text
    export = client.get(f"/api/v1/court-cases/{cid}/handback.json", headers=h).get_json()
    assert export["format"] == "concord.court_handback/1" and export["missing"] == []
    assert client.post(f"/api/v1/court-cases/{cid}/actions/handback", json={}, headers=h).get_json()["state"] == "closed"

    body["court_case_no"] = "(2026)湘0611民初9602号"
    cid2 = client.post("/api/v1/court-cases", json=body, headers=h).get_json()["id"]
    client.post(f"/api/v1/court-cases/{cid2}/actions/assign", json={}, headers=h)
    client.post(f"/api/v1/court-cases/{cid2}/actions/receipt", json={}, headers=h)
    assert client.get(f"/api/v1/court-cases/{cid2}/confirmation.pdf", headers=h).status_code == 409
    r = client.post(f"/api/v1/court-cases/{cid2}/actions/succeed", json={"terms": "公司于十日内支付工资8000元"},
                    headers=h)
    assert r.status_code == 200 and r.get_json()["state"] == "succeeded"
    rules = {d["rule"]: d for d in r.get_json()["deadlines"]}
    assert rules["mediation.court_commissioned_ordinary"]["status"] == "met"
    assert rules["mediation.judicial_confirmation_apply"]["due"] == compute_rule(
        "mediation.judicial_confirmation_apply", clock.today())["due"]
    pdf = client.get(f"/api/v1/court-cases/{cid2}/confirmation.pdf", headers=h)
    text = _pdf_text(pdf.data)
    assert "司法确认申请书" in text and "公司于十日内支付工资8000元" in text and "人民调解法" in text
    r = client.post(f"/api/v1/court-cases/{cid2}/actions/ruling", json={"ruling": "confirmed", "ruling_no": "(2026)湘0611民特1号"},
                    headers=h)
    assert r.get_json()["state"] == "closed" and r.get_json()["ruling"] == "confirmed"
    # personal data stays masked for a mediator
    assert "*" in client.get(f"/api/v1/court-cases/{cid}", headers=h).get_json()["parties"][0]["phone"]


def test_api_validation_and_scope(app, client, api_token):
    h = {"Authorization": f"Bearer {api_token('mediator')}"}
    r = client.post("/api/v1/court-cases", json={"court": "x", "kind": "nope"}, headers=h)
    assert r.status_code == 422
    assert client.get("/api/v1/court-cases/999999", headers=h).status_code == 404
    hg = {"Authorization": f"Bearer {api_token('grid1')}"}
    assert client.get("/api/v1/court-cases", headers=hg).status_code == 403
    assert client.get("/api/v1/mediators", headers=h).get_json()["total"] >= 3


# -- review and 以案定补 ------------------------------------------------------------------------------
def test_review_and_subsidy_frozen(app):
    from plugins.mediation.court.review import items, score
    from plugins.mediation.court.subsidy import compute, submit
    with app.app_context():
        region = cs.default_region()
        _b, (ok, bad) = _import([_row("(2026)湘0611民初9701号"), _row("(2026)湘0611民初9702号", category="damages")])
        admin, leader = _user("admin"), _user("leader")
        today = clock.today()
        for case in (ok, bad):
            cs.assign(case, admin, None)
            cs.receipt(case, case.mediator, today)
        cs.succeed(ok, ok.mediator, "支付8000元", today)
        cs.fail(bad, bad.mediator, "未达成", today)      # hand-back left incomplete: no subsidy
        with pytest.raises(cs.CourtError):
            score(ok, ok.mediator, "ordinary", {})       # no one reviews their own file
        full = {i.code: i.points for i in items("ordinary")}
        score(ok, leader, "ordinary", full)
        score(bad, leader, "difficult", {i.code: i.points for i in items("difficult")})
        month = today.strftime("%Y-%m")
        data = compute(region, month)
        lines = {ln["reference"]: ln for ln in data["lines"]}
        assert lines[ok.reference]["amount"] == "200.00"     # ordinary success at full score
        assert lines[bad.reference]["amount"] == "0.00" and lines[bad.reference]["note"]
        report = submit(leader, region, month)
        db.session.flush()
        with pytest.raises(cs.CourtError):
            submit(leader, region, month)
        with pytest.raises(cs.CourtError):
            score(ok, leader, "ordinary", full)             # frozen with the report
        assert report.data["total"] == data["total"]


def test_subsidy_pages_xlsx_pdf(app, login_as):
    from openpyxl import load_workbook
    client = login_as("leader")
    month = (clock.today() - timedelta(days=33)).strftime("%Y-%m")
    page = client.get(f"/mediation/subsidy?month={month}")
    assert page.status_code == 200
    sheet = client.get(f"/mediation/subsidy.xlsx?month={month}")
    assert sheet.status_code == 200
    assert load_workbook(io.BytesIO(sheet.data)).active.cell(2, 1).value
    pdf = client.get(f"/mediation/subsidy.pdf?month={month}")
    assert pdf.status_code == 200 and "以案定补" in _pdf_text(pdf.data)


def test_web_pages(app, login_as):
    client = login_as("mediator")
    assert client.get("/mediation/court/").status_code == 200
    assert client.get("/mediation/roster").status_code == 200
    assert client.get("/mediation/court/import").status_code == 200
    case = db.session.scalar(select(CourtCase).order_by(CourtCase.id))
    assert client.get(f"/mediation/court-cases/{case.id}").status_code == 200
    assert login_as("grid1").get("/mediation/court/").status_code == 403


def test_web_irreversible_step_needs_the_confirmation(app, login_as):
    client = login_as("mediator")
    case = db.session.scalar(select(CourtCase).where(CourtCase.state == "mediating").order_by(CourtCase.id))
    page = client.get(f"/mediation/court-cases/{case.id}?act=fail").get_data(as_text=True)
    assert 'name="confirm"' in page and 'id="step-fail"' in page
    client.post(f"/mediation/court-cases/{case.id}/step/fail", data={"version": case.version, "reason": "未达成"})
    db.session.expire_all()
    assert db.session.get(CourtCase, case.id).state == "mediating"
    client.post(f"/mediation/court-cases/{case.id}/step/fail",
                data={"version": case.version, "reason": "未达成", "confirm": "1"})
    db.session.expire_all()
    assert db.session.get(CourtCase, case.id).state == "failed"


@pytest.mark.parametrize("junk", ["", "x" * 20_000, "2026-02-30", "-1", "9" * 40, "<script>alert(1)</script>", "１２"])
def test_court_forms_never_break(app, login_as, junk):
    web = login_as("admin")
    case = db.session.scalar(select(CourtCase).where(CourtCase.state == "mediating").order_by(CourtCase.id))
    fields = ("court", "court_case_no", "kind", "procedure", "category", "received_at", "claim", "plaintiff_name",
              "plaintiff_phone", "plaintiff_id_number", "defendant_name")
    posts = [("/mediation/court/new", dict.fromkeys(fields, junk)),
             (f"/mediation/roster/{_user('mediator').id}", {"kind": junk, "specialties": junk, "committee_id": junk,
                                                              "training_hours": junk, "max_load": junk}),
             (f"/mediation/court-cases/{case.id}/handback-record", {"version": case.version, "facts_signed_on": junk,
                                                                    "undisputed_facts": junk}),
             (f"/mediation/court-cases/{case.id}/step/extend", {"version": junk, "on": junk}),
             (f"/mediation/court-cases/{case.id}/step/fail", {"version": case.version, "on": junk, "reason": junk,
                                                              "confirm": "1"}),
             (f"/mediation/court-cases/{case.id}/review?grade={junk[:20]}", {"item_documents": junk}),
             ("/mediation/review-checklist?grade=ordinary", {"checklist": junk}),
             ("/mediation/subsidy/submit", {"month": junk, "region": junk})]
    for url, data in posts:
        assert web.post(url, data=data).status_code in (200, 302, 403, 404), url
        db.session.rollback()
    for url in (f"/mediation/subsidy?month={junk[:30]}", f"/mediation/subsidy.xlsx?month={junk[:30]}",
                f"/mediation/court/?q={junk[:200]}", f"/mediation/court-cases/{case.id}?act={junk[:30]}"):
        assert web.get(url).status_code in (200, 302, 404), url
    assert web.post("/mediation/court/import", data={"file": (io.BytesIO(junk.encode() or b"\x00\xff"), "b.xlsx")},
                    content_type="multipart/form-data").status_code == 200


def test_closed_dispute_reviewed_counts_in_the_subsidy(app, login_as):
    from plugins.mediation import services
    from plugins.mediation.court.review import items
    from plugins.mediation.court.subsidy import compute
    from plugins.mediation.models import Dispute
    d = db.session.scalar(select(Dispute).where(Dispute.state == "registered").order_by(Dispute.id))
    mediator = _user("mediator")
    services.start(d, mediator, mediator)
    services.fail(d, mediator, "双方分歧较大")
    services.close(d, mediator, "已告知其他途径")
    db.session.commit()
    web = login_as("leader")
    assert d.reference in web.get("/mediation/reviews").get_data(as_text=True)
    full = {f"item_{i.code}": i.points for i in items("simple")}
    web.post(f"/mediation/reviews/dispute/{d.id}", data={"grade": "simple", **full})
    lines = {ln["reference"]: ln for ln in compute(cs.default_region(), clock.today().strftime("%Y-%m"))["lines"]}
    assert lines[d.reference]["kind"] == "dispute" and lines[d.reference]["amount"] == "40.00"   # simple failure
    # a mediator does not review their own file
    assert "mediation_court.reviews" and login_as("mediator").get(f"/mediation/reviews/dispute/{d.id}").status_code == 403


def test_roster_api_and_page(app, client, api_token, login_as):
    h = {"Authorization": f"Bearer {api_token('admin')}"}
    items = client.get("/api/v1/mediators?specialty=labour", headers=h).get_json()["items"]
    assert {m["name"] for m in items} >= {"钱劳动", "孙明"}
    lawyer = next(m for m in items if m["name"] == "孙明")
    r = client.patch(f"/api/v1/mediators/{lawyer['id']}", headers=h,
                     json={"version": lawyer["version"], "available": False, "training_hours": 120})
    assert r.status_code == 200 and r.get_json()["available"] is False and r.get_json()["training_hours"] == 120
    assert client.patch(f"/api/v1/mediators/{lawyer['id']}", headers=h,
                        json={"version": lawyer["version"], "available": True}).status_code == 409
    # an unavailable mediator drops below the available ones in the suggestions
    _b, (case,) = _import([_row("(2026)湘0611民初9801号")])
    db.session.commit()
    names = [r["name"] for r in cs.suggestions(case)]
    assert names.index("孙明") > names.index("钱劳动")
    assert client.post("/api/v1/mediators", headers=h, json={"user_id": _user("grid1").id}).status_code == 422
    web = login_as("admin")
    page = web.get("/mediation/roster").get_data(as_text=True)
    assert "钱劳动" in page and "普通话、湘阴话" in page
    web.post(f"/mediation/roster/{_user('mediator').id}", data={"kind": "full_time", "specialties": ["labour", "neighbour"],
                                                               "training_hours": "60", "max_load": "12", "available": "1"})
    profile = cs.profile_of(_user("mediator"))
    assert profile.kind == "full_time" and profile.specialties == ["neighbour", "labour"] and profile.max_load == 12
