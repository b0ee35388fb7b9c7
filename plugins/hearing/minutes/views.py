"""Blueprint ``hearing_minutes`` under ``/hearing``: the minutes page and the hearing PDFs (web side; the API
serves minutes.pdf too), the batch ZIP export of a period's locked minutes (advanced in chunks by the page's
polling), and the text modules the minutes are written with."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from core.toolkit import require
from core.toolkit import unit_of_work
from core.toolkit import db
from core.toolkit import pdf_response, render_pdf
from core.toolkit import scope_condition
from core.toolkit import clock
from core.toolkit import ServiceError
from ..access import load
from ..models import Hearing, Notice
from ..services import agenda_labels
from . import documents
from .models import ExportJob, MinutesVersion
from . import services as minutes

bp = Blueprint("hearing_minutes", __name__)


@bp.get("/<int:hearing_id>/minutes", endpoint="minutes")
@require("hearing.hearing.read")
def minutes_page(hearing_id: int):
    h = load(hearing_id)
    v = minutes.current_version(h)
    return render_template("hearing/minutes.html", h=h, v=v, versions=minutes.versions(h),
                           sections=minutes.SECTIONS, signers=minutes.signers(h),
                           pending={p.id for p in minutes.pending_signers(h)} if v else set(),
                           can_run=current_user.can("hearing.hearing.run"),
                           editable=h.state in ("held", "concluded", "served"))


@bp.get("/<int:hearing_id>/minutes/v<int:number>")
@require("hearing.hearing.read")
def minutes_version(hearing_id: int, number: int):
    h = load(hearing_id)
    v = db.session.scalar(select(MinutesVersion).where(MinutesVersion.hearing_id == h.id,
                                                       MinutesVersion.number == number)) or abort(404)
    return pdf_response(documents.render_minutes(h, None, v), f"{h.reference}-minutes-v{number}.pdf")


@bp.get("/<int:hearing_id>/minutes.pdf")
@require("hearing.hearing.read")
def minutes_pdf(hearing_id: int):
    h = load(hearing_id)
    pdf = documents.render_minutes(h)     # a read writes nothing: the locked version was cached when locked
    return pdf_response(pdf, f"{h.reference}-minutes.pdf")


@bp.get("/<int:hearing_id>/minutes-pdfa.pdf")
@require("hearing.hearing.read")
def minutes_pdfa(hearing_id: int):
    h = load(hearing_id)
    v = minutes.last_locked(h)
    if v is None:
        flash(_("PDF/A is made for locked minutes only."), "error")
        return redirect(url_for("hearing_minutes.minutes", hearing_id=h.id))
    pdf = documents.render_minutes(h, "pdf/a-2b", v)   # a read writes nothing: the cache is filled by the export
    return pdf_response(pdf, f"{h.reference}-minutes-v{v.number}-pdfa.pdf")


@bp.get("/<int:hearing_id>/notice/<int:notice_id>.pdf")
@require("hearing.hearing.read")
def notice_pdf(hearing_id: int, notice_id: int):
    h = load(hearing_id)
    n = db.session.get(Notice, notice_id)
    if n is None or n.hearing_id != h.id:
        abort(404)
    data = documents.announcement_data(h) if n.kind == "announcement" else documents.notice_data(h, n)
    return pdf_response(render_pdf("hearing.document", **data), f"{h.reference}-notice-{n.id}.pdf")


@bp.get("/<int:hearing_id>/announcement.pdf")
@require("hearing.hearing.read")
def announcement_pdf(hearing_id: int):
    h = load(hearing_id)
    if not h.scheduled_at:
        abort(404)
    return pdf_response(render_pdf("hearing.document", **documents.announcement_data(h)), f"{h.reference}-announcement.pdf")


@bp.get("/<int:hearing_id>/conclusion.pdf")
@require("hearing.hearing.read")
def conclusion_pdf(hearing_id: int):
    h = load(hearing_id)
    if not h.conclusion:
        abort(404)
    return pdf_response(render_pdf("hearing.document", **documents.conclusion_data(h)), f"{h.reference}-conclusion.pdf")


@bp.get("/<int:hearing_id>/deliberation.pdf")
@require("hearing.hearing.run")
def deliberation_pdf(hearing_id: int):
    h = load(hearing_id)
    return pdf_response(render_pdf("hearing.document", **documents.deliberation_data(h)), f"{h.reference}-deliberation.pdf")


# -- batch export ---------------------------------------------------------------------------------------
def _date(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


@bp.route("/export", methods=["GET", "POST"])
@require("hearing.hearing.read")
def export():
    job = None
    if request.method == "POST":
        today = clock.today()
        d_from = _date(request.form.get("date_from"), today.replace(day=1))
        d_to = _date(request.form.get("date_to"), today)
        if d_to < d_from:
            flash(_("The period cannot end before it starts."), "error")
        else:
            ids = documents.period_hearings(d_from, d_to, scope_condition(Hearing.region_id, current_user))
            with unit_of_work():
                job = ExportJob(user_id=current_user.id, date_from=d_from, date_to=d_to, hearing_ids=ids,
                                created_at=clock.now())
                db.session.add(job)
            return redirect(url_for("hearing_minutes.export", job=job.id))
    job_id = request.args.get("job", type=int)
    if job_id:
        job = db.session.get(ExportJob, job_id)
        if job is None or job.user_id != current_user.id:
            abort(404)
    return render_template("hearing/export.html", job=job)


def _job(job_id: int) -> ExportJob:
    job = db.session.get(ExportJob, job_id)
    if job is None or job.user_id != current_user.id:
        abort(404)
    return job


@bp.post("/export/<int:job_id>/step")
@require("hearing.hearing.read")
def export_step(job_id: int):
    job = _job(job_id)
    with unit_of_work():
        documents.export_step(job, chunk=2)
    return jsonify({"done": job.done, "total": len(job.hearing_ids),
                    "finished": job.done >= len(job.hearing_ids),
                    "download": url_for("hearing_minutes.export_download", job_id=job.id)})


@bp.get("/export/<int:job_id>.zip")
@require("hearing.hearing.read")
def export_download(job_id: int):
    job = _job(job_id)
    if job.done < len(job.hearing_ids):
        abort(409)
    data = documents.export_zip(job)     # a read writes nothing (export_step filled the PDF cache)
    return Response(data, mimetype="application/zip", headers={
        "Content-Disposition": f"attachment; filename=minutes-{job.date_from}-{job.date_to}.zip"})


@bp.route("/modules", methods=["GET", "POST"])
@require("hearing.hearing.read")
def modules():
    if request.method == "POST":
        if not current_user.can("hearing.pool.manage"):
            abort(403)
        try:
            with unit_of_work():
                minutes.save_module(request.form.get("code"), request.form.get("title"), request.form.get("text"),
                                    request.form.get("step") or None)
        except ServiceError as exc:
            for msg in exc.errors.values():
                flash(str(msg), "error")
        else:
            flash(_("Text module saved."), "success")
            return redirect(url_for("hearing_minutes.modules"))
    return render_template("hearing/modules.html", modules=minutes.text_modules(), agenda=agenda_labels(),
                           can_edit=current_user.can("hearing.pool.manage"))
