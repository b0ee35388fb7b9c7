"""Monthly ledger roll-up per grid, village, town and district; submitted months are frozen snapshots.

One GROUP BY over the month's rows below the region (the (region_id, found_at) index), folded in Python
into counts by category, source, risk, state and handling level, and per child unit (towns of a district,
villages of a town, grids of a village).
"""
from __future__ import annotations

import re
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from core.db import db
from core.regions.models import Region
from .models import Dispute, Grid, MonthlyReport
from .services import MediationError

DIMENSIONS = ("category", "source", "risk_level", "state", "handling_level")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str | None) -> tuple[datetime, datetime]:
    m = _MONTH_RE.match((text or "").strip())
    if not m or not (2000 <= int(m.group(1)) <= 2100 and 1 <= int(m.group(2)) <= 12):
        raise MediationError({"month": _("Give the month as YYYY-MM.")})
    year, month = int(m.group(1)), int(m.group(2))
    start = datetime(year, month, 1)
    end = datetime(year + (month == 12), month % 12 + 1, 1)
    return start, end


def in_month(stmt, month: str):
    start, end = parse_month(month)
    return stmt.where(Dispute.found_at >= start, Dispute.found_at < end)


def _child_key(region: Region, path: str) -> str | None:
    codes = [c for c in path.strip("/").split("/") if c]
    depth = len([c for c in region.path.strip("/").split("/") if c])
    return codes[depth] if len(codes) > depth else None


def rollup(region: Region, month: str) -> dict:
    start, end = parse_month(month)
    return {**rollup_between(region, start, end), "month": month}


def rollup_between(region: Region, start: datetime, end: datetime) -> dict:
    village = region.level in ("village", "group")
    cols = [Dispute.grid_id if village else Dispute.region_id] + [getattr(Dispute, d) for d in DIMENSIONS]
    stmt = (select(*cols, func.count())
            .where(Dispute.region_id.in_(select(Region.id).where(Region.path.startswith(region.path))),
                   Dispute.found_at >= start, Dispute.found_at < end)
            .group_by(*cols))
    by = {d: {} for d in DIMENSIONS}
    per_unit: dict[int, int] = {}
    total = 0
    for row in db.session.execute(stmt):
        unit, values, n = row[0], row[1:-1], row[-1]
        total += n
        per_unit[unit] = per_unit.get(unit, 0) + n
        for dim, value in zip(DIMENSIONS, values):
            by[dim][value] = by[dim].get(value, 0) + n
    children: dict[str, dict] = {}
    if village:
        for g in db.session.scalars(select(Grid).where(Grid.id.in_(list(per_unit)))):
            children[f"grid:{g.id}"] = {"kind": "grid", "id": g.id, "code": g.code, "name": g.name,
                                        "total": per_unit[g.id]}
    elif per_unit:
        paths = dict(db.session.execute(select(Region.id, Region.path).where(Region.id.in_(list(per_unit)))).all())
        totals: dict[str, int] = {}
        for rid, n in per_unit.items():
            key = _child_key(region, paths[rid]) or region.code
            totals[key] = totals.get(key, 0) + n
        names = dict(db.session.execute(select(Region.code, Region.name).where(Region.code.in_(list(totals)))).all())
        for code, n in totals.items():
            children[f"region:{code}"] = {"kind": "region", "code": code, "name": names.get(code, code), "total": n}
    return {"region": region.code, "total": total, "by": by,
            "children": sorted(children.values(), key=lambda c: c["code"])}


def report_for(region: Region, month: str) -> MonthlyReport | None:
    return db.session.scalar(select(MonthlyReport).where(MonthlyReport.region_id == region.id,
                                                         MonthlyReport.month == month))


def submit(user, region: Region, month: str) -> MonthlyReport:
    """Freeze the month's roll-up (a nil return, 零报告, when nothing happened)."""
    parse_month(month)
    if report_for(region, month) is not None:
        raise MediationError({"month": _("This month has already been submitted for this region.")})
    data = rollup(region, month)
    report = MonthlyReport(region_id=region.id, month=month, data=data, nil_return=data["total"] == 0,
                           submitted_by_id=user.id, submitted_at=datetime.now().replace(microsecond=0))
    db.session.add(report)
    db.session.flush()
    return report


def diff(frozen: dict, live: dict) -> list[tuple[str, str, int, int]]:
    """(dimension, code, frozen count, live count) wherever a late edit changed a figure."""
    out = []
    if frozen.get("total", 0) != live["total"]:
        out.append(("total", "", frozen.get("total", 0), live["total"]))
    for dim in DIMENSIONS:
        a, b = frozen.get("by", {}).get(dim, {}), live["by"][dim]
        for code in sorted(set(a) | set(b)):
            if a.get(code, 0) != b.get(code, 0):
                out.append((dim, code, a.get(code, 0), b.get(code, 0)))
    return out
