"""The mediator roster: people's, full-time, industry and lawyer mediators with their specialties,
languages or dialects, committee, qualifications, training hours, availability and current caseload."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from core.toolkit import User
from core.toolkit import db
from .models import MEDIATOR_KINDS, MediatorProfile
from .services import CourtError, caseload, mediators
from ..committees.models import Committee
from ..models import CATEGORIES

FIELDS = ("kind", "specialties", "languages", "committee_id", "qualifications", "training_hours", "available",
          "max_load")


def save_profile(actor, profile: MediatorProfile | None, data: dict) -> MediatorProfile:
    errors = {}
    if profile is None:
        user = db.session.get(User, int(data.get("user_id") or 0)) if str(data.get("user_id") or "").isdigit() else None
        if user is None or not user.can("mediation.court.mediate"):
            errors["user_id"] = _("Only users who may mediate court cases are on the roster.")
        elif db.session.scalar(select(MediatorProfile.id).where(MediatorProfile.user_id == user.id)):
            errors["user_id"] = _("This mediator is already on the roster.")
        if errors:
            raise CourtError(errors)
        profile = MediatorProfile(user_id=user.id)
        db.session.add(profile)
    if "kind" in data and data["kind"] is not None:
        if data["kind"] not in MEDIATOR_KINDS:
            errors["kind"] = _("Choose one of the listed values.")
        else:
            profile.kind = data["kind"]
    if data.get("specialties") is not None:
        specs = [s for s in data["specialties"] if s]
        if any(s not in CATEGORIES for s in specs):
            errors["specialties"] = _("Choose one of the listed values.")
        else:
            profile.specialties = sorted(set(specs), key=list(CATEGORIES).index)
    for key, limit in (("languages", 200), ("qualifications", 300)):
        if key in data:
            value = " ".join(str(data[key] or "").split())
            if len(value) > limit:
                errors[key] = _("Must have at most %(n)s characters.", n=limit)
            setattr(profile, key, value[:limit])
    if "committee_id" in data:
        cid = str(data["committee_id"] or "").strip()
        if cid in ("", "0"):
            profile.committee_id = None
        elif not cid.isdigit() or len(cid) > 9 or db.session.get(Committee, int(cid)) is None:
            errors["committee_id"] = _("No such committee.")
        else:
            profile.committee_id = int(cid)
    for key, low, high in (("training_hours", 0, 100_000), ("max_load", 1, 1000)):
        if data.get(key) is not None:
            try:
                value = int(data[key])
                if not low <= value <= high:
                    raise ValueError
                setattr(profile, key, value)
            except (TypeError, ValueError):
                errors[key] = _("Must be a whole number between %(a)s and %(b)s.", a=low, b=high)
    if data.get("available") is not None:
        profile.available = bool(data["available"])
    if errors:
        raise CourtError(errors)
    db.session.flush()
    return profile


def roster_rows() -> list[dict]:
    """Everyone who may mediate court cases, with their roster entry (if any) and current load."""
    people = mediators()
    profiles = {p.user_id: p for p in db.session.scalars(select(MediatorProfile))}
    load = caseload([u.id for u in people])
    return [{"user": u, "profile": profiles.get(u.id), "load": load[u.id],
             "specialties": "、".join(str(CATEGORIES.get(s, s)) for s in (profiles[u.id].specialties or []))
             if u.id in profiles else ""} for u in people]
