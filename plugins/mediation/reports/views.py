"""Monthly ledger pages: live roll-up with drill-down, submit (freeze), frozen snapshot with diff (blueprint
``mediation_reports``, mounted at /mediation)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from core.toolkit import require
from core.toolkit import unit_of_work
from core.toolkit import db
from core.toolkit import Region
from core.toolkit import user_can_see_region
from core.toolkit import region_choices
from core.toolkit import clock
from ..errors import MediationError
from . import services as reports
from .documents import dimension_titles, labels, pdf_data

bp = Blueprint("mediation_reports", __name__, template_folder="../templates")

FILTER_KEY = {"category": "category", "source": "source", "risk_level": "risk", "state": "state",
              "handling_level": "level"}


def region_arg() -> Region:
    """The region of the request (``region`` code or ``region_id``; default: the user's own), 404 when out of scope."""
    code = (request.values.get("region") or "").strip()[:20]
    rid = (request.values.get("region_id") or "").strip()
    if rid.isdigit() and len(rid) < 10:
        region = db.session.get(Region, int(rid))
    else:
        region = db.session.scalar(select(Region).where(Region.code == code)) if code else current_user.region
    if region is None and current_user.is_admin:
        region = db.session.scalar(select(Region).where(Region.level == "county").order_by(Region.code))
    if region is None or not user_can_see_region(current_user, region):
        abort(404)
    return region


def month_arg() -> str:
    """The month of the request (YYYY-MM; default: this month)."""
    month = (request.values.get("month") or "").strip()[:7] or clock.today().strftime("%Y-%m")
    try:
        reports.parse_month(month)
    except MediationError:
        flash(_("Give the month as YYYY-MM."), "error")
        month = clock.today().strftime("%Y-%m")
    return month


@bp.get("/reports")
@require("mediation.report.read")
def report():
    region, month = region_arg(), month_arg()
    live = reports.rollup(region, month)
    frozen = reports.report_for(region, month)
    changes = reports.diff(frozen.data, live) if frozen else []
    shown = frozen.data if frozen else live

    def drill_url(extra: dict) -> str:
        return url_for("mediation.index", **{"month": month, "region": region.code, **extra})

    return render_template("mediation/report.html", region=region, month=month, drill_url=drill_url, data=shown, live=live,
                           frozen=frozen, changes=changes, labels=labels(shown), titles=dimension_titles(),
                           filter_key=FILTER_KEY, form=FlaskForm(),
                           regions=region_choices(current_user, "village", keep=region),
                           may_submit=current_user.can("mediation.report.submit"))


@bp.post("/reports/submit")
@require("mediation.report.submit")
def report_submit():
    region, month = region_arg(), month_arg()
    form = FlaskForm()
    if not form.validate_on_submit():
        flash(_("The form has expired; try again."), "error")
    else:
        try:
            with unit_of_work():
                r = reports.submit(current_user, region, month)
            flash(_("Nil return submitted.") if r.nil_return else _("Monthly ledger submitted and frozen."), "success")
        except MediationError as exc:
            flash(exc.message, "error")
    return redirect(url_for("mediation_reports.report", region=region.code, month=month))


@bp.get("/reports.pdf")
@require("mediation.report.read")
def report_pdf():
    """The month's ledger as PDF, alongside the xlsx."""
    from core.toolkit import pdf_response, render_pdf
    region, month = region_arg(), month_arg()
    pdf = render_pdf("mediation.ledger", **pdf_data(region, month))
    return pdf_response(pdf, f"ledger-{region.code}-{month}.pdf")


@bp.get("/reports.xlsx")
@require("mediation.report.read")
def report_xlsx():
    """The month's ledger as a spreadsheet (the frozen snapshot once submitted)."""
    import io

    from flask import Response
    from openpyxl import Workbook

    region, month = region_arg(), month_arg()
    frozen = reports.report_for(region, month)
    data = frozen.data if frozen else reports.rollup(region, month)
    wb = Workbook()
    ws = wb.active
    ws.title = month
    ws.append([_("Monthly ledger"), region.name, month, _("Nil return") if data["total"] == 0 else ""])
    ws.append([_("Total"), data["total"]])
    titles = dimension_titles()
    row_labels = labels(data)
    for dim in reports.DIMENSIONS:
        ws.append([])
        ws.append([titles[dim]])
        for code, label in row_labels[dim].items():
            ws.append([str(label), data["by"][dim].get(code, 0)])
    if data["children"]:
        ws.append([])
        ws.append([_("By unit")])
        for c in data["children"]:
            ws.append([c["name"], c["total"]])
    buf = io.BytesIO()
    wb.save(buf)
    return Response(buf.getvalue(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename=ledger-{region.code}-{month}.xlsx"})
