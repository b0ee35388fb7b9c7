"""Row-level scoping: a user bound to a region node sees only records at or below it."""
from __future__ import annotations

from sqlalchemy import Boolean, or_, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from core.db import db
from .models import Region


class _InRegions(ColumnElement):
    """``region_id IN (SELECT id FROM core_region WHERE …)``; on PostgreSQL spelt ``region_id = ANY(ARRAY(SELECT
    …))``, the same rows: the planner then reads the ids once and searches the index for them, where for ``IN``
    it hash-joins every row it counts (issue 22: a mediator's capped count of disputes 1.01 → 0.60 ms, the
    unscoped count 0.55 ms)."""
    type = Boolean()
    _is_implicitly_boolean = True       # a condition as it is (SQLite: not compared ``= 1``, which scans)
    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement),
                           ("ids", InternalTraversal.dp_clauseelement)]

    def __init__(self, column, ids):
        clause = getattr(column, "__clause_element__", None)       # a mapped attribute: its column
        self.column = clause() if clause is not None else column
        self.ids = ids.scalar_subquery()


@compiles(_InRegions)
def _in_regions(element, compiler, **kw):
    return f"{compiler.process(element.column, **kw)} IN {compiler.process(element.ids, **kw)}"


@compiles(_InRegions, "postgresql")
def _in_regions_pg(element, compiler, **kw):
    return f"{compiler.process(element.column, **kw)} = ANY(ARRAY{compiler.process(element.ids, **kw)})"


def in_regions(region_id_column, ids):
    """*region_id_column* is one of the region ids *ids* (a statement selecting them)."""
    return _InRegions(region_id_column, ids)


def in_subtree(region_id_column, path: str):
    """*region_id_column* is the region with *path* or one below it (a drill-down, a report's area)."""
    return in_regions(region_id_column, _regions_under(path))


def _user_region(user):
    return getattr(user, "region", None)


def scope_filter(query, region_id_column, user):
    """Restrict *query* (a Select) to rows whose region lies at or below the user's region."""
    root = _user_region(user)
    if root is None:
        return query.where(region_id_column.is_(None)) if not getattr(user, "is_admin", False) else query
    return query.where(in_subtree(region_id_column, root.path))


def scope_condition(region_id_column, user, include_unassigned: bool = False):
    """The WHERE clause of :func:`scope_filter`; with *include_unassigned* rows without a region pass
    too (master data such as persons often has none). ``true()`` for an administrator without a region."""
    return or_(*scope_alternatives(region_id_column, user, include_unassigned))


def scope_alternatives(region_id_column, user, include_unassigned: bool = False) -> list:
    """:func:`scope_condition` as conditions no row meets two of, whose OR it is: ``[region inside, no
    region]`` for a user with a region when *include_unassigned*, else one. A list's capped count adds them
    up, one index range each (``ListView(count_parts=…)``; issue 22: SQLite counts an OR of the two by a
    multi-index OR at twice the time)."""
    root = _user_region(user)
    if root is None:
        return [true() if getattr(user, "is_admin", False) else region_id_column.is_(None)]
    inside = in_subtree(region_id_column, root.path)
    return [inside, region_id_column.is_(None)] if include_unassigned else [inside]


_under: dict[str, object] = {}


def _regions_under(path: str):
    """``SELECT id FROM core_region WHERE path LIKE '<path>%'``, built once per process and region path (a
    statement is immutable; issue 22: every scoped page built it again)."""
    stmt = _under.get(path)
    if stmt is None:
        if len(_under) >= 5_000:
            _under.clear()
        stmt = _under[path] = select(Region.id).where(Region.path.startswith(path))
    return stmt


def scope_key(user) -> tuple:
    """What :func:`scope_condition` reads of *user*: their region's path and whether they administer (a key for
    statements built once per scope, ``core.shell.listing.listed``)."""
    root = _user_region(user)
    return (root.path if root is not None else None, bool(getattr(user, "is_admin", False)))


def user_can_see_region(user, region: Region | None) -> bool:
    root = _user_region(user)
    if root is None:
        return bool(getattr(user, "is_admin", False))
    return region is not None and region.path.startswith(root.path)


def in_scope(user, region_id: int | None) -> bool:
    if region_id is None:
        return bool(getattr(user, "is_admin", False))
    region = db.session.get(Region, region_id)
    return user_can_see_region(user, region)
