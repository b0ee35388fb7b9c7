"""Chatter routes: a record's panel page, note / attachment / activity posts, downloads.

Every route checks the record type's access hook: an unknown type or a record the user may not see
answers 404; a record the user may see but not change answers 403 to a post.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.auth.guard import login_only
from core.db import db
from .access import may_edit, may_view, record_access
from .forms import ActivityForm, AttachmentForm, NoteForm
from .log import AuditError
from .models import Activity, Attachment
from .panel import assignee_choices
from .services import add_activity, add_attachment, complete_activity, log_note, send_attachment

bp = Blueprint("chatter", __name__)


def _check(record_type: str, record_id: str, edit: bool = False) -> None:
    if record_access(record_type) is None or len(record_id) > 64:
        abort(404)
    if not may_view(current_user, record_type, record_id):
        abort(404)
    if edit and not may_edit(current_user, record_type, record_id):
        abort(403)


def _back(record_type: str, record_id: str):
    target = request.form.get("next") or ""
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc or "\\" in target:
        target = url_for("chatter.page", record_type=record_type, record_id=record_id)
    return redirect(target)


def _flash_errors(form) -> None:
    for f in form:
        for error in f.errors:
            flash(f"{f.label.text}: {error}", "error")


def _save(fn, success: str) -> None:
    try:
        fn()
        db.session.commit()
        flash(success, "success")
    except AuditError as exc:
        db.session.rollback()
        flash(str(exc), "error")


@bp.get("/r/<record_type>/<record_id>")
@login_only
def page(record_type: str, record_id: str):
    _check(record_type, record_id)
    return render_template("audit/chatter_page.html", record_type=record_type, record_id=record_id)


@bp.post("/r/<record_type>/<record_id>/note")
@login_only
def note(record_type: str, record_id: str):
    _check(record_type, record_id, edit=True)
    form = NoteForm(prefix="chatter-note")
    if form.validate():
        _save(lambda: log_note(record_type, record_id, form.text.data, user=current_user), _("Note logged."))
    else:
        _flash_errors(form)
    return _back(record_type, record_id)


@bp.post("/r/<record_type>/<record_id>/attachments")
@login_only
def attach(record_type: str, record_id: str):
    _check(record_type, record_id, edit=True)
    form = AttachmentForm(prefix="chatter-file")
    if form.validate():
        upload = form.file.data
        _save(lambda: add_attachment(record_type, record_id, upload, user=current_user),
              _("File %(name)s attached.", name=upload.filename))
    else:
        _flash_errors(form)
    return _back(record_type, record_id)


@bp.post("/r/<record_type>/<record_id>/activities")
@login_only
def activity(record_type: str, record_id: str):
    _check(record_type, record_id, edit=True)
    form = ActivityForm(prefix="chatter-activity")
    form.assignee.choices = assignee_choices()
    if form.validate():
        _save(lambda: add_activity(record_type, record_id, form.summary.data, form.assignee.data,
                                   form.due_date.data, user=current_user), _("Activity planned."))
    else:
        _flash_errors(form)
    return _back(record_type, record_id)


@bp.post("/activities/<int:activity_id>/done")
@login_only
def activity_done(activity_id: int):
    act = db.session.get(Activity, activity_id) or abort(404)
    _check(act.record_type, act.record_id)
    if act.assignee_id != current_user.id and not may_edit(current_user, act.record_type, act.record_id):
        abort(403)
    _save(lambda: complete_activity(act, user=current_user), _("Activity marked done."))
    return _back(act.record_type, act.record_id)


@bp.get("/attachments/<int:attachment_id>")
@login_only
def download(attachment_id: int):
    att = db.session.get(Attachment, attachment_id) or abort(404)
    _check(att.record_type, att.record_id)
    return send_attachment(att)
