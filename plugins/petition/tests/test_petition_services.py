"""Petition services: the lifecycle, its clocks, refusals, re-check finality, duplicates, statutory signal."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from core.auth.models import User
from core.calendar.deadlines import deadlines_for
from core.db import db
from core.parties.models import Organisation
from core.parties.validation import id_check_char
from core.regions.models import Region
from core.signals import signal
from plugins.petition import services
from plugins.petition.models import PetitionCase

ID17 = "43061119800101001"
ID = ID17 + id_check_char(ID17)


def _district():
    return db.session.scalar(select(Region).where(Region.code == "430611000000"))


def _officer():
    return db.session.scalar(select(User).where(User.username == "officer"))


def _unit():
    return db.session.scalar(select(Organisation).where(Organisation.code == "JS-XFJ"))


def _register(request="要求解决拖欠工资问题", name="测试人", id_number=ID, phone="13912345678", **kw):
    return services.register(channel="visit", received_at=datetime(2026, 3, 2, 9, 0), request=request,
                             facts="事实", petitioner={"name": name, "id_number": id_number, "phone": phone},
                             region_id=_district().id, officer_id=_officer().id, **kw)


def _clocks(case):
    return {d["rule"]: d["status"] for d in deadlines_for(case, today=datetime(2026, 3, 3).date())}


def test_register_gives_reference_query_code_and_clocks(app):
    case = _register()
    assert case.reference.startswith("JS-XF-2026-")
    assert len(case.query_code) == 10 and not set(case.query_code) & set("01OIL")
    assert case.state == "registered"
    assert _clocks(case) == {"petition.register_forward": "open", "petition.accept_notice": "open"}
    due = {d["rule"]: d["due"] for d in deadlines_for(case)}
    assert due["petition.register_forward"] == "2026-03-17"   # 15 calendar days, a Tuesday


def test_bad_intake_is_refused_with_fields(app):
    with pytest.raises(services.PetitionError) as exc:
        services.register(channel="fax", received_at=datetime(2026, 3, 2), request=" ", petitioner={"name": "某"},
                          region_id=_district().id, representatives=[{"name": str(i)} for i in range(6)])
    assert set(exc.value.errors) >= {"channel", "request", "representatives"}
    assert db.session.scalar(select(PetitionCase.id).where(PetitionCase.request == " ")) is None


def test_full_lifecycle_with_clocks(app):
    case = _register()
    services.classify(case, "claim", "ordinary")
    services.route_to_unit(case, "assign", _unit())
    assert case.state == "assigned" and _clocks(case)["petition.register_forward"] == "met"
    services.accept(case, datetime(2026, 3, 5, 10, 0))
    assert _clocks(case)["petition.accept_notice"] == "met"
    services.start_handling(case)
    handle = next(d for d in deadlines_for(case) if d["rule"] == "petition.handle")
    assert _clocks(case)["petition.handle"] == "open" and handle["length"] == 60
    services.extend(case, "情况复杂")
    assert case.state == "extended"
    assert next(d for d in deadlines_for(case) if d["rule"] == "petition.handle")["length"] == 90
    with pytest.raises(services.PetitionError):
        services.extend(case, "again")          # only once
    services.reply(case, "explain", "处理意见", datetime(2026, 4, 1, 9, 0))
    clocks = _clocks(case)
    assert clocks["petition.handle"] == "met" and clocks["petition.review_request"] == "open"
    services.request_review(case)
    services.decide_review(case, "复查意见")
    services.request_recheck(case)
    assert _clocks(case)["petition.recheck_decide"] == "open"
    services.decide_recheck(case, "复核意见")
    assert case.state == "rechecked" and _clocks(case)["petition.recheck_decide"] == "met"
    services.close(case)
    assert case.state == "closed"
    assert all(s == "met" for s in _clocks(case).values())
    assert [s.step for s in case.steps][:3] == ["received", "registered", "classify"]


@pytest.mark.parametrize("action,args", [("accept", ()), ("start_handling", ()), ("close", ()),
                                         ("request_review", ()), ("decide_recheck", ("x",))])
def test_illegal_transitions_are_refused(app, action, args):
    case = _register()
    services.route_to_unit(case, "forward", _unit())
    if action == "accept":
        services.accept(case)
    with pytest.raises(services.PetitionError) as exc:
        getattr(services, action)(case, *args)
    assert "不能执行" in str(exc.value)   # the translated refusal (Chinese by default)
    assert case.state in ("forwarded", "accepted")


def test_not_accept_stops_clocks_and_needs_reason(app):
    case = _register()
    with pytest.raises(services.PetitionError):
        services.not_accept(case, "")
    services.not_accept(case, "属于诉讼途径")
    assert case.state == "not_accepted"
    assert set(_clocks(case).values()) == {"met"}


def test_recheck_finality_refuses_the_same_matter(app):
    case = _register()
    for step in ("accept", "start_handling"):
        getattr(services, step)(case)
    services.reply(case, "not_support", "意见")
    services.request_review(case)
    services.decide_review(case, "维持")
    services.request_recheck(case)
    services.decide_recheck(case, "维持")
    with pytest.raises(services.PetitionError) as exc:
        _register(request="要求解决拖欠工资的问题")
    assert case.reference in exc.value.errors["request"]
    other = _register(request="建议修建村道路灯")          # another matter is fine
    assert other.id != case.id


def test_duplicate_candidates_with_reasons(app):
    first = _register()
    db.session.flush()
    found = services.duplicate_candidates(name="测试人", id_number=ID, request="要求解决拖欠工资问题",
                                          region_id=_district().id)
    assert found and found[0]["case"].id == first.id
    assert {"id_number", "similar_request"} <= set(found[0]["codes"])
    assert len(found[0]["reasons"]) == len(found[0]["codes"])
    by_text = services.duplicate_candidates(name="别人", request="要求解决拖欠工资问题", region_id=_district().id)
    assert any("similar_in_region" in c["codes"] for c in by_text)
    assert services.duplicate_candidates(name="别人", request="建议增加公交", region_id=_district().id) == []
    again = _register(repeat_of=first)
    assert again.repeat and first.reference in again.repeat_reason


def test_statutory_claim_emits_signal(app):
    got = []

    def receiver(sender, **kw):
        got.append((sender, kw))
    signal("petition.statutory_channel").connect(receiver)
    try:
        case = _register()
        services.classify(case, "claim", "arbitration")
        assert got == [(case, {"channel": "arbitration"})]
        with pytest.raises(services.PetitionError):
            services.classify(case, "claim", None)
        services.classify(case, "suggestion")
        assert len(got) == 1 and case.route is None
    finally:
        signal("petition.statutory_channel").disconnect(receiver)


def test_demo_cases_exist_across_states(app):
    states = set(db.session.scalars(select(PetitionCase.state)))
    assert {"registered", "handling", "replied", "closed", "not_accepted"} <= states


def test_scale_seeder_bulk_inserts_with_progress(app):
    from plugins.petition.seed import seed_scale
    before = db.session.scalar(select(db.func.count(PetitionCase.id)))
    seen = []
    seed_scale(petitions=120, progress=seen.append)
    assert sum(seen) == 120
    assert db.session.scalar(select(db.func.count(PetitionCase.id))) == before + 120
    case = db.session.scalar(select(PetitionCase).order_by(PetitionCase.id.desc()).limit(1))
    found = services.duplicate_candidates(name=case.petitioner.name, phone=case.petitioner.phone)
    assert [c["case"].id for c in found] == [case.id] and found[0]["codes"] == ["name_phone"]


def test_unit_objection_within_five_working_days(app):
    from datetime import date
    case = _register()
    services.route_to_unit(case, "forward", _unit())
    assert _clocks(case)["petition.jurisdiction_objection"] == "open"
    with pytest.raises(services.PetitionError) as exc:
        services.object_to_case(case, "不属于本单位职责", today=date(2099, 1, 1))
    assert case.state == "forwarded" and "5" in str(exc.value)
    services.object_to_case(case, "不属于本单位职责")
    assert case.state == "registered" and case.handling_unit is None
    assert _clocks(case)["petition.jurisdiction_objection"] == "met"
    assert _clocks(case)["petition.register_forward"] == "open"
    services.route_to_unit(case, "assign", _unit())
    services.accept(case)
    assert _clocks(case)["petition.jurisdiction_objection"] == "met"


def test_flag_backlog_by_hand(app):
    case = _register()
    with pytest.raises(services.PetitionError):
        services.flag_backlog(case, "")
    services.flag_backlog(case, "反复信访，久拖未决")
    assert case.backlog and case.backlog_reason == "反复信访，久拖未决"
    with pytest.raises(services.PetitionError):
        services.flag_backlog(case, "again")
    services.not_accept(case, "x")
    with pytest.raises(services.PetitionError):
        services.flag_backlog(case, "closed cases are not flagged")


def test_supervision_job_warns_officer_and_leaders(app):
    from datetime import date
    from core.notifications.models import Notification
    from plugins.petition.supervision import remind_due
    case = _register()
    case.received_at = datetime(2026, 3, 2, 9, 0)
    db.session.flush()
    sent = remind_due(today=date(2026, 3, 16))          # register_forward/accept_notice due 03-17
    rows = db.session.scalars(select(Notification).where(Notification.record_id == str(case.id))).all()
    names = lambda rs: {db.session.get(User, n.user_id).username for n in rs}  # noqa: E731
    assert sent >= 2 and names(rows) == {"officer"}
    remind_due(today=date(2026, 3, 20))                 # now overdue: the leader hears of it too
    rows = db.session.scalars(select(Notification).where(Notification.record_id == str(case.id))).all()
    assert names(rows) == {"officer", "leader"}


def test_scale_seeder_dates_past_working_days_in_office_hours(app):
    """Issue 22 §4: scale data is dated in the past only, on working days, in office hours (petitions and
    disputes), so "this month" figures over seeded data are an office's."""
    from core import clock
    from core.calendar.cache import get_calendar
    from core.scale import seed_scale
    from plugins.mediation.models import Dispute
    seed_scale(app.extensions["concord"], petitions=300, disputes=300)
    db.session.commit()
    now = clock.now()
    cal = get_calendar()
    times = db.session.scalars(select(PetitionCase.received_at).where(PetitionCase.reference.like("SC-%"))).all()
    times += db.session.scalars(select(Dispute.found_at).where(Dispute.reference.like("SC-%"))).all()
    assert len(times) == 600
    for at in times:
        assert at <= now
        assert cal.is_working(at.date()), at
        minutes = at.hour * 60 + at.minute
        assert 8 * 60 + 30 <= minutes < 12 * 60 or 14 * 60 + 30 <= minutes < 17 * 60 + 30, at
    assert max(times) >= now - timedelta(days=40)      # spread up to the present, not bunched in one year
