"""The monthly statistical report of a region: KPIs, intake and outcome tables, the units below.

``build(region, month)`` is a pure function of the records, so re-running a month gives the same figures;
``submit`` freezes them (core_kpi_report) and ``diff`` lists every figure a late edit changed since."""
from __future__ import annotations


from flask_babel import gettext as _
from sqlalchemy import select

from core.db import db
from core.regions.models import Region
from core import clock
from . import measures as M
from . import periods as P
from .models import KpiReport
from .regions import subtree_ids
from .services import breakdown, definitions, kpi_value

class ReportError(ValueError):
    pass


def build(region: Region, month: P.Period) -> dict:
    registry = M.measures()
    ids = subtree_ids(region)
    kpis = []
    for k in definitions():
        v = kpi_value(k, month, ids, registry)
        if v.available:
            kpis.append({"code": k.code, "name": k.name, "period": v.period.code, "numerator": v.numerator,
                         "denominator": v.denominator, "value": v.value, "target": k.target, "rate": k.is_rate})
    sections = []
    for _order, key in sorted((m.section, k) for k, m in registry.items() if m.section is not None):
        m = registry[key]
        counts = M.by_key(m, month.start, month.end, ids)
        order = [c for c in m.keys if c in counts] + sorted(c for c in counts if c not in m.keys)
        rows = [[c, str(m.keys.get(c, c if c not in ("None", "") else _("Not classified"))), counts[c]] for c in order]
        sections.append({"id": key, "title": str(m.label), "total": sum(counts.values()), "rows": rows})
    b = breakdown(region, month)
    units = [{"code": r["region"].code, "name": r["region"].name, "values": r["values"]} for r in b["rows"]]
    return {"region": region.code, "region_name": region.name, "period": month.code, "kpis": kpis,
            "sections": sections, "columns": [[k, str(label)] for k, label in b["columns"]], "units": units,
            "own": b["own"], "totals": b["totals"]}


def report_for(region: Region, month: P.Period) -> KpiReport | None:
    return db.session.scalar(select(KpiReport).where(KpiReport.region_id == region.id,
                                                     KpiReport.period == month.code))


def submit(user, region: Region, month: P.Period) -> KpiReport:
    if month.kind != "month":
        raise ReportError(_("Give the month as YYYY-MM."))
    if month.end > clock.now():
        raise ReportError(_("A month can be submitted only after it has ended."))
    if report_for(region, month) is not None:
        raise ReportError(_("This month has already been submitted for this region."))
    report = KpiReport(region_id=region.id, period=month.code, data=build(region, month),
                       submitted_by_id=getattr(user, "id", None), submitted_at=clock.now().replace(microsecond=0))
    db.session.add(report)
    db.session.flush()
    return report


def _flat(data: dict) -> dict[tuple[str, str], tuple[str, float | int | None]]:
    out = {}
    for k in data.get("kpis", []):
        out[("kpi", k["code"])] = (k["name"], k["value"])
        out[("kpi_num", k["code"])] = (k["name"], k["numerator"])
    for s in data.get("sections", []):
        out[(s["id"], "")] = (s["title"], s["total"])
        for code, label, n in s["rows"]:
            out[(s["id"], code)] = (f"{s['title']} · {label}", n)
    names = dict(data.get("columns", []))
    for u in data.get("units", []):
        for key, n in u["values"].items():
            out[(f"unit:{u['code']}", key)] = (f"{u['name']} · {names.get(key, key)}", n)
    return out


def diff(frozen: dict, live: dict) -> list[tuple[str, object, object]]:
    """(what, frozen figure, live figure) for each figure that differs."""
    a, b = _flat(frozen), _flat(live)
    out = []
    for key in list(a) + [k for k in b if k not in a]:
        fa, fb = a.get(key, (None, 0)), b.get(key, (None, 0))
        if fa[1] != fb[1] and not ({fa[1], fb[1]} <= {0, None}):
            out.append((fa[0] or fb[0], fa[1], fb[1]))
    return out
