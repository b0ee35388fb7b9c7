"""The centre's pages: the window (register once), the queue, one case with its loop, the slip, the board with
drill-down, supervision orders and the monthly 通报, joint meetings, units and triage rules. Thin: the work is in
``services``, ``supervision`` and ``meetings``."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from core.toolkit import clock
from core.toolkit import require
from core.toolkit import deadline_rows
from core.toolkit import db
from core.toolkit import ServiceError
from core.toolkit import Region
from core.toolkit import perform, unit_of_work
from core.toolkit import Column, Filter, ListView
from . import meetings, services, supervision
from .access import case_condition, case_for
from .models import (CASE_STATES, CATEGORIES, CHANNELS, KINDS, LIGHTS, RATINGS, ROUTES, Case, Matter, Meeting,
                     MeetingTask, Part, Supervision, TriageRule, Unit)

bp = Blueprint("centre", __name__, template_folder="templates")
MATTER_ROWS = 3


def _units(route: str | None = None) -> list[Unit]:
    stmt = select(Unit).where(Unit.active.is_(True)).order_by(Unit.sort, Unit.id)
    if route:
        stmt = stmt.where(Unit.route == route)
    return db.session.scalars(stmt).all()


def _load(case_id: int) -> Case:
    case = case_for(current_user, case_id)
    if case is None:
        abort(404)
    return case


def _date_arg(name: str):
    try:
        return datetime.strptime(request.args.get(name, ""), "%Y-%m-%d").date()
    except ValueError:
        return None


# -- the queue, with every drill-down of the board as a filter ------------------------------------------
def _matter_exists(*conds):
    """Cases with a matter meeting *conds* (an uncorrelated IN: SQLite would rescan per case otherwise)."""
    return Case.id.in_(select(Matter.case_id).where(*conds))


def _part_exists(*conds):
    """Cases with an open part meeting *conds*."""
    return Case.id.in_(select(Matter.case_id).join(Part, Part.matter_id == Matter.id)
                       .where(Part.state == "open", *conds))


def _town_ids(town_id: str):
    town = db.session.get(Region, int(town_id)) if town_id.isdigit() else None
    if town is None:
        return select(Region.id).where(false_cond())
    return select(Region.id).where(Region.path.startswith(town.path))


def false_cond():
    from sqlalchemy import false
    return false()


WAITING = {"route": lambda: _matter_exists(Matter.state == "new"),
           "tell": lambda: (Case.state == "answered") & Case.told_at.is_(None),
           "visit": lambda: (Case.state == "answered") & Case.told_at.is_not(None),
           "person": lambda: (Case.state.in_(("answered", "followed_up")))}


@bp.get("/")
@require("centre.case.read")
def index():
    today = clock.today()
    units = _units()
    towns = db.session.scalars(select(Region).where(Region.level == "town").order_by(Region.code)).all()
    filters = [
        Filter("state", _("Stage"), list(CASE_STATES.items()), lambda s, v: s.where(Case.state == v)),
        Filter("channel", _("Channel"), list(CHANNELS.items()), lambda s, v: s.where(Case.channel == v)),
        Filter("route", _("Route"), list(ROUTES.items()), lambda s, v: s.where(_matter_exists(Matter.route == v))),
        Filter("unit", _("Unit"), [(str(u.id), u.name) for u in units],
               lambda s, v: s.where(_part_exists(Part.unit_id == int(v))) if v.isdigit() else s),
        Filter("light", _("Light"), [(k, v) for k, v in LIGHTS.items() if k != "none"],
               lambda s, v: s.where(_part_exists(supervision.light_condition(v, today)))),
        Filter("waiting", _("Waiting"), [("route", _("for routing")), ("tell", _("to tell the person")),
                                         ("visit", _("for the follow-up visit")), ("person", _("on the person"))],
               lambda s, v: s.where(WAITING[v]()) if v in WAITING else s),
        Filter("repeat", _("Repeat visitors"), [("1", _("Repeat visitors"))], lambda s, v: s.where(Case.repeat.is_(True))),
        Filter("town", _("Town"), [(str(t.id), t.name) for t in towns],
               lambda s, v: s.where(Case.person_region_id.in_(_town_ids(v)))),
        Filter("day", _("Received on"), [(today.isoformat(), _("Today"))],
               lambda s, v: s.where(func.date(Case.received_at) == v) if _date_arg("day") else s),
    ]
    view = ListView(select(Case).where(case_condition(current_user)), [
        Column("code", _("Case code"), link=lambda c: url_for("centre.case", case_id=c.id), sort=Case.code),
        Column("received_at", _("Received"), value=lambda c: c.received_at.strftime("%Y-%m-%d %H:%M"),
               sort=Case.received_at),
        Column("channel", _("Channel"), value=lambda c: c.channel_label),
        Column("person", _("Person"), value=lambda c: c.person.name),
        Column("matters", _("Matters"), value=lambda c: "；".join(f"{m.kind_label}·{m.route_label or m.state_label}"
                                                                   for m in c.matters)),
        Column("state", _("Stage"), value=lambda c: c.state_label, sort=Case.state),
    ], search=[Case.code], filters=filters, default_sort=[Case.id.desc()], export_name="centre-cases")
    if view.export_requested():
        return view.export()
    return render_template("centre/index.html", view=view, page=view.page(),
                           can_register=current_user.can("centre.case.register"))


# -- the window ------------------------------------------------------------------------------------------
def _matters_from_form(form) -> list[dict]:
    out = []
    for i in range(1, MATTER_ROWS + 1):
        summary = (form.get(f"m{i}_summary") or "").strip()
        if not summary:
            continue
        out.append({"kind": form.get(f"m{i}_kind"), "summary": summary, "category": form.get(f"m{i}_category") or None,
                    "amount": form.get(f"m{i}_amount") or None, "parties": form.get(f"m{i}_parties") or 1,
                    "route": form.get(f"m{i}_route") or None, "unit_id": form.get(f"m{i}_unit") or None,
                    "co_unit_ids": form.getlist(f"m{i}_co"), "answer": form.get(f"m{i}_answer") or "",
                    "other_parties": [{"name": n.strip()} for n in (form.get(f"m{i}_other") or "").replace("，", "、")
                                      .replace(",", "、").split("、") if n.strip()]})
    return out


@bp.route("/new", methods=["GET", "POST"])
@require("centre.case.register")
def new():
    errors: dict = {}
    if request.method == "POST":
        f = request.form
        try:
            received = datetime.strptime(f.get("received_at", ""), "%Y-%m-%dT%H:%M") if f.get("received_at") else None
        except ValueError:
            received = None
            errors["received_at"] = _("Enter a date and time.")
        if not errors:
            try:
                with unit_of_work():
                    case = services.register(channel=f.get("channel"), received_at=received,
                                             person={"name": f.get("name"), "id_number": f.get("id_number"),
                                                     "phone": f.get("phone")},
                                             matters=_matters_from_form(f), region_id=current_user.region_id,
                                             clerk=current_user)
            except ServiceError as exc:
                errors = exc.errors
            else:
                flash(_("Registered: case code %(code)s. Print the slip for the person.", code=case.code), "success")
                return redirect(url_for("centre.case", case_id=case.id))
        for msg in errors.values():
            flash(msg, "error")
    return render_template("centre/new.html", errors=errors, form=request.form, rows=range(1, MATTER_ROWS + 1),
                           channels=CHANNELS, kinds=KINDS, routes=ROUTES, categories=CATEGORIES, units=_units(),
                           now=clock.now().strftime("%Y-%m-%dT%H:%M"))


# -- one case ----------------------------------------------------------------------------------------------
@bp.get("/cases/<int:case_id>")
@require("centre.case.read")
def case(case_id: int):
    c = _load(case_id)
    today = clock.today()
    limit = supervision.yellow_limit(today)
    lights = {p.id: supervision.light_for(p.due_on, today, limit) for m in c.matters for p in m.parts
              if p.state == "open"}
    suggestions = {m.id: services.suggest(m.kind, m.category, m.amount, m.parties, c.person.region, m.summary)
                   for m in c.matters if m.state == "new"}
    sups = db.session.scalars(select(Supervision).where(Supervision.case_id == c.id).order_by(Supervision.id)).all()
    return render_template("centre/case.html", c=c, lights=lights, light=supervision.case_light(c, today),
                           light_labels=LIGHTS, suggestions=suggestions, supervisions=sups, units=_units(),
                           routes=ROUTES, ratings=RATINGS, deadlines=deadline_rows(c),
                           part_deadlines={p.id: deadline_rows(p) for m in c.matters for p in m.parts},
                           can_manage=current_user.can("centre.case.manage"),
                           can_supervise=current_user.can("centre.supervise"),
                           stages=list(CASE_STATES.items()))


def _part(c: Case, part_id) -> Part:
    part = next((p for m in c.matters for p in m.parts if str(p.id) == str(part_id)), None)
    if part is None:
        raise ServiceError({"part_id": _("No such part on this case.")})
    return part


def _matter(c: Case, matter_id) -> Matter:
    matter = next((m for m in c.matters if str(m.id) == str(matter_id)), None)
    if matter is None:
        raise ServiceError({"matter_id": _("No such matter on this case.")})
    return matter


def _supervision(c: Case, sup_id) -> Supervision:
    sup = db.session.get(Supervision, int(sup_id)) if str(sup_id).isdigit() else None
    if sup is None or sup.case_id != c.id:
        raise ServiceError({"supervision_id": _("No such supervision order on this case.")})
    return sup


ACTIONS = {
    "route": ("centre.case.manage", lambda c, f: services.route_matter(
        _matter(c, f.get("matter_id")), f.get("route") or "", f.get("unit_id") or None, f.getlist("co_unit_ids"),
        user=current_user)),
    "resolve": ("centre.case.manage", lambda c, f: services.resolve_on_spot(_matter(c, f.get("matter_id")),
                                                                            f.get("answer") or "", current_user)),
    "co_handler": ("centre.case.manage", lambda c, f: services.add_co_handler(_matter(c, f.get("matter_id")),
                                                                              f.get("unit_id"), current_user)),
    "answer": ("centre.case.manage", lambda c, f: services.answer_part(_part(c, f.get("part_id")),
                                                                       f.get("answer") or "", current_user)),
    "tell": ("centre.case.manage", lambda c, f: services.tell(c, f.get("note") or "", current_user)),
    "visit": ("centre.case.manage", lambda c, f: services.visit(c, f.get("note") or "", f.get("rating") or None,
                                                                current_user)),
    "supervise": ("centre.supervise", lambda c, f: supervision.issue(
        c, db.session.get(Unit, int(f.get("unit_id"))) if (f.get("unit_id") or "").isdigit() else None,
        f.get("reason") or "", user=current_user)),
    "sup_answer": ("centre.case.manage", lambda c, f: supervision.answer(_supervision(c, f.get("supervision_id")),
                                                                         f.get("answer") or "", current_user)),
    "escalate": ("centre.supervise", lambda c, f: supervision.escalate(_supervision(c, f.get("supervision_id")),
                                                                       current_user)),
}


@bp.post("/cases/<int:case_id>/act/<action>")
@require("centre.case.manage", "centre.supervise")
def act(case_id: int, action: str):
    c = _load(case_id)
    if action not in ACTIONS:
        abort(404)
    permission, step = ACTIONS[action]
    if not current_user.can(permission):
        abort(403)
    perform(c, lambda: step(c, request.form) and None, _("Done."), version_required=False)
    return redirect(url_for("centre.case", case_id=c.id))


def qr_matrix(text: str) -> list[list[int]]:
    """The QR code of *text* (segno, offline) as rows of 0/1 with a 4-module quiet zone: the slip draws it as a
    table of square cells, since the PDF service takes data, not markup or images from outside its folder."""
    import segno
    return [list(row) for row in segno.make(text, error="m", micro=False).matrix_iter(scale=1, border=4)]


def slip_data(c: Case) -> dict:
    return {"code": c.code, "received_at": c.received_at.strftime("%Y-%m-%d %H:%M"), "channel": c.channel_label,
            "matters": [{"kind": m.kind_label, "route": m.route_label or m.state_label,
                         "unit": m.lead.unit.name if m.lead else ""} for m in c.matters],
            "qr": qr_matrix(c.code), "region": c.region.name, "status_url": "/status"}


def slip_loader(record_id) -> dict:
    from core.toolkit import RecordNotFound
    c = db.session.get(Case, int(record_id)) if str(record_id).isdigit() else None
    if c is None:
        raise RecordNotFound(f"no centre case {record_id!r}")
    return slip_data(c)


@bp.get("/cases/<int:case_id>/slip.pdf")
@require("centre.case.read")
def slip(case_id: int):
    from core.toolkit import pdf_response, render_pdf
    c = _load(case_id)
    return pdf_response(render_pdf("centre.slip", **slip_data(c)), f"{c.code}.pdf")


# -- the board -------------------------------------------------------------------------------------------
@bp.get("/board")
@require("centre.case.read")
def board():
    cond = case_condition(current_user)
    day = _date_arg("day") or clock.today()
    start, end = datetime.combine(day, datetime.min.time()), datetime.combine(day, datetime.max.time())
    by_channel = db.session.execute(select(Case.channel, func.count(Case.id))
                                    .where(cond, Case.received_at.between(start, end)).group_by(Case.channel)).all()
    by_route = db.session.execute(select(Matter.route, func.count(Matter.id)).join(Case, Case.id == Matter.case_id)
                                  .where(cond, Case.received_at.between(start, end)).group_by(Matter.route)).all()
    waiting = {k: db.session.scalar(select(func.count(Case.id)).where(cond, fn())) for k, fn in WAITING.items()}
    repeat = db.session.scalar(select(func.count(Case.id)).where(cond, Case.repeat.is_(True),
                                                                 Case.state != "closed"))
    towns = db.session.scalars(select(Region).where(Region.level == "town").order_by(Region.code)).all()
    regions = []
    for town in towns:
        n = db.session.scalar(select(func.count(Case.id)).where(
            cond, Case.state != "closed", Case.person_region_id.in_(_town_ids(str(town.id)))))
        if n:
            regions.append((town, n))
    return render_template("centre/board.html", day=day.isoformat(), by_channel=by_channel, by_route=by_route,
                           channels=CHANNELS, routes=ROUTES, units=supervision.unit_lights(cond), waiting=waiting,
                           repeat=repeat, regions=regions, intake=sum(n for _c, n in by_channel))


# -- supervision ---------------------------------------------------------------------------------------
@bp.get("/supervisions")
@require("centre.case.read")
def supervisions():
    rows = db.session.scalars(select(Supervision).where(Supervision.region_id.in_(_scope_regions()))
                              .order_by(Supervision.state.desc(), Supervision.due_on).limit(500)).all()
    today = clock.today()
    limit = supervision.yellow_limit(today)
    return render_template("centre/supervisions.html", rows=rows, today=today,
                           lights={s.id: supervision.light_for(s.due_on, today, limit) if s.state == "open" else "none"
                                   for s in rows}, light_labels=LIGHTS, month=today.strftime("%Y-%m"))


def _scope_regions():
    from core.toolkit import scope_condition
    return select(Region.id).where(scope_condition(Region.id, current_user))


def _month() -> tuple[int, int]:
    try:
        y, m = (int(x) for x in (request.args.get("month") or "").split("-"))
        if 2000 <= y <= 2100 and 1 <= m <= 12:
            return y, m
    except ValueError:
        pass
    today = clock.today()
    return today.year, today.month


def report_data(year: int, month: int) -> dict:
    from core.toolkit import scope_condition
    rows = supervision.monthly_ranking(year, month, scope_condition(Case.region_id, current_user))
    return {"year": year, "month": month, "rows": rows, "region": current_user.region.name if current_user.region
            else "", "issued": clock.today().isoformat()}


@bp.get("/supervisions/report")
@require("centre.case.read")
def report():
    year, month = _month()
    return render_template("centre/report.html", **report_data(year, month), m=f"{year:04d}-{month:02d}")


@bp.get("/supervisions/report.pdf")
@require("centre.case.read")
def report_pdf():
    from core.toolkit import pdf_response, render_pdf
    year, month = _month()
    return pdf_response(render_pdf("centre.report", **report_data(year, month)), f"centre-report-{year}-{month:02d}.pdf")


@bp.get("/supervisions/report.xlsx")
@require("centre.case.read")
def report_xlsx():
    from core.toolkit import xlsx_single as single
    year, month = _month()
    data = report_data(year, month)
    headers = [_("Rank"), _("Unit"), _("Answered"), _("On time"), _("Late"), _("Overdue, still open"),
               _("Supervision orders"), _("On-time rate, per cent")]
    rows = [[r["rank"], r["unit"].name, r["answered"], r["on_time"], r["late"], r["overdue_open"], r["supervised"],
             r["rate"]] for r in data["rows"]]
    return single(_("Monthly report %(y)d-%(m)02d", y=year, m=month), headers, rows,
                  f"centre-report-{year}-{month:02d}.xlsx")


# -- joint meetings ---------------------------------------------------------------------------------------
@bp.get("/meetings")
@require("centre.case.read")
def meetings_list():
    rows = db.session.scalars(select(Meeting).where(Meeting.region_id.in_(_scope_regions()))
                              .order_by(Meeting.held_at.desc()).limit(200)).all()
    return render_template("centre/meetings.html", rows=rows, can_manage=current_user.can("centre.meeting.manage"))


bp.add_url_rule("/meetings", endpoint="meetings", view_func=meetings_list)


@bp.route("/meetings/new", methods=["GET", "POST"])
@require("centre.meeting.manage")
def meeting_new():
    linked = case_for(current_user, request.values.get("case_id")) if request.values.get("case_id") else None
    if request.method == "POST":
        f = request.form
        try:
            held = datetime.strptime(f.get("held_at", ""), "%Y-%m-%dT%H:%M") if f.get("held_at") else None
            with unit_of_work():
                m = meetings.convene(title=f.get("title") or "", held_at=held, unit_ids=f.getlist("unit_ids"),
                                     region_id=current_user.region_id, case=linked, place=f.get("place") or "",
                                     user=current_user)
        except ValueError as exc:
            for msg in (exc.errors.values() if isinstance(exc, ServiceError) else [_("Enter a date and time.")]):
                flash(msg, "error")
        else:
            flash(_("Joint meeting convened."), "success")
            return redirect(url_for("centre.meeting", meeting_id=m.id))
    return render_template("centre/meeting_new.html", units=_units(), linked=linked, form=request.form,
                           now=clock.now().strftime("%Y-%m-%dT%H:%M"))


def _meeting(meeting_id: int) -> Meeting:
    from core.toolkit import in_scope
    m = db.session.get(Meeting, meeting_id)
    if m is None or not in_scope(current_user, m.region_id):
        abort(404)
    return m


@bp.get("/meetings/<int:meeting_id>")
@require("centre.case.read")
def meeting(meeting_id: int):
    m = _meeting(meeting_id)
    return render_template("centre/meeting.html", m=m, units=_units(), today=clock.today(),
                           can_manage=current_user.can("centre.meeting.manage"),
                           task_deadlines={t.id: deadline_rows(t) for t in m.tasks})


@bp.post("/meetings/<int:meeting_id>/record")
@require("centre.meeting.manage")
def meeting_record(meeting_id: int):
    m = _meeting(meeting_id)
    f = request.form
    tasks = [(f.get(f"task{i}_unit"), f.get(f"task{i}_text")) for i in range(1, 6)]
    perform(m, lambda: meetings.record(m, present_ids=f.getlist("present"), opinions=f.get("opinions") or "",
                                       decision=f.get("decision") or "", tasks=tasks, user=current_user) and None,
            _("Decision recorded; its tasks are tracked."), version_required=False)
    return redirect(url_for("centre.meeting", meeting_id=m.id))


@bp.post("/tasks/<int:task_id>/done")
@require("centre.meeting.manage")
def task_done(task_id: int):
    task = db.session.get(MeetingTask, task_id)
    if task is None:
        abort(404)
    _meeting(task.meeting_id)
    perform(task, lambda: meetings.complete(task, request.form.get("note") or "", current_user) and None,
            _("Task done."), version_required=False)
    return redirect(url_for("centre.meeting", meeting_id=task.meeting_id))


# -- units and triage rules ---------------------------------------------------------------------------------
@bp.get("/rules")
@require("centre.case.read")
def rules():
    rows = db.session.scalars(select(TriageRule).order_by(TriageRule.sort, TriageRule.id)).all()
    return render_template("centre/rules.html", rules=rows, units=_units(), kinds=KINDS, routes=ROUTES,
                           categories=CATEGORIES, can_manage=current_user.can("centre.rules.manage"))


@bp.post("/rules")
@require("centre.rules.manage")
def rule_add():
    from .triage import add_rule
    perform(None, lambda: add_rule(request.form) and None, _("Triage rule added."), version_required=False)
    return redirect(url_for("centre.rules"))
