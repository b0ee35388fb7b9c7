"""Backlog cases (积案) and 包案: the automatic rules that make a case backlog, one leader with one team
and one plan per case, dated plan steps, progress reviews, and the close-out (销号) that needs evidence
and a follow-up visit (回访)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import func, select

from core.toolkit import log_event
from core.toolkit import Attachment
from core.toolkit import Role, User
from core.toolkit import Deadline
from core.toolkit import db
from core.toolkit import notify
from core.toolkit import in_scope
from core.toolkit import clock
from ..models import OPEN_STATES, PetitionCase
from ..workflow import PetitionError, _text
from .models import BacklogCase, BacklogReview, BacklogStep

RECORD = "petition_backlog"
REPEAT_THRESHOLD = 3  # petitions by the same person on the same matter (the case and two repeats)


@dataclass(frozen=True)
class BacklogRule:
    code: str
    title: str
    basis: str


# the rules as data: what the daily scan applies, each with where it comes from
RULES = (
    BacklogRule("overdue", _l("An open case past one of its statutory time limits"), "信访工作条例 第三十四条、第四十条"),
    BacklogRule("repeat", _l("The same person petitioned on the same matter three times or more"),
                "信访工作条例 第四十三条 (重复信访治理)"),
    BacklogRule("recheck_contested", _l("The petitioner came back after the re-check opinion"),
                "信访工作条例 第三十六条"),
)


def _now() -> datetime:
    return clock.now().replace(microsecond=0)


def _log(bc: BacklogCase, action: str, text: str) -> None:
    log_event(f"petition.backlog_{action}", RECORD, bc.id, text=str(text)[:2000])
    log_event(f"petition.backlog_{action}", "petition_case", bc.case_id, text=str(text)[:2000])


def backlog_of(case: PetitionCase) -> BacklogCase | None:
    return db.session.scalar(select(BacklogCase).where(BacklogCase.case_id == case.id))


def flag(case: PetitionCase, source: str, reason: str) -> BacklogCase:
    """Make *case* a backlog case (from a rule or by hand); a case is flagged once."""
    errors: dict = {}
    reason = _text(reason, "reason", 300, errors)
    if errors:
        raise PetitionError(errors)
    existing = backlog_of(case)
    if existing is not None or case.backlog:
        raise PetitionError(_("This case is already a backlog case."))
    case.backlog, case.backlog_reason = True, reason[:200]
    bc = BacklogCase(case=case, source=source, reason=reason, flagged_at=_now(), state="flagged")
    db.session.add(bc)
    db.session.flush()
    _log(bc, "flag", _("Backlog case: %(r)s", r=reason))
    return bc


# -- the automatic rules ---------------------------------------------------------------------------
def _overdue_candidates(today: date) -> list[tuple[PetitionCase, str]]:
    rows = db.session.execute(
        select(PetitionCase, func.min(Deadline.due))
        .join(Deadline, (Deadline.record_type == "petition_case") & (Deadline.record_id == PetitionCase.id))
        .where(PetitionCase.state.in_(OPEN_STATES), PetitionCase.backlog.is_(False),
               Deadline.status.in_(("open", "overdue")), Deadline.due < today)
        .group_by(PetitionCase.id)).all()
    return [(c, _("Open past its time limit (due %(due)s)", due=due.isoformat())) for c, due in rows]


def _repeat_candidates() -> list[tuple[PetitionCase, str]]:
    """The newest open item of a person with ≥ REPEAT_THRESHOLD items linked as repeats of one matter."""
    counts = (select(PetitionCase.repeat_of_id, func.count().label("n"))
              .where(PetitionCase.repeat_of_id.is_not(None)).group_by(PetitionCase.repeat_of_id)
              .having(func.count() >= REPEAT_THRESHOLD - 1).subquery())
    rows = db.session.execute(
        select(PetitionCase, counts.c.n).join(counts, counts.c.repeat_of_id == PetitionCase.id)).all()
    out = []
    for first, n in rows:
        target = first if first.state in OPEN_STATES else db.session.scalar(
            select(PetitionCase).where(PetitionCase.repeat_of_id == first.id,
                                       PetitionCase.state.in_(OPEN_STATES))
            .order_by(PetitionCase.received_at.desc()).limit(1))
        if target is not None and not target.backlog:
            out.append((target, _("%(n)d petitions on the same matter", n=n + 1)))
    return out


def _recheck_candidates() -> list[tuple[PetitionCase, str]]:
    """A re-checked (final) case whose petitioner is not satisfied or came back with the same matter."""
    later = (select(PetitionCase.repeat_of_id).where(PetitionCase.repeat_of_id.is_not(None)))
    rows = db.session.scalars(
        select(PetitionCase).where(PetitionCase.rechecked_at.is_not(None), PetitionCase.backlog.is_(False),
                                   (PetitionCase.satisfaction == "unsatisfied") | PetitionCase.id.in_(later)))
    return [(c, _("The petitioner contests the re-check opinion")) for c in rows]


def scan(today: date | None = None, notify_leaders: bool = True) -> list[BacklogCase]:
    """The daily job: apply the rules, flag what they find, tell the district's leaders."""
    today = today or clock.today()
    found: dict[int, tuple[PetitionCase, str, str]] = {}
    for source, pairs in (("recheck_contested", _recheck_candidates()), ("repeat", _repeat_candidates()),
                          ("overdue", _overdue_candidates(today))):
        for case, reason in pairs:
            found.setdefault(case.id, (case, source, reason))
    flagged = []
    leaders = db.session.scalars(select(User).where(User.active.is_(True),
                                                    User.roles.any(Role.code == "leader"))).all()
    for case, source, reason in found.values():
        bc = flag(case, source, reason)
        flagged.append(bc)
        users = [u for u in leaders if in_scope(u, case.region_id)] if notify_leaders else []
        if users:
            notify(users, _("New backlog case %(ref)s: %(r)s", ref=case.reference, r=reason),
                   url=f"/petition/backlog/{bc.id}", record=(RECORD, bc.id))
    return flagged


def scan_job() -> int:
    from flask_babel import force_locale
    with force_locale("zh"):
        return len(scan())


# -- 包案: leader, team, plan ------------------------------------------------------------------------
def assign(bc: BacklogCase, leader: User | None, team: list[User], plan: str, target_date: date | None,
           notify_leader: bool = True) -> None:
    errors: dict = {}
    plan = _text(plan, "plan", 8000, errors)
    if leader is None or not leader.active:
        errors["leader_id"] = _("Choose the responsible leader.")
    elif not in_scope(leader, bc.case.region_id):
        errors["leader_id"] = _("This leader is not responsible for the case's region.")
    if target_date is not None and target_date < clock.today():
        errors["target_date"] = _("The target date cannot be in the past.")
    if bc.state == "closed_out":
        errors[""] = _("This backlog case is closed out.")
    if errors:
        raise PetitionError(errors)
    first = bc.leader_id is None
    bc.leader, bc.team, bc.plan, bc.target_date = leader, [u for u in team if u.id != leader.id], plan, target_date
    if bc.state == "flagged":
        bc.state = "assigned"
    _log(bc, "assign", _("包案 leader: %(name)s", name=leader.display_name or leader.username))
    if first and notify_leader:
        notify(leader, _("You lead backlog case %(ref)s", ref=bc.case.reference),
               url=f"/petition/backlog/{bc.id}", record=(RECORD, bc.id))


def _open_for_work(bc: BacklogCase) -> None:
    if bc.state == "closed_out":
        raise PetitionError(_("This backlog case is closed out."))
    if bc.leader_id is None:
        raise PetitionError(_("Assign the responsible leader first."))


def add_step(bc: BacklogCase, description: str, owner: User | None, due_on: date | None) -> BacklogStep:
    _open_for_work(bc)
    errors: dict = {}
    description = _text(description, "description", 500, errors)
    if owner is None:
        errors["owner_id"] = _("Choose who does this step.")
    if due_on is None:
        errors["due_on"] = _("Enter the date.")
    if errors:
        raise PetitionError(errors)
    step = BacklogStep(description=description, owner=owner, due_on=due_on)
    bc.steps.append(step)
    bc.state = "in_progress"
    db.session.flush()
    _log(bc, "step", _("Plan step: %(d)s (%(who)s, by %(due)s)", d=description,
                       who=owner.display_name or owner.username, due=due_on.isoformat()))
    return step


def complete_step(bc: BacklogCase, step_id: int, note: str) -> None:
    _open_for_work(bc)
    step = next((s for s in bc.steps if s.id == step_id), None)
    if step is None:
        raise PetitionError(_("No such plan step."))
    if step.done_at is not None:
        raise PetitionError(_("This step is already done."))
    errors: dict = {}
    note = _text(note, "note", 500, errors, required=False)
    if errors:
        raise PetitionError(errors)
    step.done_at, step.done_note = _now(), note or None
    _log(bc, "step_done", _("Step done: %(d)s", d=step.description))


def review(bc: BacklogCase, note: str, by: User) -> BacklogReview:
    _open_for_work(bc)
    errors: dict = {}
    note = _text(note, "note", 4000, errors)
    if errors:
        raise PetitionError(errors)
    row = BacklogReview(at=_now(), by=by, note=note)
    bc.reviews.append(row)
    db.session.flush()
    _log(bc, "review", _("Progress review: %(n)s", n=note[:300]))
    return row


def evidence_count(bc: BacklogCase) -> int:
    return db.session.scalar(select(func.count()).select_from(Attachment).where(
        Attachment.record_type == RECORD, Attachment.record_id == str(bc.id))) or 0


def close_out(bc: BacklogCase, evidence: str, visit_on: date | None, visit_by: str, visit_result: str,
              today: date | None = None) -> None:
    """销号: only with a statement of how it was resolved, at least one evidence file attached to the
    backlog case, every plan step done and a follow-up visit (回访) on record."""
    today = today or clock.today()
    _open_for_work(bc)
    errors: dict = {}
    evidence = _text(evidence, "evidence", 4000, errors)
    visit_by = _text(visit_by, "visit_by", 100, errors)
    visit_result = _text(visit_result, "visit_result", 4000, errors)
    if visit_on is None:
        errors["visit_on"] = _("Enter the date of the follow-up visit.")
    elif visit_on > today:
        errors["visit_on"] = _("The follow-up visit must already have taken place.")
    if not evidence_count(bc):
        errors["evidence"] = _("Attach at least one evidence file (agreement, receipt, signed statement) "
                               "to the backlog case first.")
    open_steps = [s for s in bc.steps if s.done_at is None]
    if open_steps:
        errors[""] = _("%(n)d plan steps are not done yet.", n=len(open_steps))
    if errors:
        raise PetitionError(errors)
    bc.evidence, bc.visit_on, bc.visit_by, bc.visit_result = evidence, visit_on, visit_by, visit_result
    bc.state, bc.closed_out_at = "closed_out", _now()
    _log(bc, "close_out", _("Closed out (销号): %(e)s; follow-up visit %(d)s: %(r)s", e=evidence[:200],
                            d=visit_on.isoformat(), r=visit_result[:200]))


# -- the leader's view -----------------------------------------------------------------------------
def leader_cases(leader: User, today: date | None = None) -> list[dict]:
    """The leader's open backlog cases, the late ones first, each with what is late."""
    today = today or clock.today()
    rows = db.session.scalars(select(BacklogCase).where(BacklogCase.leader_id == leader.id,
                                                        BacklogCase.state != "closed_out")).all()
    out = []
    for bc in rows:
        late = bc.late_steps(today)
        overdue_target = bc.target_date is not None and bc.target_date < today
        last_review = bc.reviews[-1].at.date() if bc.reviews else None
        out.append({"backlog": bc, "late_steps": late, "overdue_target": overdue_target,
                    "late": bool(late) or overdue_target, "last_review": last_review})
    out.sort(key=lambda r: (not r["late"], r["backlog"].target_date or date.max))
    return out
