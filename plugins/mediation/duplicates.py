"""Is this the same matter? Disputes that may already be on the ledger, asked about before a capture is
registered (the petition intake's duplicate step, for the grid), and the lock that makes that check and
the registration one step when two captures of the same dispute arrive at once."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from core.toolkit import clock
from core.toolkit import Person
from core.toolkit import person_lock_key
from core.toolkit import InvalidValue, clean_phone, normalise_name
from .models import Dispute, DisputeParty

RECENT = timedelta(days=7)       # an open dispute of the same party found this long ago is still asked about


def _grams(text: str | None) -> set[str]:
    s = "".join(ch for ch in (text or "") if not ch.isspace())
    return {s[i:i + 2] for i in range(len(s) - 1)} or {s}


def similarity(a: str | None, b: str | None) -> float:
    """Dice overlap of character pairs (Chinese text has no word breaks): 0 … 1."""
    ga, gb = _grams(a), _grams(b)
    return 2 * len(ga & gb) / max(1, len(ga) + len(gb))


def _phone(value) -> str | None:
    try:
        return clean_phone(value) if value else None
    except InvalidValue:
        return None


def lock_keys(grid_id, parties: list[dict] | None = None) -> list[str]:
    """What a capture locks (``core.concurrency.locks.serialise``) before it looks for duplicates."""
    keys = [f"mediation.dispute.grid:{grid_id}"]
    for row in parties or []:
        if isinstance(row, dict):
            keys.append(person_lock_key(row.get("id_number"), row.get("name"), row.get("phone")))
    return [k for k in keys if k]


def candidates(*, grid_id: int, category: str | None, summary: str | None, found_at: datetime | None = None,
               parties: list[dict] | None = None, visible=None, limit: int = 10) -> list[dict]:
    """Disputes that may be the one being captured, each ``{"dispute", "reasons"}``: the same grid and day
    with a similar summary (or the same category and a somewhat similar one), or an open dispute of the
    same category with a party of the same name and phone. *visible*: a ``select(Dispute)`` of what the
    user may see (``access.visible_disputes``); nothing outside it is named."""
    base = visible if visible is not None else select(Dispute)
    found: dict[int, dict] = {}

    def add(d: Dispute, reason: str) -> None:
        entry = found.setdefault(d.id, {"dispute": d, "reasons": []})
        if reason not in entry["reasons"]:
            entry["reasons"].append(reason)

    day = (found_at or clock.now()).date()
    start = datetime.combine(day, datetime.min.time())
    same_day = base.where(Dispute.grid_id == grid_id, Dispute.found_at >= start,
                                     Dispute.found_at < start + timedelta(days=1)).order_by(Dispute.id).limit(200)
    from core.toolkit import db
    for d in db.session.scalars(same_day):
        score = similarity(d.summary, summary)
        if score >= 0.5 or (d.category == category and score >= 0.3):
            add(d, _("same grid and day, similar summary"))
    for row in parties or []:
        name = normalise_name(row.get("name")) if isinstance(row, dict) else None
        phone = _phone(row.get("phone")) if isinstance(row, dict) else None
        if not name or not phone:
            continue
        stmt = (base.join(DisputeParty, DisputeParty.dispute_id == Dispute.id)
                .join(Person, Person.id == DisputeParty.person_id)
                .where(Person.name_norm == name, Person.phone == phone, Dispute.category == category,
                       Dispute.state != "closed", Dispute.found_at >= start - RECENT)
                .order_by(Dispute.id.desc()).limit(limit))
        for d in db.session.scalars(stmt):
            add(d, _("same party, same category, still open"))
    return list(found.values())[:limit]
