"""Joint meetings (联席会议 / 会商研判): convene units on a hard matter, record who came, their opinions and the
decision; each decision point has an owner unit and a clock and is tracked until done."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from core.toolkit import clock
from core.toolkit import log_event
from core.toolkit import start_deadline, stop_if_running
from core.toolkit import db
from core.toolkit import clean_text
from .models import Case, Meeting, MeetingTask, Unit
from .services import RECORD, CentreError

RULE = "centre.meeting_task"


def convene(*, title: str, held_at: datetime | None, unit_ids: list, region_id: int, case: Case | None = None,
            place: str = "", user=None) -> Meeting:
    errors: dict = {}
    title = clean_text(title, "title", 200, errors)
    place = clean_text(place, "place", 200, errors, required=False)
    units = db.session.scalars(select(Unit).where(Unit.id.in_([int(u) for u in unit_ids or [] if str(u).isdigit()]))).all()
    if len(units) < 2:
        errors["unit_ids"] = _("Convene at least two units.")
    if held_at is not None and not isinstance(held_at, datetime):
        errors["held_at"] = _("Enter a date and time.")
    if errors:
        raise CentreError(errors)
    meeting = Meeting(title=title, held_at=held_at or clock.now().replace(microsecond=0), place=place,
                      region_id=case.region_id if case else region_id, case=case,
                      convened_by_id=getattr(user, "id", None),
                      attendance=[{"unit_id": u.id, "name": u.name, "present": None} for u in units])
    db.session.add(meeting)
    db.session.flush()
    if case is not None:
        log_event("centre.meeting", RECORD, case.id, text=_("Joint meeting convened: %(t)s", t=title), user=user)
    return meeting


def record(meeting: Meeting, *, present_ids: list, opinions: str, decision: str, tasks: list[tuple], user=None) -> Meeting:
    """Attendance, opinions, the decision and its tasks ``[(unit_id, text), …]``; each task starts its clock."""
    if meeting.decision:
        raise CentreError(_("The meeting's decision is already recorded."))
    errors: dict = {}
    opinions = clean_text(opinions, "opinions", 8000, errors)
    decision = clean_text(decision, "decision", 8000, errors)
    tasks = [(u, (t or "").strip()) for u, t in tasks if str(u or "").isdigit() and (t or "").strip()]
    if not tasks:
        errors["tasks"] = _("Give at least one task with its owner.")
    if errors:
        raise CentreError(errors)
    present = {int(p) for p in present_ids or [] if str(p).isdigit()}
    meeting.attendance = [{**a, "present": a["unit_id"] in present} for a in meeting.attendance]
    meeting.opinions, meeting.decision = opinions, decision
    for unit_id, text in tasks:
        unit = db.session.get(Unit, int(unit_id))
        if unit is None:
            raise CentreError({"tasks": _("No such unit.")})
        task = MeetingTask(meeting=meeting, unit=unit, text=text[:2000])
        db.session.add(task)
        db.session.flush()
        task.due_on = start_deadline(task, RULE, meeting.held_at.date()).due
    if meeting.case_id:
        log_event("centre.meeting_decision", RECORD, meeting.case_id, text=_("Joint meeting decided: %(t)s",
                                                                             t=decision[:300]), user=user)
    return meeting


def complete(task: MeetingTask, note: str, user=None) -> MeetingTask:
    if task.done_at is not None:
        raise CentreError(_("This task is already done."))
    errors: dict = {}
    note = clean_text(note, "note", 2000, errors)
    if errors:
        raise CentreError(errors)
    task.done_at, task.done_note = clock.now().replace(microsecond=0), note
    stop_if_running(task, RULE, task.done_at)
    return task
