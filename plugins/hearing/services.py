"""Hearing services: the procedure as data (``WORKFLOW``, the agenda), the record's journal (events,
participants, statements), the application and the decision. Built on by ``scheduling.py`` (time, place,
notices), ``session.py`` (the hearing itself, its conclusion and service), ``pool/`` (the panel) and
``minutes/``; none of them is imported here. Callers commit; every refusal is a ``ServiceError`` with
translated text."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select

from core.toolkit import log_event
from core.toolkit import start_deadline, stop_if_running
from core.toolkit import db
from core.toolkit import ServiceError, Transition, Workflow, clean_text
from core.toolkit import next_reference
from core.toolkit import settings
from core.toolkit import clock
from .models import ATTENDANCE_ROLES, STATES, Event, Hearing, Participant, Statement

RECORD_TYPE = "hearing_hearing"
LIVE = ("open", "paused", "overdue")
ACTIVE = ("scheduled", "notified", "in_session", "suspended")   # hold a slot in the calendar
OPEN = ("applied", "accepted", "scheduled", "notified", "in_session", "suspended", "held", "concluded")
PETITION_CLOSED = ("closed", "not_accepted")


def setting(key: str):
    return settings.get(f"hearing.{key}")


def now() -> datetime:
    return clock.now().replace(microsecond=0)


_NOT_NOW = _l("Not possible while the hearing is “%(state)s”.")
_MANAGE, _RUN = "hearing.hearing.manage", "hearing.hearing.run"
_SESSION = ("notified", "in_session", "suspended")
_RECORDING = ("applied", "accepted", "scheduled", "notified", "in_session", "suspended", "held", "concluded")
_MINUTES = ("held", "concluded", "served")


def _t(action, label, sources, target=None, permission=_RUN, **kw) -> Transition:
    return Transition(action, label, sources, target, permission=permission, refusal=_NOT_NOW, **kw)


# the hearing procedure as data (core/workflow.py): every step, the stages it may happen in and where it leads;
# steps that keep the stage (statements, evidence, votes, panel changes) are declared too, so one table says
# what may happen when
WORKFLOW = Workflow("hearing", record_type=RECORD_TYPE, states=STATES, audit=False, transitions=[
    _t("accept", _l("Accept the application"), ("applied",), "accepted", _MANAGE,
       clocks_stop=("hearing.decide",), clocks_start=("hearing.hold",)),
    _t("refuse", _l("Refuse the application"), ("applied",), "refused", _MANAGE, clocks_stop=("hearing.decide",)),
    _t("withdraw", _l("Withdraw"), ("applied", "accepted", "scheduled", "notified"), "withdrawn", _MANAGE),
    _t("add_member", _l("Appoint a panelist"), ("accepted", "scheduled"), None, _MANAGE, api_name="add_panelist"),
    _t("remove_member", _l("Remove a panelist"), ("accepted", "scheduled"), None, _MANAGE),
    _t("schedule", _l("Schedule"), ("accepted", "scheduled"), "scheduled", _MANAGE),
    _t("postpone", _l("Postpone"), ("scheduled", "notified", "suspended"), "scheduled", _MANAGE),
    _t("send_notices", _l("Serve the notices"), ("scheduled",), "notified", _MANAGE, document="hearing.document"),
    _t("open_session", _l("Open the hearing"), ("notified",), "in_session", api_name="open"),
    _t("set_step", _l("Move to a procedure step"), ("in_session",)),
    _t("record_arrival", _l("Record arrival"), _SESSION),
    _t("record_absence", _l("Record absence"), _SESSION),
    _t("add_statement", _l("Record a statement"), _RECORDING),
    _t("add_evidence", _l("Present evidence"), ("in_session",)),
    _t("challenge_evidence", _l("Challenge evidence"), ("in_session",)),
    _t("request_recusal", _l("Request recusal"), ("notified", "in_session")),
    _t("suspend", _l("Suspend"), ("in_session",), "suspended"),
    _t("resume", _l("Resume"), ("suspended",), "in_session"),
    _t("close_session", _l("Close the hearing"), ("in_session",), "held", api_name="close"),
    _t("record_vote", _l("Record a vote"), ("in_session", "suspended", "held")),
    _t("conclude", _l("Conclude"), ("in_session", "held"), "concluded", document="hearing.document"),
    _t("serve_conclusion", _l("Serve the conclusion"), ("concluded",), "served", _MANAGE, api_name="serve",
       api_summary=_l("Record service of the conclusion")),
    _t("save_draft", _l("Save the minutes"), _MINUTES),
    _t("confirm", _l("A party confirms or refuses the minutes"), _MINUTES),
    _t("lock", _l("Lock the minutes"), _MINUTES, document="hearing.minutes"),
])


def event(hearing: Hearing, kind: str, text_: str, at: datetime | None = None) -> Event:
    ev = Event(hearing_id=hearing.id, kind=kind, at=at or now(), text=str(text_)[:4000])
    db.session.add(ev)
    log_event(f"hearing.{kind}"[:40], RECORD_TYPE, hearing.id, text=str(text_)[:2000])
    return ev


def stop_clock(hearing: Hearing, rule: str) -> None:
    stop_if_running(hearing, rule)


# -- application and decision ------------------------------------------------------------------------
def _organiser(case) -> str:
    if case.handling_unit is not None:
        return case.handling_unit.name
    node = case.region
    while node is not None and node.level != "county":
        node = node.parent
    return f"{node.name if node else ''}信访局"


def legal_route_reason(case) -> str | None:
    """Why a hearing is excluded: the matter is in, or belongs to, litigation, arbitration or
    reconsideration (any statutory route other than the ordinary petition procedure)."""
    if case.route and case.route != "ordinary":
        from plugins.petition.models import ROUTES
        return _("The matter belongs to a statutory procedure (%(route)s): no hearing is held on matters "
                 "that are in, or belong to, litigation, arbitration or reconsideration.",
                 route=ROUTES.get(case.route, case.route))
    return None


def apply(case, *, origin: str = "application", applied_at: datetime | None = None,
          consent_at: datetime | None = None, matter: str = "", owner=None,
          scheduled_at: datetime | None = None, venue: str = "") -> Hearing:
    """The petitioner applies, or the unit proposes with the petitioner's consent. A matter on a
    statutory route is refused at once, with the reason; a case that is not a backlog case gets a
    warning (backlog is one trigger of several)."""
    errors: dict = {}
    if case is None:
        raise ServiceError({"petition_id": _("No petition with this id.")})
    if origin not in ("application", "proposal"):
        errors["origin"] = _("Choose who asks for the hearing.")
    if origin == "proposal" and consent_at is None:
        errors["consent_at"] = _("A hearing proposed by the unit needs the petitioner's consent (give its date).")
    matter = clean_text(matter or case.request[:1000], "matter", 2000, errors)
    venue = clean_text(venue, "venue", 200, errors, required=False)
    applied_at = applied_at or now()
    if applied_at > now() + timedelta(minutes=5):
        errors["applied_at"] = _("Cannot lie in the future.")
    if errors:
        raise ServiceError(errors)
    if case.state in PETITION_CLOSED:
        raise ServiceError({"petition_id": _("The petition is closed; no hearing can be held on it.")})
    busy = db.session.scalar(select(Hearing.id).where(Hearing.petition_id == case.id, Hearing.state.in_(OPEN)))
    if busy:
        raise ServiceError({"petition_id": _("This petition already has a hearing under way.")})
    hearing = Hearing(reference=next_reference("hearing.hearing", applied_at), petition_id=case.id,
                      region_id=case.region_id, origin=origin, applied_at=applied_at, consent_at=consent_at,
                      matter=matter, organiser=_organiser(case), owner_id=getattr(owner, "id", owner),
                      scheduled_at=scheduled_at, venue=venue, state="applied")
    hearing.petition = case
    if not case.backlog:
        hearing.warning = _("This petition is not marked as a backlog case.")
    db.session.add(hearing)
    db.session.flush()
    event(hearing, "applied", ORIGIN_TEXT()[origin])
    reason = legal_route_reason(case)
    if reason:
        _decide(hearing, "refused", reason)
    else:
        start_deadline(hearing, "hearing.decide", applied_at.date())
    return hearing


def ORIGIN_TEXT() -> dict:  # noqa: N802 - a table
    return {"application": _("The petitioner applied for a hearing."),
            "proposal": _("The unit proposed a hearing; the petitioner consented.")}


def _decide(hearing: Hearing, state: str, note: str) -> None:
    hearing.state, hearing.decided_at, hearing.decision_note = state, now(), note
    stop_clock(hearing, "hearing.decide")
    event(hearing, state, note)


def accept(hearing: Hearing, note: str = "") -> None:
    WORKFLOW.check(hearing, "accept")
    reason = legal_route_reason(hearing.petition)
    if reason:
        raise ServiceError(reason)
    _decide(hearing, "accepted", note or _("The application is accepted; a hearing will be held."))
    start_deadline(hearing, "hearing.hold", hearing.applied_at.date())
    _seed_parties(hearing)


def refuse(hearing: Hearing, reason: str) -> None:
    errors: dict = {}
    reason = clean_text(reason, "reason", 2000, errors)
    if errors:
        raise ServiceError(errors)
    WORKFLOW.check(hearing, "refuse")
    _decide(hearing, "refused", reason)


def withdraw(hearing: Hearing, reason: str) -> None:
    errors: dict = {}
    reason = clean_text(reason, "reason", 2000, errors)
    if errors:
        raise ServiceError(errors)
    WORKFLOW.check(hearing, "withdraw")
    hearing.state = "withdrawn"
    for rule in ("hearing.decide", "hearing.hold"):
        stop_clock(hearing, rule)
    event(hearing, "withdrawn", reason)


def _seed_parties(hearing: Hearing) -> None:
    case = hearing.petition
    add_participant(hearing, "petitioner", case.petitioner.name, person_id=case.petitioner.id)
    for rep in case.representatives:
        add_participant(hearing, "agent", rep.name, person_id=rep.id)
    add_participant(hearing, "unit", _("Unit representative"), unit=hearing.organiser)


def unit_representative(hearing: Hearing):
    return next((p for p in hearing.participants if p.role == "unit"), None)


def set_unit_representative(hearing: Hearing, name: str, unit: str | None = None):
    """Who attends for the handling unit (承办单位参加人), a real name instead of the placeholder."""
    errors: dict = {}
    name = clean_text(name, "unit_rep", 100, errors)
    unit = clean_text(unit or hearing.organiser or "", "unit_name", 200, errors, required=False)
    if errors:
        raise ServiceError(errors)
    p = unit_representative(hearing)
    if p is None:
        return add_participant(hearing, "unit", name, unit=unit)
    p.name, p.unit = name, unit
    db.session.flush()
    return p


def add_participant(hearing: Hearing, role: str, name: str, unit: str = "", person_id: int | None = None,
                    panel_member_id: int | None = None) -> Participant:
    errors: dict = {}
    if role not in ATTENDANCE_ROLES:
        errors["role"] = _("Choose a role from the list.")
    name = clean_text(name, "name", 100, errors)
    unit = clean_text(unit, "unit", 200, errors, required=False)
    if errors:
        raise ServiceError(errors)
    p = Participant(role=role, name=name, unit=unit, person_id=person_id, panel_member_id=panel_member_id)
    hearing.participants.append(p)
    db.session.flush()
    return p


# -- the agenda and the statements recorded against it ------------------------------------------------
AGENDA = {
    "identity": _l("Check identities"),
    "opening": _l("Open; announce the matter and the names"),
    "rights": _l("Rights, duties and discipline"),
    "recusal": _l("Ask about recusal"),
    "petitioner": _l("Petitioner states the case and evidence"),
    "unit": _l("Unit states facts, evidence, legal basis and decision"),
    "debate": _l("Rebuttal and cross-examination"),
    "questions": _l("Panelists question both sides"),
    "final": _l("Final statements"),
    "deliberation": _l("Parties leave; the panel deliberates"),
    "conclusion": _l("Resume; announce the conclusion; close"),
}


def agenda_labels() -> dict[str, str]:
    return {k: str(v) for k, v in AGENDA.items()}


def statements(hearing: Hearing) -> list[Statement]:
    return db.session.scalars(select(Statement).where(Statement.hearing_id == hearing.id)
                              .order_by(Statement.at, Statement.id)).all()
