"""Hearing services: application and refusal, clocks on the official calendar, scheduling clashes,
panel size and the recusal check, the session, minutes versions, confirmation, lock hash, correction,
deliberation, conclusion with its signal and the petition note, reminders."""
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from core.audit.models import AuditLog
from core.calendar.deadlines import deadlines_for
from core.db import db
from core.errors import ServiceError
from core.signals import signal
from plugins.hearing import scheduling, services, session
from plugins.hearing.minutes import services as minutes
from plugins.hearing.pool import conflicts, services as panel
from plugins.hearing.tests.hearing_support import (case_by, demo_hearing, new_hearing, pool, room, run_to_minutes,
                                                   slot, user)
from plugins.hearing.pool.models import Panelist
from core import clock


def test_demo_seed_has_pool_rooms_and_a_scheduled_backlog_hearing(app):
    h = demo_hearing()
    assert h.state == "scheduled" and h.petition.backlog and h.room is not None
    assert len([m for m in h.panel]) == 3 and h.warning is None
    assert db.session.scalar(select(db.func.count(Panelist.id))) == 8
    rules = {d["rule"] for d in deadlines_for(h)}
    assert {"hearing.decide", "hearing.hold"} <= rules


def test_application_on_statutory_route_is_refused_with_reason(app):
    case = case_by("要求撤销劳动仲裁裁决")   # classified claim / arbitration, not accepted
    case.state = "handling"                 # even if it were open
    h = services.apply(case, owner=user("mediator"))
    assert h.state == "refused" and "仲裁" in h.decision_note or "rbitration" in h.decision_note
    with pytest.raises(ServiceError):
        services.accept(h)


def test_non_backlog_case_gets_a_warning_and_proposal_needs_consent(app):
    case = case_by("反映小区物业长期不维修电梯")
    case.backlog = False   # whatever the backlog rules decided
    with pytest.raises(ServiceError) as exc:
        services.apply(case, origin="proposal")
    assert "consent_at" in exc.value.errors
    h = services.apply(case, origin="proposal", consent_at=clock.now())
    assert h.warning and h.state == "applied"
    decide = next(d for d in deadlines_for(h) if d["rule"] == "hearing.decide")
    assert decide["basis"]
    with pytest.raises(ServiceError):
        services.apply(case)   # one hearing under way per petition


def test_decision_deadline_counts_working_days_on_the_official_calendar(app):
    case = case_by("反映小区物业长期不维修电梯")
    h = services.apply(case, applied_at=datetime(2026, 9, 30, 10, 0))
    decide = next(d for d in deadlines_for(h) if d["rule"] == "hearing.decide")
    # 5 working days from 30 Sep 2026 skip the National Day holiday (1–7 Oct)
    assert decide["due"] > "2026-10-07"


def test_latest_notice_day_and_earliest_day(app):
    day = date(2026, 12, 10)
    last = scheduling.latest_notice_day(day)
    assert last == date(2026, 12, 3)
    assert scheduling.earliest_day(date(2026, 12, 3)) == date(2026, 12, 10)


def test_room_host_and_panelist_clashes_are_refused(app):
    demo = demo_hearing()
    h = new_hearing(schedule=False)
    with pytest.raises(ServiceError) as exc:
        scheduling.schedule(h, demo.scheduled_at + timedelta(minutes=30), room=demo.room, host_name="孙主持",
                          recorder_name="钱记录")
    assert demo.reference in exc.value.errors["scheduled_at"]
    with pytest.raises(ServiceError) as exc:
        scheduling.schedule(h, demo.scheduled_at, room=room(1), host=user("mediator"), recorder_name="钱记录")
    assert "赵调解" in exc.value.errors["scheduled_at"]
    scheduling.schedule(h, demo.scheduled_at + timedelta(hours=3), room=demo.room, host_name="孙主持",
                      recorder_name="钱记录")
    assert h.state == "scheduled"
    # a panelist of the demo hearing cannot sit on an overlapping one
    other = services.apply(case_by("要求解决拖欠的工程款十二万元"))
    services.accept(other)
    scheduling.schedule(other, demo.scheduled_at, room=room(1), host_name="周主持", recorder_name="吴记录")
    with pytest.raises(ServiceError) as exc:
        panel.add_member(other, demo.panel[0].panelist, "抽取")
    assert demo.panel[0].panelist.name in exc.value.errors["panelist_id"]


def test_schedule_too_soon_or_after_the_hold_limit_is_refused(app):
    h = new_hearing(schedule=False)
    with pytest.raises(ServiceError) as exc:
        scheduling.schedule(h, clock.now() + timedelta(days=1), room=room(1), host_name="甲", recorder_name="乙")
    assert "scheduled_at" in exc.value.errors
    with pytest.raises(ServiceError):
        scheduling.schedule(h, clock.now() + timedelta(days=60), room=room(1), host_name="甲", recorder_name="乙")


def test_recusal_check_flags_relation_same_unit_and_earlier_role(app):
    h = demo_hearing()   # 李春兰, handled by 君山区人力资源和社会保障局
    li, hu, luo = pool("李建国", "胡晓东", "罗文博")
    assert [f["code"] for f in conflicts.conflicts(h, li)] == ["relation"]
    assert [f["code"] for f in conflicts.conflicts(h, hu)] == ["same_unit"]
    assert conflicts.conflicts(h, luo) == []
    with pytest.raises(ServiceError) as exc:
        panel.add_member(h, li, "抽取")
    assert "李春兰" in exc.value.errors["panelist_id"]
    member = panel.add_member(h, li, "当事人同意，仍予指定", accept_conflict=True)
    assert member.conflicts[0]["code"] == "relation"
    # the officer who registered the case hosts: flagged as an earlier role
    scheduling.schedule(h, h.scheduled_at, room=h.room, host=user("officer"), recorder_name="刘记录")
    assert any("王信访" in f for f in conflicts.official_conflicts(h))
    same = panel.save_panelist(None, {"name": "李春兰", "kind": "resident_rep"})
    assert "same_person" in [f["code"] for f in conflicts.conflicts(h, same)]


def test_panel_must_be_odd_and_within_settings(app):
    h = new_hearing()
    panel.add_member(h, pool("杨正义")[0], "律师")
    with pytest.raises(ServiceError) as exc:
        scheduling.send_notices(h)
    assert "panel" in exc.value.errors
    panel.remove_member(h, h.panel[-1], "调整")
    assert len(scheduling.send_notices(h)) >= 5   # petitioner, unit, three panelists, announcement


def test_postpone_and_suspend_keep_reasons(app):
    h = new_hearing()
    scheduling.send_notices(h)
    scheduling.postpone(h, "信访人住院", slot(8))
    assert h.state == "scheduled"
    scheduling.send_notices(h)
    session.open_session(h)
    session.suspend(h, "新证人需要到场")
    session.resume(h)
    texts = [e.text for e in db.session.scalars(select(AuditLog).where(AuditLog.record_type == "hearing_hearing",
                                                                       AuditLog.record_id == str(h.id)))]
    assert any("信访人住院" in t for t in texts if t) and any("新证人" in t for t in texts if t)


def test_minutes_versions_confirmation_lock_and_correction(app):
    h = run_to_minutes(new_hearing())
    v1 = minutes.current_version(h)
    assert v1.number == 1 and "电梯三年来故障十余次" in v1.sections["petitioner_statement"]
    assert "维修记录" in v1.sections["debate"]
    edited = dict(v1.sections, final="信访人：请求尽快更换电梯。")
    v2 = minutes.save_draft(h, edited, "补充最后陈述")
    assert v2.number == 2 and len(minutes.versions(h)) == 2
    with pytest.raises(ServiceError):
        minutes.lock(h)   # parties have not confirmed yet
    petitioner = next(p for p in h.participants if p.role == "petitioner")
    unit = next(p for p in h.participants if p.role == "unit")
    minutes.confirm(h, petitioner, "confirmed")
    with pytest.raises(ServiceError):
        minutes.confirm(h, unit, "refused")   # a refusal needs the host's note
    minutes.confirm(h, unit, "refused", note="认为记录不全，拒绝签名")
    locked = minutes.lock(h)
    assert len(locked.content_hash) == 64 and minutes.verify(locked)
    assert minutes.digest(minutes.canonical(h, locked)) == locked.content_hash
    with pytest.raises(ServiceError):
        minutes.save_draft(h, edited)
    with pytest.raises(ServiceError):
        session.add_statement(h, "host", "孙主持", "补记")
    v3 = minutes.correct(h, dict(edited, final="更正"), "笔误更正")
    assert v3.number == 3 and v3.locked_at is None and minutes.last_locked(h).number == 2


def test_deliberation_majority_and_dissent(app):
    h = run_to_minutes(new_hearing())
    minutes.set_proposal(h, "物业公司一个月内更换电梯。")
    for member, vote in zip(h.panel, ("agree", "agree", "disagree")):
        minutes.record_vote(h, member.id, f"{member.panelist.name}的意见", vote)
    info = minutes.deliberation(h)
    assert info["majority"] and info["complete"] and len(info["dissent"]) == 1
    assert "评议" in minutes.current_version(h).sections["deliberation"]   # the minutes only point to it


def test_conclusion_sends_signal_notes_petition_and_starts_service_clock(app):
    h = run_to_minutes(new_hearing())
    got = []

    def receiver(sender, **kw):
        got.append((sender, kw))

    signal("hearing.concluded").connect(receiver)
    try:
        session.conclude(h, "settled", "物业公司承诺更换电梯，信访人息诉罢访。", on_spot=True)
    finally:
        signal("hearing.concluded").disconnect(receiver)
    assert got and got[0][0].id == h.petition_id and got[0][1]["hearing"] is h
    assert "息诉罢访" in got[0][1]["text"]
    notes = db.session.scalars(select(AuditLog).where(AuditLog.record_type == "petition_case",
                                                      AuditLog.record_id == str(h.petition_id),
                                                      AuditLog.action == "note")).all()
    assert any(h.reference in n.text for n in notes)
    clock = next(d for d in deadlines_for(h) if d["rule"] == "hearing.conclusion_spot")
    assert clock["status"] == "open"
    session.serve_conclusion(h)
    assert h.state == "served"
    assert next(d for d in deadlines_for(h) if d["rule"] == "hearing.conclusion_spot")["status"] == "met"


def test_statement_validation_and_text_modules(app):
    h = new_hearing()
    with pytest.raises(ServiceError) as exc:
        session.add_statement(h, "judge", "", "")
    assert {"speaker_role", "speaker_name", "text"} <= set(exc.value.errors)
    scheduling.send_notices(h)
    session.open_session(h)
    st = session.use_module(h, "floor", speaker="信访人")
    assert st.text == "主持人请信访人发言。" and st.step == "identity"


def test_recusal_request_and_ruling(app):
    h = new_hearing()
    scheduling.send_notices(h)
    session.open_session(h)
    target = next(p for p in h.participants if p.role == "panelist")
    r = session.request_recusal(h, target, "信访人", "曾为对方代理")
    session.rule_recusal(h, r, True, "理由成立", "孙主持")
    assert r.ruling == "granted" and any(m.recused for m in h.panel)
    host = next(p for p in h.participants if p.role == "host")
    r2 = session.request_recusal(h, host, "信访人", "主持人不公")
    with pytest.raises(ServiceError):
        session.rule_recusal(h, r2, False, "不成立", "孙主持")   # the host does not rule on himself


def test_reminders_notify_owner(app):
    from core.notifications.models import Notification
    from plugins.hearing.jobs import remind
    case = case_by("反映小区物业长期不维修电梯")
    h = services.apply(case, owner=user("mediator"), applied_at=clock.now() - timedelta(days=10))
    db.session.flush()
    sent = remind()
    assert sent >= 1
    titles = db.session.scalars(select(Notification.title).where(Notification.user_id == user("mediator").id)).all()
    assert any(h.reference in t for t in titles)


def test_absence_is_noted_and_written_into_the_minutes(app):
    h = new_hearing()
    scheduling.send_notices(h)
    session.open_session(h)
    unit = next(p for p in h.participants if p.role == "unit")
    with pytest.raises(ServiceError):
        session.record_absence(h, unit, "")
    session.record_absence(h, unit, "无正当理由未到场，视为放弃")
    session.close_session(h)
    assert "视为放弃" in minutes.current_version(h).sections["procedure"]
    assert unit not in minutes.signers(h) or not any(p.arrived_at for p in h.participants)
