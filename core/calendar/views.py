"""Admin pages: the holiday table of a year (add, edit, delete, mark covered) and the rules."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.auth.guard import require
from core.db import db
from core import clock
from . import store
from .deadlines import calendar_changed
from .forms import HolidayForm
from .models import Holiday
from .rules import RuleError

bp = Blueprint("core_calendar", __name__, template_folder="templates")
PERM = "admin.calendar.manage"


def _year_arg() -> int:
    try:
        year = int(request.args.get("year") or clock.today().year)
    except ValueError:
        year = clock.today().year
    return min(max(year, 1901), 2099)


def _source() -> str:
    return f"admin {current_user.username}"[:200]


def _changed(years: set[int], message: str) -> None:
    moved = calendar_changed(years)
    db.session.commit()
    flash(message + (" " + _("%(n)d open deadlines were recomputed.", n=len(moved)) if moved else ""), "success")


@bp.get("/")
@require(PERM)
def index():
    year = _year_arg()
    entries = store.entries_for_year(year)
    return render_template("core_calendar/index.html", year=year, entries=entries,
                           state=store.year_state(year))


@bp.route("/new", methods=["GET", "POST"])
@require(PERM)
def new():
    form = HolidayForm()
    if request.method == "GET":
        form.date.data = date(_year_arg(), 1, 1)
    if form.validate_on_submit():
        try:
            entry = store.add_entry(form.date.data, form.kind.data, form.name.data, _source())
            _changed({entry.date.year}, _("Added %(date)s.", date=entry.date.isoformat()))
            return redirect(url_for(".index", year=entry.date.year))
        except store.CalendarError:
            db.session.rollback()
            form.date.errors.append(_("This date is already in the table."))
    return render_template("core_calendar/form.html", form=form, entry=None)


@bp.route("/<int:entry_id>", methods=["GET", "POST"])
@require(PERM)
def edit(entry_id: int):
    entry = db.session.get(Holiday, entry_id) or abort(404)
    form = HolidayForm(obj=entry)
    if form.validate_on_submit():
        try:
            years = store.update_entry(entry, form.date.data, form.kind.data, form.name.data, _source())
            _changed(years, _("Saved."))
            return redirect(url_for(".index", year=form.date.data.year))
        except store.CalendarError:
            db.session.rollback()
            form.date.errors.append(_("This date is already in the table."))
    return render_template("core_calendar/form.html", form=form, entry=entry)


@bp.get("/<int:entry_id>/delete")
@require(PERM)
def delete_confirm(entry_id: int):
    """Ask first: one holiday drives every deadline running over it."""
    entry = db.session.get(Holiday, entry_id) or abort(404)
    running = count_running_over(entry.date)
    return render_template("core_calendar/delete.html", entry=entry, running=running)


def count_running_over(day) -> int:
    from sqlalchemy import func, select
    from core.calendar.models import Deadline
    return db.session.scalar(select(func.count()).select_from(Deadline).where(
        Deadline.status.in_(("open", "paused")), Deadline.start <= day, Deadline.due >= day)) or 0


@bp.post("/<int:entry_id>/delete")
@require(PERM)
def delete(entry_id: int):
    entry = db.session.get(Holiday, entry_id) or abort(404)
    if request.form.get("confirm") != "1":        # the list links to the confirmation page; a bare POST asks too
        return redirect(url_for(".delete_confirm", entry_id=entry_id))
    year, day = entry.date.year, entry.date.isoformat()
    _changed(store.delete_entry(entry), _("Deleted %(date)s.", date=day))
    return redirect(url_for(".index", year=year))


@bp.post("/year/<int:year>")
@require(PERM)
def set_covered(year: int):
    if not 1901 <= year <= 2099:
        abort(404)
    covered = request.form.get("covered") == "1"
    store.set_year_covered(year, covered, _source())
    _changed({year}, _("Saved."))
    return redirect(url_for(".index", year=year))


@bp.get("/rules")
@require(PERM)
def rules():
    from .services import rules as effective
    try:
        items, problem = list(effective().values()), None
    except RuleError as exc:
        items, problem = [], str(exc)
    return render_template("core_calendar/rules.html", rules=items, problem=problem)
