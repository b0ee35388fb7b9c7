"""Demo petitions in 君山区 (one per typical stage) and the synthetic scale seeder."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, text

from core.toolkit import User
from core.toolkit import db
from core.toolkit import Organisation, Person
from core.toolkit import id_check_char, normalise_name
from core.toolkit import Region
from core.toolkit import clock
from . import services
from .models import PetitionCase

DISTRICT = "430611000000"

# name, id17, phone, channel, days ago, request, facts, path of actions
DEMO = [
    ("赵德明", "43061119620405331", "13907301111", "visit", 3, "要求解决拖欠的工程款十二万元",
     "2023年为某建筑公司承建村部工程，工程款至今未结清。", []),
    ("钱桂花", "43061119700909362", "13807302222", "letter", 10, "反映村组集体土地补偿款分配不公",
     "2024年征地补偿款分配时本户人口未计入。", ["classify:claim:ordinary", "assign:JS-XFJ"]),
    ("孙志强", "43061119811120333", "13607303333", "online", 20, "建议增设柳林洲街道公交站点",
     "小区居民出行不便，最近站点步行二十分钟。", ["classify:suggestion", "forward:JS-XFJ", "accept"]),
    ("李春兰", "43061119590214384", "13507304444", "phone", 40, "要求落实低保待遇",
     "家庭收入低于当地标准，申请后一直未获答复。",
     ["classify:claim:ordinary", "assign:JS-RSJ", "accept", "start_handling"]),
    ("周建华", "43061119770707315", "13307305555", "hotline_12345", 70, "反映小区物业长期不维修电梯",
     "电梯多次故障，物业公司推诿。",
     ["classify:claim:ordinary", "forward:JS-XFJ", "accept", "start_handling", "extend"]),
    ("吴秋菊", "43061119850303346", "13207306666", "visit", 35, "要求解决房屋拆迁安置问题",
     "2022年房屋被征收，安置房至今未交付。",
     ["classify:claim:ordinary", "assign:JS-XFJ", "accept", "start_handling", "reply:support"]),
    ("郑国富", "43061119660618317", "13107307777", "grid", 30, "要求撤销劳动仲裁裁决",
     "对劳动争议仲裁裁决不服。", ["classify:claim:arbitration", "not_accept"]),
    ("王金凤", "43061119720101328", "13007308888", "visit", 150, "反映承包地被他人强占",
     "承包地被邻组村民占用种植。",
     ["classify:claim:ordinary", "assign:JS-XFJ", "accept", "start_handling", "reply:explain", "close"]),
]


def _units() -> dict[str, Organisation]:
    """The demo handling units are the organisations of the parties demo data."""
    return {o.code: o for o in db.session.scalars(select(Organisation).where(Organisation.code.like("JS-%")))}


def _apply(case: PetitionCase, step: str, units, at: datetime) -> None:
    name, *args = step.split(":")
    if name == "classify":
        services.classify(case, args[0], args[1] if len(args) > 1 else None)
    elif name in ("forward", "assign"):
        services.route_to_unit(case, name, units[args[0]])
    elif name == "accept":
        services.accept(case, at)
    elif name == "not_accept":
        services.not_accept(case, "属于劳动争议仲裁法定途径，已告知向人民法院起诉。")
    elif name == "start_handling":
        services.start_handling(case)
    elif name == "extend":
        services.extend(case, "涉及多个部门，需进一步调查核实。")
    elif name == "reply":
        services.reply(case, args[0], "经调查核实，依据有关规定作出处理意见。", at)
    elif name == "close":
        services.close(case)


def seed_demo() -> dict:
    if db.session.scalar(select(func.count(PetitionCase.id))):
        return {"petitions": 0}
    from core.toolkit import audit_actor
    district = db.session.scalar(select(Region).where(Region.code == DISTRICT))
    officer = db.session.scalar(select(User).where(User.username == "officer"))
    if district is None:
        return {"petitions": 0}
    units = _units()
    with audit_actor(officer):
        for name, id17, phone, channel, ago, request, facts, steps in DEMO:
            received = (clock.now() - timedelta(days=ago)).replace(hour=9, minute=30, second=0, microsecond=0)
            # one story: each step happens on its own day, the clock set to it (registered after received,
            # accepted after registered…), so /status lists the dates in order
            with clock.frozen(received + timedelta(minutes=10)):
                case = services.register(channel=channel, received_at=received, request=request, facts=facts,
                                         petitioner={"name": name, "id_number": id17 + id_check_char(id17),
                                                     "phone": phone},
                                         region_id=district.id, officer_id=officer.id if officer else None)
            for i, step in enumerate(steps):
                at = received + timedelta(days=2 * (i + 1))
                with clock.frozen(at):
                    _apply(case, step, units, at)
        db.session.flush()
        backlog_cases = _demo_backlog(district)
        receptions = _demo_reception(district)
    db.session.flush()
    return {"petitions": len(DEMO), "backlog": backlog_cases, "receptions": receptions}


def _demo_backlog(district: Region) -> int:
    """The automatic rules flag what is past its limits; the first one gets a leader, a team and a plan."""
    from datetime import date
    from .backlog import services as backlog
    flagged = backlog.scan(notify_leaders=False)      # demo data: nobody's inbox fills up
    if not flagged:     # nothing past its limits yet: the long-running extended case is taken on by hand
        case = db.session.scalar(select(PetitionCase).where(PetitionCase.state == "extended").limit(1))
        if case is not None:
            flagged = [backlog.flag(case, "manual", "多次到访, 涉及多个部门, 久拖未决")]
    leader = db.session.scalar(select(User).where(User.username == "leader"))
    officer = db.session.scalar(select(User).where(User.username == "officer"))
    if flagged and leader is not None and officer is not None:
        bc = flagged[0]
        today = clock.today()
        backlog.assign(bc, leader, [officer], "包案领导牵头, 约谈责任单位, 两周内拿出处理意见并组织听证。",
                       date.fromordinal(today.toordinal() + 30), notify_leader=False)
        backlog.add_step(bc, "约谈责任单位, 核实事实", officer, date.fromordinal(today.toordinal() - 2))
        backlog.add_step(bc, "组织公开听证", leader, date.fromordinal(today.toordinal() + 14))
    return len(flagged)


def _demo_reception(district: Region) -> int:
    """Leader reception on the next four Wednesdays (the next working day when a Wednesday is a holiday)."""
    from datetime import date
    from core.toolkit import is_working_day
    from .reception import services as reception
    leader = db.session.scalar(select(User).where(User.username == "leader"))
    if leader is None:
        return 0
    today = clock.today()
    wednesday = date.fromordinal(today.toordinal() + (2 - today.weekday()) % 7)
    made = 0
    for week in range(4):
        day = date.fromordinal(wednesday.toordinal() + 7 * week)
        while not is_working_day(day) and day.weekday() < 4:
            day = date.fromordinal(day.toordinal() + 1)
        if is_working_day(day):
            row = reception.schedule(day, leader, None, district.id, "区信访局一楼接待大厅", 10)
            made += 1
            if week == 0:
                reception.book(row, "09:30", "陈来访", "13600001234", "反映小区加装电梯费用分摊问题")
    return made


WORDS = ["工程款", "土地补偿", "拆迁安置", "低保待遇", "物业维修", "劳动报酬", "医疗纠纷", "环境污染", "宅基地",
         "邻里纠纷", "社保缴纳", "道路建设"]


def seed_scale(petitions: int = 0, disputes: int = 0, progress=lambda n: None) -> None:
    """Bulk-insert *petitions* synthetic cases (and their petitioners) in batches, without clocks."""
    if not petitions:
        return
    regions = db.session.scalars(select(Region.id).where(Region.code.like("430611%"))).all()
    if not regions:
        return
    rnd = random.Random(42)
    from core.toolkit import office_time
    when = office_time(rnd)     # past working days, office hours
    start = db.session.scalar(select(func.max(PetitionCase.id))) or 0
    batch = 5000
    for offset in range(0, petitions, batch):
        n = min(batch, petitions - offset)
        base = start + offset
        persons = []
        for i in range(n):
            k = base + i + 1
            name = f"测{WORDS[k % len(WORDS)][:1]}{k}"
            persons.append({"name": name, "name_norm": normalise_name(name), "phone": f"139{k % 100000000:08d}",
                            "region_id": rnd.choice(regions), "version": 1,
                            "created_at": clock.now(), "updated_at": clock.now()})
        ids = [r[0] for r in db.session.execute(insert(Person).returning(Person.id), persons)]
        rows = []
        for i, pid in enumerate(ids):
            k = base + i + 1
            received = when()
            rows.append({"reference": f"SC-{k:09d}", "query_code": f"S{k:09d}", "channel": rnd.choice(
                ["visit", "letter", "online", "phone", "hotline_12345", "grid"]), "received_at": received,
                "petitioner_id": pid, "group_size": 1, "request": f"要求解决{rnd.choice(WORDS)}问题（{k}）",
                "facts": "", "region_id": persons[i]["region_id"], "state": rnd.choice(
                    ["registered", "handling", "replied", "closed"]), "repeat": False, "skip_level": False,
                "backlog": False, "version": 1, "created_at": received, "updated_at": received})
        db.session.execute(insert(PetitionCase), rows)
        db.session.flush()
        progress(n)
        if offset // batch in (0, 4, 32) and db.engine.dialect.name == "postgresql":
            # fresh statistics: PostgreSQL plans its foreign-key checks for the table size it last saw, and a
            # plan made for an empty person table scans it whole for every row (quadratic bulk loads)
            db.session.execute(text("ANALYZE core_person, petition_case"))
