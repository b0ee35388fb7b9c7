"""The panelist pool (专家库) and the hearing rooms: blueprint ``hearing_pool`` under ``/hearing``."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.toolkit import require
from core.toolkit import unit_of_work
from core.toolkit import db
from core.toolkit import ServiceError
from core.toolkit import clock
from . import services as panel
from .models import PANELIST_KINDS, Panelist

bp = Blueprint("hearing_pool", __name__)


def _day(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ServiceError({field: _("Not a valid date.")}) from None


@bp.route("/pool", methods=["GET", "POST"])
@require("hearing.hearing.read")
def pool():
    editing = db.session.get(Panelist, request.values.get("edit", type=int) or 0)
    if request.method == "POST":
        if not current_user.can("hearing.pool.manage"):
            abort(403)
        try:
            with unit_of_work():
                data = {k: request.form.get(k, "") for k in ("name", "kind", "work_unit", "qualification",
                                                              "declared_ties")}
                data.update(term_start=_day(request.form.get("term_start"), "term_start"),
                            term_end=_day(request.form.get("term_end"), "term_end"),
                            active=request.form.get("active", "1") == "1")
                p = panel.save_panelist(editing, data)
        except ServiceError as exc:
            for msg in exc.errors.values():
                flash(str(msg), "error")
        else:
            flash(_("Saved: %(name)s", name=p.name), "success")
            return redirect(url_for("hearing_pool.pool"))
    return render_template("hearing/pool.html", pool=panel.pool(active_only=False), kinds=PANELIST_KINDS,
                           editing=editing, can_edit=current_user.can("hearing.pool.manage"), today=clock.today())


@bp.route("/rooms", methods=["GET", "POST"])
@require("hearing.hearing.read")
def rooms():
    if request.method == "POST":
        if not current_user.can("hearing.pool.manage"):
            abort(403)
        try:
            with unit_of_work():
                panel.add_room(request.form.get("name"), request.form.get("address", ""),
                                  request.form.get("capacity", type=int) or 0)
        except ServiceError as exc:
            for msg in exc.errors.values():
                flash(str(msg), "error")
        else:
            flash(_("Room added."), "success")
            return redirect(url_for("hearing_pool.rooms"))
    return render_template("hearing/rooms.html", rooms=panel.rooms(),
                           can_edit=current_user.can("hearing.pool.manage"))
