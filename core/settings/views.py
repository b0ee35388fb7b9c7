from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.auth.guard import require
from core.db import db
from . import services

bp = Blueprint("settings", __name__)


@bp.get("/")
@require("admin.settings.manage")
def index():
    return render_template("settings/index.html", settings=services.all_settings())


@bp.post("/<key>")
@require("admin.settings.manage")
def save(key: str):
    if key not in services.declared():
        abort(404)
    try:
        if request.form.get("reset"):
            services.reset(key)
        else:
            services.set_value(key, request.form.get("value", ""), current_user)
        db.session.commit()
        flash(_("Saved."), "success")
    except services.SettingError as exc:
        db.session.rollback()
        flash(f"{key}: {exc}", "error")
    return redirect(url_for("settings.index"))
