"""Hotspots: similar requests from the same place and category cluster across petitions and disputes."""
from datetime import datetime

from sqlalchemy import select

from core.auth.models import User
from core.db import db
from core.kpi import hotspots
from core.notifications.models import Notification
from tests.test_kpi import DISTRICT, _case, _region
from core import clock


def _disputes(texts):
    from plugins.mediation import services as ms
    from plugins.mediation.models import Grid
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    grid = db.session.scalar(select(Grid).where(Grid.region_id == _region("430611001001").id)) \
        or db.session.scalars(select(Grid).order_by(Grid.id)).first()
    out = []
    for i, t in enumerate(texts):
        d, _dup = ms.log_dispute(admin, {"grid_id": grid.id, "category": "labour", "risk_level": "yellow",
                                         "source": "patrol", "summary": t, "place": "", "headcount": 10,
                                         "found_at": datetime(2025, 5, 10 + i, 9)}, alert=False)
        out.append(d)
    return out


def test_dice_of_bigrams():
    a, b = hotspots.grams("拖欠工资"), hotspots.grams("拖欠工资问题")
    assert hotspots.dice(a, a) == 1.0 and 0.5 < hotspots.dice(a, b) < 1.0
    assert hotspots.dice(a, hotspots.grams("道路维修")) == 0


def test_similar_requests_cluster_across_plugins_and_rank(app):
    p1 = _case(3, "某公司拖欠农民工工资", name="甲")
    p2 = _case(4, "某公司拖欠农民工工资三个月", name="乙", group_size=5)
    _case(5, "要求修复村道路面", name="丙")
    disputes = _disputes(["某公司拖欠农民工工资纠纷"])
    db.session.flush()
    start, end = datetime(2025, 5, 1), datetime(2025, 6, 1)
    district = _region(DISTRICT)
    hot = hotspots.find(district, start, end)
    assert hot, "no hotspot found"
    top = hot[0]
    refs = {i["reference"] for i in top.items}
    assert {p1.reference, p2.reference} <= refs
    assert all("道路" not in i["text"] for i in top.items)
    assert top.place.code == "430611001000"
    if disputes[0].region.path.startswith(top.place.path):
        assert disputes[0].reference in refs and len(top.kinds) == 2
    assert top.people >= 6


def test_different_places_do_not_cluster(app):
    _case(3, "某公司拖欠农民工工资", name="甲")
    _case(4, "某公司拖欠农民工工资", name="乙", region="430611101001" if _region("430611101001") else DISTRICT)
    db.session.flush()
    hot = hotspots.find(_region(DISTRICT), datetime(2025, 5, 1), datetime(2025, 6, 1))
    assert all(len({i["place"].id for i in h.items}) == 1 for h in hot)


def test_weekly_digest_tells_leaders(app):
    today = clock.today()
    _case(1, "某公司拖欠农民工工资", name="甲").received_at = datetime.combine(today, datetime.min.time())
    _case(2, "某公司拖欠农民工工资", name="乙").received_at = datetime.combine(today, datetime.min.time())
    db.session.flush()
    assert hotspots.weekly_digest(today) >= 1
    leader = db.session.scalar(select(User).where(User.username == "leader"))
    assert db.session.scalar(select(Notification).where(Notification.user_id == leader.id,
                                                        Notification.url == "/dashboard/hotspots"))


def test_hotspot_page(app, client, login_as):
    _case(3, "某公司拖欠农民工工资", name="甲")
    _case(4, "某公司拖欠农民工工资", name="乙")
    db.session.commit()
    login_as("leader")
    r = client.get("/dashboard/hotspots?days=900")
    assert r.status_code == 200 and "某公司拖欠农民工工资" in r.get_data(as_text=True)
