"""Who may see or change a centre case: the case's region scope (the county), never a grid worker (contract §9)."""
from flask import url_for
from sqlalchemy import false

from core.toolkit import db
from core.toolkit import in_scope, scope_condition
from .models import Case


def is_grid_worker(user) -> bool:
    return "grid_worker" in getattr(user, "role_codes", ()) and not getattr(user, "is_admin", False)


def case_condition(user):
    """The WHERE clause of the cases *user* may see."""
    if is_grid_worker(user):
        return false()
    return scope_condition(Case.region_id, user)


def case_for(user, case_id) -> Case | None:
    try:
        case = db.session.get(Case, int(case_id))
    except (TypeError, ValueError):
        return None
    if case is None or is_grid_worker(user) or not in_scope(user, case.region_id):
        return None
    return case


def can_view_case(user, record_id) -> bool:
    return user.can("centre.case.read") and case_for(user, record_id) is not None


def can_edit_case(user, record_id) -> bool:
    return user.can("centre.case.manage") and case_for(user, record_id) is not None


def case_url(record_id) -> str:
    return url_for("centre.case", case_id=int(record_id))
