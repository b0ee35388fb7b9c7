"""Own password change (forced for initial and expired passwords), the second-factor step of signing in,
and Administration → Security controls."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from core.auth.guard import login_only, public, require
from core.auth.passwords import verify_password
from core.db import db
from . import policy, sessions, signin

bp = Blueprint("security", __name__)


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    repeat = PasswordField(_l("Repeat the new password"), validators=[DataRequired(), Length(max=200)])


class CodeForm(FlaskForm):
    code = StringField(_l("Six-digit code"), validators=[DataRequired(), Length(min=6, max=8)])


@bp.route("/account/password", methods=["GET", "POST"])
@login_only
def change_password():
    form = PasswordForm()
    error = None
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not verify_password(user.password_hash, form.current.data):
            error = _("The current password is wrong.")
        elif form.new.data != form.repeat.data:
            error = _("The two new passwords differ.")
        else:
            try:
                policy.check(form.new.data, user)
            except policy.PolicyError as exc:
                error = str(exc)
        if error is None:
            policy.set_password(user, form.new.data)
            signin._audit("password_change", user.id, text=user.username, result="ok", user=user)
            sessions.end_all(user)          # every other browser and API token of the user is signed out
            db.session.commit()
            session.pop(sessions.MUST_CHANGE, None)
            login_user(user)                # this browser continues under the new epoch
            sessions.start(user)
            flash(_("Your password is changed. Other sessions of your account have been signed out."), "success")
            return redirect(url_for("shell.home"))
    elif request.method == "POST":
        error = _("Fill in every field.")
    return render_template("security/password.html", form=form, error=error,
                           forced=bool(session.get(sessions.MUST_CHANGE)),
                           min_length=max(8, policy.setting("password_min_length")),
                           min_classes=policy.setting("password_min_classes"),
                           history=policy.setting("password_history")), 200


@bp.route("/login/second-factor", methods=["GET", "POST"])
@public
def second_factor():
    user, next_url = signin.pending_user()
    if user is None:
        return redirect(url_for("auth.login"))
    form = CodeForm()
    error = None
    if form.validate_on_submit():
        from .totp import verify
        if verify(user, form.code.data):
            signin._audit("second_factor", user.id, text=user.username, result="ok", user=user)
            return signin.complete(user, next_url)
        error = _("The code is wrong or expired.")
        signin._audit("login_failed", user.id, text=user.username, result="second factor refused", user=user)
    return render_template("security/second_factor.html", form=form, error=error)


@bp.get("/admin/security/")
@require("admin.access", "admin.security.manage", "admin.audit.read")
def controls():
    from .controls import evaluate
    return render_template("security/controls.html", controls=evaluate())
