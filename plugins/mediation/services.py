"""Dispute workflow: log (挂号) → mediate → resolve | fail → escalate up the tree → close (销号).

Every function works inside the caller's transaction and never commits; bad input raises
``MediationError`` with ``errors`` = {field: message} and leaves nothing written.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from flask import current_app, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import func, select

from core.toolkit import Attachment, Transition, Workflow
from core.toolkit import add_activity, log_event, log_note
from core.toolkit import User
from core.toolkit import start_deadline, stop_if_running
from core.toolkit import compute_rule
from core.toolkit import db
from core.toolkit import notify
from core.toolkit import PartyError, create_person, find_or_create_person
from core.toolkit import Region
from core.toolkit import next_reference
from core.toolkit import clock
from .access import can_use_grid
from . import points, risks
from .committees.services import handling_committee, recusal_conflict
from .errors import MediationError
from .models import CATEGORIES, LEVEL_ORDER, LEVELS, SOURCES, STATES, Dispute, DisputeParty, Grid

RECORD_TYPE = "mediation_dispute"
PERIOD = "mediation.period"
LEGAL_CHANNELS = ("admin_reconsideration", "admin_litigation", "labour_arbitration", "commercial_arbitration",
                  "land_contract_arbitration", "civil_litigation", "appeal_retrial", "procuratorate_supervision")
MAX_PARTIES = 20
CENTRE_ANSWER_POINT = "centre.matter_answered"  # sender: None; kwargs centre_code, record_type, record_id, text, resolved


def _text(value, limit: int) -> str:
    return " ".join(str(value or "").split()) if limit <= 200 else str(value or "").strip()


def _clean(user, data: dict) -> dict:
    errors: dict[str, str] = {}
    out: dict = {}
    grid = None
    try:
        grid = db.session.get(Grid, int(data.get("grid_id") or 0)) if data.get("grid_id") else None
    except (TypeError, ValueError):
        grid = None
    if grid is None or not can_use_grid(user, grid):
        errors["grid_id"] = _("No such grid in your scope.") if data.get("grid_id") else _("Required.")
    out["grid"] = grid
    for key, choices in (("category", CATEGORIES), ("risk_level", risks.codes()), ("source", SOURCES)):
        value = data.get(key) or ("patrol" if key == "source" else "")
        if value not in choices:
            errors[key] = _("Choose one of the listed values.") if value else _("Required.")
        out[key] = value
    summary = _text(data.get("summary"), 200)
    if not summary:
        errors["summary"] = _("Required.")
    elif len(summary) > 200:
        errors["summary"] = _("Must have at most %(n)s characters.", n=200)
    out["summary"] = summary
    out["description"] = _text(data.get("description"), 10_000)[:10_000]
    out["place"] = _text(data.get("place"), 200)[:200]
    found_at = data.get("found_at") or clock.now().replace(microsecond=0)
    if not isinstance(found_at, datetime):
        errors["found_at"] = _("Not a valid date and time.")
    elif found_at > clock.now() + timedelta(hours=1):
        errors["found_at"] = _("Cannot lie in the future.")
    elif found_at.year < 2000:
        errors["found_at"] = _("Too far in the past.")
    out["found_at"] = found_at
    named = [p for p in (data.get("parties") or []) if isinstance(p, dict) and (p.get("name") or "").strip()]
    try:
        # 涉及人数: when the form leaves it out, the people named as parties (never 0 with a party named)
        headcount = int(data.get("headcount") or 0) if data.get("headcount") not in (None, "") else len(named)
        if not 0 <= headcount <= 100_000:
            raise ValueError
    except (TypeError, ValueError):
        errors["headcount"] = _("Must be a whole number between 0 and 100000.")
        headcount = 0
    out["headcount"] = headcount
    amount = data.get("amount")
    if amount not in (None, ""):
        try:
            amount = Decimal(str(amount)).quantize(Decimal("0.01"))
            if not Decimal(0) <= amount < Decimal("1e12"):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors["amount"] = _("Must be an amount of money of 0 or more.")
            amount = None
    out["amount"] = amount or None
    parties = data.get("parties") or []
    if len(parties) > MAX_PARTIES:
        errors["parties"] = _("Must have at most %(n)s items.", n=MAX_PARTIES)
    out["parties"] = parties
    uuid = (data.get("client_uuid") or "").strip() or None
    if uuid is not None and len(uuid) > 36:
        errors["client_uuid"] = _("Must have at most %(n)s characters.", n=36)
    out["client_uuid"] = uuid
    if errors:
        raise MediationError(errors)
    return out


def log_dispute(user, data: dict, alert: bool = True) -> tuple[Dispute, bool]:
    """Register (挂号) a dispute. Returns ``(dispute, created)``; a repeated ``client_uuid`` (offline sync)
    returns the dispute created the first time instead of a duplicate."""
    uuid = (data.get("client_uuid") or "").strip() or None
    if uuid:
        from core.toolkit import serialise
        serialise(f"mediation.dispute.client_uuid:{uuid}")   # two syncs of one capture at once: one dispute
        existing = db.session.scalar(select(Dispute).where(Dispute.client_uuid == uuid))
        if existing is not None:
            if existing.reporter_id != user.id:
                raise MediationError({"client_uuid": _("This client id is already used.")})
            return existing, False
    clean = _clean(user, data)
    grid = clean.pop("grid")
    party_rows = clean.pop("parties")
    from core.toolkit import person_lock_key, serialise
    serialise(*(person_lock_key(p.get("id_number")) for p in party_rows if isinstance(p, dict)))  # one order
    dispute = Dispute(grid_id=grid.id, region_id=grid.region_id, reporter_id=user.id, handling_level="village",
                      state="registered", **clean)
    dispute.reference = next_reference("mediation.dispute", clean["found_at"].date())
    db.session.add(dispute)
    db.session.flush()
    errors = {}
    for i, row in enumerate(party_rows):
        row = row if isinstance(row, dict) else {}
        name = _text(row.get("name"), 100)
        if not name:
            errors[f"parties.{i}.name"] = _("Required.")
            continue
        try:
            if row.get("id_number"):
                person, _created = find_or_create_person(name, id_number=row.get("id_number"),
                                                         phone=row.get("phone") or None, region_id=grid.region_id,
                                                         viewer=user)
            else:
                person = create_person(name, phone=row.get("phone") or None, region_id=grid.region_id)
        except PartyError as exc:
            errors.update({f"parties.{i}.{k}": v for k, v in exc.errors.items()})
            continue
        if all(p.person_id != person.id for p in dispute.parties):
            dispute.parties.append(DisputeParty(person_id=person.id))
    if errors:
        raise MediationError(errors)
    db.session.flush()
    if alert and risks.alert_tiers(dispute.risk_level):
        alert_red(dispute)
    return dispute, True


EDITABLE = ("category", "summary", "description", "place", "headcount", "amount", "risk_level", "source")


def update_dispute(dispute: Dispute, user, changes: dict) -> Dispute:
    """Correct the ledger entry's facts (not its workflow state); a change to red alerts at once."""
    if dispute.state == "closed":
        raise MediationError({"state": _("The dispute is closed.")})
    current = {k: getattr(dispute, k) for k in EDITABLE}
    merged = {**current, **{k: v for k, v in changes.items() if k in EDITABLE},
              "grid_id": dispute.grid_id, "found_at": dispute.found_at}
    clean = _clean(user, merged)
    before = dispute.risk_level
    for key in EDITABLE:
        if key in changes:
            setattr(dispute, key, clean[key])
    db.session.flush()
    if dispute.risk_level != before and set(risks.alert_tiers(dispute.risk_level)) - set(risks.alert_tiers(before)):
        alert_red(dispute)
    return dispute


def _ancestor_ids(region: Region, levels=("town", "county")) -> list[int]:
    codes = [c for c in region.path.strip("/").split("/") if c]
    return list(db.session.scalars(select(Region.id).where(Region.code.in_(codes), Region.level.in_(levels))))


def alert_red(dispute: Dispute) -> int:
    """A risk level that alerts (red always: the town and the district; others as the setting
    ``mediation.risk_alerts`` says): notify at once the users of those tiers who may see mediation."""
    tiers = risks.alert_tiers(dispute.risk_level)
    if not tiers:
        return 0
    ids = _ancestor_ids(dispute.region, tuple(risks.TIERS[t] for t in tiers))
    users = [u for u in db.session.scalars(select(User).where(User.region_id.in_(ids), User.active.is_(True)))
             if u.can("mediation.dispute.read") and not ("grid_worker" in u.role_codes)]
    if not users:
        return 0
    title = (_("Red-risk dispute %(ref)s: %(summary)s", ref=dispute.reference, summary=dispute.summary)
             if dispute.risk_level == "red" else
             _("%(risk)s-risk dispute %(ref)s: %(summary)s", risk=dispute.risk_label, ref=dispute.reference,
               summary=dispute.summary))
    body = _("%(grid)s · %(category)s", grid=dispute.grid.name, category=dispute.category_label)
    try:
        url = url_for("mediation.dispute", dispute_id=dispute.id)
    except RuntimeError:
        url = None
    return len(notify(users, title, body, url=url, record=(RECORD_TYPE, dispute.id)))


# a dispute's lifecycle as data (core/workflow.py): each step, its permission, the stages it starts from, where it
# leads, and what a refusal says; the services set the outcome, the dates and the clock
WORKFLOW = Workflow("mediation", record_type=RECORD_TYPE, states=STATES, audit=False, error=MediationError,
                    error_field="state", transitions=[
    Transition("start", _l("Start mediation"), ("registered", "escalated"), "mediating",
               permission="mediation.dispute.mediate", form="start", primary=True, clocks_start=(PERIOD,),
               refusal=_l("Mediation can start only on a registered or escalated dispute; this one is %(state)s.")),
    Transition("refuse", _l("A party refuses mediation"), ("registered", "mediating", "escalated"), "refused",
               permission="mediation.dispute.mediate", form="refuse", clocks_stop=(PERIOD,),
               refusal=_l("Only a dispute waiting for or under mediation can be refused; this one is %(state)s.")),
    Transition("resolve", _l("Resolved"), ("mediating",), "resolved", permission="mediation.dispute.mediate",
               form="resolve", clocks_stop=(PERIOD,),
               refusal=_l("Only a dispute under mediation can be resolved; this one is %(state)s.")),
    Transition("fail", _l("Mediation failed"), ("mediating",), "failed", permission="mediation.dispute.mediate",
               form="fail", clocks_stop=(PERIOD,),
               refusal=_l("Only a dispute under mediation can fail; this one is %(state)s.")),
    Transition("resolve_on_spot", _l("Resolve on the spot (就地化解)"), ("registered",), "resolved",
               permission="mediation.dispute.grid", form="resolve_on_spot", clocks_stop=(PERIOD,),
               refusal=_l("Only a newly logged dispute can be resolved on the spot; this one is %(state)s.")),
    Transition("hand_up", _l("Hand up to the village committee (上报)"), ("registered",), None,
               permission="mediation.dispute.grid", form="hand_up",
               refusal=_l("Only a newly logged dispute can be handed up; this one is %(state)s.")),
    Transition("escalate", _l("Escalate"), ("registered", "mediating", "failed", "escalated"), "escalated",
               permission="mediation.dispute.escalate", form="escalate", clocks_stop=(PERIOD,),
               refusal=_l("A %(state)s dispute cannot be escalated.")),
    Transition("close", _l("Close (销号)"), ("resolved", "failed", "refused"), "closed",
               permission="mediation.dispute.close", form="close",
               refusal=_l("Only a resolved, failed or refused dispute can be closed; this one is %(state)s.")),
    Transition("reopen", _l("Reopen"), ("closed",), "registered", permission="mediation.dispute.close",
               form="reopen", refusal=_l("Only a closed dispute can be reopened; this one is %(state)s.")),
])


def start(dispute: Dispute, user, mediator: User | None = None) -> Dispute:
    WORKFLOW.check(dispute, "start")
    mediator = mediator or user
    if not mediator.can("mediation.dispute.mediate"):
        raise MediationError({"mediator_id": _("This user may not mediate.")})
    if mediator.id != user.id:
        committee = handling_committee(dispute)
        if committee is None or all(m.id != mediator.id for m in committee.mediators):
            raise MediationError({"mediator_id": _("Choose a mediator of the committee handling the dispute.")})
    conflict = recusal_conflict(dispute, mediator)
    if conflict:
        raise MediationError({"mediator_id": _("%(name)s must withdraw: %(reason)s",
                                               name=mediator.display_name or mediator.username, reason=conflict)})
    dispute.mediator = mediator
    dispute.state = "mediating"
    db.session.flush()
    start_deadline(dispute, PERIOD, clock.today())
    return dispute


def _stop_clock(dispute: Dispute) -> None:
    stop_if_running(dispute, PERIOD)


def add_session_note(dispute: Dispute, user, text: str) -> None:
    if dispute.state == "closed":
        raise MediationError({"state": _("The dispute is closed.")})
    if not (text or "").strip():
        raise MediationError({"note": _("Required.")})
    log_note(RECORD_TYPE, dispute.id, text, user=user)


def resolve(dispute: Dispute, user, outcome: str) -> Dispute:
    WORKFLOW.check(dispute, "resolve")
    outcome = (outcome or "").strip()
    if not outcome:
        raise MediationError({"outcome": _("Describe the outcome.")})
    dispute.outcome = outcome[:10_000]
    dispute.state = "resolved"
    _stop_clock(dispute)
    log_note(RECORD_TYPE, dispute.id, _("Resolved: %(text)s", text=dispute.outcome), user=user)
    return dispute


def fail(dispute: Dispute, user, reason: str, legal_channel: str | None = None,
         refer_police: bool = False) -> Dispute:
    WORKFLOW.check(dispute, "fail")
    reason = (reason or "").strip()
    if not reason:
        raise MediationError({"reason": _("Give the reason.")})
    if legal_channel and legal_channel not in LEGAL_CHANNELS:
        raise MediationError({"legal_channel": _("Choose one of the listed values.")})
    dispute.outcome = reason[:10_000]
    dispute.state = "failed"
    _stop_clock(dispute)
    log_note(RECORD_TYPE, dispute.id, _("Mediation failed: %(text)s", text=dispute.outcome), user=user)
    tell_other_routes(dispute, user)
    if refer_police:  # 人民调解法 Art 25: possible criminal or public-order matter
        log_event("mediation.refer_police", RECORD_TYPE, dispute.id, text=reason[:500], user=user)
    if legal_channel:
        log_event("mediation.escalate_to_legal", RECORD_TYPE, dispute.id, text=legal_channel, user=user)
        points.escalate_to_legal.send(dispute, channel=legal_channel)
    return dispute


# -- the grid worker: the first mediator (小事不出村) -------------------------------------------------
def resolve_on_spot(dispute: Dispute, user, agreed: str) -> Dispute:
    """就地化解: the grid worker settles a newly logged dispute on the spot and writes down what was agreed;
    an agreement (调解协议书) can then be drawn up. Only in the worker's own grid."""
    if not can_use_grid(user, dispute.grid):
        raise MediationError({"grid": _("Only a worker of this grid can resolve it on the spot.")})
    WORKFLOW.check(dispute, "resolve_on_spot")
    agreed = (agreed or "").strip()
    if not agreed:
        raise MediationError({"text": _("Write down what the parties agreed.")})
    dispute.outcome = agreed[:10_000]
    dispute.mediator = user
    dispute.state = "resolved"
    _stop_clock(dispute)
    log_event("mediation.resolve_on_spot", RECORD_TYPE, dispute.id, text=dispute.outcome[:2000], user=user)
    return dispute


def hand_up(dispute: Dispute, user, reason: str) -> int:
    """上报: the grid worker hands a dispute they cannot settle to the village (community) mediation
    committee, whose mediators are told; it stays registered at village level for them to take up."""
    if not can_use_grid(user, dispute.grid):
        raise MediationError({"grid": _("Only a worker of this grid can hand it up.")})
    WORKFLOW.check(dispute, "hand_up")
    reason = (reason or "").strip()
    if not reason:
        raise MediationError({"text": _("Say why it cannot be settled on the spot.")})
    committee = handling_committee(dispute)
    mediators = [m for m in (committee.mediators if committee else []) if m.active and m.id != user.id]
    log_event("mediation.hand_up", RECORD_TYPE, dispute.id, text=reason[:2000], user=user)
    try:
        url = url_for("mediation.dispute", dispute_id=dispute.id)
    except RuntimeError:
        url = None
    return len(notify(mediators, _("Handed up by the grid worker: %(ref)s", ref=dispute.reference),
                      reason[:500], url=url, record=(RECORD_TYPE, dispute.id)))


def other_routes() -> str:
    """What the parties are told when mediation ends without agreement (人民调解法 Art 26)."""
    return _("Mediation has ended. The parties may protect their rights through arbitration, administrative "
             "or judicial channels according to law: apply to an arbitration commission (labour, land contract "
             "or commercial disputes), ask the competent administrative authority to handle it, or bring a civil "
             "action in the people's court; the mediation committee at the next level up may also be asked.")


def tell_other_routes(dispute: Dispute, user) -> None:
    """Record on the item's timeline that the parties were told their other routes."""
    log_event("mediation.other_routes", RECORD_TYPE, dispute.id, text=other_routes()[:500], user=user)
    log_note(RECORD_TYPE, dispute.id, _("Parties informed: %(text)s", text=other_routes()), user=user)


def next_level(level: str) -> str | None:
    i = LEVEL_ORDER.index(level)
    return LEVEL_ORDER[i + 1] if i + 1 < len(LEVEL_ORDER) else None


def escalate(dispute: Dispute, user, reason: str) -> Dispute:
    WORKFLOW.check(dispute, "escalate")
    reason = (reason or "").strip()
    if not reason:
        raise MediationError({"reason": _("Give the reason.")})
    up = next_level(dispute.handling_level)
    if up is None:
        raise MediationError({"handling_level": _("The dispute is already handled at district level.")})
    dispute.handling_level = up
    dispute.state = "escalated"
    _stop_clock(dispute)
    dispute.mediator = None
    log_note(RECORD_TYPE, dispute.id, _("Escalated to %(level)s level: %(reason)s",
                                        level=LEVELS[up], reason=reason[:2000]), user=user)
    return dispute


def has_evidence(dispute: Dispute) -> bool:
    return db.session.scalar(select(func.count(Attachment.id)).where(
        Attachment.record_type == RECORD_TYPE, Attachment.record_id == str(dispute.id))) > 0


def close(dispute: Dispute, user, note: str = "") -> Dispute:
    """销号: only a resolved or failed dispute, and only with evidence (an attachment or a closing note)."""
    WORKFLOW.check(dispute, "close")
    note = (note or "").strip()
    if not note and not has_evidence(dispute):
        raise MediationError({"note": _("Closing needs evidence: attach a file or write a closing note.")})
    if note:
        log_note(RECORD_TYPE, dispute.id, _("Closing note: %(text)s", text=note[:5000]), user=user)
    was_resolved = dispute.state == "resolved"
    dispute.state = "closed"
    dispute.closed_at = clock.now().replace(microsecond=0)
    # 回访: a follow-up visit on the record's activities, due per the rule on the official calendar
    visit_due = date.fromisoformat(compute_rule("mediation.follow_up_visit", clock.today())["due"])
    add_activity(RECORD_TYPE, dispute.id, _("Follow-up visit (回访) to %(ref)s", ref=dispute.reference),
                 dispute.mediator or user, due_date=visit_due, user=user)
    _tell_centre(dispute, "；".join(t for t in (dispute.outcome, note) if t), resolved=was_resolved)
    return dispute


def _tell_centre(dispute: Dispute, text: str, resolved: bool) -> None:
    """A dispute routed by a one-stop centre: its answer goes back on the centre's answer point (declared by the
    centre plugin's points.py, when it is loaded; no import of it)."""
    host = current_app.extensions.get("concord")
    point = host.points.get(CENTRE_ANSWER_POINT)
    if dispute.centre_code and point is not None:
        point.send(None, centre_code=dispute.centre_code, record_type="mediation_dispute", record_id=dispute.id,
                   text=text, resolved=resolved, at=clock.now())


def reopen(dispute: Dispute, user, reason: str) -> Dispute:
    """A closed item comes back (the history stays on the record): registered again at its level."""
    WORKFLOW.check(dispute, "reopen")
    reason = (reason or "").strip()
    if not reason:
        raise MediationError({"reason": _("Give the reason.")})
    dispute.state = "registered"
    dispute.closed_at = None
    log_note(RECORD_TYPE, dispute.id, _("Reopened: %(reason)s", reason=reason[:2000]), user=user)
    return dispute
