"""Flags set at intake and the merge of a duplicate: urgent items (raised at once), automatic
level-skipping (越级访) detection, and merging the same matter into one item instead of two."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from core.toolkit import log_event
from core.toolkit import Deadline
from core.toolkit import db
from core.toolkit import notify
from core.toolkit import in_scope
from core.toolkit import clock
from .models import CHANNELS, OPEN_STATES, PetitionCase
from .workflow import PetitionError, _move, _stop_all, _text

GROUP_VISIT = 5           # 信访工作条例 第二十条: five or more people make a group visit (集体访)
MERGEABLE = ("registered", "forwarded", "assigned")


def urgent_reasons(case: PetitionCase, stated: str | None) -> list[str]:
    reasons = []
    if stated and stated.strip():
        reasons.append(stated.strip())
    if case.group_size >= GROUP_VISIT:
        reasons.append(_("Group visit of %(n)d people", n=case.group_size))
    return reasons


def raise_urgent(case: PetitionCase, reasons: list[str]) -> None:
    """Flag the item urgent and tell the officer and the leaders responsible for its region at once."""
    from .supervision import _leaders
    case.urgent, case.urgent_reason = True, "; ".join(reasons)[:200]
    log_event("petition.urgent", "petition_case", case.id, text=case.urgent_reason)
    users = [u for u in _leaders() if in_scope(u, case.region_id)]
    if case.officer_id:
        users.append(case.officer_id)
    notify(users, _("Urgent petition %(ref)s: %(r)s", ref=case.reference, r=case.urgent_reason),
           url=f"/petition/{case.id}", record=case)


def skip_level_reason(case: PetitionCase, earlier: PetitionCase | None, today: date | None = None) -> str | None:
    """越级访, detected: an item transferred from a higher level although this level never had the matter,
    or while this level's earlier item on it is still within its time limits."""
    if case.channel != "transferred":
        return None
    if earlier is None:
        return _("Lodged with a higher level before the competent local office had the matter")
    today = today or clock.today()
    if earlier.state in OPEN_STATES:
        overdue = db.session.scalar(select(Deadline.id).where(
            Deadline.record_type == "petition_case", Deadline.record_id == earlier.id,
            Deadline.status.in_(("open", "overdue")), Deadline.due < today).limit(1))
        if overdue is None:
            return _("Lodged with a higher level while %(ref)s is still being handled within its time limits",
                     ref=earlier.reference)
    return None


def merge_at_intake(target: PetitionCase, *, channel: str, received_at: datetime, request: str) -> None:
    """The same matter received again (another letter, a call about the same item): recorded on the existing
    item, not registered twice."""
    errors: dict = {}
    request = _text(request, "request", 4000, errors)
    if channel not in CHANNELS:
        errors["channel"] = _("Choose a channel from the list.")
    if errors:
        raise PetitionError(errors)
    log_event("petition.merge", "petition_case", target.id, text=_(
        "Same matter received again (%(ch)s, %(at)s): %(req)s", ch=CHANNELS[channel],
        at=received_at.strftime("%Y-%m-%d %H:%M"), req=request[:1500]))


def merge(duplicate: PetitionCase, target: PetitionCase, reason: str) -> None:
    """Merge a registered duplicate into the item that carries the matter: the duplicate's clocks stop, its
    representatives join the target, both chatters say so."""
    errors: dict = {}
    reason = _text(reason, "reason", 500, errors)
    if target is None:
        errors["target"] = _("Enter the reference of the item to merge into.")
    elif target.id == duplicate.id:
        errors["target"] = _("An item cannot be merged into itself.")
    elif target.state not in OPEN_STATES:
        errors["target"] = _("Merge only into an open item.")
    if duplicate.state not in MERGEABLE:
        errors[""] = _("Only an item not yet accepted can be merged.")
    if errors:
        raise PetitionError(errors)
    _move(duplicate, "merge", note=_("Merged into %(ref)s: %(r)s", ref=target.reference, r=reason))
    duplicate.merged_into_id = target.id
    _stop_all(duplicate)
    known = {p.id for p in target.representatives} | {target.petitioner_id}
    for person in [duplicate.petitioner, *duplicate.representatives]:
        if person.id not in known and len(target.representatives) < 5:
            target.representatives.append(person)
            known.add(person.id)
    log_event("petition.merge", "petition_case", target.id,
              text=_("%(ref)s merged into this item: %(r)s", ref=duplicate.reference, r=reason))
