"""Helpers every API collection uses: paging, loading a record in the caller's region scope, and the
optimistic lock of PATCH."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import inspect, select

from core.db import count_up_to, db
from core.regions.scope import in_scope, scope_filter
from .errors import ApiError
from .schemas import PageQuery
from .types import MAX_ID
from .validation import invalid


def paginate(stmt, query: PageQuery) -> dict[str, Any]:
    """Run *stmt* (a ``select`` of one entity, already filtered and ordered) for ``query.page``.
    Returns ``{"items", "page", "per_page", "total", "total_exact"}``, which a ``Page[Out]`` response shapes;
    the count stops at ``LIST_COUNT_CAP`` (10,000), so a page costs the same at any volume."""
    total, exact = count_up_to(stmt)
    rows = db.session.scalars(stmt.limit(query.per_page).offset((query.page - 1) * query.per_page)).all()
    return {"items": rows, "page": query.page, "per_page": query.per_page, "total": total, "total_exact": exact}


def _column(model, region_column):
    return getattr(model, region_column) if isinstance(region_column, str) else region_column


def scoped(stmt, model, region_column, user=None):
    """*stmt* restricted to rows whose region lies at or below the caller's region."""
    if region_column is None:
        return stmt
    return scope_filter(stmt, _column(model, region_column), user or current_user)


def get_or_404_in_scope(model, id: Any, region_column=None, user=None):
    """The record of *model* with primary key *id*, or 404 when there is none, or when it lies outside
    the caller's region scope (the answer does not tell the two apart)."""
    try:
        key = int(id)
    except (TypeError, ValueError):
        raise ApiError(404) from None
    if not 1 <= key <= MAX_ID:
        raise ApiError(404)
    pk = inspect(model).primary_key[0]
    record = db.session.scalar(scoped(select(model).where(pk == key), model, region_column, user))
    if record is None:
        raise ApiError(404)
    return record


def check_version(record, version: int) -> None:
    """Optimistic lock: the client edits the version it read; anything else answers 409."""
    if version != getattr(record, "version", None):
        raise ApiError(409, "conflict", _("The record was changed by someone else; reload it and try again."))


def require_region_in_scope(region_id: int | None, field: str = "region_id", user=None) -> None:
    """422 when a region the client names lies outside its scope (or does not exist)."""
    if region_id is not None and not in_scope(user or current_user, region_id):
        raise invalid({field: _("No such region in your scope.")})
