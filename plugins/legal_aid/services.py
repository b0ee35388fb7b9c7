"""Referrals to a legal channel (诉访分离): draft → notice served → sent → receipt → accepted | refused →
outcome → feedback → closed. The filing deadline runs on the deadline service from the day the person knew
of the act. The source petition is handed over when the notice is served, closed when the body gives its
outcome and reopened when the body refuses. Every function works in the caller's transaction."""
from __future__ import annotations

from datetime import date, datetime

from flask import has_request_context
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select

from core.toolkit import log_event
from core.toolkit import model_for_table
from core.toolkit import deadlines_for, met, start_deadline, stop_if_running
from core.toolkit import db
from core.toolkit import Role, User
from core.toolkit import notify as send_notification
from core.toolkit import in_scope
from core.toolkit import ServiceError, Transition, Workflow, clean_text
from core.toolkit import Organisation
from core.toolkit import next_reference
from plugins.petition import services as petition_services
from plugins.petition.models import PetitionCase
from core.toolkit import clock
from .channels import services as channels
from .models import CHANNELS, REFERRAL_STATES, SERVICE_METHODS, Referral

RECORD = "legal_aid_referral"
ALERT_DAYS = 7

class ReferralError(ServiceError):
    """Bad input or a step not possible now: ``errors`` maps a field (or ``""``) to a message."""


# a referral's lifecycle as data (core/workflow.py); the services set the dates and write the audit text
WORKFLOW = Workflow("legal_aid.referral", record_type=RECORD, states=REFERRAL_STATES, audit=False,
                    permission="legal_aid.referral.manage", error=ReferralError, transitions=[
    Transition("edit", _l("Edit the draft"), ("draft",), None, form="edit"),
    Transition("notify", _l("Serve the notice (告知书)"), ("draft",), "notified", form="notify",
               document="legal_aid.document"),
    Transition("send", _l("Send to the receiving body"), ("notified",), "sent", primary=True),
    Transition("receipt", _l("Record the receipt (回执)"), ("sent",), "received", form="receipt"),
    Transition("accept", _l("Body accepted"), ("received",), "accepted"),
    Transition("refuse", _l("Body refused"), ("sent", "received"), "refused", form="refuse"),
    Transition("outcome", _l("Record the outcome"), ("accepted",), "answered", form="outcome"),
    Transition("feedback", _l("Record feedback to the person"), ("answered",), "feedback", form="feedback"),
    Transition("close", _l("Close"), ("feedback", "refused", "draft"), "closed"),
])


def action_labels() -> dict[str, str]:
    return WORKFLOW.labels()


def allowed_actions(ref: Referral) -> list[str]:
    return WORKFLOW.allowed(ref)


def _now() -> datetime:
    return clock.now().replace(microsecond=0)


_check = WORKFLOW.check


def _log(ref: Referral, action: str, text: str) -> None:
    log_event(f"legal_aid.referral.{action}", RECORD, ref.id, text=str(text)[:2000])


_text = clean_text


# -- the filing deadline -------------------------------------------------------------------------------
def filing_deadline(ref: Referral) -> dict | None:
    """The filing clock of *ref*: the first clock of its time limit (None when it has none). A list reads the
    same clock with its rows: ``views._filing_columns``."""
    if not ref.rule_code:
        return None
    return next((d for d in deadlines_for(ref) if d["rule"] == ref.rule_code), None)


def _start_filing_clock(ref: Referral) -> None:
    """(Re)start the filing clock from ``knew_at``; the clock of a previous channel is stopped."""
    for d in deadlines_for(ref):
        if d["rule"] != ref.rule_code and d["status"] in ("open", "paused", "overdue"):
            met(ref, d["rule"])
    if ref.rule_code and ref.knew_at:
        start_deadline(ref, ref.rule_code, ref.knew_at)


def _apply_channel(ref: Referral, channel: str | None, department_id: int | None = None) -> None:
    line = channels.line_for(channel, department_id) if channel else None
    ref.channel = channel
    ref.channel_rule = line
    if line is not None:
        ref.basis = line.basis
        ref.rule_code = line.rule_code
        ref.what_to_bring = line.what_to_bring
        if ref.body_id is None or (ref.body is not None and ref.body.kind != line.body_kind):
            ref.body = line.body
    elif channel:
        ref.rule_code = channels.DEFAULTS[channel][5]
        ref.basis = channels.DEFAULTS[channel][2]


def _validate(channel, knew_at, body_id, errors: dict, today: date | None = None) -> Organisation | None:
    if channel is not None and channel not in CHANNELS:
        errors["channel"] = _("Choose a channel from the list.")
    if knew_at is not None:
        if not isinstance(knew_at, date):
            errors["knew_at"] = _("Enter a date.")
        elif knew_at > (today or clock.today()):
            errors["knew_at"] = _("The date the person knew of the act cannot be in the future.")
    body = None
    if body_id:
        body = db.session.get(Organisation, int(body_id))
        if body is None:
            errors["body_id"] = _("No organisation with this id.")
    return body


def create_referral(*, petition: PetitionCase | None = None, dispute=None, channel: str | None = None,
                    knew_at: date | None = None, body_id: int | None = None, request: str | None = None,
                    user=None) -> Referral:
    """A draft referral from a petition or a failed dispute (the dispute is read through its attributes)."""
    errors: dict[str, str] = {}
    if (petition is None) == (dispute is None):
        errors["petition_id"] = _("Give either a petition or a dispute.")
    body = _validate(channel, knew_at, body_id, errors)
    if request is not None:
        request = _text(request, "request", 4000, errors, required=False)
    if petition is not None and petition.state in ("closed", "referred"):
        errors["petition_id"] = _("This petition is %(state)s and cannot be referred.", state=petition.state_label)
    if errors:
        raise ReferralError(errors)
    if petition is not None:
        live = db.session.scalar(select(Referral.id).where(Referral.petition_id == petition.id,
                                                          Referral.state.notin_(("closed", "refused"))))
        if live:
            raise ReferralError({"petition_id": _("This petition already has an open referral.")})
        ref = Referral(source_type="petition", petition_id=petition.id, source_reference=petition.reference,
                       person_id=petition.petitioner_id, region_id=petition.region_id,
                       request=request or petition.request)
    else:
        parties = list(getattr(dispute, "parties", []) or [])
        ref = Referral(source_type="dispute", dispute_id=dispute.id, source_reference=dispute.reference,
                       person_id=parties[0].person_id if parties else None, region_id=dispute.region_id,
                       request=request or f"{dispute.summary}\n{getattr(dispute, 'description', '') or ''}".strip())
    ref.reference = next_reference("legal_aid.referral", clock.today())
    ref.state, ref.knew_at, ref.created_by_id = "draft", knew_at, getattr(user, "id", None)
    ref.body = body
    db.session.add(ref)
    _apply_channel(ref, channel)
    if body is not None:
        ref.body = body
    db.session.flush()
    _start_filing_clock(ref)
    _log(ref, "create", _("Referral drafted from %(src)s", src=ref.source_reference))
    return ref


def dispute_by_id(dispute_id: int):
    """The mediation dispute *dispute_id*, found by its table (no import of the optional plugin)."""
    model = model_for_table("mediation_dispute")
    return db.session.get(model, int(dispute_id)) if model is not None else None


def update_referral(ref: Referral, changes: dict) -> Referral:
    """Edit a draft: channel, knew_at, body_id, request, what_to_bring. The clock follows."""
    _check(ref, "edit")
    errors: dict[str, str] = {}
    channel = changes.get("channel", ref.channel)
    knew_at = changes.get("knew_at", ref.knew_at)
    body = _validate(channel, knew_at, changes.get("body_id"), errors)
    request = _text(changes["request"], "request", 4000, errors) if "request" in changes else None
    bring = _text(changes["what_to_bring"], "what_to_bring", 4000, errors, False) if "what_to_bring" in changes else None
    if errors:
        raise ReferralError(errors)
    if "channel" in changes and channel != ref.channel:
        _apply_channel(ref, channel)
    if body is not None:
        ref.body = body
    if request is not None:
        ref.request = request
    if bring is not None:
        ref.what_to_bring = bring
    ref.knew_at = knew_at
    db.session.flush()
    _start_filing_clock(ref)
    return ref


def _petition_step(fn, case: PetitionCase, text: str) -> None:
    """Hand the step to the petition plugin; its refusal becomes ours (nothing is half-written)."""
    try:
        fn(case, text)
    except petition_services.PetitionError as exc:
        raise ReferralError({"petition_id": str(exc)}) from None


# -- the workflow ----------------------------------------------------------------------------------------
def notify(ref: Referral, method: str, served_at: datetime | None = None) -> None:
    """The 告知书 was served on the person: the petition is handed to the legal route."""
    target = _check(ref, "notify")
    errors: dict[str, str] = {}
    if not ref.channel:
        errors["channel"] = _("Choose the legal channel first.")
    if ref.body_id is None:
        errors["body_id"] = _("Choose the receiving body first.")
    if ref.knew_at is None:
        errors["knew_at"] = _("Enter the date the person knew of the act first.")
    if method not in SERVICE_METHODS:
        errors["service_method"] = _("Choose how the notice was served.")
    if errors:
        raise ReferralError(errors)
    if ref.petition_id:
        case = db.session.get(PetitionCase, ref.petition_id)
        _petition_step(petition_services.mark_referred, case,
                       f"{ref.reference} · {ref.channel_label} · {ref.body.name}")
    ref.state, ref.served_at, ref.service_method = target, served_at or _now(), method
    _log(ref, "notify", _("Notice served (%(m)s)", m=SERVICE_METHODS[method]))


def send(ref: Referral, at: datetime | None = None) -> None:
    ref.state, ref.sent_at = _check(ref, "send"), at or _now()
    _log(ref, "send", _("Sent to %(body)s", body=ref.body.name if ref.body else ""))


def record_receipt(ref: Referral, number: str, at: datetime | None = None) -> None:
    errors: dict = {}
    number = _text(number, "receipt_number", 60, errors)
    target = _check(ref, "receipt")
    if errors:
        raise ReferralError(errors)
    ref.state, ref.receipt_number, ref.receipt_at = target, number, at or _now()
    _log(ref, "receipt", _("Receipt %(n)s", n=number))


def _stop_filing(ref: Referral) -> None:
    if ref.rule_code:
        stop_if_running(ref, ref.rule_code)


def accept(ref: Referral, at: datetime | None = None) -> None:
    ref.state, ref.decided_at = _check(ref, "accept"), at or _now()
    _stop_filing(ref)      # the matter was filed in time
    _log(ref, "accept", action_labels()["accept"])


def refuse(ref: Referral, reason: str, at: datetime | None = None) -> None:
    """The body refused the matter: the source petition is reopened with the reason."""
    errors: dict = {}
    reason = _text(reason, "reason", 2000, errors)
    target = _check(ref, "refuse")
    if errors:
        raise ReferralError(errors)
    if ref.petition_id:
        case = db.session.get(PetitionCase, ref.petition_id)
        _petition_step(petition_services.legal_route_refused, case, f"{ref.body.name if ref.body else ''}：{reason}")
    ref.state, ref.decided_at, ref.refusal_reason = target, at or _now(), reason
    _stop_filing(ref)
    _log(ref, "refuse", _("Refused: %(r)s", r=reason))


def record_outcome(ref: Referral, reference: str, text: str, at: datetime | None = None) -> None:
    """The body's outcome with its reference number: the source petition is closed."""
    errors: dict = {}
    reference = _text(reference, "outcome_reference", 60, errors)
    text = _text(text, "outcome_text", 4000, errors)
    target = _check(ref, "outcome")
    if errors:
        raise ReferralError(errors)
    if ref.petition_id:
        case = db.session.get(PetitionCase, ref.petition_id)
        _petition_step(petition_services.legal_route_answered, case,
                       f"{ref.body.name if ref.body else ''} {reference}：{text}")
    ref.state, ref.outcome_reference, ref.outcome_text, ref.outcome_at = target, reference, text, at or _now()
    _log(ref, "outcome", _("Outcome %(n)s: %(t)s", n=reference, t=text[:300]))


def record_feedback(ref: Referral, note: str, at: datetime | None = None) -> None:
    errors: dict = {}
    note = _text(note, "feedback_note", 4000, errors)
    target = _check(ref, "feedback")
    if errors:
        raise ReferralError(errors)
    ref.state, ref.feedback_note, ref.feedback_at = target, note, at or _now()
    _log(ref, "feedback", note[:300])


def close(ref: Referral) -> None:
    ref.state, ref.closed_at = _check(ref, "close"), _now()
    _stop_filing(ref)
    _log(ref, "close", action_labels()["close"])


def days_left(ref: Referral, today: date | None = None) -> int | None:
    d = filing_deadline(ref)
    if d is None or d["status"] not in ("open", "overdue"):
        return None
    return date.fromisoformat(d["due"]).toordinal() - (today or clock.today()).toordinal()


def near_deadline(ref: Referral, today: date | None = None) -> bool:
    """Fewer than 7 days remain before the filing deadline (and the matter is not filed yet)."""
    left = days_left(ref, today)
    return ref.state in ("draft", "notified", "sent", "received") and left is not None and 0 <= left < ALERT_DAYS


# -- drafts opened by other plugins' points (petition_link, mediation_link) ------------------------------
def acting_user():
    """The signed-in user who caused a point to be sent, or None (a job, a seed, no request)."""
    try:
        from flask_login import current_user
        return current_user if getattr(current_user, "is_authenticated", False) else None
    except Exception:  # outside a request
        return None


def _legal_staff(region_id: int):
    users = db.session.scalars(select(User).join(User.roles).where(Role.code == "legal", User.active.is_(True)))
    return [u for u in users if in_scope(u, region_id)]


def tell_legal_staff(ref) -> None:
    """Tell legal staff of a new draft, when a person's action (a request) sent the signal; demo seeding and
    bulk imports stay quiet."""
    if not has_request_context():
        return
    url = f"/legal_aid/{ref.id}"
    send_notification(_legal_staff(ref.region_id), _("New referral to review: %(ref)s", ref=ref.reference),
                      body=ref.request[:200], url=url, record=ref)
