"""The dashboard's charts, each also a table: labels (x) × datasets (series), from contributed measures."""
from __future__ import annotations

from flask_babel import gettext as _

from core.regions.models import Region
from . import measures as M
from . import periods as P
from .regions import subtree_ids

MONTHS = 6


def _label(m: M.Measure, key: str) -> str:
    return str(m.keys.get(key, key)) if key not in ("None", "") else _("Not classified")


def _monthly_by_key(m, months, ids) -> tuple[list, list]:
    spans = [(p.start, p.end) for p in months]
    counts = M.by_month(m, spans, ids, with_key=True)
    keys = sorted({k for (_b, k) in counts}, key=lambda k: list(m.keys).index(k) if k in m.keys else 999)
    datasets = [{"label": _label(m, k), "data": [counts.get((i, k), 0) for i in range(len(months))]} for k in keys]
    return [p.code for p in months], datasets


def _rate_series(num, den, months, ids) -> list:
    spans = [(p.start, p.end) for p in months]
    a, b = M.by_month(num, spans, ids), M.by_month(den, spans, ids)
    out = []
    for i in range(len(months)):
        d = b.get((i, None), 0)
        out.append(round(100.0 * a.get((i, None), 0) / d, 1) if d else None)
    return out


def _period_by_key(m, period, ids, split: bool = False) -> tuple[list, list]:
    counts = M.by_key(m, period.start, period.end, ids)
    if not split:
        keys = [k for k in m.keys if k in counts] + [k for k in counts if k not in m.keys]
        return [_label(m, k) for k in keys], [{"label": str(m.label), "data": [counts[k] for k in keys]}]
    # "row:column" keys → rows as x labels, columns as series
    rows, cols = {}, {}
    for key, n in counts.items():
        r, _sep, c = key.partition(":")
        rows.setdefault(r, {})[c] = n
        cols[c] = True
    labels = m.keys.get("_rows", {})
    series = m.keys.get("_cols", {})
    row_keys = [k for k in labels if k in rows] + [k for k in rows if k not in labels]
    col_keys = [k for k in series if k in cols] + [k for k in cols if k not in series]
    return ([str(labels.get(r, r)) for r in row_keys],
            [{"label": str(series.get(c, c)), "data": [rows[r].get(c, 0) for r in row_keys]} for c in col_keys])


def charts(region: Region, month: P.Period) -> list[dict]:
    registry = M.measures()
    ids = subtree_ids(region)
    months = P.last_months(month, MONTHS)
    out = []

    def add(cid, title, kind, labels, datasets, stacked=False, unit=""):
        out.append({"id": cid, "title": title, "type": kind, "labels": labels, "datasets": datasets,
                    "stacked": stacked, "unit": unit})

    declared = sorted((m.chart.order, key) for key, m in registry.items() if m.chart)
    present = {registry[key].chart.id for _o, key in declared}
    rates = sorted((m.rate.order, key) for key, m in registry.items() if m.rate and m.rate.of in registry)
    entries = declared + ([(RATES_ORDER, "")] if rates else [])
    for _order, key in sorted(entries):
        if not key:   # the on-time rates chart: one line per measure declaring a Rate
            add("on_time", _("On-time rates (%)"), "line", [p.code for p in months],
                [{"label": str(registry[k].rate.label),
                  "data": _rate_series(registry[k], registry[registry[k].rate.of], months, ids)} for _o, k in rates],
                unit="%")
            continue
        m = registry[key]
        chart = m.chart
        if any(other in present for other in chart.unless):
            continue
        title = str(chart.title)
        title = title % {"period": month.code} if "%(period)s" in title else title
        if chart.style == "monthly":
            add(chart.id, title, "bar", *_monthly_by_key(m, months, ids), stacked=True)
        elif chart.style == "split":
            add(chart.id, title, "bar", *_period_by_key(m, month, ids, split=True), stacked=True)
        else:
            add(chart.id, title, "bar", *_period_by_key(m, month, ids))
    return out


RATES_ORDER = 40   # where the on-time rates chart stands among the charts the measures declare
