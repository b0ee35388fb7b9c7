"""Demo grids and disputes, and synthetic scale data (``concord seed scale --disputes N``)."""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert, select

from core.toolkit import User
from core.toolkit import db
from core.toolkit import Region
from core.toolkit import clock
from .ledger_key import pack
from .committees.models import Committee, CommitteeMember
from .models import CATEGORIES, RISKS, SOURCES, Dispute, Grid, GridWorker

DEMO_DISPUTES = [
    # (grid index, category, risk, source, summary, place, headcount, amount, parties)
    (0, "neighbour", "yellow", "patrol", "两户因排水沟堵塞互相指责", "柳林社区3组", 2, None, [("陈某华", "13807301234")]),
    (0, "property_management", "orange", "application", "小区物业费上涨引发业主不满", "柳林社区新苑小区", 12, "18000", [("李某平", None)]),
    (0, "marriage_family", "red", "patrol", "夫妻争吵有动刀倾向，需立即干预", "柳林社区5组", 2, None, [("王某军", None), ("张某英", None)]),
    (1, "housing_homestead", "orange", "patrol", "宅基地界址争议，双方砌墙对峙", "广兴洲第一村2组", 2, None, [("刘某明", None), ("刘某强", None)]),
    (1, "forest_land", "yellow", "application", "承包地边界林木归属争议", "广兴洲第一村", 3, "6000", [("周某", None)]),
    (1, "labour", "orange", "police", "工地拖欠农民工工资", "广兴洲镇工业园", 15, "210000", [("赵某", "13973001111")]),
    (2, "traffic", "yellow", "police", "电动车与三轮车相撞赔偿争议", "乡道X012", 2, "8500", [("黄某", None), ("孙某", None)]),
    (2, "contract", "green", "application", "农资赊购款纠纷", "村部", 2, "3200", [("钱某", None)]),
    (3, "land_acquisition_demolition", "red", "patrol", "征地补偿分配不均，村民聚集", "村委会门前", 30, "500000", [("吴某", None)]),
    (3, "consumer", "green", "application", "购买的农机质量问题退货纠纷", "镇农机店", 1, "12000", [("郑某", None)]),
]


def _grids() -> list[Grid]:
    users = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(("grid1", "grid2"))))}
    villages = db.session.scalars(select(Region).where(Region.level == "village").order_by(Region.code)).all()
    if not villages:
        return []
    home1 = users["grid1"].region if "grid1" in users and users["grid1"].region else villages[0]
    home2 = users["grid2"].region if "grid2" in users and users["grid2"].region else villages[-1]
    others = [v for v in villages if v.id not in (home1.id, home2.id)][:3]
    plan = [(home1, "第一网格", users.get("grid1"), 320), (home2, "第一网格", users.get("grid2"), 280)]
    plan += [(v, "第一网格", None, 240) for v in others]
    plan.append((home1, "第二网格", None, 300))
    grids = []
    for region, name, worker, households in plan:
        code = f"{region.code}-{len([g for g in grids if g.region_id == region.id]) + 1:02d}"
        grid = Grid(code=code, name=f"{region.name}{name}", region_id=region.id, households=households,
                    boundary=f"{region.name}辖区（示例边界）")
        db.session.add(grid)
        db.session.flush()
        if worker is not None:
            db.session.add(GridWorker(grid_id=grid.id, user_id=worker.id))
        grids.append(grid)
    db.session.flush()
    return grids


def seed_demo() -> None:
    from core.toolkit import audit_actor
    from .services import log_dispute

    if db.session.scalar(select(Grid.id).limit(1)) is not None:
        return
    grids = _grids()
    if len(grids) < 4:
        return
    reporters = {u.username: u for u in db.session.scalars(select(User))}
    district = db.session.scalar(select(Region).where(Region.level == "county").order_by(Region.code))
    if district is not None and "mediator" in reporters:
        committee = Committee(name=f"{district.name}人民调解委员会", region_id=district.id)
        db.session.add(committee)
        db.session.flush()
        db.session.add(CommitteeMember(committee_id=committee.id, user_id=reporters["mediator"].id))
    now = clock.now().replace(second=0, microsecond=0)
    for i, (g, category, risk, source, summary, place, headcount, amount, parties) in enumerate(DEMO_DISPUTES):
        grid = grids[g]
        reporter = reporters.get("grid1" if g == 0 else "grid2" if g == 1 else "admin") or reporters["admin"]
        found = now - timedelta(days=2 * i + 1, hours=i)
        with audit_actor(reporter), clock.frozen(found + timedelta(minutes=20)):   # logged soon after found
            log_dispute(reporter, {
                "grid_id": grid.id, "category": category, "risk_level": risk, "source": source,
                "summary": summary, "place": place, "headcount": headcount, "amount": amount,
                "found_at": found,
                "parties": [{"name": n, "phone": p} for n, p in parties],
            }, alert=False)  # demo data: no inbox noise
    db.session.flush()


def seed_scale(petitions: int = 0, disputes: int = 0, progress=None) -> None:
    """Bulk insert *disputes* synthetic items spread over the existing grids (references ``SC-…``,
    outside the gap-free demo sequence)."""
    if not disputes:
        return
    grids = db.session.execute(select(Grid.id, Grid.region_id)).all()
    if not grids:
        seed_demo()
        grids = db.session.execute(select(Grid.id, Grid.region_id)).all()
    if not grids:
        return
    rng = random.Random(7)
    cats, risks, sources = list(CATEGORIES), list(RISKS), list(SOURCES)
    states = ["registered", "mediating", "resolved", "failed", "escalated", "closed", "closed", "resolved"]
    levels = ["village"] * 6 + ["town"] * 3 + ["district"]
    start = db.session.scalar(select(Dispute.id).order_by(Dispute.id.desc()).limit(1)) or 0
    from core.toolkit import office_time
    when = office_time(rng)     # past working days, office hours
    table = Dispute.__table__
    chunk = 5000
    done = 0
    while done < disputes:
        rows = []
        for k in range(min(chunk, disputes - done)):
            n = start + done + k + 1
            grid_id, region_id = grids[n % len(grids)]
            found = when()
            state = rng.choice(states)
            rows.append({
                "reference": f"SC-{found.year}-{n:08d}", "grid_id": grid_id, "region_id": region_id,
                "found_at": found, "source": rng.choice(sources), "category": rng.choice(cats),
                "summary": f"规模测试纠纷 {n}", "description": "", "place": "", "headcount": rng.randrange(1, 6),
                "amount": None, "risk_level": rng.choice(risks), "handling_level": rng.choice(levels),
                "state": state, "outcome": "", "closed_at": min(found + timedelta(days=10), when.now) if state == "closed" else None,
                "version": 1, "created_at": found, "updated_at": found,
            })
            r = rows[-1]
            r["ledger_key"] = pack(r["category"], r["source"], r["risk_level"], r["state"], r["handling_level"])
        db.session.execute(insert(table), rows)
        done += len(rows)
        if progress:
            progress(len(rows))
    db.session.flush()
