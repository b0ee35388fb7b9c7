"""Create and change persons and organisations; find probable duplicates of a person.

Every function validates first and raises ``PartyError`` (field → translated message) before it
changes anything; it flushes but never commits (the request or job commits once).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from core.db import db
from core.regions.models import Region
from .models import ORG_KINDS, Organisation, Person
from .validation import InvalidValue, clean_id_number, clean_name, clean_phone, normalise_name

UNSET = object()
PERSON_FIELDS = ("name", "id_number", "phone", "address", "region_id")
ORG_FIELDS = ("name", "kind", "code", "region_id", "address", "phone", "active")


class PartyError(ValueError):
    """Invalid input: ``errors`` maps a field name to a message in the user's language."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


# -- validation ------------------------------------------------------------------------------------
def _text(value, max_len: int, label_field: str, errors: dict) -> str | None:
    text = re.sub(r"\s+", " ", str(value or "")).strip()
    if len(text) > max_len:
        errors[label_field] = _("At most %(n)d characters.", n=max_len)
    return text or None


def _region(value, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    try:
        region_id = int(value)
    except (TypeError, ValueError):
        region_id = None
    if region_id is None or db.session.get(Region, region_id) is None:
        errors["region_id"] = _("Unknown region.")
        return None
    return region_id


def _check(field_name: str, fn, value, errors: dict, **kw):
    try:
        return fn(value, **kw)
    except InvalidValue as exc:
        errors[field_name] = str(exc)
        return None


def _clean_person(data: dict) -> dict:
    errors: dict[str, str] = {}
    out = {}
    if "name" in data:
        out["name"] = _check("name", clean_name, data["name"], errors)
        out["name_norm"] = normalise_name(out["name"])
    if "id_number" in data:
        out["id_number"] = _check("id_number", clean_id_number, data["id_number"], errors)
    if "phone" in data:
        out["phone"] = _check("phone", clean_phone, data["phone"], errors)
    if "address" in data:
        out["address"] = _text(data["address"], 200, "address", errors)
    if "region_id" in data:
        out["region_id"] = _region(data["region_id"], errors)
    if errors:
        raise PartyError(errors)
    return out


def _given(**fields) -> dict:
    return {k: v for k, v in fields.items() if v is not UNSET}


# -- persons ---------------------------------------------------------------------------------------
def create_person(name: str, id_number: str | None = None, phone: str | None = None,
                  address: str | None = None, region_id: int | None = None) -> Person:
    person = Person(**_clean_person(dict(name=name, id_number=id_number, phone=phone, address=address,
                                         region_id=region_id)))
    db.session.add(person)
    db.session.flush()
    return person


def update_person(person: Person, name=UNSET, id_number=UNSET, phone=UNSET, address=UNSET,
                  region_id=UNSET) -> Person:
    """Change the given fields only (leave a field out to keep it; pass None to clear it)."""
    for key, value in _clean_person(_given(name=name, id_number=id_number, phone=phone, address=address,
                                           region_id=region_id)).items():
        setattr(person, key, value)
    db.session.flush()
    return person


REASONS = {
    "id_number": lambda: _("same ID number"),
    "name_phone": lambda: _("same name and phone number"),
}


@dataclass
class Candidate:
    """A person who may be the same as the one being entered, and why."""

    person: Person
    reasons: list[str] = field(default_factory=list)   # codes: id_number, name_phone

    @property
    def reason_labels(self) -> list[str]:
        return [REASONS[r]() for r in self.reasons]


def _quiet(fn, value, **kw):
    try:
        return fn(value, **kw)
    except InvalidValue:
        return None


def find_duplicates(name: str | None = None, id_number: str | None = None, phone: str | None = None,
                    exclude_id: int | None = None, limit: int = 20) -> list[Candidate]:
    """Persons that are probably the one described: the same ID number, or the same normalised name
    and the same phone number. Invalid values are simply not matched on. ID matches come first."""
    found: dict[int, Candidate] = {}
    id_number = _quiet(clean_id_number, id_number)
    phone = _quiet(clean_phone, phone)
    name_norm = normalise_name(name)
    queries = []
    if id_number:
        queries.append(("id_number", select(Person).where(Person.id_number == id_number)))
    if name_norm and phone:
        queries.append(("name_phone", select(Person).where(Person.name_norm == name_norm, Person.phone == phone)))
    for reason, stmt in queries:
        if exclude_id is not None:
            stmt = stmt.where(Person.id != exclude_id)
        for person in db.session.scalars(stmt.order_by(Person.id).limit(limit)):
            found.setdefault(person.id, Candidate(person)).reasons.append(reason)
    return list(found.values())[:limit]


def person_lock_key(id_number: str | None = None, name: str | None = None, phone: str | None = None) -> str | None:
    """The ``core.concurrency.locks.serialise`` key of a person: by ID number, else by name and phone."""
    id_number = _quiet(clean_id_number, id_number)
    if id_number:
        return f"core.person.id:{id_number}"
    phone, name_norm = _quiet(clean_phone, phone), normalise_name(name)
    return f"core.person.np:{name_norm}:{phone}" if name_norm and phone else None


def person_in_scope(user, person: Person) -> bool:
    """May *user* learn of and link to *person*: the person lies in the user's region, or the user may read
    persons and sees this one (``core_person`` record access)."""
    from core.regions.scope import user_can_see_region
    if person.region_id is not None and user_can_see_region(user, person.region):
        return True
    from core.audit.access import may_view
    return may_view(user, "core_person", person.id)


def find_or_create_person(name: str, id_number: str | None = None, phone: str | None = None,
                          address: str | None = None, region_id: int | None = None,
                          viewer=None) -> tuple[Person, bool]:
    """The person with this (valid) ID number if one exists, else a new one: ``(person, created)``.
    A name-and-phone match is not trusted enough to merge silently: use ``find_duplicates`` to ask."""
    cleaned = _clean_person(dict(name=name, id_number=id_number, phone=phone, address=address,
                                 region_id=region_id))
    if cleaned["id_number"]:
        # check and insert under one lock: two requests naming the same ID number at once make one person
        from core.concurrency.locks import serialise
        serialise(person_lock_key(cleaned["id_number"]))
        existing = db.session.scalar(select(Person).where(Person.id_number == cleaned["id_number"])
                                     .order_by(Person.id).limit(1))
        if existing is not None and (viewer is None or person_in_scope(viewer, existing)):
            return existing, False
        # a person outside *viewer*'s scope is neither revealed nor attached: the caller gets a record of
        # its own with the name it gave (the offices merge duplicates on the persons page)
    person = Person(**cleaned)
    db.session.add(person)
    db.session.flush()
    return person, True


# -- organisations ---------------------------------------------------------------------------------
def _clean_org(data: dict, org_id: int | None = None) -> dict:
    errors: dict[str, str] = {}
    out = {}
    if "name" in data:
        out["name"] = _check("name", clean_name, data["name"], errors)
    if "kind" in data:
        if data["kind"] not in ORG_KINDS:
            errors["kind"] = _("Choose a kind from the list.")
        out["kind"] = data["kind"]
    if "code" in data:
        code = re.sub(r"\s+", "", str(data["code"] or "")).upper() or None
        if code and not re.fullmatch(r"[0-9A-Z][0-9A-Z._-]{0,39}", code):
            errors["code"] = _("A code has up to 40 letters, digits, dots, hyphens or underscores.")
        elif code and db.session.scalar(select(Organisation.id).where(
                Organisation.code == code, Organisation.id != (org_id or 0))) is not None:
            errors["code"] = _("Another organisation already has the code %(code)s.", code=code)
        out["code"] = code
    if "phone" in data:
        out["phone"] = _check("phone", clean_phone, data["phone"], errors, allow_service=True)
    if "address" in data:
        out["address"] = _text(data["address"], 200, "address", errors)
    if "region_id" in data:
        out["region_id"] = _region(data["region_id"], errors)
    if "active" in data:
        out["active"] = bool(data["active"])
    if errors:
        raise PartyError(errors)
    return out


def create_organisation(name: str, kind: str, code: str | None = None, region_id: int | None = None,
                        address: str | None = None, phone: str | None = None, active: bool = True) -> Organisation:
    org = Organisation(**_clean_org(dict(name=name, kind=kind, code=code, region_id=region_id,
                                         address=address, phone=phone, active=active)))
    db.session.add(org)
    db.session.flush()
    return org


def update_organisation(org: Organisation, name=UNSET, kind=UNSET, code=UNSET, region_id=UNSET,
                        address=UNSET, phone=UNSET, active=UNSET) -> Organisation:
    for key, value in _clean_org(_given(name=name, kind=kind, code=code, region_id=region_id, address=address,
                                        phone=phone, active=active), org.id).items():
        setattr(org, key, value)
    db.session.flush()
    return org


def organisation_by_code(code: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.code == (code or "").upper()))


def organisations(kind: str | None = None, active_only: bool = True) -> list[Organisation]:
    """For choice lists: e.g. ``organisations("court")`` → the courts, by name."""
    stmt = select(Organisation).order_by(Organisation.name)
    if kind:
        stmt = stmt.where(Organisation.kind == kind)
    if active_only:
        stmt = stmt.where(Organisation.active.is_(True))
    return list(db.session.scalars(stmt))
