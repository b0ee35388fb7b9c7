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

    if "petition.received" in registry:
        add("intake_channel", _("Petitions received by channel, by month"), "bar",
            *_monthly_by_key(registry["petition.received"], months, ids), stacked=True)
    if "petition.received_by_category" in registry:
        add("intake_category", _("Petitions received by category, by month"), "bar",
            *_monthly_by_key(registry["petition.received_by_category"], months, ids), stacked=True)
    if "mediation.found" in registry:
        add("disputes_category", _("Disputes logged by category, by month"), "bar",
            *_monthly_by_key(registry["mediation.found"], months, ids), stacked=True)
    rates = []
    for num, den, label in (("petition.accepted_on_time", "petition.received", _("Timely acceptance")),
                            ("petition.handled_on_time", "petition.handle_due", _("Handled on time")),
                            ("mediation.on_time", "mediation.period_due", _("Mediation concluded on time"))):
        if num in registry and den in registry:
            rates.append({"label": label, "data": _rate_series(registry[num], registry[den], months, ids)})
    if rates:
        add("on_time", _("On-time rates (%)"), "line", [p.code for p in months], rates, unit="%")
    if "mediation.outcome" in registry:
        add("mediation_outcomes", _("Mediation outcomes by level (%(period)s)", period=month.code), "bar",
            *_period_by_key(registry["mediation.outcome"], month, ids, split=True), stacked=True)
    if "legal_aid.referrals" in registry:
        add("referrals_legal", _("Referrals to legal routes by channel (%(period)s)", period=month.code), "bar",
            *_period_by_key(registry["legal_aid.referrals"], month, ids))
    elif "petition.referred" in registry:
        add("referrals", _("Referrals to legal routes by channel (%(period)s)", period=month.code), "bar",
            *_period_by_key(registry["petition.referred"], month, ids))
    if "hearing.applied" in registry:
        add("hearings", _("Hearings applied for, by month"), "bar",
            *_monthly_by_key(registry["hearing.applied"], months, ids), stacked=True)
    legal = [k for k in registry if k.startswith("legal_aid.")]
    if "legal_aid.applications" in registry:
        add("legal_aid", _("Legal-aid applications by month"), "bar",
            *_monthly_by_key(registry["legal_aid.applications"], months, ids), stacked=True)
    elif legal:
        add("legal_aid", _("Legal-aid volumes by month"), "bar", [p.code for p in months],
            [{"label": str(registry[k].label),
              "data": [v for _i, v in sorted(_flat(registry[k], months, ids).items())]} for k in legal])
    return out


def _flat(m, months, ids) -> dict:
    counts = M.by_month(m, [(p.start, p.end) for p in months], ids)
    return {i: counts.get((i, None), 0) for i in range(len(months))}
