"""Monthly ledger roll-up per grid, village, town and district; submitted months are frozen snapshots.

One GROUP BY over the month's rows below the region, by unit and the packed ledger key (ledger_key.py),
folded into counts by category, source, risk, state and handling level, and per child unit (towns of a
district, villages of a town, grids of a village): by GROUPING SETS in PostgreSQL, in Python elsewhere.
"""
from __future__ import annotations

import re
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from core.toolkit import db
from core.toolkit import Region
from core.toolkit import clock
from .. import ledger_key
from ..models import Dispute, Grid
from .models import MonthlyReport
from ..errors import MediationError

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


def _subtree_ids(region: Region) -> list[int]:
    """The region and every region below it, as a literal id list: the planner then estimates the rows
    well (a ``path LIKE :param || '%'`` subquery is estimated at one row and drove a nested loop of bitmap
    heap scans, one per region, over the whole table)."""
    return list(db.session.scalars(select(Region.id).where(Region.path.startswith(region.path))))


def _where(stmt, region_ids: list[int], start: datetime, end: datetime):
    return stmt.where(Dispute.region_id.in_(region_ids), Dispute.found_at >= start, Dispute.found_at < end)


def _counts_by_key(unit_column, region_ids: list[int], start: datetime, end: datetime):
    """The fast way: GROUP BY unit and the packed ledger key (two integers, not five text columns). On
    PostgreSQL the database also folds the groups (GROUPING SETS over the digits), so some 40 rows come
    back instead of one per unit × combination of codes. None when a code outside the key's tables (a
    risk level added in the settings) occurs: the caller then counts by the text columns."""
    key = func.coalesce(Dispute.ledger_key, 0)          # a row without a key reads as 0: counted the plain way
    inner = _where(select(unit_column.label("unit"), key.label("k"), func.count().label("n")),
                   region_ids, start, end).group_by(unit_column, key)
    by: dict[str, dict] = {d: {} for d in DIMENSIONS}
    per_unit: dict[int, int] = {}
    if db.session.get_bind().dialect.name == "postgresql":
        g = inner.cte("g")
        parts = [(g.c.k // ledger_key.PARTS[d][2]) % ledger_key.PARTS[d][3] for d in DIMENSIONS]
        folded = select(g.c.unit, *parts, func.sum(g.c.n)).group_by(func.grouping_sets(g.c.unit, *parts))
        for row in db.session.execute(folded):
            n = int(row[-1])
            if row[0] is not None:
                per_unit[row[0]] = n
                continue
            for dim, value in zip(DIMENSIONS, row[1:-1]):
                if value is not None:
                    code = ledger_key.DECODE[dim].get(int(value))
                    if code is None:
                        return None
                    by[dim][code] = n
        return per_unit, by
    for unit, key, n in db.session.execute(inner):
        per_unit[unit] = per_unit.get(unit, 0) + n
        for dim in DIMENSIONS:
            code = ledger_key.DECODE[dim].get(ledger_key.digit(dim, key or 0))
            if code is None:
                return None
            by[dim][code] = by[dim].get(code, 0) + n
    return per_unit, by


def _counts_by_columns(unit_column, region_ids: list[int], start: datetime, end: datetime):
    """The plain way: GROUP BY unit and the five text columns, folded in Python."""
    dims = [getattr(Dispute, d) for d in DIMENSIONS]
    stmt = _where(select(unit_column, *dims, func.count()), region_ids, start, end).group_by(unit_column, *dims)
    by: dict[str, dict] = {d: {} for d in DIMENSIONS}
    per_unit: dict[int, int] = {}
    for row in db.session.execute(stmt):
        unit, values, n = row[0], row[1:-1], row[-1]
        per_unit[unit] = per_unit.get(unit, 0) + n
        for dim, value in zip(DIMENSIONS, values):
            by[dim][value] = by[dim].get(value, 0) + n
    return per_unit, by


def _counts(unit_column, region_ids: list[int], start: datetime, end: datetime):
    """(unit → n, dimension → code → n)."""
    return (_counts_by_key(unit_column, region_ids, start, end)
            or _counts_by_columns(unit_column, region_ids, start, end))


def rollup_between(region: Region, start: datetime, end: datetime) -> dict:
    village = region.level in ("village", "group")
    per_unit, by = _counts(Dispute.grid_id if village else Dispute.region_id, _subtree_ids(region), start, end)
    total = sum(per_unit.values())
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
                           submitted_by_id=user.id, submitted_at=clock.now().replace(microsecond=0))
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
