"""Court-linked mediation KPI measures (issue 21): received, concluded, succeeded, confirmed, and the
mediation days behind the average (days ÷ concluded), counted by the KPI service on the real database."""
from datetime import datetime, timedelta

from sqlalchemy import select

from core import clock
from core.auth.models import User
from core.db import db
from core.kpi import measures
from plugins.mediation.court import services as cs


def _user(name):
    return db.session.scalar(select(User).where(User.username == name))


def test_court_measures_count_and_average_days(app):
    with app.app_context():
        region, admin = cs.default_region(), _user("admin")
        today = clock.today()
        start = datetime.combine(today.replace(day=1), datetime.min.time())
        end = start + timedelta(days=40)
        m = measures.measures()
        before = {k: measures.count(m[f"mediation.{k}"], start, end, None)
                  for k in ("court_received", "court_concluded", "court_succeeded", "court_days", "court_confirmed")}
        received = datetime.combine(today.replace(day=1), datetime.min.time()) + timedelta(hours=9)
        made = []
        for i in range(2):
            case = cs.register_case(admin, {"court": "君山区人民法院", "court_case_no": f"(2026)湘0611民初66{i}号",
                                            "kind": "commissioned", "procedure": "ordinary", "category": "labour",
                                            "received_at": received, "claim": "工资",
                                            "parties": [{"name": f"甲{i}"}, {"name": f"乙{i}"}]}, region)
            cs.assign(case, admin, None)
            cs.receipt(case, case.mediator, received.date())
            made.append(case)
        ok, bad = made
        cs.succeed(ok, ok.mediator, "支付", today)
        cs.fail(bad, bad.mediator, "未达成", today)
        cs.record_ruling(ok, ok.mediator, "confirmed", "民特1号", today)
        db.session.flush()
        from core.kpi.cache import clear
        clear()
        after = {k: measures.count(m[f"mediation.{k}"], start, end, None) for k in before}
        days = (today - received.date()).days
        assert after["court_received"] - before["court_received"] == 2
        assert after["court_concluded"] - before["court_concluded"] == 2
        assert after["court_succeeded"] - before["court_succeeded"] == 1
        assert after["court_confirmed"] - before["court_confirmed"] == 1
        assert after["court_days"] - before["court_days"] == 2 * days   # the average's numerator
        by_region = measures.by_region(m["mediation.court_received"], start, end, None)
        assert sum(by_region.values()) == after["court_received"]


def test_home_card_and_daily_reminder(app, login_as):
    from core.notifications.models import Notification
    from plugins.mediation.court.jobs import remind_court_clocks
    with app.app_context():
        before = db.session.scalar(select(db.func.count(Notification.id)))
        n = remind_court_clocks()   # the demo's extended and signed cases run clocks; some fall due soon
        db.session.commit()
        assert db.session.scalar(select(db.func.count(Notification.id))) - before == n
        case = cs.register_case(_user("admin"), {"court": "君山区人民法院", "court_case_no": "(2026)湘0611民初671号",
                                                 "kind": "pre_suit", "received_at": clock.now(), "claim": "赔偿",
                                                 "category": "labour", "parties": [{"name": "丙"}]})
        cs.assign(case, _user("admin"), _user("labour_mediator"))
        db.session.commit()
    page = login_as("labour_mediator").get("/").get_data(as_text=True)
    assert "court files to sign for" in page or "件法院移送材料待签收" in page
