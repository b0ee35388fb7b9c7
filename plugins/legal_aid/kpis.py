"""The legal-aid figures the KPI service counts (core/kpi): applications and referrals to legal routes.
Each select keeps the records of the period [start, end) with columns id, region_id, at (and key)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.toolkit import Chart, Measure
from .models import AID_STATES, CHANNELS, AidApplication as A, Referral as R


def _applications(start, end):
    return select(A.id.label("id"), A.region_id.label("region_id"), A.received_at.label("at"),
                  A.state.label("key")).where(A.received_at >= start, A.received_at < end)


def _referrals(start, end):
    return select(R.id.label("id"), R.region_id.label("region_id"), R.served_at.label("at"),
                  R.channel.label("key")).where(R.served_at >= start, R.served_at < end)


MEASURES = {
    "applications": Measure(_l("Legal-aid applications"), _applications, model=A, record_type="legal_aid_application",
                            keys=AID_STATES, title=lambda a: a.summary,
                            chart=Chart("legal_aid", _l("Legal-aid applications by month"), order=90)),
    "referrals": Measure(_l("Referrals to legal routes, by channel"), _referrals, model=R,
                         record_type="legal_aid_referral", keys=CHANNELS, title=lambda r: r.request,
                         chart=Chart("referrals_legal", _l("Referrals to legal routes by channel (%(period)s)"),
                                     "period", order=60)),
}


def register(ctx) -> None:
    from core.toolkit import kpi_measure
    for name, measure in MEASURES.items():
        ctx.contribute(kpi_measure, f"legal_aid.{name}", measure, str(measure.label))
