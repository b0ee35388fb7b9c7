"""Referrals to legal channels (诉访分离): the channel list, the petition and mediation signals, every
transition and refusal, the filing deadline on the working-day calendar, the 告知书 PDF, alerts."""
from datetime import date, datetime
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from core.auth.models import User
from core.calendar.deadlines import deadlines_for
from core.calendar.services import compute_rule, is_working_day
from core.db import db
from core.notifications.models import Notification
from core.parties import organisation_by_code
from core.pdf import render_pdf
from core.regions.models import Region
from plugins.legal_aid import documents, jobs, services
from plugins.legal_aid.channels import services as channels
from plugins.legal_aid.models import ChannelRule, Referral
from plugins.petition import services as petitions


def _user(name):
    return db.session.scalar(select(User).where(User.username == name))


def _petition(request="要求撤销区城管局作出的罚款决定", facts="2026年7月被处罚款五千元"):
    district = db.session.scalar(select(Region).where(Region.code == "430611000000"))
    return petitions.register(channel="visit", received_at=datetime(2026, 8, 10, 9, 0), request=request, facts=facts,
                              petitioner={"name": "测试人", "phone": "13912345678"}, region_id=district.id,
                              officer_id=_user("officer").id)


def _classified(route="administrative", **kw):
    case = _petition(**kw)
    petitions.classify(case, "claim", route)
    return case, db.session.scalar(select(Referral).where(Referral.petition_id == case.id))


def test_default_channel_list_has_the_eight_channels_with_rules_and_articles(app):
    rows = channels.lines()
    assert [r.channel for r in rows] == list(channels.DEFAULTS)
    for r in rows:
        assert r.rule_code.startswith("referral.") and channels.rule_article(r)
        compute_rule(r.rule_code, date(2026, 3, 2))     # every rule is declared
    assert channels.seed_defaults() == 0                # idempotent


def test_petition_signal_creates_a_suggested_draft(app):
    with app.test_request_context("/"):          # an officer's request: legal staff are told
        case, ref = _classified("administrative")
    assert ref is not None and ref.state == "draft" and ref.source_type == "petition"
    assert ref.channel == "admin_reconsideration" and ref.body == organisation_by_code("JS-FYB")
    assert "行政复议法" in ref.basis and ref.person_id == case.petitioner_id and ref.region_id == case.region_id
    assert services.filing_deadline(ref) is None        # no date known yet
    inbox = db.session.scalars(select(Notification).where(Notification.user_id == _user("legal").id)).all()
    assert any(ref.reference in n.title for n in inbox)


def test_route_and_keywords_choose_the_channel(app):
    _case, ref = _classified("arbitration", request="要求支付拖欠的工资", facts="")
    assert ref.channel == "labour_arbitration"
    _case, ref = _classified("arbitration", request="承包地被村委会收回，要求仲裁", facts="")
    assert ref.channel == "land_contract_arbitration"
    _case, ref = _classified("party_appeal", request="对党纪处分不服", facts="")
    assert ref is not None and ref.channel is None       # no legal channel in the list: staff choose
    case = _petition()
    petitions.classify(case, "claim", "ordinary")
    assert db.session.scalar(select(Referral).where(Referral.petition_id == case.id)) is None


def test_classifying_again_updates_the_draft(app):
    case, ref = _classified("administrative")
    petitions.classify(case, "claim", "litigation")
    drafts = db.session.scalars(select(Referral).where(Referral.petition_id == case.id)).all()
    assert drafts == [ref] and ref.channel == "civil_litigation" and ref.rule_code == "referral.civil_litigation_limitation"


def test_filing_deadline_follows_the_contract_rule_on_the_official_calendar(app):
    _case, ref = _classified("administrative")
    services.update_referral(ref, {"knew_at": date(2026, 3, 2)})
    due = services.filing_deadline(ref)["due"]
    assert due == compute_rule("referral.admin_reconsideration_file", date(2026, 3, 2))["due"]
    assert due == "2026-05-06"                          # 60 days end on 1 May, 劳动节 1–5 May rolls forward
    assert is_working_day(date.fromisoformat(due))
    services.update_referral(ref, {"channel": "admin_litigation"})      # 6 months, the same date
    fd = services.filing_deadline(ref)
    assert fd["rule"] == "referral.admin_litigation_file" and fd["due"] == "2026-09-02"
    statuses = {d["rule"]: d["status"] for d in deadlines_for(ref)}
    assert statuses["referral.admin_reconsideration_file"] == "met"     # the old channel's clock stopped


def test_full_route_closes_the_petition(app):
    case, ref = _classified("administrative")
    services.update_referral(ref, {"knew_at": date(2026, 8, 3)})
    services.notify(ref, "in_person")
    assert ref.state == "notified" and case.state == "referred"
    services.send(ref)
    services.record_receipt(ref, "复议收字〔2026〕18号")
    services.accept(ref)
    assert services.filing_deadline(ref)["status"] == "met"
    services.record_outcome(ref, "君复决字〔2026〕7号", "撤销原处罚决定")
    assert ref.state == "answered" and case.state == "closed" and "7号" in case.outcome_note
    services.record_feedback(ref, "已电话告知申请人复议结果")
    services.close(ref)
    assert ref.state == "closed" and ref.closed_at


def test_refusal_reopens_the_petition_with_the_reason(app):
    case, ref = _classified("administrative")
    services.update_referral(ref, {"knew_at": date(2026, 8, 3)})
    services.notify(ref, "post")
    services.send(ref)
    with pytest.raises(services.ReferralError) as exc:
        services.refuse(ref, "  ")
    assert "reason" in exc.value.errors
    services.refuse(ref, "不属于行政复议受案范围")
    assert ref.state == "refused" and case.state == "registered"
    from core.audit.models import AuditLog
    logged = db.session.scalars(select(AuditLog.text).where(AuditLog.record_type == "petition_case",
                                                            AuditLog.record_id == str(case.id))).all()
    assert any("不属于行政复议受案范围" in (t or "") for t in logged)
    services.close(ref)
    # the reopened petition can be referred again
    ref2 = services.create_referral(petition=case, channel="admin_litigation", knew_at=date(2026, 8, 3))
    assert ref2.state == "draft"


def test_illegal_steps_are_refused(app):
    _case, ref = _classified("administrative")
    services.update_referral(ref, {"knew_at": date(2026, 8, 3)})
    services.notify(ref, "in_person")
    services.send(ref)
    services.record_receipt(ref, "R-1")
    services.accept(ref)
    services.record_outcome(ref, "O-1", "done")
    for fn in (lambda: services.send(ref), lambda: services.accept(ref), lambda: services.notify(ref, "post"),
               lambda: services.record_receipt(ref, "R-2"), lambda: services.close(ref),
               lambda: services.refuse(ref, "x"), lambda: services.update_referral(ref, {"knew_at": date(2026, 1, 1)})):
        with pytest.raises(services.ReferralError):
            fn()
    assert ref.state == "answered"


def test_draft_steps_out_of_order_are_refused(app):
    _case, ref = _classified("administrative")
    for fn in (lambda: services.send(ref), lambda: services.record_receipt(ref, "R"), lambda: services.accept(ref),
               lambda: services.refuse(ref, "x"), lambda: services.record_outcome(ref, "O", "t"),
               lambda: services.record_feedback(ref, "f")):
        with pytest.raises(services.ReferralError) as exc:
            fn()
        assert "" in exc.value.errors
    assert ref.state == "draft"


def test_notice_needs_channel_body_and_date(app):
    _case, ref = _classified("party_appeal", request="对党纪处分不服", facts="")
    with pytest.raises(services.ReferralError) as exc:
        services.notify(ref, "fax")
    assert set(exc.value.errors) >= {"channel", "body_id", "knew_at", "service_method"}
    assert ref.state == "draft"


def test_bad_input_is_refused(app):
    case = _petition()
    with pytest.raises(services.ReferralError) as exc:
        services.create_referral(petition=case, channel="mediation", knew_at=date(2099, 1, 1))
    assert set(exc.value.errors) == {"channel", "knew_at"}
    with pytest.raises(services.ReferralError):
        services.create_referral(channel="civil_litigation")
    services.create_referral(petition=case, channel="civil_litigation", knew_at=date(2026, 1, 5))
    with pytest.raises(services.ReferralError) as exc:           # one open referral per petition
        services.create_referral(petition=case, channel="civil_litigation", knew_at=date(2026, 1, 5))
    assert "petition_id" in exc.value.errors


def test_failed_dispute_signal_creates_a_referral(app):
    from plugins.mediation import services as mediation
    from plugins.mediation.models import Dispute
    dispute = db.session.scalar(select(Dispute).where(Dispute.state == "registered").order_by(Dispute.id))
    mediator = _user("mediator")
    mediation.start(dispute, mediator)
    mediation.fail(dispute, mediator, "双方分歧过大", legal_channel="civil_litigation")
    ref = db.session.scalar(select(Referral).where(Referral.dispute_id == dispute.id))
    assert ref is not None and ref.source_type == "dispute" and ref.channel == "civil_litigation"
    assert ref.source_reference == dispute.reference and ref.region_id == dispute.region_id
    assert ref.person_id == dispute.parties[0].person_id
    services.update_referral(ref, {"knew_at": date(2026, 5, 6)})
    services.notify(ref, "in_person")           # no petition to hand over
    assert ref.state == "notified"


def test_notice_pdf_reads_back(app):
    _case, ref = _classified("administrative")
    services.update_referral(ref, {"knew_at": date(2026, 3, 2)})
    data = documents.referral_notice(ref, services.filing_deadline(ref)["due"])
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(render_pdf("legal_aid.document", **data))).pages)
    for needle in ("告知书", "行政复议", "君山区人民政府行政复议办公室", "2026年5月6日", "法律援助"):
        assert needle in text.replace(" ", "").replace("\n", ""), needle


def test_alert_under_seven_days_offers_early_aid(app):
    _case, ref = _classified("administrative")
    services.update_referral(ref, {"knew_at": date(2026, 3, 2)})     # due 2026-05-06
    assert jobs.filing_alerts(date(2026, 4, 20)) == {"alerts": 0}
    assert not services.near_deadline(ref, date(2026, 4, 28))          # 8 days
    assert services.near_deadline(ref, date(2026, 5, 1))               # 5 days
    assert jobs.filing_alerts(date(2026, 5, 1))["alerts"] >= 1
    again = jobs.filing_alerts(date(2026, 5, 1))
    assert again["alerts"] == 0                                         # once a day
    aid_user = _user("aid")
    notes = db.session.scalars(select(Notification).where(Notification.user_id == aid_user.id,
                                                          Notification.record_type == "legal_aid_referral",
                                                          Notification.record_id == str(ref.id))).all()
    assert len(notes) == 1 and ("5 天" in notes[0].title or "5 days" in notes[0].title)
    assert notes[0].body.endswith(f"/legal_aid/aid/new?referral={ref.id}")


def test_department_line_overrides_the_default(app):
    dept = organisation_by_code("JS-RSJ")
    line = channels.save_line(None, {"department_id": dept.id, "request_type": "工资争议", "keywords": "工资",
                                     "channel": "labour_arbitration", "basis": "劳动争议调解仲裁法 第二十七条",
                                     "body_kind": "arbitration_commission", "rule_code": "referral.labour_arbitration_file",
                                     "body_id": organisation_by_code("YY-LDZC").id, "what_to_bring": "劳动合同"})
    mine = [r for r in channels.lines(dept.id) if r.channel == "labour_arbitration"]
    assert mine == [line]
    assert channels.suggest("arbitration", "拖欠工资", dept.id) == line
    with pytest.raises(channels.ChannelError) as exc:
        channels.save_line(None, {"request_type": "", "channel": "x", "basis": "", "body_kind": "y", "rule_code": "z"})
    assert set(exc.value.errors) == {"request_type", "channel", "basis", "body_kind", "rule_code"}
    assert db.session.scalar(select(db.func.count(ChannelRule.id))) == 9
