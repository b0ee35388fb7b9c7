"""The mediation figures the KPI service counts (core/kpi): disputes logged, concluded, resolved, on time.
Each select keeps the disputes of the period [start, end) with columns id, region_id, at (and key)."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, literal, or_, select

from core.toolkit import db
from core.toolkit import Chart, KpiColumn as Column, KpiDefault, Measure, Rate, clock_query
from .models import CATEGORIES, LEVELS, SOURCES, STATES, Dispute as D

RECORD = "mediation_dispute"
# a closed dispute was resolved when it has an outcome (only resolve() writes one)
SUCCESS = or_(D.state == "resolved", and_(D.state == "closed", D.outcome != ""))
CONCLUDED = or_(D.state.in_(("resolved", "failed", "refused", "closed")))
OUTCOMES = {"success": _l("Resolved"), "failure": _l("Not resolved"), "open": _l("Still open")}


def _found(start: datetime, end: datetime, *where, key=None):
    cols = [D.id.label("id"), D.region_id.label("region_id"), D.found_at.label("at")]
    if key is not None:
        cols.append(key.label("key"))
    return select(*cols).where(D.found_at >= start, D.found_at < end, *where)


def _title(d: D) -> str:
    return d.summary


def _m(label, query, keys=None, **shown) -> Measure:
    return Measure(label, query, model=D, record_type=RECORD, keys=keys or {}, title=_title, **shown)


_outcome = case((SUCCESS, literal("success")), (CONCLUDED, literal("failure")), else_=literal("open"))
MEASURES = {
    "found": _m(_l("Disputes logged"), lambda s, e: _found(s, e, key=D.category), CATEGORIES,
                chart=Chart("disputes_category", _l("Disputes logged by category, by month"), order=30),
                column=Column(_l("Disputes logged"), 40), section=40),
    "found_by_source": _m(_l("Disputes logged, by source"), lambda s, e: _found(s, e, key=D.source), SOURCES,
                          section=50),
    "concluded": _m(_l("Disputes concluded"), lambda s, e: _found(s, e, CONCLUDED)),
    "resolved": _m(_l("Disputes resolved"), lambda s, e: _found(s, e, SUCCESS), column=Column(_l("Disputes resolved"), 50)),
    "red_risk": _m(_l("Red-risk disputes"), lambda s, e: _found(s, e, D.risk_level == "red"),
                   column=Column(_l("Red-risk disputes"), 60)),
    "outcome": _m(_l("Dispute outcomes by handling level"),
                  lambda s, e: _found(s, e, key=D.handling_level + literal(":") + _outcome),
                  {"_rows": LEVELS, "_cols": OUTCOMES},
                  chart=Chart("mediation_outcomes", _l("Mediation outcomes by level (%(period)s)"), "split", order=50)),
    "by_state": _m(_l("Disputes logged, by state"), lambda s, e: _found(s, e, key=D.state), STATES, section=60),
    "period_due": _m(_l("Mediation periods falling due"),
                     lambda s, e: clock_query(RECORD, D.region_id, D.id, ("mediation.period",), s, e, "due")),
    "on_time": _m(_l("Mediations concluded on time"),
                  lambda s, e: clock_query(RECORD, D.region_id, D.id, ("mediation.period",), s, e, "on_time"),
                  rate=Rate(_l("Mediation concluded on time"), of="mediation.period_due", order=30)),
}

LOCAL = "地方考核口径（可配置）"
DEFAULT_KPIS = [   # seeded once after the petition ones; administrators edit them afterwards
    KpiDefault("mediation_success", "调解成功率", "mediation.resolved", "mediation.concluded", "month", None, True,
               f"人民调解法；期内登记纠纷中调解成功件占已办结件比例。{LOCAL}", 90),
    KpiDefault("mediation_on_time", "按期调解率", "mediation.on_time", "mediation.period_due", "month", None, True,
               f"宁波市人民调解条例 第二十七条等：一般一个月内调结。{LOCAL}", 100),
]


def hotspot_items(start: datetime, end: datetime, region_ids: list[int] | None):
    stmt = select(D.id, D.reference, D.region_id, D.category, D.summary, D.description, D.place, D.headcount,
                  D.found_at).where(D.found_at >= start, D.found_at < end)
    if region_ids is not None:
        stmt = stmt.where(D.region_id.in_(region_ids))
    for row in db.session.execute(stmt.order_by(D.found_at.desc()).limit(5000)):
        yield {"record_type": RECORD, "id": row.id, "reference": row.reference, "region_id": row.region_id,
               "category": str(CATEGORIES.get(row.category, row.category)),
               "text": f"{row.summary} {row.place}".strip(), "people": max(1, row.headcount or 1), "at": row.found_at}


def register(ctx) -> None:
    from core.toolkit import kpi_default, kpi_hotspot_source, kpi_measure
    for name, measure in MEASURES.items():
        ctx.contribute(kpi_measure, f"mediation.{name}", measure, str(measure.label))
    ctx.contribute(kpi_hotspot_source, "mediation.disputes", hotspot_items, "disputes")
    for kpi in DEFAULT_KPIS:
        ctx.contribute(kpi_default, f"mediation.{kpi.code}", kpi, kpi.name)
