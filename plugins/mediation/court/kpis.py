"""KPI measures of court-linked mediation: cases received, concluded, succeeded, confirmed, on time, and
mediation days (one row per day, so that days ÷ concluded is the average)."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import literal, select

from core.toolkit import KpiDefault, Measure, clock_query

from .models import KINDS, CourtCase as C
from .deadlines import ORDINARY, PRE_SUIT, SUMMARY

RECORD = "mediation_court_case"


def _title(c: C) -> str:
    return f"{c.court} {c.court_case_no}"


def _m(label, query, keys=None) -> Measure:
    return Measure(label, query, model=C, record_type=RECORD, keys=keys or {}, title=_title)


def _ended(start: datetime, end: datetime, *where):
    return select(C.id.label("id"), C.region_id.label("region_id"), C.ended_on.label("at")).where(
        C.ended_on >= start.date(), C.ended_on < end.date(), *where)


def _days(start: datetime, end: datetime):
    n = select(literal(1).label("i")).cte("court_day_n", recursive=True)
    n = n.union_all(select(n.c.i + 1).where(n.c.i < 400))
    return (select(C.id.label("id"), C.region_id.label("region_id"), C.ended_on.label("at"))
            .join(n, n.c.i <= C.mediation_days)
            .where(C.ended_on >= start.date(), C.ended_on < end.date(), C.mediation_days.is_not(None)))


MEASURES = {
    "court_received": _m(_l("Court cases received"), lambda s, e: select(
        C.id.label("id"), C.region_id.label("region_id"), C.received_at.label("at"), C.kind.label("key")).where(
        C.received_at >= s, C.received_at < e), KINDS),
    "court_concluded": _m(_l("Court cases concluded"), lambda s, e: _ended(s, e)),
    "court_succeeded": _m(_l("Court cases settled by agreement"),
                          lambda s, e: _ended(s, e, C.agreement_signed_on.is_not(None))),
    "court_confirmed": _m(_l("Agreements confirmed by the court"), lambda s, e: select(
        C.id.label("id"), C.region_id.label("region_id"), C.ruling_on.label("at")).where(
        C.ruling_on >= s.date(), C.ruling_on < e.date(), C.ruling == "confirmed")),
    "court_ruled": _m(_l("Judicial confirmation rulings"), lambda s, e: select(
        C.id.label("id"), C.region_id.label("region_id"), C.ruling_on.label("at")).where(
        C.ruling_on >= s.date(), C.ruling_on < e.date(), C.ruling.is_not(None))),
    "court_days": _m(_l("Court mediation days (one per day)"), _days),
    "court_on_time": _m(_l("Court mediations concluded within the period"),
                        lambda s, e: clock_query(RECORD, C.region_id, C.id, (ORDINARY, SUMMARY, PRE_SUIT), s, e,
                                                 "on_time")),
    "court_due": _m(_l("Court mediation periods falling due"),
                    lambda s, e: clock_query(RECORD, C.region_id, C.id, (ORDINARY, SUMMARY, PRE_SUIT), s, e, "due")),
}

LOCAL = "诉调对接工作口径（可配置）"
DEFAULT_KPIS = [
    KpiDefault("court_received", "诉调对接收案数", "mediation.court_received", None, "month", None, True,
               f"法院委派、委托调解案件接收件数。{LOCAL}", 110),
    KpiDefault("court_success_rate", "诉调对接调解成功率", "mediation.court_succeeded", "mediation.court_concluded",
               "month", 60.0, True, f"期内办结案件中达成调解协议的占比。{LOCAL}", 120),
    KpiDefault("court_average_days", "诉调对接平均调解天数", "mediation.court_days", "mediation.court_concluded",
               "month", None, False, f"签收材料至调解终结的日历天数平均值（天数合计 ÷ 办结件数）。{LOCAL}", 130),
    KpiDefault("court_confirmation_rate", "司法确认率", "mediation.court_confirmed", "mediation.court_succeeded",
               "month", None, True, f"人民调解法 第三十三条：期内确认有效的裁定 ÷ 期内达成协议件数。{LOCAL}", 140),
    KpiDefault("court_on_time", "诉调对接按期办结率", "mediation.court_on_time", "mediation.court_due", "month",
               95.0, True, "最高人民法院关于严格依法规范民事案件立案与调解工作的意见 第三条：期内到期的调解期限中按期办结占比。", 150),
]


def register(ctx) -> None:
    from core.toolkit import kpi_default, kpi_measure
    for name, measure in MEASURES.items():
        ctx.contribute(kpi_measure, f"mediation.{name}", measure, str(measure.label))
    for kpi in DEFAULT_KPIS:
        ctx.contribute(kpi_default, f"mediation.{kpi.code}", kpi, kpi.name)
