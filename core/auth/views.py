from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from core.auth.guard import public
from core.security import signin as security
from .forms import LoginForm
from .services import AuthError, authenticate

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if not target:
        return url_for("shell.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("shell.home")
    return target


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("shell.home"))
    form = LoginForm()
    error = None
    status = 200
    if form.validate_on_submit():
        try:
            user = authenticate(form.username.data, form.password.data)
        except AuthError as exc:
            error, status = str(exc), 200
            security.login_failed(form.username.data, error)
        else:
            return security.after_password(user, _safe_next(request.args.get("next")))
    elif request.method == "POST":
        error = _("Enter your user name and password.")
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
@public
def logout():
    """POST with the CSRF token (a GET could be triggered by any page); ends every session and API token
    of the user, not only this browser's."""
    if current_user.is_authenticated:
        security.sign_out(current_user)
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))
