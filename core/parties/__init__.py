"""Parties: persons (with ID-number and phone checks, duplicate detection) and organisations.

    from core.parties import create_person, find_duplicates, find_or_create_person, organisation_by_code
"""
from flask_babel import lazy_gettext as _l

from .models import ORG_KINDS, Organisation, Person
from .services import (Candidate, PartyError, create_organisation, create_person, find_duplicates,
                       find_or_create_person, organisation_by_code, organisations, update_organisation,
                       update_person)

__all__ = ["ORG_KINDS", "Organisation", "Person", "Candidate", "PartyError", "create_organisation",
           "create_person", "find_duplicates", "find_or_create_person", "organisation_by_code",
           "organisations", "update_organisation", "update_person"]

READERS = ["officer", "mediator", "legal", "aid", "leader", "admin"]
MANAGERS = ["admin", "officer", "legal"]


def setup(ctx) -> None:
    from . import models, seed, views

    ctx.models(models, branch="core_parties")
    ctx.migrations("parties/migrations", branch="core_parties")
    ctx.permissions(
        {"core.parties.read": _l("See persons and organisations"),
         "core.parties.manage": _l("Create and edit organisations")},
        default_grants={**{r: ["core.parties.read"] for r in READERS},
                        **{r: ["core.parties.read", "core.parties.manage"] for r in MANAGERS}},
    )
    ctx.blueprint(views.bp, url_prefix="/parties")
    ctx.menu("core.parties", _l("Parties"), "parties.persons", "core.parties.read", order=800)
    ctx.menu("core.parties.persons", _l("Persons"), "parties.persons", "core.parties.read",
             parent="core.parties", order=10)
    ctx.menu("core.parties.organisations", _l("Organisations"), "parties.organisations", "core.parties.read",
             parent="core.parties", order=20)
    ctx.seed("demo", seed.seed_demo_parties)
    _register_with_audit(ctx)


def _register_with_audit(ctx) -> None:
    """Full reads of a person's ID or phone are audited as ``core_person``; the audit page links back."""
    from flask import url_for

    ctx.record_type("core_person", _may_view_person, lambda user, record_id: False,
                    url=lambda record_id: url_for("parties.person", person_id=record_id))


def _may_view_person(user, record_id) -> bool:
    from core.db import db
    from core.regions.scope import user_can_see_region

    person = db.session.get(Person, record_id) if isinstance(record_id, int) else None
    if person is None or not user.can("core.parties.read"):
        return False
    return person.region_id is None or user_can_see_region(user, person.region)
