"""The web actions on one hearing: each reads its form fields and calls one service (the API calls the
same services). ``run`` returns the success message; a ``ServiceError`` carries the refusal."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from core.toolkit import User
from core.toolkit import db
from core.toolkit import ServiceError
from . import scheduling, services, session
from .minutes import services as minutes
from .minutes.documents import render_minutes
from .pool import services as panel
from .models import Evidence, Notice, Participant, Recusal
from .pool.models import HearingRoom, Panelist

MANAGE, RUN = "hearing.hearing.manage", "hearing.hearing.run"
# each web action (its name is in the page's URL, /hearing/<id>/act/<action>) → the declared step it takes
# (services.WORKFLOW gives its permission and the stages it may happen in)
STEP_OF = {
    "accept": "accept", "refuse": "refuse", "withdraw": "withdraw", "add_panelist": "add_member",
    "remove_panelist": "remove_member", "schedule": "schedule", "postpone": "postpone",
    "send_notices": "send_notices", "arrive": "record_arrival", "absent": "record_absence", "open": "open_session",
    "step": "set_step", "statement": "add_statement", "evidence": "add_evidence", "challenge": "challenge_evidence",
    "recusal": "request_recusal", "suspend": "suspend", "resume": "resume", "close": "close_session",
    "vote": "record_vote", "conclude": "conclude", "serve": "serve_conclusion", "save_minutes": "save_draft",
    "confirm": "confirm", "lock": "lock",
}
# the web actions that are no step of the procedure (records kept alongside it), with their permission
OTHER = {"serve_notice": MANAGE, "add_participant": RUN, "module": RUN, "rule_recusal": RUN, "proposal": RUN,
         "reseed": RUN, "correct": RUN}
ACTIONS = {**{a: services.WORKFLOW.permission_of(s) for a, s in STEP_OF.items()}, **OTHER}   # action → permission


def parse_dt(value: str | None, field: str, required: bool = True) -> datetime | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise ServiceError({field: _("Give the date and time.")})
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ServiceError({field: _("Not a valid date and time.")}) from None


def _int(form, key: str) -> int | None:
    try:
        return int(form.get(key) or "")
    except ValueError:
        return None


def _get(model, form, key: str, hearing=None):
    obj = db.session.get(model, _int(form, key)) if _int(form, key) else None
    if obj is not None and hearing is not None and getattr(obj, "hearing_id", hearing.id) != hearing.id:
        return None
    return obj


def _schedule_kwargs(form) -> dict:
    duration = _int(form, "duration")
    return {"scheduled_at": parse_dt(form.get("scheduled_at"), "scheduled_at"),
            "duration": duration, "room": _get(HearingRoom, form, "room_id"), "venue": form.get("venue", ""),
            "host": _get(User, form, "host_id"), "host_name": form.get("host_name", ""),
            "recorder": _get(User, form, "recorder_id"), "recorder_name": form.get("recorder_name", ""),
            "is_public": form.get("is_public") == "1", "closed_reason": form.get("closed_reason", "")}


def _sections(form) -> dict:
    return {k: form.get(f"s_{k}", "") for k in minutes.SECTION_KEYS}


def _dt(form, key: str, required: bool = True):
    return parse_dt(form.get(key), key, required=required)


def _add_panelist(h, form, user):
    m = panel.add_member(h, _get(Panelist, form, "panelist_id"), form.get("reason"),
                         accept_conflict=form.get("accept_conflict") == "1")
    return _("%(name)s appointed.", name=m.panelist.name)


def _remove_panelist(h, form, user):
    member = next((m for m in h.panel if m.id == _int(form, "member_id")), None)
    if member is None:
        raise ServiceError({"member_id": _("Choose a panelist of this hearing.")})
    panel.remove_member(h, member, form.get("reason"))


def _schedule(h, form, user):
    kw = _schedule_kwargs(form)
    scheduling.schedule(h, kw.pop("scheduled_at"), **kw)
    if form.get("unit_rep"):
        services.set_unit_representative(h, form.get("unit_rep"), form.get("unit_name"))
    return _("Scheduled.")


def _postpone(h, form, user):
    kw = _schedule_kwargs(form)
    at = kw.pop("scheduled_at")
    scheduling.postpone(h, form.get("reason"), at, **{k: v for k, v in kw.items() if k in ("room",) and v is not None})


def _serve_notice(h, form, user):
    notice = _get(Notice, form, "notice_id", h)
    if notice is None:
        raise ServiceError({"notice_id": _("Choose a notice of this hearing.")})
    scheduling.record_service(notice, _dt(form, "served_at") or services.now(), form.get("method"))


def _open(h, form, user):
    if session.opening_offset(h) and form.get("confirm") != "1":   # the minutes carry the day it opens: say so
        raise ServiceError({"confirm": _("The hearing is scheduled for %(day)s; confirm opening it on another day.",
                                         day=h.scheduled_at.date().isoformat())})
    session.open_session(h)


def _statement(h, form, user):
    session.add_statement(h, form.get("speaker_role"), form.get("speaker_name"), form.get("text"),
                          step=form.get("step") or None, user=user)
    return _("Statement recorded.")


def _save_minutes(h, form, user):
    v = minutes.save_draft(h, _sections(form), form.get("reason", ""), user, base_number=_int(form, "base"))
    return _("Minutes saved as version %(n)d.", n=v.number)


def _lock(h, form, user):
    v = minutes.lock(h, user)
    render_minutes(h, None, v)      # the locked PDF is cached with the lock (reads write nothing)
    return _("Minutes locked. SHA-256: %(h)s", h=v.content_hash)


# each web action → how its form calls the service (the workflow's stage checks live in the services)
STEPS = {
    "accept": lambda h, f, u: services.accept(h, f.get("note", "")),
    "refuse": lambda h, f, u: services.refuse(h, f.get("reason")),
    "withdraw": lambda h, f, u: services.withdraw(h, f.get("reason")),
    "add_panelist": _add_panelist,
    "remove_panelist": _remove_panelist,
    "schedule": _schedule,
    "postpone": _postpone,
    "send_notices": lambda h, f, u: _("%(n)d notices issued.", n=len(scheduling.send_notices(h))),
    "serve_notice": _serve_notice,
    "add_participant": lambda h, f, u: services.add_participant(h, f.get("role"), f.get("name"), f.get("unit", "")),
    "arrive": lambda h, f, u: session.record_arrival(h, _get(Participant, f, "participant_id", h),
                                                     _dt(f, "arrived_at", required=False)),
    "absent": lambda h, f, u: session.record_absence(h, _get(Participant, f, "participant_id", h), f.get("note")),
    "open": _open,
    "step": lambda h, f, u: session.set_step(h, f.get("step")),
    "statement": _statement,
    "module": lambda h, f, u: session.use_module(h, f.get("code"), f.get("speaker", ""), user=u),
    "evidence": lambda h, f, u: session.add_evidence(h, f.get("label"), f.get("presented_by"), f.get("purpose", "")),
    "challenge": lambda h, f, u: session.challenge_evidence(h, _get(Evidence, f, "evidence_id", h), f.get("challenge")),
    "recusal": lambda h, f, u: session.request_recusal(h, _get(Participant, f, "target_id", h), f.get("requested_by"),
                                                       f.get("reason")),
    "rule_recusal": lambda h, f, u: session.rule_recusal(h, _get(Recusal, f, "recusal_id", h), f.get("granted") == "1",
                                                         f.get("ruling_reason"), f.get("ruled_by")),
    "suspend": lambda h, f, u: session.suspend(h, f.get("reason")),
    "resume": lambda h, f, u: session.resume(h),
    "close": lambda h, f, u: session.close_session(h),
    "vote": lambda h, f, u: minutes.record_vote(h, _int(f, "member_id"), f.get("view"), f.get("vote")),
    "proposal": lambda h, f, u: minutes.set_proposal(h, f.get("proposal")),
    "conclude": lambda h, f, u: session.conclude(h, f.get("outcome"), f.get("conclusion"), f.get("on_spot") == "1"),
    "serve": lambda h, f, u: session.serve_conclusion(h, _dt(f, "served_at", required=False)),
    "save_minutes": _save_minutes,
    "reseed": lambda h, f, u: minutes.reseed(h, u),
    "confirm": lambda h, f, u: minutes.confirm(h, _get(Participant, f, "participant_id", h), f.get("status"), "screen",
                                               f.get("note", "")),
    "lock": _lock,
    "correct": lambda h, f, u: minutes.correct(h, _sections(f), f.get("reason"), u),
}
assert set(STEPS) == set(ACTIONS), "every web action has its step and permission"


def run(h, action: str, form, user) -> str:
    """Run one web action; the step's own message, else "Done."."""
    step = STEPS.get(action)
    result = step(h, form, user) if step is not None else None
    return result if isinstance(result, str) and result else _("Done.")
