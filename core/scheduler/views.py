"""Admin page: scheduled jobs, their next and last runs, and "run now"."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from core.auth.guard import require
from .runner import JobNotFound, run_job_now
from .services import overview

bp = Blueprint("scheduler", __name__)


@bp.get("/")
@require("admin.jobs.manage")
def index():
    return render_template("scheduler/index.html", jobs=overview(current_app), form=FlaskForm())


@bp.post("/<job_id>/run")
@require("admin.jobs.manage")
def run_now(job_id: str):
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        state, _run = run_job_now(job_id, requested_by=current_user.username)
    except JobNotFound:
        abort(404)
    messages = {
        "ok": (_("Job %(id)s ran successfully.", id=job_id), "success"),
        "error": (_("Job %(id)s failed; the error is shown below.", id=job_id), "error"),
        "busy": (_("Job %(id)s is running right now; try again when it has finished.", id=job_id), "error"),
        "running": (_("Job %(id)s is still running; reload this page to see its outcome.", id=job_id), "info"),
    }
    flash(*messages.get(state, messages["error"]))
    return redirect(url_for("scheduler.index"))
