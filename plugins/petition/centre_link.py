"""The petition register's side of a one-stop centre (no import of it): a matter the centre routes here becomes a
registered petition carrying the centre's case code, and the reply goes back on the centre's answer point."""
from __future__ import annotations

from flask import current_app

from core.toolkit import clock

ROUTE_POINT = "centre.route_matter"      # sender: the centre's matter; kwargs case, route, unit, user
ANSWER_POINT = "centre.matter_answered"  # sender: None; kwargs centre_code, record_type, record_id, text, resolved


def on_route(matter, case=None, route: str = "", unit=None, user=None, **_kw):
    """Register the routed matter as a petition (the person is the one the centre found or created)."""
    if route != "petition" or case is None:
        return None
    from .intake import register
    person = case.person
    petition = register(channel=case.channel, received_at=case.received_at, request=matter.summary,
                                 facts=getattr(unit, "name", "") and f"一站式中心交办（牵头：{unit.name}）",
                                 petitioner={"name": person.name, "id_number": person.id_number,
                                             "phone": person.phone, "person": person},
                                 region_id=case.region_id, officer_id=None)
    petition.centre_code = case.code
    return {"record_type": "petition_case", "record_id": petition.id, "reference": petition.reference}


def tell_centre(case, text: str, resolved: bool = True) -> None:
    """A petition the centre routed here was answered: tell the centre (nothing happens without one)."""
    host = current_app.extensions.get("concord")
    point = host.points.get(ANSWER_POINT)    # declared by the centre plugin's points.py, when it is loaded
    if case.centre_code and point is not None:
        point.send(None, centre_code=case.centre_code, record_type="petition_case", record_id=case.id, text=text,
                   resolved=resolved, at=clock.now())
