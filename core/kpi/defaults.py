"""The national default KPIs (domain.md §1: district assessment rules, e.g. 大川区), seeded once as data;
administrators edit names, targets, measures and periods afterwards (a re-seed never overwrites them)."""
from __future__ import annotations

from sqlalchemy import select

from core.db import db
from .models import KpiDefinition

LOCAL = "地方考核口径（可配置）"
# code, name, numerator, denominator, period, target %, higher is better, source
DEFAULTS = [
    ("timely_acceptance", "及时受理率", "petition.accepted_on_time", "petition.received", "month", 95.0, True,
     f"信访工作条例 第二十二、二十三条：15日内告知是否受理。期内登记件中按期告知件占比。{LOCAL}"),
    ("on_time_closure", "按期办结率", "petition.handled_on_time", "petition.handle_due", "month", 95.0, True,
     f"信访工作条例 第三十四条：受理之日起60日内办结（可延长30日）。期内到期的办理时限中按期答复占比。{LOCAL}"),
    ("repeat_petitions", "重复信访", "petition.repeat", None, "month", None, False,
     f"同一事项重复信访件数（每月每多一件扣分）。{LOCAL}"),
    ("participation", "参评率", "petition.evaluated", "petition.replied", "month", 90.0, True,
     f"国信发〔2022〕11号 满意度评价：期内答复件中信访人参评占比。{LOCAL}"),
    ("satisfaction", "参评群众满意率", "petition.satisfied", "petition.evaluated", "month", 90.0, True,
     f"满意与基本满意件数 ÷ 参评件数。{LOCAL}"),
    ("baoan_resolution", "包案化解率", "petition.baoan_resolved", "petition.baoan_stock", "year", 85.0, True,
     f"信访工作条例 第十八条 领导包案；考核要求不低于85%。期内销号的包案件 ÷ 期内在办包案件。{LOCAL}"),
    ("skip_level", "越级访", "petition.skip_level", None, "month", None, False,
     f"信访工作条例 第二十条：越级走访件数。{LOCAL}"),
    ("backlog_resolution", "积案化解率", "petition.backlog_resolved", "petition.backlog_stock", "year", None, True,
     f"期内销号的积案 ÷ 期内在办积案（期初未销号与期内新增）。{LOCAL}"),
    ("mediation_success", "调解成功率", "mediation.resolved", "mediation.concluded", "month", None, True,
     f"人民调解法；期内登记纠纷中调解成功件占已办结件比例。{LOCAL}"),
    ("mediation_on_time", "按期调解率", "mediation.on_time", "mediation.period_due", "month", None, True,
     f"宁波市人民调解条例 第二十七条等：一般一个月内调结。{LOCAL}"),
]


def seed_defaults() -> str:
    have = set(db.session.scalars(select(KpiDefinition.code)))
    added = 0
    for order, (code, name, num, den, period, target, higher, source) in enumerate(DEFAULTS):
        if code in have:
            continue
        db.session.add(KpiDefinition(code=code, name=name, numerator=num, denominator=den, period=period,
                                     target=target, higher_is_better=higher, source=source,
                                     sort_order=10 * (order + 1), seeded=True))
        added += 1
    db.session.flush()
    return f"{added} added"
