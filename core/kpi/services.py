"""KPI values, trends, charts and the region breakdown for one region and period."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from core.db import db
from core.regions.models import Region
from . import measures as M
from . import periods as P
from .models import KpiDefinition
from .regions import children, fold, subtree_ids


@dataclass
class KpiValue:
    kpi: KpiDefinition
    period: P.Period
    numerator: int | None
    denominator: int | None
    value: float | None            # percent for a rate, the count otherwise
    previous: float | None
    available: bool = True

    @property
    def trend(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return round(self.value - self.previous, 1)

    @property
    def on_target(self) -> bool | None:
        if self.kpi.target is None or self.value is None:
            return None
        return self.value >= self.kpi.target if self.kpi.higher_is_better else self.value <= self.kpi.target


def definitions(enabled_only: bool = True) -> list[KpiDefinition]:
    stmt = select(KpiDefinition).order_by(KpiDefinition.sort_order, KpiDefinition.id)
    if enabled_only:
        stmt = stmt.where(KpiDefinition.enabled.is_(True))
    return list(db.session.scalars(stmt))


def _figure(kpi: KpiDefinition, period: P.Period, ids: list[int] | None, registry) -> tuple:
    num = registry.get(kpi.numerator)
    den = registry.get(kpi.denominator) if kpi.denominator else None
    if num is None or (kpi.denominator and den is None):
        return None, None, None
    n = M.count(num, period.start, period.end, ids)
    if den is None:
        return n, None, float(n)
    d = M.count(den, period.start, period.end, ids)
    return n, d, (round(100.0 * n / d, 1) if d else None)


def kpi_value(kpi: KpiDefinition, month: P.Period, ids: list[int] | None, registry=None) -> KpiValue:
    """The KPI over the period of its kind containing *month*, and the period before (the trend)."""
    registry = registry if registry is not None else M.measures()
    period = P.containing(kpi.period, month.start)
    n, d, value = _figure(kpi, period, ids, registry)
    if n is None:
        return KpiValue(kpi, period, None, None, None, None, available=False)
    _pn, _pd, previous = _figure(kpi, period.previous(), ids, registry)
    return KpiValue(kpi, period, n, d, value, previous)


def kpi_values(region: Region, month: P.Period) -> list[KpiValue]:
    ids = subtree_ids(region)
    registry = M.measures()
    return [kpi_value(k, month, ids, registry) for k in definitions()]


# -- the region breakdown --------------------------------------------------------------------------
def breakdown(region: Region, period: P.Period) -> dict:
    """Rows: the region's children (towns of a district, villages of a town) and the region itself;
    columns: the breakdown measures present. One GROUP BY region per measure."""
    registry = M.measures()
    cols = [(key, registry[key].column.label)
            for _o, key in sorted((m.column.order, k) for k, m in registry.items() if m.column)]
    ids = subtree_ids(region)
    kids = children(region)
    table = {k.id: {} for k in kids}
    own, totals = {}, {}
    for key, _label in cols:
        per_child, on_node = fold(region, M.by_region(registry[key], period.start, period.end, ids))
        for kid_id, n in per_child.items():
            table[kid_id][key] = n
        own[key] = on_node
        totals[key] = sum(per_child.values()) + on_node
    rows = [{"region": k, "values": table[k.id], "has_children": k.level not in ("village", "group")}
            for k in kids]
    return {"columns": cols, "rows": rows, "own": own, "totals": totals}
