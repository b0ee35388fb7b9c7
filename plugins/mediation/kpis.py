"""The mediation figures the KPI service counts (core/kpi): disputes logged, concluded, resolved, on time.
Each select keeps the disputes of the period [start, end) with columns id, region_id, at (and key)."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, literal, or_, select

from core.db import db
from core.kpi import Measure, clock_query
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


def _m(label, query, keys=None) -> Measure:
    return Measure(label, query, model=D, record_type=RECORD, keys=keys or {}, title=_title)


_outcome = case((SUCCESS, literal("success")), (CONCLUDED, literal("failure")), else_=literal("open"))
MEASURES = {
    "found": _m(_l("Disputes logged"), lambda s, e: _found(s, e, key=D.category), CATEGORIES),
    "found_by_source": _m(_l("Disputes logged, by source"), lambda s, e: _found(s, e, key=D.source), SOURCES),
    "concluded": _m(_l("Disputes concluded"), lambda s, e: _found(s, e, CONCLUDED)),
    "resolved": _m(_l("Disputes resolved"), lambda s, e: _found(s, e, SUCCESS)),
    "red_risk": _m(_l("Red-risk disputes"), lambda s, e: _found(s, e, D.risk_level == "red")),
    "outcome": _m(_l("Dispute outcomes by handling level"),
                  lambda s, e: _found(s, e, key=D.handling_level + literal(":") + _outcome),
                  {"_rows": LEVELS, "_cols": OUTCOMES}),
    "by_state": _m(_l("Disputes logged, by state"), lambda s, e: _found(s, e, key=D.state), STATES),
    "period_due": _m(_l("Mediation periods falling due"),
                     lambda s, e: clock_query(RECORD, D.region_id, D.id, ("mediation.period",), s, e, "due")),
    "on_time": _m(_l("Mediations concluded on time"),
                  lambda s, e: clock_query(RECORD, D.region_id, D.id, ("mediation.period",), s, e, "on_time")),
}


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
    for name, measure in MEASURES.items():
        ctx.contribute("kpi.measure", f"mediation.{name}", measure, str(measure.label))
    ctx.contribute("kpi.hotspot_source", "mediation.disputes", hotspot_items, "disputes")
