"""Supervision (督办): the 督办单 register, red/yellow lights per case and per unit, escalation to the centre's
leader, and the monthly 通报 ranking units by on-time rate."""
from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select

from core.toolkit import clock
from core.toolkit import log_event
from core.toolkit import Role, User
from core.toolkit import start_deadline, stop_if_running
from core.toolkit import compute_deadline as compute
from core.toolkit import db
from core.toolkit import clean_text
from core.toolkit import notify
from core.toolkit import in_scope
from core.toolkit import next_reference
from core.toolkit import setting
from .models import Case, Matter, Part, Supervision, Unit
from .services import CentreError, RECORD

RULE = "centre.supervision_answer"


def yellow_days() -> int:
    try:
        return max(1, int(setting("centre.yellow_days") or 3))
    except (KeyError, TypeError, ValueError):
        return 3


def yellow_limit(today: date | None = None) -> date:
    """The last day that lights yellow: N working days from today on the official calendar."""
    today = today or clock.today()
    from flask import g, has_app_context
    key = ("centre_yellow_limit", today)
    if has_app_context() and g.get("centre_yellow_key") == key:      # once per request (lists call it per row)
        return g.centre_yellow_limit
    limit = compute(today, yellow_days(), "working").due
    if has_app_context():
        g.centre_yellow_key, g.centre_yellow_limit = key, limit
    return limit


def light_for(due: date | None, today: date | None = None, limit: date | None = None) -> str:
    if due is None:
        return "none"
    today = today or clock.today()
    if due < today:
        return "red"
    if due <= (limit or yellow_limit(today)):
        return "yellow"
    return "none"


def _worst(lights) -> str:
    lights = set(lights)
    return "red" if "red" in lights else "yellow" if "yellow" in lights else "none"


def case_light(case: Case, today: date | None = None) -> str:
    """The case's light: the worst of its open parts and open supervision orders."""
    today = today or clock.today()
    limit = yellow_limit(today)
    dues = [p.due_on for m in case.matters for p in m.parts if p.state == "open"]
    dues += db.session.scalars(select(Supervision.due_on).where(Supervision.case_id == case.id,
                                                                Supervision.state == "open")).all()
    return _worst(light_for(d, today, limit) for d in dues)


def unit_lights(region_condition=None, today: date | None = None) -> list[dict]:
    """Open parts per unit, with how many are red and yellow (the board's "by unit and light")."""
    today = today or clock.today()
    limit = yellow_limit(today)
    stmt = (select(Part.unit_id, Part.due_on).join(Matter, Matter.id == Part.matter_id)
            .join(Case, Case.id == Matter.case_id).where(Part.state == "open"))
    if region_condition is not None:
        stmt = stmt.where(region_condition)
    rows: dict[int, dict] = {}
    for unit_id, due in db.session.execute(stmt):
        row = rows.setdefault(unit_id, {"open": 0, "red": 0, "yellow": 0})
        row["open"] += 1
        light = light_for(due, today, limit)
        if light != "none":
            row[light] += 1
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(list(rows))))}
    return sorted(({"unit": units[k], **v} for k, v in rows.items()), key=lambda r: (-r["red"], -r["yellow"],
                                                                                       r["unit"].sort))


def light_condition(light: str, today: date | None = None):
    """A WHERE clause on Part.due_on for open parts of the given light (drill-down from the board)."""
    today = today or clock.today()
    if light == "red":
        return Part.due_on < today
    if light == "yellow":
        return (Part.due_on >= today) & (Part.due_on <= yellow_limit(today))
    return or_(Part.due_on.is_(None), Part.due_on > yellow_limit(today))


# -- the 督办单 ------------------------------------------------------------------------------------------
def issue(case: Case, unit: Unit, reason: str, user=None, part: Part | None = None) -> Supervision:
    errors: dict = {}
    reason = clean_text(reason, "reason", 2000, errors)
    if unit is None:
        errors["unit_id"] = _("Choose the unit under supervision.")
    if errors:
        raise CentreError(errors)
    now = clock.now().replace(microsecond=0)
    sup = Supervision(number=next_reference("centre.supervision", now.date()), case=case, region_id=case.region_id,
                      unit=unit, part_id=part.id if part else None, supervisor_id=getattr(user, "id", None),
                      reason=reason, issued_at=now, state="open")
    db.session.add(sup)
    db.session.flush()
    sup.due_on = start_deadline(sup, RULE, now.date()).due
    log_event("centre.supervise", RECORD, case.id, text=_("Supervision order %(n)s to %(u)s: %(r)s",
                                                          n=sup.number, u=unit.name, r=reason[:300]), user=user)
    return sup


def reword(sup: Supervision, reason: str | None) -> Supervision:
    if reason is None:
        return sup
    if sup.state != "open":
        raise CentreError(_("This supervision order is already answered."))
    errors: dict = {}
    sup.reason = clean_text(reason, "reason", 2000, errors)
    if errors:
        raise CentreError(errors)
    return sup


def answer(sup: Supervision, text: str, user=None) -> Supervision:
    if sup.state != "open":
        raise CentreError(_("This supervision order is already answered."))
    errors: dict = {}
    text = clean_text(text, "answer", 4000, errors)
    if errors:
        raise CentreError(errors)
    sup.state, sup.answer, sup.answered_at = "answered", text, clock.now().replace(microsecond=0)
    stop_if_running(sup, RULE, sup.answered_at)
    log_event("centre.supervision_answer", RECORD, sup.case_id,
              text=_("%(u)s answered supervision order %(n)s: %(t)s", u=sup.unit.name, n=sup.number, t=text[:300]),
              user=user)
    return sup


def leaders(region_id: int) -> list[User]:
    users = db.session.scalars(select(User).join(User.roles).where(Role.code == "centre_lead", User.active.is_(True)))
    return [u for u in users if in_scope(u, region_id)]


def escalate(sup: Supervision, user=None, automatic: bool = False) -> Supervision:
    """Raise the order to the centre's leader (notified); a red light escalates on its own (daily job)."""
    if sup.escalated_at is not None:
        return sup
    sup.escalated_at = clock.now().replace(microsecond=0)
    title = _("Supervision %(n)s escalated: %(u)s on case %(c)s", n=sup.number, u=sup.unit.name, c=sup.case.code)
    notify(leaders(sup.region_id), title, body=sup.reason[:300], url=f"/centre/cases/{sup.case_id}",
           record=(RECORD, sup.case_id))
    log_event("centre.escalate", RECORD, sup.case_id, text=title, user=None if automatic else user)
    return sup


def escalate_overdue(today: date | None = None) -> int:
    """The daily job: every open order past its due day goes to the centre's leader."""
    today = today or clock.today()
    rows = db.session.scalars(select(Supervision).where(Supervision.state == "open", Supervision.due_on < today,
                                                        Supervision.escalated_at.is_(None))).all()
    for sup in rows:
        escalate(sup, automatic=True)
    return len(rows)


# -- the monthly 通报 ------------------------------------------------------------------------------------
def month_bounds(year: int, month: int) -> tuple[datetime, datetime, date]:
    last = monthrange(year, month)[1]
    return datetime(year, month, 1), datetime(year, month, last, 23, 59, 59), date(year, month, last)


def monthly_ranking(year: int, month: int, region_condition=None) -> list[dict]:
    """Per unit: parts answered in the month (on time or late) and parts past due and still unanswered at the
    month's end (or today, for the running month); on-time rate = answered on time / (answered + overdue
    unanswered). Ranked best first."""
    start, end, last = month_bounds(year, month)
    today = clock.today()
    overdue_by = (Part.due_on <= last) if last < today else (Part.due_on < today)
    unanswered_then = (Part.state == "open") | (Part.answered_at > end)
    stmt = (select(Part).join(Matter, Matter.id == Part.matter_id).join(Case, Case.id == Matter.case_id)
            .where(or_(Part.answered_at.between(start, end), unanswered_then & overdue_by & (Part.assigned_at <= end))))
    if region_condition is not None:
        stmt = stmt.where(region_condition)
    table: dict[int, dict] = {}
    for part in db.session.scalars(stmt):
        row = table.setdefault(part.unit_id, {"unit": part.unit, "answered": 0, "on_time": 0, "late": 0,
                                              "overdue_open": 0})
        if part.answered_at is not None and start <= part.answered_at <= end:
            row["answered"] += 1
            if part.due_on is None or part.answered_at.date() <= part.due_on:
                row["on_time"] += 1
            else:
                row["late"] += 1
        else:
            row["overdue_open"] += 1
    sup_stmt = select(Supervision.unit_id).where(Supervision.issued_at.between(start, end))
    for (unit_id,) in db.session.execute(sup_stmt):
        if unit_id in table:
            table[unit_id]["supervised"] = table[unit_id].get("supervised", 0) + 1
    rows = []
    for row in table.values():
        base = row["answered"] + row["overdue_open"]
        row["rate"] = round(100.0 * row["on_time"] / base, 1) if base else 100.0
        row.setdefault("supervised", 0)
        rows.append(row)
    rows.sort(key=lambda r: (-r["rate"], -r["answered"], r["unit"].sort, r["unit"].id))
    for i, row in enumerate(rows, 1):
        row["rank"] = i
    return rows
