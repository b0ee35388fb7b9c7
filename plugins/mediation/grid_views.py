"""Grid pages for managers: new, edit (workers), CSV import. Routes live on the mediation blueprint."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from core.toolkit import require
from core.toolkit import unit_of_work
from core.toolkit import Role, User
from core.toolkit import db
from core.toolkit import scope_condition
from core.toolkit import region_choices
from .access import can_use_grid
from .forms import GridForm, GridImportForm
from .grids import import_csv, save_grid
from .models import Grid
from .services import MediationError
from .views import bp


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
    return redirect(url_for("mediation.grids"))


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
            return redirect(url_for("mediation.grids"))
        except MediationError as exc:
            form.file.errors = list(form.file.errors) + [exc.message]
    return render_template("mediation/grid_import.html", form=form)


# -- mediation committees ----------------------------------------------------------------------------
@bp.get("/committees")
@require("mediation.dispute.read")
def committees():
    from core.toolkit import Column, ListView
    from .models import Committee
    manage = current_user.can("mediation.grid.manage")
    stmt = select(Committee).where(scope_condition(Committee.region_id, current_user))
    view = ListView(stmt, [
        Column("name", _("Name"), sort=Committee.name,
               link=(lambda c: url_for("mediation.committee_edit", committee_id=c.id)) if manage else None),
        Column("region", _("Region"), value=lambda c: c.region.name),
        Column("mediators", _("Mediators"), value=lambda c: "、".join(u.display_name or u.username for u in c.mediators)),
    ], search=[Committee.name], default_sort=[Committee.name], export_name="committees")
    return render_template("mediation/committees.html", view=view, page=view.page(), manage=manage)


def _committee_form(committee=None):
    from .forms import CommitteeForm
    form = CommitteeForm(obj=committee)
    form.region_id.choices = region_choices(current_user, "village", keep=committee.region if committee else None)
    users = db.session.scalars(select(User).where(User.active.is_(True), scope_condition(User.region_id, current_user,
                                                                                         include_unassigned=True))
                               .order_by(User.username)).all()
    form.mediators.choices = [(str(u.id), f"{u.display_name or u.username} ({u.username})") for u in users
                              if u.can("mediation.dispute.mediate")]
    if committee is not None and not form.is_submitted():
        form.region_id.data = str(committee.region_id)
        form.mediators.data = [str(u.id) for u in committee.mediators]
    return form


def _committee_page(committee):
    from .committees import save_committee
    form = _committee_form(committee)
    if form.validate_on_submit():
        try:
            with unit_of_work():
                saved = save_committee(current_user, committee, name=form.name.data, region_id=form.region_id.data,
                                       mediator_ids=form.mediators.data or [])
            flash(_("%(name)s saved.", name=saved.name), "success")
            return redirect(url_for("mediation.committees"))
        except MediationError as exc:
            for key, message in exc.errors.items():
                if key in form:
                    form[key].errors = list(form[key].errors) + [message]
                else:
                    flash(message, "error")
    return render_template("mediation/committee_form.html", form=form, committee=committee)


@bp.route("/committees/new", methods=["GET", "POST"])
@require("mediation.grid.manage")
def committee_new():
    return _committee_page(None)


@bp.route("/committees/<int:committee_id>", methods=["GET", "POST"])
@require("mediation.grid.manage")
def committee_edit(committee_id: int):
    from core.toolkit import in_scope
    from .models import Committee
    committee = db.session.get(Committee, committee_id)
    if committee is None or not in_scope(current_user, committee.region_id):
        abort(404)
    return _committee_page(committee)
