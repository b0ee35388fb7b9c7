"""The monthly ledger as data: row labels per dimension, and the mediation.ledger PDF (templates/pdf/ledger.html);
``pdf_loader`` gives ``concord pdf render`` one region's month."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from core.toolkit import RecordNotFound
from core.toolkit import Region
from core.toolkit import clock
from core.toolkit import db
from .. import risks
from ..errors import MediationError
from ..models import CATEGORIES, LEVELS, SOURCES, STATES
from . import services as reports

STATIC_LABELS = {"category": CATEGORIES, "source": SOURCES, "state": STATES, "handling_level": LEVELS}


def labels(data: dict | None = None) -> dict:
    """Row labels of each dimension; risk levels as configured now, plus any code a snapshot still holds."""
    out = {dim: {k: str(v) for k, v in values.items()} for dim, values in STATIC_LABELS.items()}
    out["risk_level"] = risks.levels()
    for dim in reports.DIMENSIONS:
        for code in (data or {}).get("by", {}).get(dim, {}):
            out[dim].setdefault(code, risks.label(code) if dim == "risk_level" else code)
    return {dim: out[dim] for dim in reports.DIMENSIONS}


def dimension_titles():
    return {"category": _("Dispute category"), "source": _("Source"), "risk_level": _("Risk"),
            "state": _("State"), "handling_level": _("Handling level")}


def pdf_data(region: Region, month: str) -> dict:
    """The month's ledger (the frozen snapshot once submitted) as data for the mediation.ledger PDF."""
    frozen = reports.report_for(region, month)
    data = frozen.data if frozen else reports.rollup(region, month)
    titles, row_labels = dimension_titles(), labels(data)
    status = (_("Submitted on %(at)s; frozen snapshot", at=frozen.submitted_at.strftime("%Y-%m-%d %H:%M"))
              if frozen else _("Not yet submitted; live figures"))
    return {"title": _("Monthly dispute ledger"), "region": region.name, "month": month, "total": data["total"],
            "nil_return": data["total"] == 0, "status": status, "total_label": _("Total"),
            "nil_label": _("Nil return"), "units_title": _("By unit"),
            "units": [(c["name"], c["total"]) for c in data["children"]],
            "sections": [{"title": titles[dim], "rows": [(label, data["by"].get(dim, {}).get(code, 0))
                                                          for code, label in row_labels[dim].items()]}
                         for dim in reports.DIMENSIONS],
            "date": clock.today()}


def pdf_loader(record_id) -> dict:
    """``concord pdf render mediation.ledger --record REGIONCODE:YYYY-MM``."""
    code, _sep, month = str(record_id).partition(":")
    region = db.session.scalar(select(Region).where(Region.code == code)) if code else None
    if region is None:
        raise RecordNotFound(f"no region {code!r}")
    try:
        reports.parse_month(month)
    except MediationError as exc:
        raise RecordNotFound(exc.message) from None
    return pdf_data(region, month)
