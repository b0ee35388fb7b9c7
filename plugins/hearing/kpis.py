"""The hearing figures the KPI service counts (core/kpi): hearings applied for and concluded, by outcome.
Each select keeps the records of the period [start, end) with columns id, region_id, at (and key)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.toolkit import Chart, Measure
from .models import OUTCOMES, STATES, Hearing as H


def _applied(start, end):
    return select(H.id.label("id"), H.region_id.label("region_id"), H.applied_at.label("at"),
                  H.state.label("key")).where(H.applied_at >= start, H.applied_at < end)


def _concluded(start, end):
    return select(H.id.label("id"), H.region_id.label("region_id"), H.concluded_at.label("at"),
                  H.outcome.label("key")).where(H.concluded_at >= start, H.concluded_at < end)


MEASURES = {
    "applied": Measure(_l("Hearings applied for"), _applied, model=H, record_type="hearing_hearing", keys=STATES,
                       title=lambda h: h.matter,
                       chart=Chart("hearings", _l("Hearings applied for, by month"), order=80)),
    "concluded": Measure(_l("Hearings concluded, by outcome"), _concluded, model=H, record_type="hearing_hearing",
                         keys=OUTCOMES, title=lambda h: h.matter),
}


def register(ctx) -> None:
    from core.toolkit import kpi_measure
    for name, measure in MEASURES.items():
        ctx.contribute(kpi_measure, f"hearing.{name}", measure, str(measure.label))
