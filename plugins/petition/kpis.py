"""The petition figures the KPI service counts (core/kpi): one Measure per numerator or denominator.
Each select keeps the records of the period [start, end) with columns id, region_id, at (and key)."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, literal, or_, select

from core.toolkit import db
from core.toolkit import Chart, KpiColumn as Column, KpiDefault, Measure, Rate, clock_query
from .backlog.models import BacklogCase
from .models import CATEGORIES, CHANNELS, ROUTES, PetitionCase as C

RECORD = "petition_case"


def _cases(start: datetime, end: datetime, *where, key=None):
    cols = [C.id.label("id"), C.region_id.label("region_id"), C.received_at.label("at")]
    if key is not None:
        cols.append(key.label("key"))
    return select(*cols).where(C.received_at >= start, C.received_at < end, *where)


def _replied(start, end, *where):
    return select(C.id.label("id"), C.region_id.label("region_id"), C.replied_at.label("at")).where(
        C.replied_at >= start, C.replied_at < end, *where)


def _backlog(start, end, resolved: bool, baoan: bool):
    b = BacklogCase
    where = [b.leader_id.is_not(None)] if baoan else []
    if resolved:
        where += [b.closed_out_at >= start, b.closed_out_at < end]
        at = b.closed_out_at
    else:   # the stock: flagged before the period ends and not closed out before it began
        where += [b.flagged_at < end, or_(b.closed_out_at.is_(None), b.closed_out_at >= start)]
        at = case((b.flagged_at < start, literal(start)), else_=b.flagged_at)
    return select(C.id.label("id"), C.region_id.label("region_id"), at.label("at")).join(C, C.id == b.case_id).where(*where)


def _title(case: C) -> str:
    return case.request


def _m(label, query, keys=None, **shown) -> Measure:
    return Measure(label, query, model=C, record_type=RECORD, keys=keys or {}, title=_title, **shown)


def _clock(rules, outcome):
    return lambda s, e: clock_query(RECORD, C.region_id, C.id, rules, s, e, outcome)


ALL_RULES = ("petition.register_forward", "petition.accept_notice", "petition.handle", "petition.review_decide",
             "petition.recheck_decide")
MEASURES = {
    "received": _m(_l("Petitions received"), lambda s, e: _cases(s, e, key=C.channel), CHANNELS,
                   chart=Chart("intake_channel", _l("Petitions received by channel, by month"), order=10),
                   column=Column(_l("Petitions received"), 10), section=10),
    "received_by_category": _m(_l("Petitions received, by category"),
                               lambda s, e: _cases(s, e, key=C.category), CATEGORIES,
                               chart=Chart("intake_category", _l("Petitions received by category, by month"),
                                           order=20), section=20),
    "accepted_on_time": _m(_l("Acceptance notice given on time"), _clock(("petition.accept_notice",), "on_time"),
                           rate=Rate(_l("Timely acceptance"), of="petition.received", order=10)),
    "handle_due": _m(_l("Handling time limits falling due"), _clock(("petition.handle",), "due")),
    "handled_on_time": _m(_l("Handled and replied on time"), _clock(("petition.handle",), "on_time"),
                          rate=Rate(_l("Handled on time"), of="petition.handle_due", order=20)),
    "overdue": _m(_l("Time limits missed"), _clock(ALL_RULES, "late"), column=Column(_l("Overdue time limits"), 20)),
    "replied": _m(_l("Petitions replied"), _replied),
    "evaluated": _m(_l("Replies evaluated by the petitioner"),
                    lambda s, e: _replied(s, e, C.satisfaction.is_not(None))),
    "satisfied": _m(_l("Replies rated satisfied or basically satisfied"),
                    lambda s, e: _replied(s, e, C.satisfaction.in_(("satisfied", "basically")))),
    "repeat": _m(_l("Repeat petitions"), lambda s, e: _cases(s, e, C.repeat.is_(True)),
                 column=Column(_l("Repeat petitions"), 30)),
    "skip_level": _m(_l("Level-skipping petitions (越级访)"), lambda s, e: _cases(s, e, C.skip_level.is_(True))),
    "backlog_stock": _m(_l("Backlog cases in hand"), lambda s, e: _backlog(s, e, False, False)),
    "backlog_resolved": _m(_l("Backlog cases closed out"), lambda s, e: _backlog(s, e, True, False)),
    "baoan_stock": _m(_l("Backlog cases with a leader (包案)"), lambda s, e: _backlog(s, e, False, True)),
    "baoan_resolved": _m(_l("Leader-led backlog cases closed out"), lambda s, e: _backlog(s, e, True, True)),
    "referred": _m(_l("Petitions referred to a legal route"),
                   lambda s, e: _cases(s, e, and_(C.route.is_not(None), C.route != "ordinary"), key=C.route), ROUTES,
                   chart=Chart("referrals", _l("Referrals to legal routes by channel (%(period)s)"), "period",
                               order=70, unless=("referrals_legal",)), section=30),
}

LOCAL = "地方考核口径（可配置）"
# the default KPIs (domain.md §1), seeded once; administrators edit them afterwards
DEFAULT_KPIS = [
    KpiDefault("timely_acceptance", "及时受理率", "petition.accepted_on_time", "petition.received", "month", 95.0, True,
               f"信访工作条例 第二十二、二十三条：15日内告知是否受理。期内登记件中按期告知件占比。{LOCAL}", 10),
    KpiDefault("on_time_closure", "按期办结率", "petition.handled_on_time", "petition.handle_due", "month", 95.0, True,
               f"信访工作条例 第三十四条：受理之日起60日内办结（可延长30日）。期内到期的办理时限中按期答复占比。{LOCAL}", 20),
    KpiDefault("repeat_petitions", "重复信访", "petition.repeat", None, "month", None, False,
               f"同一事项重复信访件数（每月每多一件扣分）。{LOCAL}", 30),
    KpiDefault("participation", "参评率", "petition.evaluated", "petition.replied", "month", 90.0, True,
               f"国信发〔2022〕11号 满意度评价：期内答复件中信访人参评占比。{LOCAL}", 40),
    KpiDefault("satisfaction", "参评群众满意率", "petition.satisfied", "petition.evaluated", "month", 90.0, True,
               f"满意与基本满意件数 ÷ 参评件数。{LOCAL}", 50),
    KpiDefault("baoan_resolution", "包案化解率", "petition.baoan_resolved", "petition.baoan_stock", "year", 85.0, True,
               f"信访工作条例 第十八条 领导包案；考核要求不低于85%。期内销号的包案件 ÷ 期内在办包案件。{LOCAL}", 60),
    KpiDefault("skip_level", "越级访", "petition.skip_level", None, "month", None, False,
               f"信访工作条例 第二十条：越级走访件数。{LOCAL}", 70),
    KpiDefault("backlog_resolution", "积案化解率", "petition.backlog_resolved", "petition.backlog_stock", "year", None,
               True, f"期内销号的积案 ÷ 期内在办积案（期初未销号与期内新增）。{LOCAL}", 80),
]


def hotspot_items(start: datetime, end: datetime, region_ids: list[int] | None):
    """The hotspot service's view of petitions: place, category, text and people, newest first."""
    stmt = select(C.id, C.reference, C.region_id, C.category, C.request, C.group_size, C.received_at).where(
        C.received_at >= start, C.received_at < end, C.state != "merged")
    if region_ids is not None:
        stmt = stmt.where(C.region_id.in_(region_ids))
    for row in db.session.execute(stmt.order_by(C.received_at.desc()).limit(5000)):
        yield {"record_type": RECORD, "id": row.id, "reference": row.reference, "region_id": row.region_id,
               "category": str(CATEGORIES.get(row.category, "")) if row.category else "", "text": row.request,
               "people": max(1, row.group_size or 1), "at": row.received_at}


def register(ctx) -> None:
    from core.toolkit import kpi_default, kpi_hotspot_source, kpi_measure
    for name, measure in MEASURES.items():
        ctx.contribute(kpi_measure, f"petition.{name}", measure, str(measure.label))
    ctx.contribute(kpi_hotspot_source, "petition.cases", hotspot_items, "petitions")
    for kpi in DEFAULT_KPIS:
        ctx.contribute(kpi_default, f"petition.{kpi.code}", kpi, kpi.name)
