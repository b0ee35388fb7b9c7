"""KPIs: every default KPI against records built here with known answers; region scoping; admin edits;
the monthly report frozen, re-run identically, and a late change shown as a diff."""
from datetime import date, datetime

from sqlalchemy import select

from core.auth.models import User
from core.calendar.models import Deadline
from core.db import db
from core.kpi import periods as P
from core.kpi.models import KpiDefinition
from core.kpi.regions import subtree_ids
from core.kpi.report import build, diff, submit
from core.kpi.services import kpi_value, kpi_values
from core.regions.models import Region
from plugins.petition import services
from plugins.petition.backlog import services as backlog
from plugins.petition.models import PetitionCase
from plugins.petition.tests.test_petition_services import _officer, _unit

MAY = P.parse("2025-05")


def _region(code):
    return db.session.scalar(select(Region).where(Region.code == code))


DISTRICT, TOWN, VILLAGE = "430611000000", "430611001000", "430611001001"


def _case(day, request="要求解决拖欠工资问题", region=VILLAGE, name="测试人", **kw):
    return services.register(channel=kw.pop("channel", "visit"), received_at=datetime(2025, 5, day, 9, 0),
                             request=request, facts="事实", petitioner={"name": name},
                             region_id=_region(region).id, officer_id=_officer().id, **kw)


def _met(case, rule, at):
    row = db.session.scalar(select(Deadline).where(Deadline.record_type == "petition_case",
                                                   Deadline.record_id == case.id, Deadline.rule_code == rule))
    row.met_at = at


def _accept(case, at):
    services.classify(case, "claim", "ordinary")
    services.route_to_unit(case, "assign", _unit())
    services.accept(case, at)
    _met(case, "petition.accept_notice", at)


def _kpi(code, region=DISTRICT, month=MAY):
    k = db.session.scalar(select(KpiDefinition).where(KpiDefinition.code == code))
    return kpi_value(k, month, subtree_ids(_region(region)))


def _world():
    """Five petitions in May 2025 (four in 柳林社区, one on the district itself)."""
    a = _case(3, "要求解决拖欠工资问题", name="甲")
    b = _case(4, "要求修复村道路面", name="乙", channel="letter")
    c = _case(5, "要求赔偿征地补偿款", name="丙")
    d = _case(6, "要求解决拖欠工资问题", name="丁", repeat_of=a)
    e = _case(7, "反映噪音扰民", region=DISTRICT, name="戊", skip_level_reason="直接到区里上访")
    _accept(a, datetime(2025, 5, 10, 9))          # notice due 05-18: on time
    _accept(b, datetime(2025, 5, 30, 9))          # late
    _accept(c, datetime(2025, 5, 6, 9))           # on time
    for case, at in ((a, datetime(2025, 5, 20)), (c, datetime(2025, 5, 21))):
        services.start_handling(case)
        services.reply(case, "support", "处理意见", at)
        _met(case, "petition.handle", at)
    services.rate(a, "satisfied")
    db.session.flush()
    return a, b, c, d, e


def test_empty_month_counts_zero_and_rates_are_undefined(app):
    v = _kpi("timely_acceptance", month=P.parse("2024-02"))
    assert v.available and v.numerator == 0 and v.denominator == 0 and v.value is None


def test_petition_kpis_have_known_answers(app):
    a, b, c, d, e = _world()
    v = _kpi("timely_acceptance")
    assert (v.numerator, v.denominator, v.value) == (2, 5, 40.0)
    assert _kpi("repeat_petitions").value == 1
    assert _kpi("skip_level").numerator >= 1 and e.skip_level
    part = _kpi("participation")
    assert (part.numerator, part.denominator, part.value) == (1, 2, 50.0)
    sat = _kpi("satisfaction")
    assert (sat.numerator, sat.denominator, sat.value) == (1, 1, 100.0)


def test_on_time_closure_counts_handling_clocks_falling_due(app):
    a, b, c, d, e = _world()
    # both handling clocks started in May run 60 days: due in July, met in May → on time
    july = P.parse("2025-07")
    v = _kpi("on_time_closure", month=july)
    assert (v.numerator, v.denominator, v.value) == (2, 2, 100.0)
    assert _kpi("on_time_closure").denominator == 0


def test_backlog_and_baoan_resolution(app):
    a, b, c, d, e = _world()
    leader = db.session.scalar(select(User).where(User.username == "leader"))
    for case in (b, d):
        bc = backlog.flag(case, "manual", "久拖未决")
        bc.flagged_at = datetime(2025, 3, 1)
    bc_b = backlog.backlog_of(b)
    backlog.assign(bc_b, leader, [], "包案", date(2099, 1, 1))
    bc_b.state, bc_b.closed_out_at = "closed_out", datetime(2025, 6, 1)
    db.session.flush()
    v = _kpi("backlog_resolution")                 # year 2025: both in hand, one closed out
    assert (v.numerator, v.denominator, v.value) == (1, 2, 50.0)
    bao = _kpi("baoan_resolution")
    assert (bao.numerator, bao.denominator, bao.value) == (1, 1, 100.0)


def test_mediation_kpis_known_answers(app):
    from plugins.mediation import services as ms
    from plugins.mediation.models import Dispute, Grid
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    grid = db.session.scalars(select(Grid).order_by(Grid.id)).first()
    made = []
    for i, risk in enumerate(("red", "yellow", "yellow")):
        d, _dup = ms.log_dispute(admin, {"grid_id": grid.id, "category": "neighbour", "risk_level": risk,
                                         "source": "patrol", "summary": f"邻里纠纷{i}", "place": "柳林",
                                         "headcount": 2, "found_at": datetime(2025, 5, 2 + i, 9)}, alert=False)
        made.append(d)
    for d in made[:2]:
        ms.start(d, admin)
    ms.resolve(made[0], admin, "达成协议")
    ms.fail(made[1], admin, "双方分歧大")
    db.session.flush()
    v = _kpi("mediation_success")
    assert (v.numerator, v.denominator, v.value) == (1, 2, 50.0)


def test_scoping_by_region(app):
    _world()
    town = _kpi("timely_acceptance", region=TOWN)
    assert town.denominator == 4                   # the district-level petition is outside the town
    other = _kpi("timely_acceptance", region="430611101000")
    assert other.denominator == 0


def test_trend_against_the_previous_period(app):
    _world()
    v = _kpi("timely_acceptance", month=P.parse("2025-06"))
    assert v.value is None and v.previous == 40.0


def test_admin_edit_changes_the_figure_and_disables(app, client, login_as):
    _world()
    db.session.commit()
    login_as("admin")
    k = db.session.scalar(select(KpiDefinition).where(KpiDefinition.code == "repeat_petitions"))
    r = client.post("/admin/kpis/repeat_petitions", data={
        "name": "重复信访率", "numerator": "petition.repeat", "denominator": "petition.received", "period": "month",
        "target": "5", "region_level": "county", "source": "本地口径", "enabled": "y", "version": k.version})
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    db.session.expire_all()
    v = _kpi("repeat_petitions")
    assert v.kpi.name == "重复信访率" and (v.numerator, v.denominator, v.value) == (1, 5, 20.0)
    r = client.post("/admin/kpis/repeat_petitions", data={
        "name": "重复信访率", "numerator": "petition.repeat", "denominator": "", "period": "month",
        "region_level": "county", "source": "", "version": v.kpi.version})
    assert r.status_code == 302
    db.session.expire_all()
    assert "repeat_petitions" not in {x.kpi.code for x in kpi_values(_region(DISTRICT), MAY)}
    assert client.get("/admin/kpis/").status_code == 200
    login_as("leader")
    assert client.get("/admin/kpis/").status_code == 403


def test_report_frozen_rerun_identical_and_late_change_diff(app):
    a, b, c, d, e = _world()
    region = _region(DISTRICT)
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    report = submit(admin, region, MAY)
    assert build(region, MAY) == report.data and diff(report.data, build(region, MAY)) == []
    b.channel = "online"                            # a late edit to a closed month
    db.session.flush()
    changes = diff(report.data, build(region, MAY))
    assert changes and any(a_ == 1 and b_ == 0 for _w, a_, b_ in changes)


def test_figures_are_cached_until_a_write_in_this_process(app):
    """A figure is computed once; a write through the app starts a new generation at once, a change made
    behind the app's back (another worker) shows only when the cache expires or is off."""
    from sqlalchemy import text
    from core.kpi import cache
    _case(3)
    db.session.commit()
    first = _kpi("timely_acceptance").denominator
    db.session.execute(text("UPDATE petition_case SET received_at = :at WHERE id = (SELECT max(id) FROM petition_case)"),
                       {"at": datetime(2025, 4, 3, 9, 0)})     # no ORM flush: like another process
    assert _kpi("timely_acceptance").denominator == first           # served from the cache
    app.config["KPI_CACHE_SECONDS"] = 0
    assert _kpi("timely_acceptance").denominator == first - 1       # computed afresh
    app.config["KPI_CACHE_SECONDS"] = 60
    cache.clear()
    _case(4)                                                       # a write through the ORM
    assert _kpi("timely_acceptance").denominator == first           # seen at once
