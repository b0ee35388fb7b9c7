"""Backlog cases (积案) and 包案: the rules, the leader and plan, reviews, close-out with evidence and 回访;
and the hand-off to a legal route (refer → answered closes / refused reopens)."""
import io
import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from core.audit.attachments import add_attachment
from core.auth.models import User
from core.calendar.deadlines import deadlines_for
from core.db import db
from core.notifications.models import Notification
from plugins.petition import services
from plugins.petition.backlog import services as backlog
from plugins.petition.backlog.models import BacklogCase
from plugins.petition.tests.test_petition_services import _register, _unit
from core import clock


def _user(name):
    return db.session.scalar(select(User).where(User.username == name))


def _case_past_limit():
    case = _register(request="要求处理宅基地纠纷")      # received 2026-03-02: its 15-day clocks ran out long ago
    db.session.flush()
    return case


def test_overdue_rule_flags_once_and_tells_the_leader(app):
    case = _case_past_limit()
    flagged = backlog.scan(today=date(2026, 4, 1))
    assert case.id in {b.case_id for b in flagged}
    bc = backlog.backlog_of(case)
    assert bc.source == "overdue" and case.backlog and "2026-03-17" in bc.reason
    leader = _user("leader")
    assert db.session.scalar(select(Notification).where(Notification.user_id == leader.id,
                                                        Notification.record_id == str(bc.id)))
    assert case.id not in {b.case_id for b in backlog.scan(today=date(2026, 4, 2))}   # never twice


def test_case_within_its_limits_is_not_flagged(app):
    case = _register(request="要求维修道路")
    assert case.id not in {b.case_id for b in backlog.scan(today=date(2026, 3, 5))}
    assert backlog.backlog_of(case) is None


def test_repeat_rule_flags_the_open_item_of_a_thrice_raised_matter(app):
    first = _register(request="要求退还土地承包费")
    second = _register(request="要求退还土地承包费", repeat_of=first)
    assert backlog.backlog_of(second) is None
    third = _register(request="要求退还土地承包费", repeat_of=first)
    found = {b.case_id: b for b in backlog.scan(today=date(2026, 3, 3))}
    assert first.id in found and found[first.id].source == "repeat"
    assert "3" in found[first.id].reason
    assert third.id not in found or found[third.id].source != "repeat"


def test_manual_flag_needs_a_reason_and_happens_once(app):
    case = _register()
    with pytest.raises(services.PetitionError) as exc:
        services.flag_backlog(case, " ")
    assert "reason" in exc.value.errors and not case.backlog
    services.flag_backlog(case, "群体性诉求, 久拖未决")
    assert backlog.backlog_of(case).source == "manual"
    with pytest.raises(services.PetitionError):
        services.flag_backlog(case, "again")


def _assigned(case):
    bc = backlog.flag(case, "manual", "久拖未决")
    backlog.assign(bc, _user("leader"), [_user("officer")], "包案领导牵头, 约谈双方", date(2099, 1, 31))
    return bc


def test_leader_plan_steps_reviews_and_the_dashboard(app):
    case = _register()
    bc = _assigned(case)
    assert bc.state == "assigned" and bc.leader.username == "leader" and [u.username for u in bc.team] == ["officer"]
    step = backlog.add_step(bc, "召开协调会", _user("officer"), date(2026, 3, 10))
    assert bc.state == "in_progress"
    rows = backlog.leader_cases(_user("leader"), today=date(2026, 3, 20))
    row = next(r for r in rows if r["backlog"].id == bc.id)
    assert row["late"] and [s.id for s in row["late_steps"]] == [step.id]
    backlog.complete_step(bc, step.id, "已召开")
    with pytest.raises(services.PetitionError):
        backlog.complete_step(bc, step.id, "twice")
    backlog.review(bc, "双方初步达成一致", _user("leader"))
    row = next(r for r in backlog.leader_cases(_user("leader"), today=date(2026, 3, 20)) if r["backlog"].id == bc.id)
    assert not row["late"] and row["last_review"] == clock.today()


def test_leader_must_cover_the_case_region(app):
    case = _register()
    bc = backlog.flag(case, "manual", "久拖未决")
    with pytest.raises(services.PetitionError) as exc:
        backlog.assign(bc, _user("grid1"), [], "plan", None)      # a grid worker of one grid
    assert "leader_id" in exc.value.errors and bc.leader_id is None


def test_close_out_needs_evidence_done_steps_and_a_past_visit(app):
    case = _register()
    bc = _assigned(case)
    step = backlog.add_step(bc, "入户走访", _user("officer"), date(2026, 3, 10))
    with pytest.raises(services.PetitionError) as exc:
        backlog.close_out(bc, "已签订协议", date(2099, 1, 1), "李包案", "息诉罢访")
    assert {"evidence", "visit_on", ""} <= set(exc.value.errors)
    assert bc.state == "in_progress"
    add_attachment("petition_backlog", bc.id, io.BytesIO(b"%PDF-1.4\n%%EOF\n"), filename="agreement.pdf",
                   user=_user("leader"))
    backlog.complete_step(bc, step.id, "")
    backlog.close_out(bc, "已签订协议并履行", clock.today(), "李包案", "息诉罢访, 表示满意")
    assert bc.state == "closed_out" and bc.closed_out_at is not None
    with pytest.raises(services.PetitionError):
        backlog.add_step(bc, "late", _user("officer"), date(2026, 4, 1))


def test_backlog_pages_for_officer_and_leader(client, login_as, app):
    case = _register()
    bc = backlog.flag(case, "manual", "久拖未决")
    db.session.commit()
    login_as("officer")
    page = client.get(f"/petition/backlog/{bc.id}")
    assert page.status_code == 200 and case.reference in page.get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    leader = _user("leader")
    r = client.post(f"/petition/backlog/{bc.id}/assign", data={
        "csrf_token": token, "version": bc.version, "assign-leader_id": leader.id,
        "assign-plan": "领导包案, 一周内约谈", "assign-target_date": "2099-06-30"}, follow_redirects=True)
    assert r.status_code == 200
    db.session.expire_all()
    assert db.session.get(BacklogCase, bc.id).leader_id == leader.id
    login_as("leader")
    mine = client.get("/petition/backlog/mine")
    assert mine.status_code == 200 and case.reference in mine.get_data(as_text=True)
    assert client.get("/petition/backlog/").status_code == 200
    assert client.post(f"/petition/backlog/{bc.id}/assign", data={"csrf_token": token}).status_code == 403
    login_as("grid1")
    assert client.get(f"/petition/backlog/{bc.id}").status_code in (403, 404)
    assert client.get("/petition/backlog/mine").status_code == 403


def test_bad_step_input_is_refused_without_a_500(client, login_as, app):
    case = _register()
    bc = _assigned(case)
    db.session.commit()
    login_as("leader")
    page = client.get(f"/petition/backlog/{bc.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = client.post(f"/petition/backlog/{bc.id}/step", data={
        "csrf_token": token, "version": bc.version, "step-description": "", "step-owner_id": "x",
        "step-due_on": "2026-02-31"}, follow_redirects=True)
    assert r.status_code == 200
    db.session.expire_all()
    assert db.session.get(BacklogCase, bc.id).steps == []


# -- 诉访分离: the hand-off to a legal route ---------------------------------------------------------
def _classified_to_court():
    case = _register(request="要求撤销行政处罚决定")
    services.classify(case, "claim", "administrative")
    return case


def test_referred_case_stops_its_clocks_and_waits(app):
    case = _classified_to_court()
    services.mark_referred(case, "移送行政复议机关")
    assert case.state == "referred"
    assert {d["status"] for d in deadlines_for(case)} == {"met"}
    assert "refer" not in services.allowed_actions(case) and "legal_answered" not in services.allowed_actions(case)


def test_legal_answer_closes_and_refusal_reopens(app):
    case = _classified_to_court()
    services.mark_referred(case, "移送")
    with pytest.raises(services.PetitionError):
        services.legal_route_refused(case, " ")
    services.legal_route_refused(case, "不属于行政复议范围")
    assert case.state == "registered"
    assert any(d["rule"] == "petition.register_forward" and d["status"] != "met" for d in deadlines_for(case))
    services.mark_referred(case, "改为行政诉讼")
    services.legal_route_answered(case, "法院判决: 驳回诉讼请求 (2026)湘0611行初12号")
    assert case.state == "closed" and case.closed_at and "行初12号" in case.outcome_note
    with pytest.raises(services.PetitionError):
        services.legal_route_answered(case, "twice")


def test_only_a_registered_item_can_be_referred(app):
    case = _register()
    services.route_to_unit(case, "assign", _unit())
    services.accept(case, datetime(2026, 3, 3))
    with pytest.raises(services.PetitionError):
        services.mark_referred(case, "too late")
