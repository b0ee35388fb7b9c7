"""Backlog pages (blueprint ``petition_backlog``, under /petition/backlog): the list of backlog cases, one
case's 包案 (leader, team, plan, reviews, close-out) and the leader's own dashboard. Thin views over
``backlog.services``."""
from __future__ import annotations


from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from core.toolkit import require
from core.toolkit import User
from core.toolkit import db
from core.toolkit import perform, require_valid
from core.toolkit import in_scope, scope_condition
from core.toolkit import Column, Filter, ListView
from core.toolkit import clock
from .. import points
from ..forms import (BacklogAssignForm, BacklogCloseOutForm, BacklogReviewForm, BacklogStepDoneForm,
                    BacklogStepForm)
from ..models import PetitionCase
from . import services as backlog
from .access import LEAD, MANAGE, may_work
from .models import SOURCES, STATES, BacklogCase

bp = Blueprint("petition_backlog", __name__)

def _scoped():
    return (select(BacklogCase).join(PetitionCase, PetitionCase.id == BacklogCase.case_id)
            .where(scope_condition(PetitionCase.region_id, current_user)))


@bp.get("/")
@require("petition.case.read")
def index():
    def where(col):
        return lambda stmt, v: stmt.where(col == v)
    stmt = _scoped()
    if request.args.get("mine") == "1":
        stmt = stmt.where(BacklogCase.leader_id == current_user.id)
    view = ListView(stmt, [
        Column("reference", _("Reference"), value=lambda b: b.case.reference,
               link=lambda b: url_for("petition_backlog.case", backlog_id=b.id)),
        Column("request", _("Request"), value=lambda b: b.case.request[:40]),
        Column("source", _("Why backlog"), value=lambda b: b.source_label),
        Column("leader", _("Responsible leader"),
               value=lambda b: (b.leader.display_name or b.leader.username) if b.leader else "—"),
        Column("target_date", _("Target date"), value=lambda b: b.target_date.isoformat() if b.target_date else "—",
               sort=BacklogCase.target_date),
        Column("state", _("Stage"), value=lambda b: b.state_label, sort=BacklogCase.state),
    ], search=[PetitionCase.reference, PetitionCase.request], filters=[
        Filter("state", _("Stage"), list(STATES.items()), where(BacklogCase.state)),
        Filter("source", _("Why backlog"), list(SOURCES.items()), where(BacklogCase.source)),
    ], default_sort=[BacklogCase.flagged_at.desc(), BacklogCase.id.desc()], export_name="backlog")
    if view.export_requested():
        return view.export()
    return render_template("petition/backlog_index.html", view=view, page=view.page())


@bp.get("/mine")
@require(LEAD)
def mine():
    return render_template("petition/backlog_mine.html", rows=backlog.leader_cases(current_user),
                           today=clock.today())


def _load(backlog_id: int) -> BacklogCase:
    bc = db.session.get(BacklogCase, backlog_id)
    if bc is None or not in_scope(current_user, bc.case.region_id):
        abort(404)
    return bc


def _people(region_id: int) -> tuple[list[User], list[User]]:
    users = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.username)).all()
    in_region = [u for u in users if in_scope(u, region_id)]
    leaders = [u for u in in_region if any(r.code == "leader" for r in u.roles)]
    return leaders, in_region


def _forms(bc: BacklogCase) -> dict:
    leaders, people = _people(bc.case.region_id)
    label = [(u.id, u.display_name or u.username) for u in people]
    assign = BacklogAssignForm(prefix="assign")
    assign.leader_id.choices = [(u.id, u.display_name or u.username) for u in leaders]
    assign.team.choices = label
    if request.method == "GET":
        assign.leader_id.data = bc.leader_id
        assign.team.data = [u.id for u in bc.team]
        assign.plan.data, assign.target_date.data = bc.plan, bc.target_date
    step = BacklogStepForm(prefix="step")
    step.owner_id.choices = label
    return {"assign": assign, "step": step, "done": BacklogStepDoneForm(prefix="done"),
            "review": BacklogReviewForm(prefix="review"), "close_out": BacklogCloseOutForm(prefix="close")}


def _hearing_link(bc: BacklogCase) -> str | None:
    """A hearing can be requested from the backlog case when a plugin offers it (no import of it)."""
    host = current_app.extensions["concord"]
    for contribution in host.items(points.case_link):
        link = contribution.value(bc.case, current_user)
        if link:
            return link
    return None


@bp.get("/<int:backlog_id>")
@require("petition.case.read")
def case(backlog_id: int):
    bc = _load(backlog_id)
    return render_template("petition/backlog_case.html", bc=bc, forms=_forms(bc), today=clock.today(),
                           can_manage=current_user.can(MANAGE), can_work=may_work(current_user, bc),
                           evidence=backlog.evidence_count(bc), hearing_link=_hearing_link(bc),
                           rules=backlog.RULES)


@bp.post("/<int:backlog_id>/<action>")
@require("petition.case.read")
def act(backlog_id: int, action: str):
    bc = _load(backlog_id)
    if action not in ("assign", "step", "done", "review", "close_out"):
        abort(404)
    if not (current_user.can(MANAGE) if action == "assign" else may_work(current_user, bc)):
        abort(403)
    form = _forms(bc)[action]

    def step():
        require_valid(form)
        _dispatch(bc, action, form)
    perform(bc, step, _("Saved."))
    return redirect(url_for("petition_backlog.case", backlog_id=backlog_id))


def _dispatch(bc: BacklogCase, action: str, form) -> None:
    if action == "assign":
        team = [db.session.get(User, i) for i in (form.team.data or [])]
        backlog.assign(bc, db.session.get(User, form.leader_id.data), [u for u in team if u],
                       form.plan.data, form.target_date.data)
    elif action == "step":
        backlog.add_step(bc, form.description.data, db.session.get(User, form.owner_id.data), form.due_on.data)
    elif action == "done":
        try:
            step_id = int(form.step_id.data)
        except (TypeError, ValueError):
            raise backlog.PetitionError(_("No such plan step.")) from None
        backlog.complete_step(bc, step_id, form.note.data)
    elif action == "review":
        backlog.review(bc, form.note.data, current_user._get_current_object())
    else:
        backlog.close_out(bc, form.evidence.data, form.visit_on.data, form.visit_by.data, form.visit_result.data)
