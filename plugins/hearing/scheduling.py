"""Scheduling: the notice lead time on the official calendar, booking a time and a place (refused on a clash
of room, host or panelists), postponement with the reason, and the notices (听证通知书, the announcement)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import gettext as _

from core.toolkit import find_deadline
from core.toolkit import compute_rule
from core.toolkit import db
from core.toolkit import ServiceError, clean_text
from core.toolkit import clock
from .models import PARTY_ROLES, Hearing, Notice
from .pool.conflicts import clashes, official_conflicts
from .pool.services import check_panel_size
from .services import LIVE, WORKFLOW, add_participant, event, now, setting


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


# -- notices -----------------------------------------------------------------------------------------
def send_notices(hearing: Hearing, today: date | None = None) -> list[Notice]:
    """Issue a 听证通知书 to each party and panelist (and the public announcement of an open hearing)."""
    WORKFLOW.check(hearing, "send_notices")
    check_panel_size(hearing)
    today = today or clock.today()
    last = latest_notice_day(hearing.scheduled_at.date())
    if today > last:
        raise ServiceError(_("The notices had to be served by %(day)s; postpone the hearing first.",
                             day=last.isoformat()))
    issued = []
    recipients = [p for p in hearing.participants if p.role in PARTY_ROLES + ("panelist", "witness")]
    for p in recipients:
        n = Notice(hearing_id=hearing.id, kind="notice", participant_id=p.id, recipient=p.name, issued_at=now())
        db.session.add(n)
        issued.append(n)
    if hearing.is_public:
        n = Notice(hearing_id=hearing.id, kind="announcement", recipient=_("Public"), issued_at=now(),
                   served_at=now(), method="posted")
        db.session.add(n)
        issued.append(n)
    hearing.state = "notified"
    db.session.flush()
    event(hearing, "notified", _("%(n)d notices issued.", n=len(issued)))
    return issued


def record_service(notice: Notice, served_at: datetime, method: str) -> None:
    errors: dict = {}
    method = clean_text(method, "method", 30, errors)
    if not isinstance(served_at, datetime) or served_at > now() + timedelta(minutes=5):
        errors["served_at"] = _("Cannot lie in the future.")
    if errors:
        raise ServiceError(errors)
    notice.served_at, notice.method = served_at, method
