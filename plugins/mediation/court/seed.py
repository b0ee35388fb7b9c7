"""Demo: the roster (three mediators with specialties), the review checklist, and a batch from 君山区人民法院
with outcomes of each kind (confirmed agreement, handed-back failure, running, extended, waiting)."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from core.toolkit import clock
from core.toolkit import User
from core.toolkit import db
from .models import CourtCase, MediatorProfile
from ..committees.models import Committee

COURT = "君山区人民法院"
DEMO_MEDIATORS = [
    # username, display name, kind, specialties, languages, qualifications, training hours, max load
    ("mediator", None, "people", ["marriage_family", "neighbour", "housing_homestead"], "普通话、岳阳话",
     "人民调解员证", 48, 10),
    ("labour_mediator", "钱劳动", "industry", ["labour", "contract"], "普通话、湘阴话", "劳动争议调解员", 72, 8),
    ("lawyer_mediator", "孙明", "lawyer", ["labour", "contract", "damages", "traffic"], "普通话、英语",
     "律师执业证；特邀调解员", 96, 6),
]
# (case no, kind, procedure, category, claim, plaintiff, defendant, outcome, days ago received)
DEMO_CASES = [
    ("(2026)湘0611民初1001号", "commissioned", "ordinary", "labour", "请求支付拖欠工资28600元及经济补偿金",
     ("李红梅", "13907301001", "君山区柳林洲街道柳林社区3组"), ("岳阳市君山建筑劳务有限公司", None, "君山区工业园18号"),
     "confirmed", 40),
    ("(2026)湘0611民初1002号", "commissioned", "summary", "contract", "请求返还货款15000元",
     ("张建国", "13907301002", "君山区许市镇许市村"), ("王立新", "13907301003", "君山区广兴洲镇"), "handed_back", 35),
    ("(2026)湘0611民诉前调2001号", "pre_suit", "ordinary", "neighbour", "请求排除妨碍、拆除违建围墙",
     ("陈秋英", None, "君山区柳林洲街道"), ("陈国平", None, "君山区柳林洲街道"), "mediating", 6),
    ("(2026)湘0611民初1003号", "commissioned", "ordinary", "traffic", "请求赔偿交通事故损失42000元",
     ("黄志强", "13907301004", "君山区钱粮湖镇"), ("周小军", "13907301005", "君山区良心堡镇"), "extended", 20),
    ("(2026)湘0611民诉前调2002号", "pre_suit", "ordinary", "marriage_family", "请求分割离婚后财产",
     ("刘美华", None, "君山区采桑湖镇"), ("吴大伟", None, "君山区采桑湖镇"), "received", 1),
    ("(2026)湘0611民初1004号", "commissioned", "summary", "damages", "请求赔偿财产损失6800元",
     ("赵文", "13907301006", "君山区许市镇"), ("郑红", "13907301007", "君山区许市镇"), "succeeded", 12),
]


def _mediator_users(committee: Committee | None) -> dict[str, User]:
    from core.toolkit import create_user
    from core.toolkit import DEMO_PASSWORD, DISTRICT
    users = {}
    for username, name, *_rest in DEMO_MEDIATORS:
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None and name:
            user = create_user(username, DEMO_PASSWORD, ["mediator"], DISTRICT, name, check_password=False)
        if user is not None:
            users[username] = user
    db.session.flush()
    for username, _name, kind, specs, langs, quals, hours, load in DEMO_MEDIATORS:
        user = users.get(username)
        if user is None or db.session.scalar(select(MediatorProfile.id).where(MediatorProfile.user_id == user.id)):
            continue
        db.session.add(MediatorProfile(user_id=user.id, kind=kind, specialties=specs, languages=langs,
                                       committee_id=committee.id if committee else None, qualifications=quals,
                                       training_hours=hours, max_load=load))
        if committee is not None and user not in committee.mediators:
            committee.mediators.append(user)
    db.session.flush()
    return users


def seed_demo() -> None:
    from core.toolkit import audit_actor
    from . import services as cs
    from .review import ensure_checklist, items, score
    from .services import default_region

    if db.session.scalar(select(CourtCase.id).limit(1)) is not None:
        return
    region = default_region()
    if region is None:
        return
    committee = db.session.scalar(select(Committee).where(Committee.region_id == region.id))
    users = _mediator_users(committee)
    ensure_checklist()
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    leader = db.session.scalar(select(User).where(User.username == "leader")) or admin
    if admin is None or "labour_mediator" not in users:
        return
    today = clock.today()
    from .importer import import_batch
    rows = ["court,court_case_no,kind,procedure,category,received_at,claim,judge_name,judge_phone,file_note,"
            "plaintiff,plaintiff_id_number,plaintiff_phone,plaintiff_address,"
            "defendant,defendant_id_number,defendant_phone,defendant_address"]
    for no, kind, proc, cat, claim, (pn, pp, pa), (dn, dp, da), _outcome, ago in DEMO_CASES:
        at = datetime.combine(today - timedelta(days=ago), datetime.min.time()) + timedelta(hours=9)
        rows.append(",".join([COURT, no, kind, proc, cat, at.isoformat(timespec="minutes"), claim, "刘法官",
                              "0730-8301234", "起诉状、证据材料", pn, "", pp or "", pa, dn, "", dp or "", da]))
    with audit_actor(admin):
        _batch, cases = import_batch("demo-君山区人民法院.csv", "\n".join(rows).encode(), region, admin)
    for case, spec in zip(cases, DEMO_CASES):
        outcome, ago = spec[7], spec[8]
        if outcome == "received":
            continue
        mediator = users["labour_mediator"] if case.category in ("labour", "contract") else \
            users["lawyer_mediator"] if case.category in ("traffic", "damages") else users["mediator"]
        with audit_actor(mediator):
            cs.assign(case, admin, mediator, "示例：按专长分派")
            cs.receipt(case, mediator, today - timedelta(days=ago - 1))
            if outcome == "extended":
                cs.extend(case, mediator, today - timedelta(days=ago - 10), "双方同意延长")
            if outcome in ("confirmed", "succeeded"):
                cs.succeed(case, mediator, "被告于签订协议后十日内一次性支付原告约定款项，原告放弃其余诉讼请求。",
                           today - timedelta(days=ago - 8))
            if outcome == "handed_back":
                cs.fail(case, mediator, "双方对货物质量争议较大，无法达成一致。", today - timedelta(days=ago - 6))
                cs.save_handback(case, mediator, {
                    "undisputed_facts": "双方于2026年3月签订买卖合同，原告已支付货款15000元，被告已交付货物。",
                    "facts_signed_on": today - timedelta(days=ago - 6),
                    "disputed_points": "货物是否存在质量问题；是否应当返还货款。",
                    "evidence": "买卖合同\n转账凭证\n货物照片",
                    "addresses": {p.id: {"address": p.service_address, "confirmed": True} for p in case.parties}})
                cs.hand_back(case, mediator)
            if outcome == "confirmed":
                cs.record_ruling(case, mediator, "confirmed", "(2026)湘0611民特45号", today - timedelta(days=ago - 15))
        if outcome in ("confirmed", "handed_back") and leader is not None:
            grade = "ordinary" if outcome == "confirmed" else "simple"
            with audit_actor(leader):
                score(case, leader, grade, {i.code: i.points - (2 if i.code == "follow_up" else 0)
                                            for i in items(grade)}, "示例评查")
    db.session.flush()
