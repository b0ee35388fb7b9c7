"""Leader reception pages (blueprint ``petition_reception``, under /petition/reception): the rota (AB), one reception day with its bookings, taking a visitor's case on."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from core.toolkit import require
from core.toolkit import unit_of_work
from core.toolkit import User
from core.toolkit import db
from core.toolkit import in_scope, scope_condition
from core.toolkit import region_choices
from ..forms import BookingForm, ReceptionForm, RotaForm
from ..workflow import PetitionError
from . import services as reception
from .models import Reception, ReceptionBooking

bp = Blueprint("petition_reception", __name__)

READ, MANAGE = "petition.case.read", "petition.reception.manage"


def _leaders() -> list[tuple[int, str]]:
    users = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.username)).all()
    return [(u.id, u.display_name or u.username) for u in users
            if any(r.code == "leader" for r in u.roles) and (u.region_id is None or in_scope(current_user, u.region_id)
                                                             or in_scope(u, current_user.region_id or 0))]


def _forms():
    leaders = _leaders()
    regions = [(int(k), v) for k, v in region_choices(current_user, deepest="town") if k]
    one, rota = ReceptionForm(prefix="day"), RotaForm(prefix="rota")
    one.leader_id.choices = leaders
    one.deputy_id.choices = [(0, "—")] + leaders
    rota.leaders.choices = leaders
    one.region_id.choices = rota.region_id.choices = regions
    return one, rota


def _flash(exc: PetitionError) -> None:
    for msg in exc.errors.values():
        flash(msg, "error")


def _form_errors(form) -> PetitionError:
    return PetitionError({k: "; ".join(str(e) for e in v) for k, v in form.errors.items()} or _("Check the form."))


@bp.get("/")
@require(READ)
def index():
    one, rota = _forms()
    days = reception.upcoming(scope_condition(Reception.region_id, current_user))
    return render_template("petition/reception_index.html", days=days, one=one, rota=rota,
                           can_manage=current_user.can(MANAGE))


@bp.post("/new")
@require(MANAGE)
def new():
    one, _rota = _forms()
    try:
        with unit_of_work():
            if not one.validate_on_submit():
                raise _form_errors(one)
            if not in_scope(current_user, one.region_id.data):
                raise PetitionError({"region_id": _("Choose a region in your scope.")})
            reception.schedule(one.day.data, db.session.get(User, one.leader_id.data),
                               db.session.get(User, one.deputy_id.data) if one.deputy_id.data else None,
                               one.region_id.data, one.place.data, one.capacity.data)
    except PetitionError as exc:
        _flash(exc)
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("petition_reception.index"))


@bp.post("/rota")
@require(MANAGE)
def rota():
    _one, rota = _forms()
    try:
        with unit_of_work():
            if not rota.validate_on_submit():
                raise _form_errors(rota)
            if not in_scope(current_user, rota.region_id.data):
                raise PetitionError({"region_id": _("Choose a region in your scope.")})
            made = reception.generate_rota(rota.start.data, rota.weeks.data, rota.weekday.data,
                                           [u for u in (db.session.get(User, i) for i in rota.leaders.data) if u],
                                           rota.region_id.data, rota.place.data)
    except PetitionError as exc:
        _flash(exc)
    else:
        flash(_("%(n)d reception days added to the rota.", n=len(made)), "success")
    return redirect(url_for("petition_reception.index"))


def _load(reception_id: int) -> Reception:
    row = db.session.get(Reception, reception_id)
    if row is None or not in_scope(current_user, row.region_id):
        abort(404)
    return row


@bp.get("/<int:reception_id>")
@require(READ)
def day(reception_id: int):
    row = _load(reception_id)
    return render_template("petition/reception_day.html", r=row, form=BookingForm(prefix="book"),
                           cases=reception.cases_of(row), can_manage=current_user.can(MANAGE),
                           can_register=current_user.can("petition.case.create"))


@bp.post("/<int:reception_id>/book")
@require(MANAGE)
def book(reception_id: int):
    row = _load(reception_id)
    form = BookingForm(prefix="book")
    try:
        with unit_of_work():
            if not form.validate_on_submit():
                raise _form_errors(form)
            reception.book(row, form.slot.data, form.visitor_name.data, form.phone.data, form.topic.data)
    except PetitionError as exc:
        _flash(exc)
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("petition_reception.day", reception_id=reception_id))


@bp.post("/booking/<int:booking_id>/<state>")
@require(MANAGE)
def booking_state(booking_id: int, state: str):
    booking = db.session.get(ReceptionBooking, booking_id)
    if booking is None or not in_scope(current_user, booking.reception.region_id):
        abort(404)
    try:
        with unit_of_work():
            reception.set_state(booking, state)
    except PetitionError as exc:
        _flash(exc)
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("petition_reception.day", reception_id=booking.reception_id))
