"""Mediation committee pages: the list, and for managers new and edit (blueprint ``mediation_committees``, mounted
at /mediation)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from core.toolkit import Column, ListView
from core.toolkit import User
from core.toolkit import db
from core.toolkit import in_scope, scope_condition
from core.toolkit import region_choices
from core.toolkit import require
from core.toolkit import unit_of_work
from ..errors import MediationError
from ..forms import CommitteeForm
from .models import Committee
from .services import save_committee

bp = Blueprint("mediation_committees", __name__, template_folder="../templates")


@bp.get("/committees")
@require("mediation.dispute.read")
def committees():
    manage = current_user.can("mediation.grid.manage")
    stmt = select(Committee).where(scope_condition(Committee.region_id, current_user))
    view = ListView(stmt, [
        Column("name", _("Name"), sort=Committee.name,
               link=(lambda c: url_for("mediation_committees.committee_edit", committee_id=c.id)) if manage else None),
        Column("region", _("Region"), value=lambda c: c.region.name),
        Column("mediators", _("Mediators"), value=lambda c: "、".join(u.display_name or u.username for u in c.mediators)),
    ], search=[Committee.name], default_sort=[Committee.name], export_name="committees")
    return render_template("mediation/committees.html", view=view, page=view.page(), manage=manage)


def _committee_form(committee=None):
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
    form = _committee_form(committee)
    if form.validate_on_submit():
        try:
            with unit_of_work():
                saved = save_committee(current_user, committee, name=form.name.data, region_id=form.region_id.data,
                                       mediator_ids=form.mediators.data or [])
            flash(_("%(name)s saved.", name=saved.name), "success")
            return redirect(url_for("mediation_committees.committees"))
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
    committee = db.session.get(Committee, committee_id)
    if committee is None or not in_scope(current_user, committee.region_id):
        abort(404)
    return _committee_page(committee)
