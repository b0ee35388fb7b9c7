"""Legal-aid applications (法律援助法): eligibility, the one-notice supplement with the paused decision clock,
lapse, decision, refusal with PDF, recusal, assignment, early aid, objection, termination, closure, archive,
detainee forwarding."""
from datetime import date, datetime
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from core.auth.models import User
from core.calendar.deadlines import deadlines_for
from core.calendar.services import compute, compute_rule
from core.db import db
from core.notifications.models import Notification
from core.parties import organisation_by_code
from core.pdf import render_pdf
from core.regions.models import Region
from plugins.legal_aid import documents, jobs
from plugins.legal_aid.aid import services as aid
from plugins.legal_aid.models import AidApplication, Provider
from core import clock

RECEIVED = datetime(2026, 3, 2, 9, 0)          # a Monday


def _region():
    return db.session.scalar(select(Region).where(Region.code == "430611000000")).id


def _apply(**kw):
    args = dict(applicant={"name": "申请人甲", "phone": "13900001111"}, region_id=_region(), matter_type="labour",
                summary="被拖欠工资", opposing_party="某劳务公司", exempt_group="migrant_worker", received_at=RECEIVED)
    args.update(kw)
    return aid.create_application(**args)


def _clock(app, rule="legal_aid.decide", today=None):
    return next(d for d in deadlines_for(app, today) if d["rule"] == rule)


def _provider(name="陈明律"):
    return db.session.scalar(select(Provider).where(Provider.name == name))


def test_decision_clock_is_seven_calendar_days(app):
    # 法律援助法 Art 43 "七日内": calendar days (no working-day clause), Mon 2 Mar + 7 = Mon 9 Mar
    a = _apply()
    assert a.state == "received" and a.eligibility == "exempt" and a.reference.startswith("JS-FY-2026-")
    assert _clock(a)["due"] == compute_rule("legal_aid.decide", date(2026, 3, 2))["due"] == "2026-03-09"


def test_eligibility_rules(app):
    with pytest.raises(aid.AidError) as exc:
        _apply(exempt_group=None)                        # Art 31 matter: hardship must be checked
    assert "hardship_evidence" in exc.value.errors
    assert _apply(exempt_group=None, hardship_evidence="pledge").eligibility == "means_test"
    assert _apply(matter_type="abuse_victim", exempt_group=None).eligibility == "no_means_test"   # Art 32
    with pytest.raises(aid.AidError) as exc:
        _apply(matter_type="divorce", exempt_group="nobody", documents_missing=["photo"], summary=" ")
    assert set(exc.value.errors) >= {"matter_type", "exempt_group", "documents_missing", "summary"}


def test_supplement_pauses_the_clock_and_resumes(app):
    a = _apply(documents_missing=["id"])
    aid.request_supplement(a, ["id", "case_materials"], date(2026, 3, 13), today=date(2026, 3, 4))
    assert a.state == "supplementing" and _clock(a)["status"] == "paused"
    with pytest.raises(aid.AidError):
        aid.grant(a)
    aid.materials_supplied(a, today=date(2026, 3, 9))            # paused Wed 4 – Mon 9: 6 calendar days added
    due = _clock(a)["due"]
    assert due == compute(date(2026, 3, 2), 7, "calendar", [(date(2026, 3, 4), date(2026, 3, 9))]).due.isoformat()
    assert due == "2026-03-16"                                   # 9 + 6 = Sun 15 → next working day
    assert a.documents_missing == [] and a.state == "received"
    with pytest.raises(aid.AidError) as exc:                      # one notice only
        aid.request_supplement(a, ["hardship"], date(2026, 3, 20), today=date(2026, 3, 10))
    assert "" in exc.value.errors          # the record as a whole: a step not possible now


def test_not_supplied_by_the_date_counts_as_withdrawn(app):
    a = _apply()
    aid.request_supplement(a, ["hardship"], date(2026, 3, 10), today=date(2026, 3, 3))
    with pytest.raises(aid.AidError):
        aid.lapse(a, today=date(2026, 3, 10))                     # the last day is not over
    assert jobs.aid_reminders(date(2026, 3, 11))["lapsed"] == 1
    assert a.state == "withdrawn" and _clock(a)["status"] == "met"
    aid.archive(a)
    assert a.state == "archived"


def test_grant_assign_with_recusal_close_archive(app):
    a = _apply(applicant={"name": "赵德明", "phone": "13907301111"})
    aid.grant(a)
    assert a.state == "granted" and _clock(a)["status"] == "met"
    assign = _clock(a, "legal_aid.assign")
    assert assign["status"] == "open" and assign["due"] == compute_rule("legal_aid.assign", clock.today())["due"]
    with pytest.raises(aid.AidError) as exc:                      # 刘法援 declared 赵德明 a cousin
        aid.assign(a, _provider("刘法援").id)
    assert "provider_id" in exc.value.errors and a.state == "granted"
    with pytest.raises(aid.AidError):
        aid.close(a, "report")
    aid.assign(a, _provider().id)
    assert a.state == "assigned" and _clock(a, "legal_aid.assign")["status"] == "met"
    with pytest.raises(aid.AidError):
        aid.close(a, "")
    aid.close(a, "仲裁裁决支持全部工资请求")
    aid.archive(a)
    assert a.state == "archived" and a.archived_at


def test_recusal_same_person_and_same_organisation(app):
    firm = organisation_by_code("JS-FYZX")
    a = _apply(opposing_party="", opposing_org_id=firm.id)
    assert "对方" in aid.recusal_conflict(a, _provider("刘法援"))     # works for the opposing organisation
    b = _apply(opposing_party="陈明律")
    assert aid.recusal_conflict(b, _provider())
    c = _apply()
    p = _provider()
    p.person_id = c.applicant_id
    assert aid.recusal_conflict(c, p)
    assert aid.recusal_conflict(_apply(applicant={"name": "王五"}), _provider("刘法援")) is None
    assert aid.recusal_conflict(a, _provider()) is None


def test_refusal_pdf_objection_and_upheld(app):
    a = _apply()
    aid.refuse(a, "申请事项不属于法律援助范围")
    pdf = render_pdf("legal_aid.document", **documents.aid_document(a, "refusal_decision"))
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).replace(" ", "").replace("\n", "")
    assert "不予法律援助决定书" in text and "申请事项不属于法律援助范围" in text and "第四十九条" in text
    aid.object_to(a, "本人符合进城务工人员免予核查条件")
    obj = _clock(a, "legal_aid.objection_decide")
    assert a.state == "objection" and obj["due"] == compute_rule("legal_aid.objection_decide", clock.today())["due"]
    aid.decide_objection(a, True, "责令改正")
    assert a.state == "granted" and _clock(a, "legal_aid.objection_decide")["status"] == "met"
    assert _clock(a, "legal_aid.assign")["status"] == "open"


def test_objection_rejected_once_only(app):
    a = _apply()
    aid.refuse(a, "不符合条件")
    aid.object_to(a, "异议")
    aid.decide_objection(a, False, "维持")
    assert a.state == "refused"
    with pytest.raises(aid.AidError):
        aid.object_to(a, "again")


def test_early_aid_when_a_limitation_expires_within_seven_days(app):
    a = _apply()
    with pytest.raises(aid.AidError) as exc:
        aid.start_early_aid(a, _provider().id, date(2026, 3, 20), today=date(2026, 3, 10))   # 10 days
    assert "limitation_due" in exc.value.errors
    aid.start_early_aid(a, _provider().id, date(2026, 3, 15), today=date(2026, 3, 10))
    assert a.early_aid and a.provider_id and a.state == "received"
    # the decision is still due, and late: 7 calendar days from Mon 2 Mar ended on Mon 9 Mar
    assert _clock(a, today=date(2026, 3, 10))["status"] == "overdue"
    aid.grant(a)
    assert a.state == "assigned"


def test_termination_and_objection_to_it(app):
    a = _apply()
    aid.grant(a)
    aid.assign(a, _provider().id)
    with pytest.raises(aid.AidError):
        aid.terminate(a, "bored", "x")
    aid.terminate(a, "own_lawyer", "受援人自行委托律师")
    assert a.state == "terminated"
    pdf = render_pdf("legal_aid.document", **documents.aid_document(a, "termination_decision"))
    assert "终止法律援助决定书" in "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).replace(" ", "")
    aid.object_to(a, "并未委托")
    aid.decide_objection(a, True, "撤销终止决定")
    assert a.state == "assigned" and a.termination_ground is None


def test_detainee_application_forwarded_within_24_hours(app):
    a = _apply(detainee=True, received_at=datetime(2026, 3, 2, 15, 30))
    assert a.forward_by == datetime(2026, 3, 3, 15, 30)
    assert "forward" in aid.allowed_actions(a)
    assert jobs.detainee_reminders(datetime(2026, 3, 3, 9, 30))["reminders"] >= 1
    aid_user = db.session.scalar(select(User).where(User.username == "aid"))
    assert db.session.scalar(select(Notification).where(Notification.user_id == aid_user.id,
                                                        Notification.record_type == "legal_aid_application",
                                                        Notification.record_id == str(a.id))) is not None
    aid.forwarded(a)
    assert a.forwarded_at and "forward" not in aid.allowed_actions(a)
    with pytest.raises(aid.AidError):
        aid.forwarded(_apply())                                            # not a detainee


@pytest.mark.parametrize("action", ["grant", "assign", "close", "archive", "supplied", "terminate"])
def test_illegal_transitions_from_received(app, action):
    a = _apply()
    calls = {"grant": lambda: aid.assign(a, _provider().id), "assign": lambda: aid.assign(a, _provider().id),
             "close": lambda: aid.close(a, "r"), "archive": lambda: aid.archive(a),
             "supplied": lambda: aid.materials_supplied(a), "terminate": lambda: aid.terminate(a, "fraud", "x")}
    with pytest.raises(aid.AidError):
        calls[action]()
    assert a.state == "received"


def test_demo_application_awaits_its_decision(app):
    demo = db.session.scalar(select(AidApplication).order_by(AidApplication.id).limit(1))
    assert demo.state == "received" and _clock(demo)["status"] in ("open", "overdue")


def test_pdf_loader_for_the_cli(app):
    from core.pdf import RecordNotFound
    from plugins.legal_aid.models import Referral
    a = _apply()
    assert documents.load(f"aid:accept_notice:{a.id}")["title"] == "法律援助申请受理通知书"
    ref = db.session.scalar(select(Referral).where(Referral.knew_at.is_not(None)))
    assert documents.load(f"referral:{ref.id}")["title"] == "依法分类处理告知书"
    for bad in ("referral:999999", "aid:nope:1", "x"):
        with pytest.raises(RecordNotFound):
            documents.load(bad)


def test_the_queue_shows_each_applications_clock_by_its_title(app, client):
    """The list reads each application's running clock due first with its rows: open with its due date,
    overdue marked, paused by the rule's title (never its code)."""
    from conftest import login
    open_one = _apply(applicant={"name": "钟开着", "phone": "13900002222"})
    paused = _apply(applicant={"name": "钟停着", "phone": "13900003333"}, documents_missing=["id"])
    aid.request_supplement(paused, ["id"], date(2026, 3, 13), today=date(2026, 3, 4))
    db.session.commit()
    login(client, "aid")
    with clock.frozen(datetime(2026, 3, 5, 10, 0)):
        page = client.get("/legal_aid/aid/?lang=en&per_page=100").get_data(as_text=True)
    with clock.frozen(datetime(2026, 3, 20, 10, 0)):
        late = client.get("/legal_aid/aid/?lang=en&per_page=100").get_data(as_text=True)

    def row(html, ref):
        return next(r for r in html.split("<tr>") if ref in r)
    due = _clock(open_one)["due"]
    assert f"Decide on the legal-aid application · {due}<" in row(page, open_one.reference)
    assert f"Decide on the legal-aid application · {due} · overdue<" in row(late, open_one.reference)
    assert "Decide on the legal-aid application paused<" in row(page, paused.reference)
    assert "legal_aid.decide" not in page
