"""Demo data: the county centre's units and triage rules, the accounts ``centre`` and ``centre_lead``, and a week of
traffic at the window (visits, calls, letters, grid reports) at every stage of the loop. ``seed_scale`` adds
synthetic volume for benchmarks."""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from core.toolkit import clock
from core.toolkit import Role, User
from core.toolkit import db
from core.toolkit import Region
from . import meetings, services, supervision
from .models import Case, Unit
from .triage import seed_defaults

DISTRICT = "430611000000"
PASSWORD = "concord-demo"
ACCOUNTS = [("centre", "centre", "孙窗口"), ("centre_lead", "centre_lead", "钱主任")]

NAMES = ["张建国", "李秀英", "王志强", "刘芳", "陈明", "杨丽", "赵军", "黄勇", "周娟", "吴刚", "徐静", "孙涛",
         "胡敏", "朱磊", "高燕", "林峰", "何平", "郭霞", "马超", "罗红"]
# kind, category, summary, route (None: triage decides), co-handler unit name
MATTERS = [
    ("dispute", "labour", "某建筑公司拖欠农民工工资三个月，要求支付", None, None),
    ("petition", None, "反映县住建局对小区违建投诉久拖不办", None, "县住房和城乡建设局窗口"),
    ("dispute", "neighbour", "邻居加盖房屋遮挡采光，协商未果", None, None),
    ("consultation", None, "咨询离婚后子女抚养费标准", None, None),
    ("dispute", "traffic", "电动车与小汽车相撞，赔偿金额有争议", None, None),
    ("department", None, "单位未缴社保，要求补缴", None, None),
    ("dispute", "medical", "手术后并发症，对医院处理不满", None, None),
    ("legal_aid", None, "工伤认定后申请法律援助", None, None),
    ("dispute", "property_management", "物业费上涨与服务质量纠纷", None, None),
    ("court", None, "询问民事起诉材料和立案流程", None, None),
    ("petition", None, "要求解决征地补偿款分配问题", None, "县自然资源局窗口"),
    ("dispute", "marriage_family", "赡养老人费用分担纠纷", None, None),
]
OTHER_SIDE = ["君山区宏达建筑有限公司", "邻户刘某", "区人民医院", "某物业服务有限公司", "对方当事人王某"]
CHANNEL_CYCLE = ["visit", "visit", "phone", "hotline_12345", "visit", "letter", "grid", "online"]


def _ensure_accounts(district: Region) -> list[str]:
    from core.toolkit import create_user
    made = []
    for username, role, name in ACCOUNTS:
        if db.session.get(Role, role) is None:       # roles not contributed (an older core): skip the account
            continue
        if db.session.scalar(select(User.id).where(User.username == username)) is None:
            create_user(username, PASSWORD, [role], district.code, name, check_password=False)
            made.append(username)
    db.session.flush()
    return made


def seed_demo() -> dict:
    district = db.session.scalar(select(Region).where(Region.code == DISTRICT)) or \
        db.session.scalar(select(Region).where(Region.level == "county").order_by(Region.id))
    if district is None:
        return {}
    made = _ensure_accounts(district)
    seed_defaults(district.id)
    if db.session.scalar(select(Case.id).limit(1)) is not None:
        return {"accounts": made}
    clerk = db.session.scalar(select(User).where(User.username == "centre")) or \
        db.session.scalar(select(User).where(User.username == "admin"))
    lead = db.session.scalar(select(User).where(User.username == "centre_lead")) or clerk
    units = {u.name: u for u in db.session.scalars(select(Unit))}
    villages = db.session.scalars(select(Region).where(Region.level == "village").order_by(Region.code).limit(40)).all()
    rng = random.Random(20)
    now = clock.now().replace(second=0, microsecond=0)
    made_cases = []
    for i in range(28):                      # a week of traffic: four a day
        day_back = 6 - i // 4
        at = (now - timedelta(days=day_back)).replace(hour=9 + (i % 4) * 2, minute=rng.randrange(0, 59))
        if at > now:
            at = now - timedelta(minutes=5 * (28 - i))
        kind, cat, summary, route, co = MATTERS[i % len(MATTERS)]
        name = NAMES[i % len(NAMES)] if i < 24 else NAMES[i % 4]       # the last few are repeat visitors
        phone = f"138{7300 + i % 20:04d}{1000 + i % 20:04d}"
        village = villages[i % len(villages)] if villages else district
        matters = [{"kind": kind, "category": cat, "summary": summary, "route": route,
                    "other_parties": [{"name": OTHER_SIDE[i % len(OTHER_SIDE)]}] if kind == "dispute" else [],
                    "co_unit_ids": [units[co].id] if co in units else [],
                    "answer": "已当场解答并告知办理途径" if kind in ("consultation",) else ""}]
        if i % 7 == 3:
            matters.append({"kind": "consultation", "summary": "咨询法律援助申请条件",
                            "answer": "已告知经济困难标准和申请材料"})
        try:
            case = services.register(channel=CHANNEL_CYCLE[i % len(CHANNEL_CYCLE)], received_at=at,
                                     person={"name": name, "phone": phone, "region_id": village.id},
                                     matters=matters, region_id=district.id, clerk=clerk)
        except services.CentreError:
            db.session.rollback()
            continue
        made_cases.append(case)
    # move the older cases along the loop: answered, told, visited and rated
    for n, case in enumerate(made_cases[:16]):
        for m in case.matters:
            for part in m.parts:
                if part.state == "open" and m.record_type is None:
                    services.answer_part(part, "已按职责办理并答复当事人", clerk)
        if services.all_answered(case) and n % 2 == 0:
            services.tell(case, "电话告知办理结果", clerk)
            if n % 4 == 0:
                services.visit(case, "回访：当事人表示认可", "satisfied", clerk)
    # supervision on two open matters, one escalated, and a joint meeting on a hard case
    open_cases = [c for c in made_cases if c.state == "routed"]
    for c in open_cases[:2]:
        part = next(p for m in c.matters for p in m.parts if p.state == "open")
        sup = supervision.issue(c, part.unit, "请加快办理并于期限内书面回复", user=lead, part=part)
        if c is open_cases[0]:
            supervision.escalate(sup, lead, automatic=True)
    hard = next((c for c in open_cases if any(m.kind == "petition" for m in c.matters)), None)
    if hard is not None and len(units) >= 3:
        names = ["县信访局（人民来访接待中心）", "县自然资源局窗口", "县住房和城乡建设局窗口"]
        mtg = meetings.convene(title="征地补偿款分配问题联席会议", held_at=now - timedelta(days=1),
                               unit_ids=[units[n].id for n in names if n in units], region_id=district.id, case=hard,
                               place="县综治中心会商室", user=lead)
        meetings.record(mtg, present_ids=[a["unit_id"] for a in mtg.attendance],
                        opinions="自然资源局：补偿标准符合规定；信访局：分配方案需村民会议表决",
                        decision="由自然资源局牵头核实补偿款发放，信访局组织答复",
                        tasks=[(units[names[1]].id, "核实补偿款发放名册"), (units[names[0]].id, "书面答复信访人")],
                        user=lead)
    db.session.flush()
    return {"accounts": made, "cases": len(made_cases)}


def seed_scale(petitions: int = 0, disputes: int = 0, progress=None, **_kw) -> dict:
    """Synthetic centre traffic in proportion: one case per ten petitions (at least 100), each with one or two
    matters, routed by triage, half of them answered. Bulk: no signals to other plugins (their seeders make
    their own volume), so only the centre's tables and clocks grow."""
    n = max(100, (petitions or 0) // 10)
    district = db.session.scalar(select(Region).where(Region.code == DISTRICT)) or \
        db.session.scalar(select(Region).where(Region.level == "county").order_by(Region.id))
    if district is None:
        return {}
    seed_defaults(district.id)
    from .models import Matter, Part
    from .deadlines import DEFAULT_PART_RULE
    from core.toolkit import start_deadline
    from core.toolkit import create_person
    units = db.session.scalars(select(Unit).where(Unit.route != "petition")).all()
    rng = random.Random(7)
    now = clock.now().replace(microsecond=0)
    from core.toolkit import next_reference
    for i in range(n):
        at = now - timedelta(days=rng.randrange(0, 365), minutes=rng.randrange(0, 600))
        person = create_person(f"{NAMES[i % len(NAMES)]}{i}", phone=f"139{i % 10**8:08d}")
        case = Case(code=next_reference("centre.case", at.date()), channel=CHANNEL_CYCLE[i % len(CHANNEL_CYCLE)],
                    received_at=at, person=person, region_id=district.id, state="routed")
        db.session.add(case)
        kind, cat, summary, _route, _co = MATTERS[i % len(MATTERS)]
        unit = units[i % len(units)]
        matter = Matter(case=case, kind=kind, category=cat, summary=summary, route=unit.route, state="routed",
                        routed_at=at)
        part = Part(matter=matter, unit=unit, lead=True, state="open", assigned_at=at, rule_code=DEFAULT_PART_RULE)
        db.session.add_all([matter, part])
        db.session.flush()
        part.due_on = start_deadline(part, DEFAULT_PART_RULE, at.date()).due
        if i % 2 == 0:
            services.answer_part(part, "已办结")
        if i % 500 == 499:
            db.session.commit()
    db.session.flush()
    return {"centre_cases": n}
