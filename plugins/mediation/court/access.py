"""Who sees which court case: by region scope (court cases have no grid)."""
from __future__ import annotations

from sqlalchemy import select

from core.toolkit import db
from core.toolkit import in_scope, scope_condition
from .models import CourtCase


def visible_cases(user):
    cond = scope_condition(CourtCase.region_id, user)
    stmt = select(CourtCase)
    return stmt.where(cond) if cond is not None else stmt


def case_for(user, case_id) -> CourtCase | None:
    try:
        key = int(case_id)
    except (TypeError, ValueError):
        return None
    if not 1 <= key <= 2**31 - 1:
        return None
    case = db.session.get(CourtCase, key)
    return case if case is not None and in_scope(user, case.region_id) else None
