"""The hearing itself: the agenda of domain.md §2 (``services.AGENDA``), attendance with arrival times,
statements against the agenda (text modules among them), evidence presented and challenged, recusal
requests and rulings, suspension; then the conclusion and its service."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from core.toolkit import ServiceError, clean_text
from core.toolkit import clock
from core.toolkit import db
from core.toolkit import log_note
from core.toolkit import start_deadline
from . import points
from .minutes.services import current_version, ensure_draft
from .minutes.models import TextModule
from .models import OUTCOMES, ROLES, Evidence, Hearing, Participant, Recusal, Statement
from .pool.services import check_panel_size
from .services import AGENDA, WORKFLOW, event, now, stop_clock

DEFAULT_STEP = {"petitioner": "petitioner", "agent": "petitioner", "unit": "unit", "panelist": "questions",
                "witness": "debate", "third_party": "debate", "host": "opening", "recorder": "identity"}


def _at(value: datetime | None, field: str) -> datetime:
    value = value or now()
    if not isinstance(value, datetime) or value > now() + timedelta(minutes=5):
        raise ServiceError({field: _("Cannot lie in the future.")})
    return value


def open_session(hearing: Hearing, at: datetime | None = None) -> None:
    WORKFLOW.check(hearing, "open_session")
    check_panel_size(hearing)
    if not hearing.host_name or not hearing.recorder_name:
        raise ServiceError(_("Name the host and the recorder first."))
    hearing.started_at = _at(at, "at")
    hearing.state = "in_session"
    set_step(hearing, "identity")


def opening_offset(hearing: Hearing, today=None) -> int:
    """Days between today and the scheduled day: negative = early, positive = late, 0 = on the day."""
    if hearing.scheduled_at is None:
        return 0
    today = today or clock.today()
    return today.toordinal() - hearing.scheduled_at.date().toordinal()


def set_step(hearing: Hearing, step: str) -> None:
    if step not in AGENDA:
        raise ServiceError({"step": _("Choose a step of the agenda.")})
    WORKFLOW.check(hearing, "set_step")
    hearing.current_step = step
    event(hearing, "step", f"{step}:{AGENDA[step]}")


def record_arrival(hearing: Hearing, participant: Participant, at: datetime | None = None) -> None:
    if participant is None or participant.hearing_id != hearing.id:
        raise ServiceError({"participant_id": _("Choose a participant of this hearing.")})
    WORKFLOW.check(hearing, "record_arrival")
    participant.arrived_at = _at(at, "arrived_at")
    participant.absent_note = None


def record_absence(hearing: Hearing, participant: Participant, note: str) -> None:
    errors: dict = {}
    note = clean_text(note, "note", 300, errors)
    if errors:
        raise ServiceError(errors)
    WORKFLOW.check(hearing, "record_absence")
    participant.arrived_at, participant.absent_note = None, note
    event(hearing, "absence", _("%(name)s is absent: %(note)s", name=participant.name, note=note))


def _unlocked(hearing: Hearing) -> None:
    v = current_version(hearing)
    if v is not None and v.locked_at is not None:
        raise ServiceError(_("The minutes are locked; record a correction as a new version."))


def add_statement(hearing: Hearing, speaker_role: str, speaker_name: str, text_: str, step: str | None = None,
                  user=None, at: datetime | None = None) -> Statement:
    errors: dict = {}
    if speaker_role not in ROLES:
        errors["speaker_role"] = _("Choose a speaker role from the list.")
    speaker_name = clean_text(speaker_name, "speaker_name", 100, errors)
    body = clean_text(text_, "text", 20000, errors)
    step = step or hearing.current_step or DEFAULT_STEP.get(speaker_role, "debate")
    if step not in AGENDA:
        errors["step"] = _("Choose a step of the agenda.")
    if errors:
        raise ServiceError(errors)
    WORKFLOW.check(hearing, "add_statement")
    _unlocked(hearing)
    st = Statement(hearing_id=hearing.id, step=step, speaker_role=speaker_role, speaker_name=speaker_name,
                   text=body, at=at or now(), recorded_by=getattr(user, "id", None))
    db.session.add(st)
    db.session.flush()
    return st


def add_evidence(hearing: Hearing, label: str, presented_by: str, purpose: str = "") -> Evidence:
    errors: dict = {}
    label = clean_text(label, "label", 200, errors)
    purpose = clean_text(purpose, "purpose", 4000, errors, required=False)
    if presented_by not in ROLES:
        errors["presented_by"] = _("Choose a role from the list.")
    if errors:
        raise ServiceError(errors)
    WORKFLOW.check(hearing, "add_evidence")
    ev = Evidence(hearing_id=hearing.id, label=label, presented_by=presented_by, purpose=purpose, at=now())
    db.session.add(ev)
    db.session.flush()
    event(hearing, "evidence", _("Evidence presented by %(who)s: %(label)s", who=ROLES[presented_by], label=label))
    return ev


def challenge_evidence(hearing: Hearing, evidence: Evidence, challenge: str) -> None:
    errors: dict = {}
    challenge = clean_text(challenge, "challenge", 4000, errors)
    if evidence is None or evidence.hearing_id != hearing.id:
        errors["evidence_id"] = _("Choose evidence of this hearing.")
    if errors:
        raise ServiceError(errors)
    WORKFLOW.check(hearing, "challenge_evidence")
    evidence.challenged, evidence.challenge = True, challenge
    event(hearing, "evidence", _("Evidence challenged: %(label)s — %(c)s", label=evidence.label, c=challenge))


def request_recusal(hearing: Hearing, target: Participant, requested_by: str, reason: str) -> Recusal:
    errors: dict = {}
    requested_by = clean_text(requested_by, "requested_by", 100, errors)
    reason = clean_text(reason, "reason", 2000, errors)
    if target is None or target.hearing_id != hearing.id or target.role not in ("host", "panelist", "recorder"):
        errors["target_id"] = _("Recusal can be asked of the host, a panelist or the recorder.")
    if errors:
        raise ServiceError(errors)
    WORKFLOW.check(hearing, "request_recusal")
    r = Recusal(hearing_id=hearing.id, target_id=target.id, requested_by=requested_by, reason=reason,
                requested_at=now())
    r.target = target
    db.session.add(r)
    db.session.flush()
    event(hearing, "recusal", _("%(by)s asks %(who)s (%(role)s) to withdraw: %(reason)s", by=requested_by,
                                who=target.name, role=target.role_label, reason=reason))
    return r


def rule_recusal(hearing: Hearing, recusal: Recusal, granted: bool, ruling_reason: str, ruled_by: str) -> None:
    """A challenge to the host is ruled by the body's head; the host rules on panelists and the recorder."""
    errors: dict = {}
    ruling_reason = clean_text(ruling_reason, "ruling_reason", 2000, errors)
    ruled_by = clean_text(ruled_by, "ruled_by", 100, errors)
    if recusal is None or recusal.hearing_id != hearing.id:
        errors["recusal_id"] = _("Choose a recusal request of this hearing.")
    elif recusal.ruling:
        errors["recusal_id"] = _("This request has been ruled on.")
    if errors:
        raise ServiceError(errors)
    if recusal.target.role == "host" and ruled_by == hearing.host_name:
        raise ServiceError({"ruled_by": _("A challenge to the host is ruled by the head of the body, not the host.")})
    recusal.ruling = "granted" if granted else "rejected"
    recusal.ruled_by, recusal.ruling_reason, recusal.ruled_at = ruled_by, ruling_reason, now()
    if granted and recusal.target.panel_member_id:
        member = next((m for m in hearing.panel if m.id == recusal.target.panel_member_id), None)
        if member is not None:
            member.recused = True
    event(hearing, "recusal", _("%(by)s %(what)s the request against %(who)s: %(reason)s", by=ruled_by,
                                what=_("granted") if granted else _("rejected"), who=recusal.target.name,
                                reason=ruling_reason))


def suspend(hearing: Hearing, reason: str) -> None:
    errors: dict = {}
    reason = clean_text(reason, "reason", 2000, errors)
    if errors:
        raise ServiceError(errors)
    WORKFLOW.check(hearing, "suspend")
    hearing.state = "suspended"
    event(hearing, "suspended", _("Suspended: %(r)s", r=reason))


def resume(hearing: Hearing) -> None:
    WORKFLOW.check(hearing, "resume")
    hearing.state = "in_session"
    event(hearing, "resumed", _("The hearing resumes."))


def close_session(hearing: Hearing, at: datetime | None = None) -> None:
    WORKFLOW.check(hearing, "close_session")
    hearing.ended_at = _at(at, "at")
    hearing.state = "held"
    event(hearing, "closed", _("The hearing is closed."))
    ensure_draft(hearing)


def use_module(hearing: Hearing, code: str, speaker: str = "", user=None):
    """Insert a text module as the host's statement at the current step."""
    module = db.session.scalar(select(TextModule).where(TextModule.code == code))
    if module is None:
        raise ServiceError({"code": _("No text module with this code.")})
    body = module.text.replace("{speaker}", speaker or "")
    return add_statement(hearing, "host", hearing.host_name or ROLES["host"], body,
                         step=hearing.current_step or module.step, user=user)


# -- conclusion --------------------------------------------------------------------------------------
def conclude(hearing: Hearing, outcome: str, conclusion: str, on_spot: bool = False) -> None:
    """Record the conclusion (an important basis for the handling, review or re-check opinion): its
    service clock starts, the petition gets a note, and ``hearing.concluded`` is sent."""
    errors: dict = {}
    if outcome not in OUTCOMES:
        errors["outcome"] = _("Choose an outcome from the list.")
    conclusion = clean_text(conclusion, "conclusion", 8000, errors)
    if errors:
        raise ServiceError(errors)
    WORKFLOW.check(hearing, "conclude")
    if hearing.state == "in_session":
        close_session(hearing)
    hearing.outcome, hearing.conclusion, hearing.announced_on_spot = outcome, conclusion, bool(on_spot)
    hearing.concluded_at = now()
    hearing.state = "concluded"
    stop_clock(hearing, "hearing.hold")
    rule = "hearing.conclusion_spot" if on_spot else "hearing.conclusion_later"
    start_deadline(hearing, rule, (hearing.ended_at or hearing.concluded_at).date())
    event(hearing, "concluded", f"{OUTCOMES[outcome]}：{conclusion[:500]}")
    log_note("petition_case", hearing.petition_id,
             _("Hearing %(ref)s concluded (%(outcome)s): %(text)s", ref=hearing.reference,
               outcome=OUTCOMES[outcome], text=conclusion[:2000]))
    points.concluded.send(hearing.petition, hearing=hearing, text=conclusion)


def serve_conclusion(hearing: Hearing, served_at: datetime | None = None) -> None:
    WORKFLOW.check(hearing, "serve_conclusion")
    served_at = served_at or now()
    if served_at > now() + timedelta(minutes=5):
        raise ServiceError({"served_at": _("Cannot lie in the future.")})
    hearing.served_at, hearing.state = served_at, "served"
    for rule in ("hearing.conclusion_spot", "hearing.conclusion_later"):
        stop_clock(hearing, rule)
    event(hearing, "served", _("Conclusion served on %(day)s.", day=served_at.strftime("%Y-%m-%d")))
