"""Mediation's side of a one-stop centre (no import of it): a dispute the centre routes to a mediation committee
is logged in the ledger with the centre's case code; closing it (agreement performed, or mediation ended) goes
back on the centre's answer point (``services._tell_centre``)."""
from __future__ import annotations

from sqlalchemy import select

from core.toolkit import db
from core.toolkit import in_subtree
from . import risks, services
from .access import can_use_grid
from .models import Grid

ROUTE_POINT = "centre.route_matter"      # sender: the centre's matter; kwargs case, route, unit, user


def _grid_for(case, user):
    places = [r for r in (case.person.region, case.region) if r is not None]
    for place in places:
        inside = in_subtree(Grid.region_id, place.path)
        for grid in db.session.scalars(select(Grid).where(inside).order_by(Grid.id).limit(50)):
            if user is None or can_use_grid(user, grid):
                return grid
    return None


def on_route(matter, case=None, route: str = "", unit=None, user=None, **_kw):
    """Log the routed dispute (挂号) for the committee the centre chose, in a grid of the person's area."""
    if route != "mediation" or case is None:
        return None
    grid = _grid_for(case, user)
    if grid is None:
        return None
    person = case.person
    data = {"grid_id": grid.id, "category": matter.category or "other", "summary": matter.summary[:200],
            "description": f"一站式中心交办（案件码 {case.code}）：{getattr(unit, 'name', '')}",
            "risk_level": risks.codes()[-1], "source": "application", "found_at": case.received_at,
            "headcount": matter.parties or 1, "amount": matter.amount,
            "parties": [{"name": person.name, "id_number": person.id_number, "phone": person.phone}]
            + [{"name": o["name"], "phone": o.get("phone")} for o in (matter.other_parties or [])]}
    dispute, _created = services.log_dispute(user, data, alert=False)
    dispute.centre_code = case.code
    return {"record_type": "mediation_dispute", "record_id": dispute.id, "reference": dispute.reference}
