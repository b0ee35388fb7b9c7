"""The web actions on one hearing: each reads its form fields and calls one service (the API calls the
same services). ``run`` returns the success message; a ``ServiceError`` carries the refusal."""
from __future__ import annotations

from flask_babel import gettext as _

from core.toolkit import User
from core.toolkit import db
from core.toolkit import ServiceError
from . import minutes, panel, services, session
from .models import Evidence, HearingRoom, Notice, Panelist, Participant, Recusal

MANAGE, RUN = "hearing.hearing.manage", "hearing.hearing.run"
ACTIONS = {
    "accept": (MANAGE, "accept"), "refuse": (MANAGE, "refuse"), "withdraw": (MANAGE, "withdraw"),
    "add_panelist": (MANAGE, "panel"), "remove_panelist": (MANAGE, "panel"), "schedule": (MANAGE, "schedule"),
    "postpone": (MANAGE, "postpone"), "send_notices": (MANAGE, "notices"), "serve_notice": (MANAGE, "notices"),
    "add_participant": (RUN, "attendance"), "arrive": (RUN, "attendance"), "absent": (RUN, "attendance"),
    "open": (RUN, "session"), "step": (RUN, "session"), "statement": (RUN, "session"),
    "module": (RUN, "session"), "evidence": (RUN, "session"), "challenge": (RUN, "session"),
    "recusal": (RUN, "session"), "rule_recusal": (RUN, "session"), "suspend": (RUN, "session"),
    "resume": (RUN, "session"), "close": (RUN, "session"), "vote": (RUN, "deliberation"),
    "proposal": (RUN, "deliberation"), "conclude": (RUN, "conclusion"), "serve": (MANAGE, "conclusion"),
    "save_minutes": (RUN, "minutes"), "reseed": (RUN, "minutes"), "confirm": (RUN, "minutes"),
    "lock": (RUN, "minutes"), "correct": (RUN, "minutes"),
}


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
    from .views import parse_dt
    duration = _int(form, "duration")
    return {"scheduled_at": parse_dt(form.get("scheduled_at"), "scheduled_at"),
            "duration": duration, "room": _get(HearingRoom, form, "room_id"), "venue": form.get("venue", ""),
            "host": _get(User, form, "host_id"), "host_name": form.get("host_name", ""),
            "recorder": _get(User, form, "recorder_id"), "recorder_name": form.get("recorder_name", ""),
            "is_public": form.get("is_public") == "1", "closed_reason": form.get("closed_reason", "")}


def _sections(form) -> dict:
    return {k: form.get(f"s_{k}", "") for k in minutes.SECTION_KEYS}


def run(h, action: str, form, user) -> str:  # noqa: C901 - one dispatcher, one branch per action
    from .views import parse_dt
    if action == "accept":
        services.accept(h, form.get("note", ""))
    elif action == "refuse":
        services.refuse(h, form.get("reason"))
    elif action == "withdraw":
        services.withdraw(h, form.get("reason"))
    elif action == "add_panelist":
        m = panel.add_member(h, _get(Panelist, form, "panelist_id"), form.get("reason"),
                             accept_conflict=form.get("accept_conflict") == "1")
        return _("%(name)s appointed.", name=m.panelist.name)
    elif action == "remove_panelist":
        member = next((m for m in h.panel if m.id == _int(form, "member_id")), None)
        if member is None:
            raise ServiceError({"member_id": _("Choose a panelist of this hearing.")})
        panel.remove_member(h, member, form.get("reason"))
    elif action == "schedule":
        kw = _schedule_kwargs(form)
        services.schedule(h, kw.pop("scheduled_at"), **kw)
        if form.get("unit_rep"):
            services.set_unit_representative(h, form.get("unit_rep"), form.get("unit_name"))
        return _("Scheduled.")
    elif action == "postpone":
        kw = _schedule_kwargs(form)
        at = kw.pop("scheduled_at")
        kw = {k: v for k, v in kw.items() if k in ("room",) and v is not None}
        services.postpone(h, form.get("reason"), at, **kw)
    elif action == "send_notices":
        n = services.send_notices(h)
        return _("%(n)d notices issued.", n=len(n))
    elif action == "serve_notice":
        notice = _get(Notice, form, "notice_id", h)
        if notice is None:
            raise ServiceError({"notice_id": _("Choose a notice of this hearing.")})
        services.record_service(notice, parse_dt(form.get("served_at"), "served_at") or services.now(),
                                form.get("method"))
    elif action == "add_participant":
        services.add_participant(h, form.get("role"), form.get("name"), form.get("unit", ""))
    elif action == "arrive":
        session.record_arrival(h, _get(Participant, form, "participant_id", h),
                               parse_dt(form.get("arrived_at"), "arrived_at", required=False))
    elif action == "absent":
        session.record_absence(h, _get(Participant, form, "participant_id", h), form.get("note"))
    elif action == "open":
        offset = session.opening_offset(h)
        if offset and form.get("confirm") != "1":   # the minutes carry the day it opens: say so first
            raise ServiceError({"confirm": _("The hearing is scheduled for %(day)s; confirm opening it on another day.",
                                             day=h.scheduled_at.date().isoformat())})
        session.open_session(h)
    elif action == "step":
        session.set_step(h, form.get("step"))
    elif action == "statement":
        session.add_statement(h, form.get("speaker_role"), form.get("speaker_name"), form.get("text"),
                              step=form.get("step") or None, user=user)
        return _("Statement recorded.")
    elif action == "module":
        minutes.use_module(h, form.get("code"), form.get("speaker", ""), user=user)
    elif action == "evidence":
        session.add_evidence(h, form.get("label"), form.get("presented_by"), form.get("purpose", ""))
    elif action == "challenge":
        session.challenge_evidence(h, _get(Evidence, form, "evidence_id", h), form.get("challenge"))
    elif action == "recusal":
        session.request_recusal(h, _get(Participant, form, "target_id", h), form.get("requested_by"),
                                form.get("reason"))
    elif action == "rule_recusal":
        session.rule_recusal(h, _get(Recusal, form, "recusal_id", h), form.get("granted") == "1",
                             form.get("ruling_reason"), form.get("ruled_by"))
    elif action == "suspend":
        session.suspend(h, form.get("reason"))
    elif action == "resume":
        session.resume(h)
    elif action == "close":
        session.close_session(h)
    elif action == "vote":
        minutes.record_vote(h, _int(form, "member_id"), form.get("view"), form.get("vote"))
    elif action == "proposal":
        minutes.set_proposal(h, form.get("proposal"))
    elif action == "conclude":
        services.conclude(h, form.get("outcome"), form.get("conclusion"), form.get("on_spot") == "1")
    elif action == "serve":
        services.serve_conclusion(h, parse_dt(form.get("served_at"), "served_at", required=False))
    elif action == "save_minutes":
        v = minutes.save_draft(h, _sections(form), form.get("reason", ""), user, base_number=_int(form, "base"))
        return _("Minutes saved as version %(n)d.", n=v.number)
    elif action == "reseed":
        minutes.reseed(h, user)
    elif action == "confirm":
        minutes.confirm(h, _get(Participant, form, "participant_id", h), form.get("status"), "screen",
                        form.get("note", ""))
    elif action == "lock":
        v = minutes.lock(h, user)
        from .documents import render_minutes
        render_minutes(h, None, v)      # the locked PDF is cached with the lock (reads write nothing)
        return _("Minutes locked. SHA-256: %(h)s", h=v.content_hash)
    elif action == "correct":
        minutes.correct(h, _sections(form), form.get("reason"), user)
    return _("Done.")
