"""Who sees which dispute: a grid worker only their own grids' items; everyone else by region scope."""
from __future__ import annotations

from sqlalchemy import select, true

from core.toolkit import db
from core.toolkit import in_scope, scope_condition
from .models import Dispute, Grid, GridWorker


def is_grid_worker(user) -> bool:
    return "grid_worker" in user.role_codes and not user.is_admin


def grid_ids_of(user):
    """A subquery of the grids *user* is assigned to."""
    return select(GridWorker.grid_id).where(GridWorker.user_id == user.id)


def dispute_condition(user):
    cond = scope_condition(Dispute.region_id, user)
    if is_grid_worker(user):
        cond = cond & Dispute.grid_id.in_(grid_ids_of(user))
    return cond


def grid_condition(user):
    cond = scope_condition(Grid.region_id, user)
    if is_grid_worker(user):
        cond = cond & Grid.id.in_(grid_ids_of(user))
    return cond if cond is not None else true()


def visible_disputes(user):
    return select(Dispute).where(dispute_condition(user))


def visible_grids(user):
    return select(Grid).where(grid_condition(user))


def can_see_dispute(user, dispute: Dispute | None) -> bool:
    if dispute is None or not in_scope(user, dispute.region_id):
        return False
    if is_grid_worker(user):
        return db.session.scalar(select(GridWorker.id).where(GridWorker.user_id == user.id,
                                                             GridWorker.grid_id == dispute.grid_id)) is not None
    return True


def can_use_grid(user, grid: Grid | None) -> bool:
    if grid is None or not in_scope(user, grid.region_id):
        return False
    if is_grid_worker(user):
        return any(w.id == user.id for w in grid.workers)
    return True


def dispute_for(user, dispute_id) -> Dispute | None:
    try:
        key = int(dispute_id)
    except (TypeError, ValueError):
        return None
    if not 1 <= key <= 2**31 - 1:
        return None
    dispute = db.session.get(Dispute, key)
    return dispute if can_see_dispute(user, dispute) else None
