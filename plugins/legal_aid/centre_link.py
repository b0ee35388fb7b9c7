"""Legal aid's side of a one-stop centre (no import of it): a legal-aid request the centre routes here becomes a
legal-aid application carrying the centre's case code, with what the window knows (the person, the summary, the
other party); the materials the window could not take are listed missing, so the application waits for them
on this side (the one notice of Art 43, then the decision). The decision and the closure go back on the centre's
answer point."""
from __future__ import annotations

import logging



log = logging.getLogger(__name__)

ROUTE_POINT = "centre.route_matter"      # sender: the centre's matter; kwargs case, route, unit, user
# the answers go back on "centre.matter_answered", sent by the application's services (aid/services.py)

# the centre's dispute categories (contract §5) → the matter lists of 法律援助法 Arts 31–32; the legal-aid
# officer checks it with the application form (anything else starts as "other matter set by law", Art 31(9))
CATEGORY_MATTER = {"labour": "labour", "medical": "injury", "traffic": "injury", "environment": "environment"}


def missing_for(person, matter_type: str) -> list[str]:
    """What the window did not take: the signed form, the hardship proof (when means-tested), the materials
    of the matter, and the identity document when no ID number was given."""
    from .aid.services import eligibility_for
    missing = [] if getattr(person, "id_number", None) else ["id"]
    missing.append("application_form")
    if eligibility_for(matter_type, None) == "means_test":
        missing.append("hardship")
    return missing + ["case_materials"]


def on_route(matter, case=None, route: str = "", unit=None, user=None, **_kw):
    """Open a legal-aid application for the routed request (the person is the one the centre found or created)."""
    if route != "legal_aid" or case is None:
        return None
    from .aid import services as aid
    matter_type = CATEGORY_MATTER.get(matter.category or "", "other_31")
    others = [o.get("name") for o in (matter.other_parties or []) if isinstance(o, dict) and o.get("name")]
    try:
        app = aid.create_application(person_id=case.person_id, region_id=case.region_id, matter_type=matter_type,
                                     summary=matter.summary, opposing_party="、".join(others)[:200],
                                     documents_missing=missing_for(case.person, matter_type),
                                     received_at=case.received_at, user=user, centre_code=case.code)
    except aid.AidError as exc:
        log.info("no legal-aid application for centre case %s: %s", case.code, exc.errors)
        return None
    return {"record_type": aid.RECORD, "record_id": app.id, "reference": app.reference}
