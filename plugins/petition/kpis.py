"""The petition figures the KPI service counts (core/kpi): one Measure per numerator or denominator.
Each select keeps the records of the period [start, end) with columns id, region_id, at (and key)."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, literal, or_, select

from core.db import db
from core.kpi import Measure, clock_query
from .backlog_models import BacklogCase
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


def _m(label, query, keys=None) -> Measure:
    return Measure(label, query, model=C, record_type=RECORD, keys=keys or {}, title=_title)


def _clock(rules, outcome):
    return lambda s, e: clock_query(RECORD, C.region_id, C.id, rules, s, e, outcome)


ALL_RULES = ("petition.register_forward", "petition.accept_notice", "petition.handle", "petition.review_decide",
             "petition.recheck_decide")
MEASURES = {
    "received": _m(_l("Petitions received"), lambda s, e: _cases(s, e, key=C.channel), CHANNELS),
    "received_by_category": _m(_l("Petitions received, by category"),
                               lambda s, e: _cases(s, e, key=C.category), CATEGORIES),
    "accepted_on_time": _m(_l("Acceptance notice given on time"), _clock(("petition.accept_notice",), "on_time")),
    "handle_due": _m(_l("Handling time limits falling due"), _clock(("petition.handle",), "due")),
    "handled_on_time": _m(_l("Handled and replied on time"), _clock(("petition.handle",), "on_time")),
    "overdue": _m(_l("Time limits missed"), _clock(ALL_RULES, "late")),
    "replied": _m(_l("Petitions replied"), _replied),
    "evaluated": _m(_l("Replies evaluated by the petitioner"),
                    lambda s, e: _replied(s, e, C.satisfaction.is_not(None))),
    "satisfied": _m(_l("Replies rated satisfied or basically satisfied"),
                    lambda s, e: _replied(s, e, C.satisfaction.in_(("satisfied", "basically")))),
    "repeat": _m(_l("Repeat petitions"), lambda s, e: _cases(s, e, C.repeat.is_(True))),
    "skip_level": _m(_l("Level-skipping petitions (越级访)"), lambda s, e: _cases(s, e, C.skip_level.is_(True))),
    "backlog_stock": _m(_l("Backlog cases in hand"), lambda s, e: _backlog(s, e, False, False)),
    "backlog_resolved": _m(_l("Backlog cases closed out"), lambda s, e: _backlog(s, e, True, False)),
    "baoan_stock": _m(_l("Backlog cases with a leader (包案)"), lambda s, e: _backlog(s, e, False, True)),
    "baoan_resolved": _m(_l("Leader-led backlog cases closed out"), lambda s, e: _backlog(s, e, True, True)),
    "referred": _m(_l("Petitions referred to a legal route"),
                   lambda s, e: _cases(s, e, and_(C.route.is_not(None), C.route != "ordinary"), key=C.route), ROUTES),
}


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
    for name, measure in MEASURES.items():
        ctx.contribute("kpi.measure", f"petition.{name}", measure, str(measure.label))
    ctx.contribute("kpi.hotspot_source", "petition.cases", hotspot_items, "petitions")
