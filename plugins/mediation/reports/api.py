"""``/reports`` (region, month → the monthly ledger figures): API blueprint ``mediation_api_reports``."""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from pydantic import BaseModel, Field
from sqlalchemy import select

from core.toolkit import ApiBlueprint, invalid
from core.toolkit import db
from core.toolkit import Region
from core.toolkit import user_can_see_region
from ..errors import MediationError
from . import services as reports

api = ApiBlueprint("mediation_api_reports", __name__, tag="reports")


class ReportQuery(BaseModel):
    region: str = Field(max_length=20, pattern=r"^[0-9A-Za-z]+$", description="region code (NBS division code)")
    month: str = Field(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")


class UnitOut(BaseModel):
    kind: str = Field(description="region or grid")
    code: str
    name: str
    total: int
    id: int | None = None


class ReportOut(BaseModel):
    region: str
    month: str
    total: int
    nil_return: bool = Field(description="nothing happened in the month (零报告)")
    frozen: bool = Field(description="the month was submitted: the figures are the frozen snapshot")
    submitted_at: str | None
    by: dict[str, dict[str, int]] = Field(description="dimension (category, source, risk_level, state, "
                                                      "handling_level) → code → count")
    children: list[UnitOut]
    changed_since_submission: list[dict] = Field(description="figures a late edit changed: dimension, code, "
                                                             "frozen, now")


@api.operation("GET", "/reports", summary=_l("Monthly dispute ledger of a region"), permission="mediation.report.read",
               tags=("reports",), query=ReportQuery, response=ReportOut, endpoint="reports_get")
def monthly_report(query: ReportQuery):
    region = db.session.scalar(select(Region).where(Region.code == query.region))
    if region is None or not user_can_see_region(current_user, region):
        raise invalid({"region": _("No such region in your scope.")})
    try:
        live = reports.rollup(region, query.month)
    except MediationError as exc:
        raise invalid({k: str(v) for k, v in exc.errors.items()}) from None
    frozen = reports.report_for(region, query.month)
    data = frozen.data if frozen else live
    changes = [{"dimension": d, "code": c, "frozen": a, "now": b} for d, c, a, b in reports.diff(frozen.data, live)] \
        if frozen else []
    return ReportOut(region=region.code, month=query.month, total=data["total"], nil_return=data["total"] == 0,
                     frozen=frozen is not None,
                     submitted_at=frozen.submitted_at.isoformat() if frozen else None,
                     by={dim: {k: int(v) for k, v in data["by"].get(dim, {}).items()} for dim in reports.DIMENSIONS},
                     children=[UnitOut(**{k: c.get(k) for k in ("kind", "code", "name", "total", "id")})
                               for c in data["children"]],
                     changed_since_submission=changes)
