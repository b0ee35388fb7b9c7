"""Scheduling: the notice lead time on the official calendar, clashes of room, host and panelists,
booking a time and a place, postponement with the reason."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from core.toolkit import find_deadline
from core.toolkit import compute_rule
from core.toolkit import db
from core.toolkit import ServiceError, clean_text
from core.toolkit import clock
from .models import Hearing
from .services import ACTIVE, LIVE, WORKFLOW, add_participant, event, setting


def earliest_day(today: date | None = None) -> date:
    """The first hearing day that still leaves the notice lead time from *today*."""
    return date.fromisoformat(compute_rule("hearing.notice_lead", today or clock.today())["due"])


def latest_notice_day(hearing_day: date) -> date:
    """The last day the notices can be served so that the lead time ends by the hearing day
    (searched on the official calendar, never by subtracting days)."""
    day = hearing_day
    for _i in range(120):
        day = date.fromordinal(day.toordinal() - 1)
        if date.fromisoformat(compute_rule("hearing.notice_lead", day)["due"]) <= hearing_day:
            return day
    return day


def clashes(hearing: Hearing, start: datetime, end: datetime, room_id=None, host_user_id=None,
            host_name: str = "", panelist_ids=()) -> list[str]:
    """Other hearings that overlap [start, end) and share the room, the host or a panelist."""
    from .models import PanelMember, Panelist
    overlap = and_(Hearing.id != (hearing.id or 0), Hearing.state.in_(ACTIVE), Hearing.scheduled_at < end,
                   Hearing.ends_at > start)
    out = []
    if room_id:
        for h in db.session.scalars(select(Hearing).where(overlap, Hearing.room_id == room_id)):
            out.append(_("Room %(room)s is booked for %(ref)s (%(start)s–%(end)s).", room=h.room.name,
                         ref=h.reference, start=h.scheduled_at.strftime("%Y-%m-%d %H:%M"),
                         end=h.ends_at.strftime("%H:%M")))
    host_terms = []
    if host_user_id:
        host_terms.append(Hearing.host_user_id == host_user_id)
    if host_name:
        host_terms.append(Hearing.host_name == host_name)
    if host_terms:
        for h in db.session.scalars(select(Hearing).where(overlap, or_(*host_terms))):
            out.append(_("The host %(name)s presides over %(ref)s at that time.", name=h.host_name, ref=h.reference))
    if panelist_ids:
        rows = db.session.execute(select(Hearing, Panelist).join(PanelMember, PanelMember.hearing_id == Hearing.id)
                                  .join(Panelist, Panelist.id == PanelMember.panelist_id)
                                  .where(overlap, PanelMember.panelist_id.in_(list(panelist_ids)),
                                         PanelMember.recused.is_(False))).all()
        for h, p in rows:
            out.append(_("Panelist %(name)s sits on %(ref)s at that time.", name=p.name, ref=h.reference))
    return out


def schedule(hearing: Hearing, scheduled_at: datetime, *, duration: int | None = None, room=None, venue: str = "",
             host=None, host_name: str = "", recorder=None, recorder_name: str = "", is_public: bool = True,
             closed_reason: str = "", today: date | None = None, postponing: bool = False) -> None:
    errors: dict = {}
    duration = duration or int(setting("default_duration_minutes"))
    if not isinstance(scheduled_at, datetime):
        errors["scheduled_at"] = _("Give the date and time.")
    if not 15 <= duration <= 12 * 60:
        errors["duration"] = _("Between 15 minutes and 12 hours.")
    venue = clean_text(venue, "venue", 200, errors, required=False)
    if room is None and not venue:
        errors["room_id"] = _("Choose a room or give the venue.")
    host_name = clean_text(host.display_name or host.username if host is not None else host_name, "host", 100, errors)
    recorder_name = clean_text(recorder.display_name or recorder.username if recorder is not None else recorder_name,
                         "recorder", 100, errors)
    closed_reason = clean_text(closed_reason, "closed_reason", 300, errors, required=not is_public)
    if host is not None and recorder is not None and host.id == recorder.id:
        errors["recorder"] = _("The recorder cannot also be the host.")
    if errors:
        raise ServiceError(errors)
    if not postponing:
        WORKFLOW.check(hearing, "schedule")
    today = today or clock.today()
    first = earliest_day(today)
    if scheduled_at.date() < first:
        raise ServiceError({"scheduled_at": _("Too soon: the notices must reach the parties in time. The earliest "
                                              "hearing day is %(day)s.", day=first.isoformat())})
    hold = find_deadline(hearing, "hearing.hold")
    if not postponing and hold is not None and hold.status in LIVE and scheduled_at.date() > hold.due:
        raise ServiceError({"scheduled_at": _("The hearing must be held by %(due)s (postpone with a reason to go "
                                              "beyond it).", due=hold.due.isoformat())})
    end = scheduled_at + timedelta(minutes=duration)
    found = clashes(hearing, scheduled_at, end, room.id if room else None, getattr(host, "id", None), host_name,
                    [m.panelist_id for m in hearing.panel if not m.recused])
    if found:
        raise ServiceError({"scheduled_at": " ".join(found)})
    from .panel import official_conflicts
    hearing.scheduled_at, hearing.ends_at = scheduled_at, end
    hearing.room, hearing.venue = room, (venue or (room.address if room else ""))
    hearing.host_user_id, hearing.host_name = getattr(host, "id", None), host_name
    hearing.recorder_user_id, hearing.recorder_name = getattr(recorder, "id", None), recorder_name
    hearing.is_public, hearing.closed_reason = is_public, (None if is_public else closed_reason)
    sync_officials(hearing)
    if not postponing:
        hearing.state = "scheduled"
        event(hearing, "scheduled", _("Scheduled for %(at)s at %(place)s.", at=scheduled_at.strftime("%Y-%m-%d %H:%M"),
                                      place=hearing.place))
    for flag in official_conflicts(hearing):
        event(hearing, "conflict", flag)


def sync_officials(hearing: Hearing) -> None:
    for role, name in (("host", hearing.host_name), ("recorder", hearing.recorder_name)):
        row = next((p for p in hearing.participants if p.role == role), None)
        if row is None:
            add_participant(hearing, role, name, unit=hearing.organiser)
        else:
            row.name = name


def postpone(hearing: Hearing, reason: str, scheduled_at: datetime, **kw) -> None:
    """Postpone (force majeure, late recusal, new witnesses …) to a new time, with the reason; the
    notices must be served again."""
    errors: dict = {}
    reason = clean_text(reason, "reason", 2000, errors)
    if errors:
        raise ServiceError(errors)
    WORKFLOW.check(hearing, "postpone")
    old = hearing.scheduled_at
    kw.setdefault("room", hearing.room)
    kw.setdefault("venue", "" if hearing.room else hearing.venue)
    kw.setdefault("host_name", hearing.host_name)
    kw.setdefault("recorder_name", hearing.recorder_name)
    kw.setdefault("is_public", hearing.is_public)
    kw.setdefault("closed_reason", hearing.closed_reason or "")
    if kw.get("duration") is None and hearing.ends_at and old:
        kw["duration"] = int((hearing.ends_at - old).total_seconds() // 60)
    if hearing.host_user_id and "host" not in kw:
        from core.toolkit import User
        kw["host"] = db.session.get(User, hearing.host_user_id)
    if hearing.recorder_user_id and "recorder" not in kw:
        from core.toolkit import User
        kw["recorder"] = db.session.get(User, hearing.recorder_user_id)
    schedule(hearing, scheduled_at, postponing=True, **kw)
    hearing.state = "scheduled"
    event(hearing, "postponed", _("Postponed from %(old)s to %(new)s: %(reason)s",
                                  old=old.strftime("%Y-%m-%d %H:%M") if old else "—",
                                  new=scheduled_at.strftime("%Y-%m-%d %H:%M"), reason=reason))
