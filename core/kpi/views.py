"""/dashboard/: KPI tiles, charts (each also a table), the region breakdown with drill-down to records,
the monthly statistical report (xlsx, PDF, frozen snapshots) and hotspots."""
from __future__ import annotations


from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from core.audit.access import record_access, visible as openable
from core.auth.guard import require
from core.db import db
from core.regions.models import Region
from . import measures as M
from . import periods as P
from core.shell import xlsx
from core import clock
from .charts import charts
from .hotspots import find as find_hotspots, window
from .regions import by_code, root_for, subtree_ids, visible
from .report import ReportError, build, diff, report_for, submit
from .services import breakdown, kpi_values
from .blueprint import bp   # risk_views.py adds its routes to the same blueprint


def _region() -> Region:
    root = root_for(current_user)
    if root is None:
        abort(404)
    code = request.args.get("region")
    if not code:
        return root
    region = by_code(code)
    if region is None or not visible(current_user, region):
        abort(404)
    return region


def _month() -> P.Period:
    text = request.args.get("period")
    if not text:
        return P.containing("month", clock.today())
    try:
        period = P.parse(text)
    except P.PeriodError:
        abort(400, _("Give the period as YYYY-MM, YYYY-Qn or YYYY."))
    return period


def _trail(region: Region) -> list[Region]:
    root = root_for(current_user)
    out, r = [], region
    while r is not None:
        out.append(r)
        if root is not None and r.id == root.id:
            break
        r = r.parent
    return out[::-1]


@bp.get("/")
@require("core.dashboard.read")
def index():
    region, month = _region(), _month()
    if month.kind != "month":
        month = P.Period("month", month.year, month.first_month)
    return render_template("dashboard/index.html", region=region, month=month, trail=_trail(region),
                           kpis=kpi_values(region, month), charts=charts(region, month),
                           table=breakdown(region, month), prev=month.previous(),
                           next=P.containing("month", month.end))


def _kpi_rows(region, month):
    return [[v.kpi.name, v.period.code, v.numerator, v.denominator, v.value, v.previous, v.kpi.target]
            for v in kpi_values(region, month) if v.available]


@bp.get("/kpis.xlsx")
@require("core.dashboard.read")
def kpis_xlsx():
    region, month = _region(), _month()
    headers = [_("KPI"), _("Period"), _("Numerator"), _("Denominator"), _("Value"), _("Previous period"), _("Target")]
    return xlsx.single(_("KPIs"), headers, _kpi_rows(region, month), f"kpi-{region.code}-{month.code}")


@bp.get("/breakdown.xlsx")
@require("core.dashboard.read")
def breakdown_xlsx():
    region, month = _region(), _month()
    t = breakdown(region, month)
    headers = [_("Region code"), _("Region")] + [str(label) for _k, label in t["columns"]]
    rows = [[r["region"].code, r["region"].name] + [r["values"].get(k, 0) for k, _l in t["columns"]] for r in t["rows"]]
    rows.append([region.code, _("%(name)s itself", name=region.name)] + [t["own"].get(k, 0) for k, _l in t["columns"]])
    rows.append([region.code, _("Total")] + [t["totals"].get(k, 0) for k, _l in t["columns"]])
    return xlsx.single(_("Region breakdown"), headers, rows, f"regions-{region.code}-{month.code}")


# -- drill-down: the records behind a number ---------------------------------------------------------
def _records(measure: M.Measure, region: Region, period: P.Period, key: str | None, limit: int):
    hits = M.record_ids(measure, period.start, period.end, subtree_ids(region), key=key, limit=limit)
    objs = {o.id: o for o in db.session.scalars(select(measure.model).where(measure.model.id.in_([i for i, _a in hits])))}
    access = record_access(measure.record_type)
    allowed = openable(current_user, measure.record_type, list(objs))   # only what the viewer may open
    rows = []
    for rid, at in hits:
        o = objs.get(rid)
        if o is None or rid not in allowed:
            continue
        rows.append({"obj": o, "at": at, "reference": getattr(o, "reference", str(rid)),
                     "title": measure.title(o) if measure.title else str(o),
                     "region": o.region.name if getattr(o, "region", None) else "",
                     "state": getattr(o, "state_label", ""),
                     "url": access.url(rid) if access and access.url else None})
    return rows


@bp.get("/records")
@require("core.dashboard.read")
def records():
    if not request.args.get("m"):
        return redirect(url_for(".index"))
    measure = M.get(request.args["m"]) or abort(404)
    region, period = _region(), _month()
    key = request.args.get("key") or None
    fmt = request.args.get("format")
    rows = _records(measure, region, period, key, 100_000 if fmt else 500)
    headers = [_("Reference"), _("Summary"), _("Region"), _("State"), _("Date")]
    data = [[r["reference"], r["title"], r["region"], r["state"], r["at"]] for r in rows]
    name = f"{measure.key}-{region.code}-{period.code}"
    if fmt == "xlsx":
        return xlsx.single(str(measure.label), headers, data, name)
    if fmt == "csv":
        from core.shell.listing import csv_file
        return csv_file(name, headers, data)
    return render_template("dashboard/records.html", measure=measure, region=region, period=period, rows=rows,
                           key=key, total=len(rows))


# -- monthly statistical report ---------------------------------------------------------------------
@bp.route("/report", methods=["GET", "POST"])
@require("core.dashboard.read")
def report():
    region = _region()
    month = _month() if request.args.get("period") else P.containing("month", clock.today()).previous()
    if month.kind != "month":
        abort(400)
    if request.method == "POST":
        if not current_user.can("core.kpi.report"):
            abort(403)
        try:
            submit(current_user, region, month)
            db.session.commit()
            flash(_("The report is submitted and frozen."), "success")
        except ReportError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        return redirect(url_for(".report", region=region.code, period=month.code))
    frozen = report_for(region, month)
    live = build(region, month)
    data = frozen.data if frozen else live
    changes = diff(frozen.data, live) if frozen else []
    fmt = request.args.get("format")
    if fmt == "xlsx":
        return _report_xlsx(data, region, month)
    if fmt == "pdf":
        from core.pdf import pdf_response, render_pdf
        pdf = render_pdf("core.kpi_report", title=_("Monthly statistical report"), data=data,
                         status=_("Submitted %(at)s", at=frozen.submitted_at.isoformat(sep=" ")) if frozen else _("Live figures, not submitted"),
                         labels=_pdf_labels())
        return pdf_response(pdf, f"report-{region.code}-{month.code}.pdf", download=True)
    return render_template("dashboard/report.html", region=region, month=month, data=data, frozen=frozen,
                           changes=changes, trail=_trail(region))


def _pdf_labels() -> dict:
    return {"kpis": _("KPIs"), "kpi": _("KPI"), "value": _("Value"), "num": _("Numerator"), "den": _("Denominator"),
            "target": _("Target"), "units": _("Units below"), "region": _("Region"), "total": _("Total")}


def _report_xlsx(data: dict, region: Region, month: P.Period) -> Response:
    wb = xlsx.workbook()
    xlsx.add_sheet(wb, _("KPIs"), [_("KPI"), _("Period"), _("Numerator"), _("Denominator"), _("Value"), _("Target")],
                   [[k["name"], k["period"], k["numerator"], k["denominator"], k["value"], k["target"]]
                    for k in data["kpis"]])
    rows = []
    for s in data["sections"]:
        rows += [[s["title"], label, n] for _c, label, n in s["rows"]] + [[s["title"], _("Total"), s["total"]]]
    xlsx.add_sheet(wb, _("Tables"), [_("Table"), _("Item"), _("Count")], rows)
    cols = data["columns"]
    xlsx.add_sheet(wb, _("Units below"), [_("Region code"), _("Region")] + [label for _k, label in cols],
                   [[u["code"], u["name"]] + [u["values"].get(k, 0) for k, _l in cols] for u in data["units"]])
    return xlsx.response(wb, f"report-{region.code}-{month.code}")


# -- hotspots -----------------------------------------------------------------------------------------
@bp.get("/hotspots")
@require("core.dashboard.read")
def hotspots():
    region = _region()
    try:
        days = min(1000, max(1, int(request.args.get("days", 30))))
    except ValueError:
        days = 30
    start, end = window(days)
    hot = find_hotspots(region, start, end, subtree_ids(region), viewer=current_user)[:50]
    urls = {}
    for h in hot:
        for i in h.items:
            access = record_access(i["record_type"])
            urls[(i["record_type"], i["id"])] = access.url(i["id"]) if access and access.url else None
    return render_template("dashboard/hotspots.html", region=region, hot=hot, days=days, urls=urls,
                           trail=_trail(region))


