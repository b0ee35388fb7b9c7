"""Staff pages: the hearing list, the application form, one hearing (form view with its stages, panel,
schedule, notices, session, conclusion) and the action dispatcher. Views are thin: services decide."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from core.toolkit import require
from core.toolkit import unit_of_work
from core.toolkit import User
from core.toolkit import deadline_rows
from core.toolkit import db
from core.toolkit import ServiceError
from core.toolkit import scope_condition, scope_key
from core.toolkit import perform
from core.toolkit import Column, Filter, ListView, listed, row_link
from core.toolkit import clock
from . import scheduling, services, session
from .access import load
from .actions import ACTIONS, parse_dt, run
from .pool.conflicts import conflicts, official_conflicts
from .minutes import services as minutes
from .pool import services as pool
from .minutes.models import VOTES
from .models import ATTENDANCE_ROLES, OUTCOMES, ROLES, STATES, Evidence, Hearing, Notice, Recusal

bp = Blueprint("hearing", __name__, template_folder="templates", static_folder="static")
STAGES = ["applied", "accepted", "scheduled", "notified", "in_session", "held", "concluded", "served"]


def _scoped():
    return select(Hearing).where(scope_condition(Hearing.region_id, current_user))


def _listed_columns(stmt):
    """*stmt* selecting what the hearings list shows, as Core rows (issue 22: each hearing, its petition and the
    petitioner as ORM objects); the petition's reference, the petitioner's name and the place (the room's name,
    else the venue, as ``Hearing.place``) by subqueries asked for the page's rows only."""
    from sqlalchemy import func
    from core.toolkit import Person
    from plugins.petition.models import PetitionCase
    from .pool.models import HearingRoom
    petition = select(PetitionCase.reference).where(PetitionCase.id == Hearing.petition_id) \
        .scalar_subquery().label("petition")
    petitioner = select(Person.name).where(PetitionCase.id == Hearing.petition_id,
                                           Person.id == PetitionCase.petitioner_id).scalar_subquery().label("petitioner")
    room = select(HearingRoom.name).where(HearingRoom.id == Hearing.room_id).scalar_subquery()
    return stmt.with_only_columns(Hearing.id, Hearing.reference, petition, petitioner, Hearing.scheduled_at,
                                  func.coalesce(room, Hearing.venue).label("place"), Hearing.state)


@bp.get("/")
@require("hearing.hearing.read")
def index():
    view = ListView(listed("hearing.index", scope_key(current_user), lambda: _listed_columns(_scoped())), [
        Column("reference", _("Reference"), link=row_link("hearing.hearing", hearing_id="id"),
               sort=Hearing.reference),
        Column("petition", _("Petition")),
        Column("petitioner", _("Petitioner")),
        Column("scheduled_at", _("Scheduled at"), sort=Hearing.scheduled_at,
               value=lambda h: h.scheduled_at.strftime("%Y-%m-%d %H:%M") if h.scheduled_at else ""),
        Column("place", _("Place")),
        Column("state", _("Stage"), labels=STATES, sort=Hearing.state),
    ], search=[Hearing.reference, Hearing.matter], filters=[
        Filter("state", _("Stage"), list(STATES.items()), lambda stmt, v: stmt.where(Hearing.state == v)),
    ], default_sort=[Hearing.id.desc()], export_name="hearings", core_rows=True)
    if view.export_requested():
        return view.export()
    return render_template("hearing/index.html", view=view, page=view.page(),
                           can_create=current_user.can("hearing.hearing.manage"))


def _petitions():
    from plugins.petition.models import OPEN_STATES, PetitionCase
    stmt = (select(PetitionCase).where(scope_condition(PetitionCase.region_id, current_user),
                                       PetitionCase.state.in_(OPEN_STATES + ("replied", "reviewed", "rechecked")))
            .order_by(PetitionCase.backlog.desc(), PetitionCase.id.desc()).limit(200))
    return db.session.scalars(stmt).all()


def _flash_errors(exc: ServiceError) -> None:
    for msg in exc.errors.values():
        flash(str(msg), "error")


@bp.route("/new", methods=["GET", "POST"])
@require("hearing.hearing.manage")
def new():
    from plugins.petition.models import PetitionCase
    petitions = _petitions()
    if request.method == "POST":
        try:
            with unit_of_work():
                case_id = request.form.get("petition_id", type=int)
                case = next((c for c in petitions if c.id == case_id), None) or (
                    db.session.get(PetitionCase, case_id) if case_id else None)
                if case is None or case not in petitions:
                    raise ServiceError({"petition_id": _("Choose a petition in your scope.")})
                origin = request.form.get("origin", "application")
                consent = parse_dt(request.form.get("consent_at"), "consent_at", required=False)
                h = services.apply(case, origin=origin, consent_at=consent, matter=request.form.get("matter", ""),
                                   owner=current_user)
        except ServiceError as exc:
            _flash_errors(exc)
        else:
            if h.state == "refused":
                flash(_("The application was refused: %(r)s", r=h.decision_note), "error")
            else:
                flash(_("Application recorded as %(ref)s.", ref=h.reference), "success")
                if h.warning:
                    flash(h.warning, "warning")
            return redirect(url_for("hearing.hearing", hearing_id=h.id))
    return render_template("hearing/new.html", petitions=petitions,
                           selected=request.values.get("petition_id", type=int))


def _deadlines(h: Hearing) -> list[dict]:
    out = deadline_rows(h)
    if h.state == "scheduled" and h.scheduled_at:
        due = scheduling.latest_notice_day(h.scheduled_at.date())
        out.append({"rule": "hearing.notice_lead", "title": _("Serve the hearing notices ahead of the hearing"),
                    "due": due.isoformat(), "status": "overdue" if clock.today() > due else "open",
                    "status_label": _("overdue") if clock.today() > due else _("open"),
                    "days_left": due.toordinal() - clock.today().toordinal(), "basis": "", "extended": False})
    return out


def _users():
    return db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.username)).all()


@bp.get("/<int:hearing_id>")
@require("hearing.hearing.read")
def hearing(hearing_id: int):
    h = load(hearing_id)
    stages = [(s, STATES[s]) for s in STAGES]
    current = {"suspended": "in_session", "refused": "applied", "withdrawn": "applied"}.get(h.state, h.state)
    candidates = [(p, conflicts(h, p)) for p in pool.pool()] if h.state in ("accepted", "scheduled") else []
    notices = db.session.scalars(select(Notice).where(Notice.hearing_id == h.id).order_by(Notice.id)).all()
    recusals = db.session.scalars(select(Recusal).where(Recusal.hearing_id == h.id).order_by(Recusal.id)).all()
    evidence = db.session.scalars(select(Evidence).where(Evidence.hearing_id == h.id).order_by(Evidence.id)).all()
    return render_template(
        "hearing/hearing.html", h=h, stages=stages, current=current, deadlines=_deadlines(h), pool=candidates,
        rooms=pool.rooms(), users=_users(), notices=notices, recusals=recusals, evidence=evidence,
        statements=services.statements(h), agenda=services.agenda_labels(), roles=ROLES,
        attendance_roles=ATTENDANCE_ROLES, outcomes=OUTCOMES, votes=VOTES, delib=minutes.deliberation(h),
        modules=minutes.text_modules(), flags=official_conflicts(h) if h.host_name else [],
        version=minutes.current_version(h), can_manage=current_user.can("hearing.hearing.manage"),
        can_run=current_user.can("hearing.hearing.run"), panel_min=services.setting("panel_size_min"),
        panel_max=services.setting("panel_size_max"), earliest=scheduling.earliest_day(),
        opening_offset=session.opening_offset(h) if h.state == "notified" else 0,
        local_rules=(services.setting("local_rules") or "").strip(),
        unit_placeholder=str(_("Unit representative")))


@bp.post("/<int:hearing_id>/act/<action>")
@require("hearing.hearing.manage", "hearing.hearing.run")
def act(hearing_id: int, action: str):
    h = load(hearing_id)
    if action not in ACTIONS:
        abort(404)
    if not current_user.can(ACTIONS[action]):
        abort(403)
    anchor = request.form.get("anchor", "")
    perform(h, lambda: run(h, action, request.form, current_user), version_required=False)
    target = request.form.get("next")
    if target == "minutes":
        return redirect(url_for("hearing_minutes.minutes", hearing_id=hearing_id))
    return redirect(url_for("hearing.hearing", hearing_id=hearing_id) + (f"#{anchor}" if anchor.isalnum() else ""))
