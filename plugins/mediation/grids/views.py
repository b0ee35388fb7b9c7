"""Grid pages: the list, and for managers new, edit (workers), CSV import (blueprint ``mediation_grids``,
mounted at /mediation)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from core.toolkit import require
from core.toolkit import unit_of_work
from core.toolkit import Role, User
from core.toolkit import db
from core.toolkit import scope_condition
from core.toolkit import region_choices
from core.toolkit import Column, ListView
from ..access import can_use_grid, visible_grids
from ..forms import GridForm, GridImportForm
from ..models import Grid
from ..errors import MediationError
from .services import import_csv, save_grid

bp = Blueprint("mediation_grids", __name__, template_folder="../templates")


def _form(grid=None) -> GridForm:
    form = GridForm(obj=grid)
    form.region_id.choices = region_choices(current_user, "group", keep=grid.region if grid else None)
    workers = db.session.scalars(select(User).where(User.roles.any(Role.code == "grid_worker"),
                                                    scope_condition(User.region_id, current_user))
                                 .order_by(User.username)).all()
    form.workers.choices = [(str(u.id), f"{u.display_name or u.username} ({u.username})") for u in workers]
    if grid is not None and not form.is_submitted():
        form.region_id.data = str(grid.region_id)
        form.workers.data = [str(u.id) for u in grid.workers]
    return form


def _save(form, grid):
    try:
        with unit_of_work():
            grid = save_grid(current_user, grid, code=form.code.data, name=form.name.data, region_id=form.region_id.data,
                             boundary=form.boundary.data, households=form.households.data,
                             worker_ids=form.workers.data or [])
    except MediationError as exc:
        for key, message in exc.errors.items():
            if key in form:
                form[key].errors = list(form[key].errors) + [message]
            else:
                flash(message, "error")
        return None
    flash(_("Grid %(name)s saved.", name=grid.name), "success")
    return redirect(url_for("mediation_grids.grids"))


@bp.route("/grids/new", methods=["GET", "POST"])
@require("mediation.grid.manage")
def grid_new():
    form = _form()
    if form.validate_on_submit():
        done = _save(form, None)
        if done is not None:
            return done
    return render_template("mediation/grid_form.html", form=form, grid=None)


@bp.route("/grids/<int:grid_id>", methods=["GET", "POST"])
@require("mediation.grid.manage")
def grid_edit(grid_id: int):
    grid = db.session.get(Grid, grid_id)
    if not can_use_grid(current_user, grid):
        abort(404)
    form = _form(grid)
    if form.validate_on_submit():
        done = _save(form, grid)
        if done is not None:
            return done
    return render_template("mediation/grid_form.html", form=form, grid=grid)


@bp.route("/grids/import", methods=["GET", "POST"])
@require("mediation.grid.manage")
def grid_import():
    form = GridImportForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                result = import_csv(current_user, form.file.data.read(2_000_000))
            flash(_("%(created)d grids created, %(updated)d updated.", **result), "success")
            return redirect(url_for("mediation_grids.grids"))
        except MediationError as exc:
            form.file.errors = list(form.file.errors) + [exc.message]
    return render_template("mediation/grid_import.html", form=form)


@bp.get("/grids")
@require("mediation.dispute.read")
def grids():
    manage = current_user.can("mediation.grid.manage")
    view = ListView(visible_grids(current_user), [
        Column("code", _("Code"), sort=Grid.code,
               link=(lambda g: url_for("mediation_grids.grid_edit", grid_id=g.id)) if manage else None),
        Column("name", _("Name"), sort=Grid.name),
        Column("region", _("Village or community"), value=lambda g: g.region.name),
        Column("households", _("Households"), sort=Grid.households),
        Column("workers", _("Grid workers"), value=lambda g: "、".join(w.display_name or w.username for w in g.workers)),
        Column("boundary", _("Boundary")),
    ], search=[Grid.name, Grid.code], default_sort=[Grid.code], export_name="grids")
    if view.export_requested():
        return view.export()
    return render_template("mediation/grids.html", view=view, page=view.page(), manage=manage)
